package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

/**
 * 信用等级 — the grade of scores from {@code minimum} to {@code maximum} (both included), and the
 * supervision status it gives a subject ({@code clear} or {@code warn}).
 */
public record Grade(
    String code, String name, int minimum, int maximum, String status, String definedAt) {

  public Grade {
    requireNonNull(code, "code is null");
    requireNonNull(name, "name is null");
    requireNonNull(status, "status is null");
    requireNonNull(definedAt, "definedAt is null");
  }
}
