package cn.jiangyin.warehouse.credit.evaluation;

import cn.jiangyin.warehouse.credit.rule.ListRule;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.credit.rule.RuleSql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * 异议 — where objections to proposed list entries come from, so the rule SQL keeps reading
 * list_code, subject_id, filed_on, decided_on and outcome ({@value RuleSql#UPHELD} / rejected /
 * pending).
 *
 * <p>Two sources, read together: the credit office's objection register as captured ({@value
 * #SOURCE}: 成立 → upheld, 不成立 → rejected, 待处理 → pending; a natural person by the person_key capture
 * put beside the ID number, an enterprise by its code when it is a valid USCC; the list by the rule
 * set's list whose name is or contains the source's list name, e.g. 严重失信主体名单 → serious_dishonesty),
 * and {@value #TABLE}, objections recorded by hand (kept for those handled outside the register). A
 * source row whose list or subject cannot be resolved is left out (an objection to 失信被执行人名单 is the
 * court's, not a list of the rule set).
 */
final class Objections {
  /** Objections recorded by hand in the lake. */
  static final String TABLE = "credit.objection";

  /** The credit office's objection register, captured. */
  static final String SOURCE = "ods.credit_office__objection";

  /** Registered by the evaluation: whether a code is a valid USCC. */
  static final String VALID_USCC_FUNCTION = "is_valid_uscc";

  private Objections() {}

  /**
   * The query giving the columns the rule SQL reads: {@code tableReading} ({@value #TABLE}, maybe
   * time-travelled) and, when {@code sourceReading} is present, the register mapped.
   */
  static String query(RuleSet rules, String tableReading, Optional<String> sourceReading) {
    String manual =
        "SELECT list_code, subject_id, filed_on, decided_on, outcome FROM " + tableReading;
    return sourceReading
        .map(source -> manual + " UNION ALL " + fromSource(rules, source))
        .orElse(manual);
  }

  private static String fromSource(RuleSet rules, String reading) {
    List<String> lists = new ArrayList<>();
    for (ListRule list : rules.lists()) {
      lists.add(
          " WHEN "
              + literal(list.name())
              + " = list_name OR list_name <> '' AND instr("
              + literal(list.name())
              + ", list_name) > 0 THEN "
              + literal(list.code()));
    }
    String listCode =
        lists.isEmpty() ? "CAST(NULL AS STRING)" : "CASE" + String.join("", lists) + " END";
    return "SELECT list_code, subject_id, filed_on, decided_on, outcome FROM (SELECT "
        + listCode
        + " AS list_code, CASE WHEN subject_type = '自然人' THEN subject_code_key"
        + " WHEN "
        + VALID_USCC_FUNCTION
        + "(upper(trim(subject_code))) THEN upper(trim(subject_code)) END AS subject_id,"
        + " filed_on, decided_on, CASE outcome WHEN '成立' THEN '"
        + RuleSql.UPHELD
        + "' WHEN '不成立' THEN 'rejected' ELSE 'pending' END AS outcome FROM "
        + reading
        + ") WHERE list_code IS NOT NULL AND subject_id IS NOT NULL";
  }

  private static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
