package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

/**
 * 评分指标 — points added (positive) or deducted (negative) for each credit fact meeting {@code
 * condition} decided within {@code windowMonths} before the as-of date; the indicator's total for
 * one subject is at most {@code cap} in absolute value.
 *
 * @param condition Spark SQL boolean expression over {@code credit.fact} columns
 * @param definedAt {@code file:line}, for messages
 */
public record Indicator(
    String code,
    String name,
    String basis,
    String condition,
    int points,
    int windowMonths,
    int cap,
    String definedAt) {

  public Indicator {
    requireNonNull(code, "code is null");
    requireNonNull(name, "name is null");
    requireNonNull(basis, "basis is null");
    requireNonNull(condition, "condition is null");
    requireNonNull(definedAt, "definedAt is null");
  }
}
