package cn.jiangyin.warehouse.credit.evaluation;

import cn.jiangyin.warehouse.credit.rule.RuleSql;

/**
 * 异议 — where objections to proposed list entries come from: the one place to rewire when the
 * departmental objection source is captured (an {@code ods} table), so the rule SQL keeps reading
 * list_code, subject_id, filed_on, decided_on and outcome ({@value RuleSql#UPHELD} / rejected).
 */
final class Objections {
  /** The table objections are read from. */
  static final String TABLE = "credit.objection";

  private Objections() {}

  /**
   * The query giving the columns the rule SQL reads, from {@code reading} (the table, maybe
   * time-travelled).
   */
  static String query(String reading) {
    return "SELECT list_code, subject_id, filed_on, decided_on, outcome FROM " + reading;
  }
}
