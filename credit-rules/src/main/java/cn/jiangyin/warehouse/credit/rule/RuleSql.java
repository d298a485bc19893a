package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place a rule set becomes SQL: the Spark SQL views that evaluate it as of a date. What
 * production publishes, what a backtest compares and what an as-of rerun recomputes are these same
 * statements.
 *
 * <p>The statements read three input views the caller registers (so the caller decides which
 * Iceberg snapshot each reads): {@link #FACT_INPUT} with the columns of {@code credit.fact}, {@link
 * #ROLE_INPUT} with the columns of {@code lib.person_role}, and {@link #OBJECTION_INPUT} with
 * list_code, subject_id, filed_on, decided_on, outcome. Nothing here reads the clock: the same
 * inputs, rule version and as-of date give the same rows.
 *
 * <p>Outputs, in order ({@link #views}): {@link #LIST_ENTRY}, {@link #SCORE}, {@link #VERDICT},
 * each with the content columns of its {@code credit.*} table (without input_snapshots and
 * computed_at).
 */
public final class RuleSql {
  public static final String FACT_INPUT = "rule_input_fact";
  public static final String ROLE_INPUT = "rule_input_person_role";
  public static final String OBJECTION_INPUT = "rule_input_objection";
  public static final String LIST_ENTRY = "rule_list_entry";
  public static final String SCORE = "rule_score";
  public static final String VERDICT = "rule_verdict";

  /**
   * Views read by several later ones; the runner may materialise them (they are deterministic) so
   * the facts are scanned once per evaluation.
   */
  public static final Set<String> REUSED =
      Set.of(
          "rule_fact_known",
          "rule_fact_scored",
          "rule_entry_base",
          LIST_ENTRY,
          SCORE,
          "rule_measure_hit");

  /** Objection outcome that stops a proposed entry (异议成立). */
  public static final String UPHELD = "upheld";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(list|reason|basis|days|fact)}");

  private final RuleSet rules;
  private final LocalDate asOf;
  private final String asOfLiteral;

  public RuleSql(RuleSet rules, LocalDate asOf) {
    this.rules = requireNonNull(rules, "rules is null");
    this.asOf = requireNonNull(asOf, "asOf is null");
    this.asOfLiteral = "DATE '" + asOf + "'";
  }

  /** The views to create in order: view name → query. */
  public Map<String, String> views() {
    Map<String, String> views = new LinkedHashMap<>();
    views.put("rule_fact_known", knownFacts());
    views.put("rule_fact_scored", scoredFacts());
    views.put("rule_entry_base", entryBase());
    views.put("rule_objection_state", objectionState());
    views.put(LIST_ENTRY, listEntries());
    views.put("rule_indicator", indicators());
    views.put("rule_direct_grade", directGrades());
    views.put(SCORE, scores());
    views.put("rule_measure_hit", measureHits());
    views.put(VERDICT, verdicts());
    return views;
  }

  /** Facts decided by the as-of date: what lists are built from (repairs end entries). */
  private String knownFacts() {
    return "SELECT * FROM " + FACT_INPUT + " WHERE decided_on <= " + asOfLiteral;
  }

  /**
   * Facts that count for scores: published on the as-of date and not repaired by then. A repair
   * applies from its date, not before (NDRC Order No. 58).
   */
  private String scoredFacts() {
    return "SELECT * FROM rule_fact_known WHERE published"
        + " AND (publish_from IS NULL OR publish_from <= "
        + asOfLiteral
        + ") AND (publish_until IS NULL OR publish_until > "
        + asOfLiteral
        + ") AND NOT (repair_status = 'repaired' AND (repaired_on IS NULL OR repaired_on <= "
        + asOfLiteral
        + "))";
  }

  /**
   * One row per (list, fact) from the entry conditions, plus the automatic transfers; dates are
   * planned ones, the status comes in {@link #listEntries}.
   */
  private String entryBase() {
    List<String> direct = new ArrayList<>();
    for (ListRule list : rules.lists()) {
      for (int i = 0; i < list.entries().size(); i++) {
        ListRule.Entry entry = list.entries().get(i);
        direct.add(
            "SELECT "
                + literal(list.code())
                + " AS list_code, subject_id, subject_type, subject_name, fact_id, "
                + literal(entry.name())
                + " AS reason, "
                + literal(list.basis())
                + " AS legal_basis, "
                + i
                + " AS condition_order, decided_on, ended_on, repaired_on, repair_status"
                + " FROM rule_fact_known WHERE subject_type = "
                + literal(list.subjectType())
                + " AND ("
                + entry.condition()
                + ")");
      }
    }
    if (direct.isEmpty()) {
      direct.add(
          "SELECT CAST(NULL AS STRING) AS list_code, subject_id, subject_type, subject_name,"
              + " fact_id, CAST(NULL AS STRING) AS reason, CAST(NULL AS STRING) AS legal_basis, 0"
              + " AS condition_order, decided_on, ended_on, repaired_on, repair_status FROM"
              + " rule_fact_known WHERE false");
    }
    // the first matching entry condition of a list names the reason
    String firstMatch =
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY list_code, fact_id ORDER BY"
            + " condition_order) AS match_rank FROM ("
            + String.join(" UNION ALL ", direct)
            + ")) WHERE match_rank = 1";
    List<String> parts = new ArrayList<>();
    parts.add(
        "SELECT concat(list_code, ':', subject_id, ':', fact_id) AS entry_id, list_code,"
            + " subject_id, subject_type, subject_name, fact_id, reason, legal_basis, "
            + proposedOn("list_code", "decided_on")
            + " AS proposed_on, "
            + startOn("list_code", "decided_on")
            + " AS start_on, ended_on AS fact_ended_on, "
            + repairedOn()
            + " AS repaired_on FROM ("
            + firstMatch
            + ")");
    for (ListRule list : rules.lists()) {
      if (list.transfer().isEmpty()) {
        continue;
      }
      ListRule.Transfer transfer = list.transfer().get();
      // SAMR Order No. 44, art. 13: on 经营异常名录 for 3 years without remedy → 严重违法失信名单
      String transferOn = "add_months(decided_on, " + transfer.afterMonths() + ")";
      String removedBefore =
          "(ended_on IS NOT NULL AND ended_on <= "
              + transferOn
              + ") OR ("
              + repairedOn()
              + " IS NOT NULL AND "
              + repairedOn()
              + " <= "
              + transferOn
              + ")";
      parts.add(
          "SELECT concat("
              + literal(transfer.target())
              + ", ':', subject_id, ':', fact_id, ':transfer') AS entry_id, "
              + literal(transfer.target())
              + " AS list_code, subject_id, subject_type, subject_name, fact_id, "
              + literal(transfer.reason())
              + " AS reason, "
              + literal(transfer.basis())
              + " AS legal_basis, "
              + proposedOn(literal(transfer.target()), transferOn)
              + " AS proposed_on, "
              + startOn(literal(transfer.target()), transferOn)
              + " AS start_on, CAST(NULL AS DATE) AS fact_ended_on, "
              + repairedOn()
              + " AS repaired_on FROM ("
              + firstMatch
              + ") WHERE list_code = "
              + literal(list.code())
              + " AND "
              + transferOn
              + " <= "
              + asOfLiteral
              + " AND NOT ("
              + removedBefore
              + ")");
    }
    return String.join(" UNION ALL ", parts);
  }

  /** A repair with no date recorded counts as repaired since the fact's decision. */
  private static String repairedOn() {
    return "CASE WHEN repair_status = 'repaired' THEN coalesce(repaired_on, decided_on) END";
  }

  /** Dishonesty lists are proposed first (the notice date); abnormal lists take effect at once. */
  private String proposedOn(String listCode, String date) {
    return "CASE "
        + rules.lists().stream()
            .filter(list -> list.kind() == ListRule.Kind.DISHONESTY)
            .map(list -> "WHEN " + listCode + " = " + literal(list.code()) + " THEN " + date + " ")
            .collect(Collectors.joining())
        + "ELSE CAST(NULL AS DATE) END";
  }

  private String startOn(String listCode, String date) {
    return "CASE "
        + rules.lists().stream()
            .filter(list -> list.kind() == ListRule.Kind.DISHONESTY)
            .map(
                list ->
                    "WHEN "
                        + listCode
                        + " = "
                        + literal(list.code())
                        + " THEN date_add("
                        + date
                        + ", "
                        + rules.objectionDays()
                        + ") ")
            .collect(Collectors.joining())
        + "ELSE "
        + date
        + " END";
  }

  /**
   * Per proposed entry: the first upheld objection decided by the as-of date, and whether one filed
   * within the objection period is still undecided.
   */
  private String objectionState() {
    return "SELECT e.entry_id,"
        + " min(CASE WHEN o.outcome = '"
        + UPHELD
        + "' AND o.decided_on <= "
        + asOfLiteral
        + " THEN o.decided_on END) AS upheld_on,"
        + " max(CASE WHEN o.decided_on IS NULL OR o.decided_on > "
        + asOfLiteral
        + " THEN 1 ELSE 0 END) = 1 AS pending"
        + " FROM rule_entry_base e JOIN "
        + OBJECTION_INPUT
        + " o ON o.list_code = e.list_code AND o.subject_id = e.subject_id"
        + " AND e.proposed_on IS NOT NULL AND o.filed_on >= e.proposed_on"
        + " AND o.filed_on <= date_add(e.proposed_on, "
        + rules.objectionDays()
        + ") AND o.filed_on <= "
        + asOfLiteral
        + " GROUP BY e.entry_id";
  }

  private String listEntries() {
    String removal =
        "CASE WHEN o.upheld_on IS NOT NULL THEN 1 WHEN e.repaired_on <= "
            + asOfLiteral
            + " THEN 2 WHEN e.fact_ended_on <= "
            + asOfLiteral
            + " THEN 3 END";
    String removedOn =
        "least(o.upheld_on, CASE WHEN e.repaired_on <= "
            + asOfLiteral
            + " THEN e.repaired_on END, CASE WHEN e.fact_ended_on <= "
            + asOfLiteral
            + " THEN e.fact_ended_on END)";
    String removalReason =
        "CASE WHEN "
            + removedOn
            + " IS NULL THEN CAST(NULL AS STRING)"
            + " WHEN "
            + removedOn
            + " = o.upheld_on THEN '异议成立，不予列入'"
            + " WHEN "
            + removedOn
            + " = e.repaired_on THEN '信用修复，移出名单'"
            + " ELSE '已履行、补正或纠正，移出名单' END";
    StringBuilder listColumns = new StringBuilder("CASE e.list_code");
    StringBuilder plannedEnd = new StringBuilder("CASE e.list_code");
    StringBuilder notice = new StringBuilder("CASE e.list_code");
    for (ListRule list : rules.lists()) {
      listColumns.append(" WHEN ").append(literal(list.code())).append(" THEN ");
      listColumns.append(literal(list.name()));
      plannedEnd.append(" WHEN ").append(literal(list.code())).append(" THEN ");
      plannedEnd.append(
          list.termMonths()
              .map(months -> "add_months(e.start_on, " + months + ")")
              .orElse("CAST(NULL AS DATE)"));
      notice.append(" WHEN ").append(literal(list.code())).append(" THEN ");
      notice.append(
          list.kind() == ListRule.Kind.DISHONESTY && !list.notice().isBlank()
              ? notice(list)
              : "CAST(NULL AS STRING)");
    }
    listColumns.append(" END");
    plannedEnd.append(" END");
    notice.append(" END");
    return "SELECT entry_id, list_code, list_name, subject_id, subject_type, subject_name, reason,"
        + " fact_id, legal_basis, proposed_on, start_on, planned_end,"
        + " CASE WHEN removed_on IS NOT NULL THEN 'removed'"
        + " WHEN planned_end IS NOT NULL AND planned_end <= "
        + asOfLiteral
        + " THEN 'expired'"
        + " WHEN proposed_on IS NOT NULL AND (start_on > "
        + asOfLiteral
        + " OR pending) THEN 'proposed'"
        + " ELSE 'effective' END AS status,"
        + " removed_on, removal_reason, notice, "
        + literal(rules.version())
        + " AS rule_version, "
        + asOfLiteral
        + " AS as_of FROM (SELECT e.*, "
        + listColumns
        + " AS list_name, "
        + plannedEnd
        + " AS planned_end, "
        + removedOn
        + " AS removed_on, "
        + removalReason
        + " AS removal_reason, coalesce(o.pending, false) AS pending, "
        + notice
        + " AS notice, "
        + removal
        + " AS removal_kind FROM rule_entry_base e LEFT JOIN rule_objection_state o"
        + " ON o.entry_id = e.entry_id)";
  }

  /** The notice template as a SQL concat of its text and the entry's values. */
  private String notice(ListRule list) {
    List<String> parts = new ArrayList<>();
    Matcher matcher = PLACEHOLDER.matcher(list.notice());
    int last = 0;
    while (matcher.find()) {
      parts.add(literal(list.notice().substring(last, matcher.start())));
      parts.add(
          switch (matcher.group(1)) {
            case "list" -> literal(list.name());
            case "reason" -> "e.reason";
            case "basis" -> "e.legal_basis";
            case "days" -> literal(String.valueOf(rules.objectionDays()));
            default -> "e.fact_id";
          });
      last = matcher.end();
    }
    parts.add(literal(list.notice().substring(last)));
    return "concat(" + String.join(", ", parts) + ")";
  }

  /** Each indicator's points per subject, capped, with the facts behind them. */
  private String indicators() {
    List<String> hits = new ArrayList<>();
    for (Indicator indicator : rules.indicators()) {
      hits.add(
          "SELECT subject_id, subject_type, "
              + literal(indicator.code())
              + " AS indicator, "
              + literal(indicator.name())
              + " AS label, "
              + indicator.points()
              + " AS points, "
              + indicator.cap()
              + " AS cap, fact_id FROM rule_fact_scored WHERE ("
              + indicator.condition()
              + ") AND decided_on > "
              + windowStart(indicator.windowMonths()));
    }
    if (hits.isEmpty()) {
      return "SELECT subject_id, subject_type, CAST(NULL AS STRING) AS indicator, CAST(NULL AS"
          + " STRING) AS label, 0 AS points, array(fact_id) AS fact_ids FROM rule_fact_scored"
          + " WHERE false";
    }
    return "SELECT subject_id, subject_type, indicator, label,"
        + " CAST(CASE WHEN sum(points) < 0 THEN greatest(sum(points), -max(cap))"
        + " ELSE least(sum(points), max(cap)) END AS INT) AS points,"
        + " array_sort(collect_list(fact_id)) AS fact_ids FROM ("
        + String.join(" UNION ALL ", hits)
        + ") GROUP BY subject_id, subject_type, indicator, label";
  }

  private String windowStart(int months) {
    return "add_months(" + asOfLiteral + ", -" + months + ")";
  }

  private String directGrades() {
    List<String> hits = new ArrayList<>();
    for (int i = 0; i < rules.directGrades().size(); i++) {
      DirectGrade direct = rules.directGrades().get(i);
      hits.add(
          "SELECT subject_id, subject_type, "
              + i
              + " AS condition_order, "
              + literal(direct.grade())
              + " AS grade, "
              + literal(direct.name())
              + " AS label, fact_id FROM rule_fact_scored WHERE ("
              + direct.condition()
              + ") AND decided_on > "
              + windowStart(direct.windowMonths()));
    }
    if (hits.isEmpty()) {
      return "SELECT subject_id, subject_type, CAST(NULL AS STRING) AS grade, CAST(NULL AS STRING)"
          + " AS reason FROM rule_fact_scored WHERE false";
    }
    // the first condition met decides; its facts are the reason
    return "SELECT subject_id, subject_type, first(grade) AS grade,"
        + " to_json(named_struct('name', first(label), 'fact_ids', array_sort(collect_list(fact_id))))"
        + " AS reason FROM (SELECT h.* FROM ("
        + String.join(" UNION ALL ", hits)
        + ") h JOIN (SELECT subject_id, min(condition_order) AS first_order FROM ("
        + String.join(" UNION ALL ", hits)
        + ") GROUP BY subject_id) f ON f.subject_id = h.subject_id AND f.first_order ="
        + " h.condition_order) GROUP BY subject_id, subject_type";
  }

  private String scores() {
    StringBuilder grade = new StringBuilder("CASE");
    StringBuilder gradeName = new StringBuilder("CASE");
    for (Grade each : rules.grades()) {
      grade
          .append(" WHEN s.score BETWEEN ")
          .append(each.minimum())
          .append(" AND ")
          .append(each.maximum())
          .append(" THEN ")
          .append(literal(each.code()));
    }
    grade.append(" END");
    for (Grade each : rules.grades()) {
      gradeName.append(" WHEN g = ").append(literal(each.code())).append(" THEN ");
      gradeName.append(literal(each.name()));
    }
    gradeName.append(" END");
    StringBuilder riskClass = new StringBuilder("CASE WHEN listed THEN ");
    riskClass.append(literal(rules.listedRiskClass()));
    for (RiskClass each : rules.riskClasses()) {
      riskClass
          .append(" WHEN g IN (")
          .append(each.grades().stream().map(RuleSql::literal).collect(Collectors.joining(", ")))
          .append(") THEN ")
          .append(literal(each.code()));
    }
    riskClass.append(" END");
    String reasons =
        "SELECT subject_id, subject_type, CAST(sum(points) AS INT) AS points,"
            + " to_json(transform(array_sort(collect_list(CASE WHEN reason_rank <= 4 THEN"
            + " struct(reason_rank, indicator, label, points, fact_ids) END)), r ->"
            + " named_struct('indicator', r.indicator, 'name', r.label, 'points', r.points,"
            + " 'fact_ids', r.fact_ids))) AS reasons"
            + " FROM (SELECT *, row_number() OVER (PARTITION BY subject_id, subject_type"
            + " ORDER BY abs(points) DESC, indicator) AS reason_rank FROM rule_indicator)"
            + " GROUP BY subject_id, subject_type";
    String subjects =
        "SELECT subject_id, subject_type, max(subject_name) AS subject_name FROM rule_fact_known"
            + " GROUP BY subject_id, subject_type";
    String scored =
        "SELECT n.subject_id, n.subject_type, n.subject_name, CAST(least(100, greatest(0, "
            + rules.baseScore()
            + " + coalesce(r.points, 0))) AS INT) AS score, coalesce(r.reasons, '[]') AS reasons"
            + " FROM ("
            + subjects
            + ") n LEFT JOIN ("
            + reasons
            + ") r ON r.subject_id = n.subject_id AND r.subject_type = n.subject_type";
    // a subject with an effective entry on a dishonesty list (严重失信主体名单) is graded directly, as
    // the direct-grade conditions are: a listed subject never keeps a good grade from its points
    List<String> dishonestyLists =
        rules.lists().stream()
            .filter(list -> list.kind() == ListRule.Kind.DISHONESTY)
            .map(list -> literal(list.code()))
            .toList();
    String listedGrade =
        rules.directGrades().isEmpty()
            ? rules.grades().stream()
                .min(java.util.Comparator.comparingInt(Grade::minimum))
                .orElseThrow()
                .code()
            : rules.directGrades().get(0).grade();
    String dishonest =
        dishonestyLists.isEmpty()
            ? "SELECT CAST(NULL AS STRING) AS subject_id, CAST(NULL AS STRING) AS subject_type,"
                + " CAST(NULL AS STRING) AS reason WHERE false"
            : "SELECT subject_id, subject_type, to_json(named_struct('name', concat('列入',"
                + " min(list_name)), 'entry_ids', array_sort(collect_list(entry_id)))) AS reason"
                + " FROM "
                + LIST_ENTRY
                + " WHERE status = 'effective' AND list_code IN ("
                + String.join(", ", dishonestyLists)
                + ") GROUP BY subject_id, subject_type";
    String graded =
        "SELECT s.*, coalesce(d.grade, CASE WHEN l.reason IS NOT NULL THEN "
            + literal(listedGrade)
            + " END, "
            + grade
            + ") AS g, coalesce(d.reason, l.reason) AS direct_grade_reason, EXISTS (SELECT 1 FROM "
            + LIST_ENTRY
            + " e WHERE e.subject_id = s.subject_id AND e.status = 'effective') AS listed"
            + " FROM ("
            + scored
            + ") s LEFT JOIN rule_direct_grade d ON d.subject_id = s.subject_id"
            + " AND d.subject_type = s.subject_type LEFT JOIN ("
            + dishonest
            + ") l ON l.subject_id = s.subject_id AND l.subject_type = s.subject_type";
    return "SELECT subject_id, subject_type, subject_name, score, g AS grade, "
        + gradeName
        + " AS grade_name, direct_grade_reason, "
        + riskClass
        + " AS risk_class, reasons, "
        + literal(rules.version())
        + " AS rule_version, "
        + asOfLiteral
        + " AS as_of FROM ("
        + graded
        + ")";
  }

  /**
   * Every measure due to a subject, from its own effective entries and, for persons, from the
   * effective entries of enterprises they are linked to (关联惩戒).
   */
  private String measureHits() {
    List<String> parts = new ArrayList<>();
    for (Measure measure : rules.measures()) {
      parts.add(
          "SELECT subject_id, subject_type, subject_name, "
              + measureColumns(measure)
              + ", named_struct('list', list_name, 'entry_id', entry_id, 'reason', reason) AS why,"
              + " planned_end FROM "
              + LIST_ENTRY
              + " WHERE status = 'effective' AND subject_type = "
              + literal(measure.subjectType())
              + " AND list_code IN ("
              + measure.lists().stream().map(RuleSql::literal).collect(Collectors.joining(", "))
              + ")");
    }
    for (Propagation propagation : rules.propagations()) {
      boolean shareholder = propagation.role().equals(Propagation.SHAREHOLDER);
      // a 股东 may hold several shareholdings of one enterprise (lib.person_role has a row per
      // 出资记录): their shares add up before min-share is applied
      String links =
          shareholder
              ? "(SELECT person_key, enterprise_uscc, sum(share) AS share FROM "
                  + ROLE_INPUT
                  + " WHERE role = "
                  + literal(Propagation.SHAREHOLDER)
                  + " GROUP BY person_key, enterprise_uscc HAVING sum(share) >= "
                  + propagation.minimumShare()
                  + ")"
              : "(SELECT DISTINCT person_key, enterprise_uscc, CAST(NULL AS DOUBLE) AS share FROM "
                  + ROLE_INPUT
                  + " WHERE role = "
                  + literal(propagation.role())
                  + ")";
      String link =
          shareholder
              ? "的股东（持股 ', format_number(r.share * 100, '#.##'), '%），该企业被列入'"
              : "的" + propagation.role() + "，该企业被列入'";
      for (String code : propagation.measures()) {
        Measure measure = rules.measure(code).orElseThrow();
        parts.add(
            "SELECT DISTINCT r.person_key AS subject_id, 'person' AS subject_type,"
                + " CAST(NULL AS STRING) AS subject_name, "
                + measureColumns(measure)
                + ", named_struct('list', l.list_name, 'entry_id', l.entry_id, 'reason',"
                + " concat('系', coalesce(l.subject_name, l.subject_id), '（', l.subject_id, '）"
                + link
                + ", l.list_name, '：', l.reason)) AS why,"
                + " l.planned_end FROM "
                + LIST_ENTRY
                + " l JOIN "
                + links
                + " r ON r.enterprise_uscc = l.subject_id"
                + " WHERE l.status = 'effective' AND l.subject_type = 'enterprise'"
                + " AND l.list_code IN ("
                + propagation.lists().stream()
                    .map(RuleSql::literal)
                    .collect(Collectors.joining(", "))
                + ")");
      }
    }
    if (parts.isEmpty()) {
      return "SELECT subject_id, subject_type, subject_name, '' AS code, '' AS name, '' AS effect,"
          + " '' AS legal_basis, '' AS department, array('') AS matter_types,"
          + " named_struct('list', '', 'entry_id', '', 'reason', '') AS why, planned_end FROM "
          + LIST_ENTRY
          + " WHERE false";
    }
    return String.join(" UNION ALL ", parts);
  }

  private static String measureColumns(Measure measure) {
    return literal(measure.code())
        + " AS code, "
        + literal(measure.name())
        + " AS name, "
        + literal(measure.effect().name().toLowerCase(java.util.Locale.ROOT))
        + " AS effect, "
        + literal(measure.basis())
        + " AS legal_basis, "
        + literal(measure.department())
        + " AS department, array("
        + measure.matterTypes().stream().map(RuleSql::literal).collect(Collectors.joining(", "))
        + ") AS matter_types";
  }

  private String verdicts() {
    String perMeasure =
        "SELECT subject_id, subject_type, max(subject_name) AS subject_name, code,"
            + " first(name) AS name, first(effect) AS effect, first(legal_basis) AS legal_basis,"
            + " first(department) AS department, first(matter_types) AS matter_types,"
            + " collect_set(why) AS whys, min(planned_end) AS planned_end"
            + " FROM rule_measure_hit GROUP BY subject_id, subject_type, code";
    String perSubject =
        "SELECT subject_id, subject_type, max(subject_name) AS subject_name,"
            + " to_json(array_sort(collect_list(named_struct('code', code, 'name', name,"
            + " 'legal_basis', legal_basis, 'department', department, 'matter_types',"
            + " matter_types)))) AS measures,"
            + " array_sort(array_distinct(flatten(collect_list(whys)))) AS whys,"
            + " max(CASE WHEN effect = 'restrict' THEN 2 ELSE 1 END) AS severity,"
            + " min(planned_end) AS valid_to FROM ("
            + perMeasure
            + ") GROUP BY subject_id, subject_type";
    String proposed =
        "SELECT subject_id, subject_type, array_sort(collect_list(named_struct('list', list_name,"
            + " 'entry_id', entry_id, 'reason', concat('拟列入（异议期内）：', reason)))) AS whys"
            + " FROM "
            + LIST_ENTRY
            + " WHERE status = 'proposed' GROUP BY subject_id, subject_type";
    StringBuilder gradeWarns = new StringBuilder("CASE");
    for (Grade grade : rules.grades()) {
      gradeWarns.append(" WHEN s.grade = ").append(literal(grade.code())).append(" THEN ");
      gradeWarns.append(grade.status().equals("warn") ? "true" : "false");
    }
    gradeWarns.append(" ELSE false END");
    String subjects =
        "SELECT subject_id, subject_type FROM "
            + SCORE
            + " UNION SELECT subject_id, subject_type FROM rule_measure_hit";
    return "SELECT k.subject_id, k.subject_type, coalesce(s.subject_name, m.subject_name) AS"
        + " subject_name, CASE WHEN m.severity = 2 THEN 'restricted' WHEN m.severity = 1 OR"
        + " p.whys IS NOT NULL OR "
        + gradeWarns
        + " THEN 'warn' ELSE 'clear' END AS status, s.grade,"
        + " coalesce(m.measures, '[]') AS measures,"
        + " to_json(concat(coalesce(m.whys, array()), coalesce(p.whys, array()),"
        + " CASE WHEN "
        + gradeWarns
        + " THEN array(named_struct('list', '', 'entry_id', '', 'reason',"
        + " concat('信用等级 ', s.grade_name))) ELSE array() END)) AS reasons, "
        + literal(rules.version())
        + " AS rule_version, "
        + asOfLiteral
        + " AS valid_from, m.valid_to, "
        + asOfLiteral
        + " AS as_of FROM ("
        + subjects
        + ") k LEFT JOIN "
        + SCORE
        + " s ON s.subject_id = k.subject_id AND s.subject_type = k.subject_type LEFT JOIN ("
        + perSubject
        + ") m ON m.subject_id = k.subject_id AND m.subject_type = k.subject_type LEFT JOIN ("
        + proposed
        + ") p ON p.subject_id = k.subject_id AND p.subject_type = k.subject_type";
  }

  /** A Spark SQL string literal. */
  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  public LocalDate asOf() {
    return asOf;
  }
}
