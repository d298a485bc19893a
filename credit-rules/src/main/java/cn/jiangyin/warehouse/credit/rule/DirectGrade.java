package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

/**
 * 直接判级 — a fact meeting {@code condition} within {@code windowMonths} gives grade {@code grade}
 * whatever the score (纳税信用 "direct D").
 */
public record DirectGrade(
    String grade, String name, String condition, int windowMonths, String definedAt) {

  public DirectGrade {
    requireNonNull(grade, "grade is null");
    requireNonNull(name, "name is null");
    requireNonNull(condition, "condition is null");
    requireNonNull(definedAt, "definedAt is null");
  }
}
