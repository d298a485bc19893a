package cn.jiangyin.warehouse.serving.report;

import java.util.List;
import java.util.Set;

/**
 * The sections of the public credit information report, in the order of the 2022 national report
 * standard (公共信用信息报告标准（2022年版）), and which {@code credit.fact} categories each holds. A category no
 * section names goes to 其他.
 */
public enum ReportSection {
  ADMINISTRATION(
      "行政管理",
      "行政许可、行政处罚等行政管理信息",
      Set.of("licence", "administrative_penalty", "environmental_penalty")),
  HONESTY("诚实守信", "表彰奖励等守信信息", Set.of("honour")),
  SERIOUS_DISHONESTY(
      "严重失信", "严重失信主体名单信息（失信被执行人、重大税收违法失信主体等）", Set.of("dishonest_debtor", "major_tax_violation")),
  ABNORMAL_OPERATION("经营异常", "经营异常名录信息", Set.of("abnormal_list")),
  COMMITMENT("信用承诺", "信用承诺及履约信息", Set.of()),
  EVALUATION("信用评价", "信用评价结果（如纳税信用级别）", Set.of("tax_grade")),
  JUDGEMENT("司法判决", "司法判决信息", Set.of()),
  OTHER("其他", "其他公共信用信息（欠税、欠缴社会保险费等）", Set.of());

  private final String title;
  private final String description;
  private final Set<String> categories;

  ReportSection(String title, String description, Set<String> categories) {
    this.title = title;
    this.description = description;
    this.categories = categories;
  }

  public String title() {
    return title;
  }

  public String description() {
    return description;
  }

  /** The section a fact of {@code category} is reported in. */
  public static ReportSection of(String category) {
    for (ReportSection section : values()) {
      if (section.categories.contains(category)) {
        return section;
      }
    }
    return OTHER;
  }

  static List<ReportSection> inOrder() {
    return List.of(values());
  }
}
