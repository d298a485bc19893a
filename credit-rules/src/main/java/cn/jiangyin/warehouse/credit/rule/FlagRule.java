package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

/**
 * 信用标记 — one credit flag as the credit office wrote it: which subjects of which table it marks,
 * under what condition, within how many days of the as-of date, and on what legal basis.
 */
public record FlagRule(
    String code,
    String name,
    String basis,
    String source,
    String subject,
    String subjectName,
    String evidence,
    String date,
    int windowDays,
    String condition,
    String definedAt) {

  public FlagRule {
    requireNonNull(code, "code is null");
    requireNonNull(name, "name is null");
    requireNonNull(basis, "basis is null");
    requireNonNull(source, "source is null");
    requireNonNull(subject, "subject is null");
    requireNonNull(subjectName, "subjectName is null");
    requireNonNull(evidence, "evidence is null");
    requireNonNull(date, "date is null");
    requireNonNull(condition, "condition is null");
    requireNonNull(definedAt, "definedAt is null");
    if (windowDays <= 0) {
      throw new IllegalArgumentException(
          "Invalid window of flag " + code + ": " + windowDays + " days");
    }
  }
}
