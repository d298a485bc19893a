package cn.jiangyin.warehouse.credit.publish;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.evaluation.CreditEvaluationJob;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 发起 → 响应 → 反馈 — the measures of restricted verdicts in force ({@code export.verdict}) that got no
 * feedback from their implementing department within N days of their publication.
 *
 * <p>A measure is published on the date of the first publication whose verdicts gave the subject
 * that measure ({@code credit.publication} joined with {@code credit.verdict} of its as-of date).
 * Feedback is a row of {@value #SOURCE} with the subject's code, the measure code and the
 * implementing department the rule set names, acted on at most N days after publication. Only
 * measures whose N days have passed by {@code today} are reported.
 */
public final class FeedbackReport {
  public static final String SOURCE = "ods.credit_office__measure_feedback";

  public static final List<String> HEADER =
      List.of("主体类型", "主体标识", "主体名称", "措施代码", "措施名称", "实施部门", "发布日期", "反馈期限", "逾期天数");

  private static final Logger LOG = LoggerFactory.getLogger(FeedbackReport.class);

  private final SparkSession spark;

  public FeedbackReport(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** One measure without feedback. */
  public record Overdue(
      String subjectType,
      String subjectId,
      String subjectName,
      String measureCode,
      String measureName,
      String department,
      LocalDate publishedOn,
      LocalDate dueOn,
      long daysOverdue) {
    public List<String> values() {
      return List.of(
          subjectType,
          subjectId,
          subjectName == null ? "" : subjectName,
          measureCode,
          measureName,
          department,
          publishedOn.toString(),
          dueOn.toString(),
          String.valueOf(daysOverdue));
    }
  }

  public List<Overdue> overdue(int days, LocalDate today) {
    if (days < 0) {
      throw new IllegalArgumentException("Overdue days must be 0 or more, not " + days);
    }
    String measureType = "'array<struct<code:string,name:string,department:string>>'";
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW feedback_published AS SELECT v.subject_type,"
            + " v.subject_id, m.code, min(to_date(p.published_at)) AS published_on FROM "
            + VerdictPublication.TABLE
            + " p JOIN "
            + CreditEvaluationJob.VERDICT
            + " v ON v.as_of = p.as_of LATERAL VIEW explode(from_json(v.measures, "
            + measureType
            + ")) t AS m GROUP BY v.subject_type, v.subject_id, m.code");
    boolean captured = spark.catalog().tableExists(SOURCE);
    if (!captured) {
      LOG.warn("{} is not captured: no measure has feedback", SOURCE);
    }
    String feedback =
        captured
            ? "SELECT upper(trim(subject_code)) AS subject_id, measure_code, implementing_department,"
                + " acted_on FROM "
                + SOURCE
            : "SELECT CAST(NULL AS STRING) AS subject_id, CAST(NULL AS STRING) AS measure_code,"
                + " CAST(NULL AS STRING) AS implementing_department, CAST(NULL AS DATE) AS acted_on"
                + " WHERE false";
    List<Overdue> overdue = new ArrayList<>();
    for (Row row :
        spark
            .sql(
                "SELECT e.subject_type, e.subject_id, e.subject_name, e.m.code, e.m.name,"
                    + " e.m.department, published_on, date_add(published_on, "
                    + days
                    + ") AS due_on FROM (SELECT v.subject_type, v.subject_id, v.subject_name,"
                    + " t.m FROM "
                    + VerdictPublication.EXPORT
                    + " v LATERAL VIEW explode(from_json(v.measures, "
                    + measureType
                    + ")) t AS m WHERE v.status = 'restricted') e JOIN feedback_published f ON"
                    + " f.subject_type = e.subject_type AND f.subject_id = e.subject_id AND f.code"
                    + " = e.m.code WHERE date_add(published_on, "
                    + days
                    + ") < DATE '"
                    + today
                    + "' AND NOT EXISTS (SELECT 1 FROM ("
                    + feedback
                    + ") b WHERE b.subject_id = e.subject_id AND b.measure_code = e.m.code AND"
                    + " b.implementing_department = e.m.department AND b.acted_on <="
                    + " date_add(published_on, "
                    + days
                    + ")) ORDER BY published_on, e.subject_type, e.subject_id, e.m.code")
            .collectAsList()) {
      LocalDate due = row.getDate(7).toLocalDate();
      overdue.add(
          new Overdue(
              row.getString(0),
              row.getString(1),
              row.getString(2),
              row.getString(3),
              row.getString(4),
              row.getString(5),
              row.getDate(6).toLocalDate(),
              due,
              java.time.temporal.ChronoUnit.DAYS.between(due, today)));
    }
    return overdue;
  }
}
