package cn.jiangyin.warehouse.credit.fact;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How one departmental table becomes credit facts: its category in the 全国公共信用信息基础目录 (2024年版), its
 * polarity, and the Spark SQL expressions over its ods columns that give the subject, the decision
 * date and the other fact attributes. A {@code null} expression means the table has no such
 * attribute.
 *
 * @param source source (department database) name, as in {@code ods.<source>__<table>}
 * @param table source table name
 * @param category fact category code of {@code credit.fact.category}
 * @param categoryName category name (信息类别名称)
 * @param catalogueItem item of the 全国公共信用信息基础目录 (2024年版) the fact falls under
 * @param polarity SQL giving negative / positive / neutral
 * @param department SQL giving the department that decided (来源部门)
 * @param personSubject SQL that is true when the subject is a natural person, or {@code null} when
 *     the table records organisations only
 * @param subjectCode column holding the subject's code as the department wrote it (its {@code _key}
 *     companion, when capture added one, holds the person_key)
 * @param subjectName column holding the subject's name
 * @param decisionNumber SQL giving the decision or case number (文书号/案号)
 * @param decidedOn SQL giving the decision (listing) date
 * @param endedOn SQL giving the end date (removal, clearance, expiry)
 */
public record FactSource(
    String source,
    String table,
    String category,
    String categoryName,
    String catalogueItem,
    String polarity,
    String department,
    String personSubject,
    String subjectCode,
    String subjectName,
    String decisionNumber,
    String decidedOn,
    String endedOn,
    String severity,
    String penaltyKind,
    String amount,
    String grade,
    String score,
    String legalBasis,
    String detail) {
  public FactSource {
    requireNonNull(source, "source is null");
    requireNonNull(table, "table is null");
    requireNonNull(category, "category is null");
    requireNonNull(categoryName, "categoryName is null");
    requireNonNull(polarity, "polarity is null");
    requireNonNull(department, "department is null");
    requireNonNull(subjectCode, "subjectCode is null");
    requireNonNull(decidedOn, "decidedOn is null");
  }

  /** {@code ods.<source>__<table>}. */
  public String odsTable() {
    return "ods." + source + "__" + table;
  }

  private static String text(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static FactSource.Builder from(String source, String table) {
    return new Builder(source, table);
  }

  /** The departmental tables that carry public credit information, in build order. */
  public static final List<FactSource> ALL =
      List.of(
          from("comprehensive_enforcement", "penalty_decision")
              .category("administrative_penalty", "行政处罚信息", "行政管理信息—行政处罚信息")
              .negative("综合执法局")
              .subject("subject_code", "subject_name", "subject_type = '自然人'")
              .decision("decision_number", "decision_on", null)
              .penalty("severity", "penalty_kind", "amount", "legal_basis")
              .detail("concat('职权来源：', origin_department)")
              .build(),
          from("court", "dishonest_debtor")
              .category("dishonest_debtor", "失信被执行人信息", "司法裁判及执行信息—失信被执行人信息")
              .negative("法院")
              .subject("subject_code", "subject_name", "subject_type = '自然人'")
              .decision("case_number", "published_on", "removed_on")
              .penalty(null, null, null, text("《最高人民法院关于公布失信被执行人名单信息的若干规定》"))
              .detail("concat(performance, '；', status)")
              .build(),
          from("taxation", "major_tax_violation")
              .category("major_tax_violation", "重大税收违法失信主体信息", "行政管理信息—重大税收违法失信主体信息")
              .negative("税务局")
              .subject("taxpayer_code", "taxpayer_name", null)
              .decision(null, "decided_on", null)
              .penalty(null, null, "amount", text("《重大税收违法失信主体信息公布管理办法》"))
              .detail("case_kind")
              .build(),
          from("taxation", "tax_credit_grade")
              .category("tax_grade", "纳税信用评价信息", "信用评价结果信息—纳税信用评价结果")
              .polarity(
                  "CASE grade WHEN 'A' THEN 'positive' WHEN 'D' THEN 'negative'"
                      + " ELSE 'neutral' END",
                  text("税务局"))
              .subject("taxpayer_code", "taxpayer_name", null)
              .decision(null, "assessed_on", null)
              .grade("grade", "score")
              .detail("concat(assessment_year, '年度纳税信用评价')")
              .build(),
          from("taxation", "tax_arrears")
              .category("tax_arrears", "欠税信息", "行政管理信息—欠缴税款信息")
              .negative("税务局")
              .subject("taxpayer_code", "taxpayer_name", null)
              .decision(null, "arrears_since", "CASE WHEN cleared THEN cleared_on END")
              .penalty(null, null, "arrears_amount", null)
              .detail("concat('欠税税种：', tax_kind)")
              .build(),
          from("human_resources", "social_insurance_arrears")
              .category("social_insurance_arrears", "欠缴社会保险费信息", "行政管理信息—欠缴社会保险费信息")
              .negative("人社局")
              .subject("employer_code", "employer_name", null)
              .decision(null, "recorded_on", null)
              .penalty(null, null, "arrears_amount", null)
              .detail(
                  "concat(insurance_kind, '欠缴', arrears_months, '个月，涉及职工', employees_affected,"
                      + " '人', CASE WHEN cleared THEN '（已补缴）' ELSE '' END)")
              .build(),
          from("ecology_environment", "environmental_penalty")
              .category("environmental_penalty", "环境行政处罚信息", "行政管理信息—行政处罚信息（生态环境）")
              .negative("生态环境局")
              .subject("subject_code", "subject_name", null)
              .decision("decision_number", "decided_on", null)
              .penalty(null, text("罚款"), "amount", null)
              .detail("concat(violation, CASE WHEN rectified THEN '（已整改）' ELSE '（未整改）' END)")
              .build(),
          from("market_regulation", "abnormal_list")
              .category("abnormal_list", "经营异常名录信息", "经营（活动）异常名录信息")
              .negative("市场监管局")
              .subject("enterprise_uscc", "enterprise_name", null)
              .decision(null, "listed_on", "removed_on")
              .penalty(null, null, null, text("《企业信息公示暂行条例》第十七条"))
              .detail("reason")
              .build(),
          // 双随机抽查结果: a finding with a problem is negative; 责令整改 (rectified on the spot) and
          // 未发现问题 are recorded as neutral facts of the inspection
          from("market_regulation", "inspection_result")
              .category("inspection_finding", "抽查检查结果信息", "行政管理信息—抽查检查结果信息")
              .polarity(
                  "CASE WHEN finding IN ('发现问题', '立案查处') THEN 'negative' ELSE 'neutral' END",
                  text("市场监管局"))
              .subject("subject_uscc", "subject_name", null)
              .decision("plan_id", "inspected_on", null)
              .detail("concat(finding, '：', summary)")
              .build(),
          from("administrative_approval", "licence")
              .category("licence", "行政许可信息", "行政管理信息—行政许可信息")
              .polarity("'positive'", text("行政审批局"))
              .subject("holder_uscc", "holder_name", null)
              .decision("licence_number", "issued_on", "expires_on")
              .detail("concat(licence_type, '（', status, '）')")
              .build(),
          from("credit_office", "honour")
              .category("honour", "表彰奖励信息", "诚实守信相关荣誉信息")
              .polarity("'positive'", "awarding_department")
              .subject("subject_code", "subject_name", null)
              .decision("honour_number", "awarded_on", null)
              .detail("honour_name")
              .build());

  private static final class Builder {
    private final String source;
    private final String table;
    private String category;
    private String categoryName;
    private String catalogueItem;
    private String polarity;
    private String department;
    private String personSubject;
    private String subjectCode;
    private String subjectName;
    private String decisionNumber;
    private String decidedOn;
    private String endedOn;
    private String severity;
    private String penaltyKind;
    private String amount;
    private String grade;
    private String score;
    private String legalBasis;
    private String detail;

    private Builder(String source, String table) {
      this.source = source;
      this.table = table;
    }

    Builder category(String code, String name, String item) {
      this.category = code;
      this.categoryName = name;
      this.catalogueItem = item;
      return this;
    }

    Builder negative(String departmentName) {
      return polarity("'negative'", text(departmentName));
    }

    Builder polarity(String polaritySql, String departmentSql) {
      this.polarity = polaritySql;
      this.department = departmentSql;
      return this;
    }

    Builder subject(String code, String name, String person) {
      this.subjectCode = code;
      this.subjectName = name;
      this.personSubject = person;
      return this;
    }

    Builder decision(String number, String decided, String ended) {
      this.decisionNumber = number;
      this.decidedOn = decided;
      this.endedOn = ended;
      return this;
    }

    Builder penalty(String severitySql, String kind, String amountSql, String basis) {
      this.severity = severitySql;
      this.penaltyKind = kind;
      this.amount = amountSql;
      this.legalBasis = basis;
      return this;
    }

    Builder grade(String gradeSql, String scoreSql) {
      this.grade = gradeSql;
      this.score = scoreSql;
      return this;
    }

    Builder detail(String detailSql) {
      this.detail = detailSql;
      return this;
    }

    FactSource build() {
      return new FactSource(
          source,
          table,
          category,
          categoryName,
          catalogueItem,
          polarity,
          department,
          personSubject,
          subjectCode,
          subjectName,
          decisionNumber,
          decidedOn,
          endedOn,
          severity,
          penaltyKind,
          amount,
          grade,
          score,
          legalBasis,
          detail);
    }
  }
}
