package cn.jiangyin.warehouse.serving.report;

import cn.jiangyin.warehouse.serving.report.CreditReport.Fact;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@link CreditReport} as one self-contained XHTML page (no external style, script or
 * image), in Chinese, with print CSS (A4, page numbers); well-formed XML, so the PDF renderer reads
 * the same page.
 */
public final class ReportHtml {
  /** The font family the PDF renderer registers its CJK font under. */
  static final String PDF_FONT_FAMILY = "ReportCJK";

  private static final Map<String, String> STATUS =
      Map.of("clear", "无限制", "warn", "关注", "restricted", "限制");

  private ReportHtml() {}

  public static String render(CreditReport report) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"zh-CN\">\n");
    html.append("<head>\n<meta charset=\"UTF-8\" />\n<title>公共信用信息报告 — ")
        .append(escape(report.name().orElse(report.uscc())))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    html.append("<h1>公共信用信息报告</h1>\n");
    html.append("<p class=\"subtitle\">（依据《公共信用信息报告标准（2022年版）》）</p>\n");
    html.append("<table class=\"summary\">\n");
    row(html, "主体名称", report.name().orElse("（企业库中无此主体名称）"));
    row(html, "统一社会信用代码", report.uscc());
    row(html, "登记状态", report.registrationStatus().orElse("—"));
    row(html, "报告日期", report.reportDate().toString());
    row(
        html,
        "联合惩戒结论",
        report
            .verdictStatus()
            .map(status -> STATUS.getOrDefault(status, status) + "（" + status + "）")
            .orElse("无已发布结论（无信用记录）"));
    row(html, "信用等级", report.grade().orElse("—"));
    row(html, "规则版本", report.ruleVersion().orElse("—"));
    html.append("</table>\n");
    int number = 1;
    for (ReportSection section : ReportSection.inOrder()) {
      List<Fact> facts = report.facts(section);
      html.append("<section id=\"")
          .append(section.name().toLowerCase(java.util.Locale.ROOT))
          .append("\">\n<h2>")
          .append(chineseNumber(number++))
          .append("、")
          .append(escape(section.title()))
          .append("信息</h2>\n<p class=\"scope\">")
          .append(escape(section.description()))
          .append("</p>\n");
      if (facts.isEmpty()) {
        html.append("<p class=\"none\">暂无记录</p>\n</section>\n");
        continue;
      }
      html.append("<table class=\"facts\">\n<thead><tr><th class=\"category\">信息类别</th>")
          .append("<th class=\"date\">决定日期</th><th class=\"number\">文号</th><th>内容</th>")
          .append("<th class=\"department\">来源部门</th><th class=\"window\">公示期</th></tr>")
          .append("</thead>\n<tbody>\n");
      for (Fact fact : facts) {
        html.append("<tr class=\"fact\" data-fact-id=\"")
            .append(escape(fact.factId()))
            .append("\"><td>")
            .append(escape(fact.categoryName()))
            .append("</td><td class=\"date\">")
            .append(fact.decidedOn())
            .append("</td><td class=\"number\">")
            .append(escape(fact.decisionNumber().orElse("—")))
            .append("</td><td>")
            .append(escape(content(fact)))
            .append("</td><td>")
            .append(escape(fact.department()))
            .append("</td><td class=\"window\">")
            .append(window(fact.publishFrom(), fact.publishUntil()))
            .append("</td></tr>\n");
      }
      html.append("</tbody>\n</table>\n</section>\n");
    }
    html.append("<p class=\"note\">说明：本报告仅载明报告日期处于公示期内的公共信用信息；")
        .append("公示期届满或已完成信用修复的信息不予展示。信息由各来源部门提供，")
        .append("如有异议可向江阴市社会信用体系建设领导小组办公室提出。</p>\n");
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static String content(Fact fact) {
    StringBuilder text = new StringBuilder();
    fact.detail().ifPresent(text::append);
    append(text, fact.penaltyKind().map(kind -> "处罚种类：" + kind));
    append(text, fact.amount().map(amount -> "金额：" + amount.toPlainString() + " 元"));
    append(text, fact.severity().map(severity -> "情节：" + severity));
    append(text, fact.grade().map(grade -> "等级：" + grade));
    append(text, fact.legalBasis().map(basis -> "依据：" + basis));
    return text.isEmpty() ? "—" : text.toString();
  }

  private static void append(StringBuilder text, Optional<String> part) {
    part.ifPresent(
        value -> {
          if (!text.isEmpty()) {
            text.append("；");
          }
          text.append(value);
        });
  }

  static String window(Optional<LocalDate> from, Optional<LocalDate> until) {
    return from.map(LocalDate::toString).orElse("—")
        + " 至 "
        + until.map(LocalDate::toString).orElse("长期");
  }

  private static void row(StringBuilder html, String label, String value) {
    html.append("<tr><th>")
        .append(escape(label))
        .append("</th><td>")
        .append(escape(value))
        .append("</td></tr>\n");
  }

  private static String chineseNumber(int number) {
    return "零一二三四五六七八九十".substring(number, number + 1);
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        default -> {
          // characters XML 1.0 forbids would break the PDF renderer's parser
          if (c >= 0x20 || c == '\n' || c == '\t') {
            escaped.append(c);
          }
        }
      }
    }
    return escaped.toString();
  }

  private static final String CSS =
      """
      @page { size: A4; margin: 18mm 15mm 20mm 15mm;
        @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
          font-family: "%s", sans-serif; font-size: 9pt; } }
      body { font-family: "%s", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
        "PingFang SC", "SimSun", sans-serif; font-size: 10.5pt; color: #111; }
      h1 { text-align: center; font-size: 20pt; margin: 0 0 2mm 0; letter-spacing: 0.2em; }
      .subtitle { text-align: center; color: #555; margin: 0 0 6mm 0; }
      h2 { font-size: 13pt; border-bottom: 1.5pt solid #8b0000; padding-bottom: 1mm; margin-top: 7mm; }
      table { width: 100%%; border-collapse: collapse; }
      th, td { border: 0.5pt solid #999; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
      th { background: #f2f2f2; font-weight: bold; }
      .summary th { width: 30%%; }
      .facts { font-size: 9pt; table-layout: fixed; }
      .facts .category { width: 12%%; } .facts .date { width: 12%%; } .facts .number { width: 17%%; }
      .facts .department { width: 11%%; } .facts .window { width: 15%%; }
      .facts td.date, .facts td.number { white-space: nowrap; }
      .facts tr { page-break-inside: avoid; }
      .scope { color: #555; font-size: 9pt; margin: 1mm 0 2mm 0; }
      .none { color: #777; }
      .note { margin-top: 8mm; font-size: 9pt; color: #555; }
      @media screen { body { max-width: 210mm; margin: 10mm auto; } }
      """
          .formatted(PDF_FONT_FAMILY, PDF_FONT_FAMILY);
}
