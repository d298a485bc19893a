package cn.jiangyin.warehouse.service;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import cn.jiangyin.warehouse.standard.WorkingCalendar;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The government-service libraries from the administrative approval bureau (行政审批局): 事项库 {@code
 * lib.matter} (the catalogue), 电子证照库 {@code lib.license} (status judged as of a given day, so a
 * licence past its expiry date is expired whatever the source still says) and 办件 {@code
 * lib.handling} (working days from acceptance 受理 to completion 办结 by the {@link WorkingCalendar},
 * on-time against the matter's promised days, and the "2440" business environment indicators: 企业开办
 * within 2 working days, 不动产登记 within 4, 施工许可 within 40). Records without a key, with a second
 * record for the same key, or with a status or time span that cannot be interpreted go to {@code
 * quality.rejected_record}: per table, read = accepted + rejected. Every table is overwritten, so a
 * re-run gives the same rows.
 */
public final class ServiceLibrariesJob {
  public static final String MATTER_SOURCE = "ods.administrative_approval__matter";
  public static final String LICENCE_SOURCE = "ods.administrative_approval__licence";
  public static final String APPLICATION_SOURCE = "ods.administrative_approval__application";
  private static final String LINEAGE = "administrative_approval.public.";
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLibrariesJob.class);

  private final SparkSession spark;
  private final WorkingCalendar calendar;

  public ServiceLibrariesJob(SparkSession spark, WorkingCalendar calendar) {
    this.spark = requireNonNull(spark, "spark is null");
    this.calendar = requireNonNull(calendar, "calendar is null");
  }

  /** Counts of one table's run. */
  public record Counts(String table, long read, long accepted, long rejected) {}

  /** Counts of one run, per library. */
  public record Result(Counts matter, Counts licence, Counts handling) {}

  /** Builds the three libraries; licence status and expiry warnings are judged on {@code asOf}. */
  public Result run(LocalDate asOf) {
    requireNonNull(asOf, "asOf is null");
    registerFunctions();
    Counts matter = matter();
    Counts licence = licence(asOf);
    Counts handling = handling();
    return new Result(matter, licence, handling);
  }

  private void registerFunctions() {
    spark
        .udf()
        .register(
            "is_valid_uscc",
            (UDF1<String, Boolean>) code -> code != null && UnifiedSocialCreditCode.isValid(code),
            DataTypes.BooleanType);
    WorkingCalendar days = calendar;
    spark
        .udf()
        .register(
            "working_days_between",
            (UDF2<Object, Object, Integer>)
                (from, to) -> {
                  if (from == null || to == null) {
                    return null;
                  }
                  LocalDate start = localDate(from);
                  LocalDate end = localDate(to);
                  return end.isBefore(start) ? null : days.workingDaysBetween(start, end);
                },
            DataTypes.IntegerType);
  }

  private static LocalDate localDate(Object value) {
    return value instanceof LocalDate day ? day : ((java.sql.Date) value).toLocalDate();
  }

  private Counts matter() {
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW matter_candidates AS SELECT *,"
            + " row_number() OVER (PARTITION BY matter_code ORDER BY _position DESC) AS key_rank"
            + " FROM "
            + MATTER_SOURCE);
    spark.sql(
        "INSERT OVERWRITE lib.matter SELECT matter_code, name, department_name, matter_type,"
            + " CAST(promised_days AS INT), CAST(online AS BOOLEAN), CAST(no_visit AS BOOLEAN),"
            + lineage("matter")
            + ", current_timestamp() FROM matter_candidates"
            + " WHERE matter_code IS NOT NULL AND key_rank = 1");
    return reconcile(
        "lib.matter",
        MATTER_SOURCE,
        "matter_candidates",
        "CASE WHEN matter_code IS NULL THEN 'missing matter code' ELSE 'duplicate matter code' END",
        "concat('matter_code=', coalesce(matter_code, 'NULL'))",
        "matter_code IS NULL OR key_rank > 1");
  }

  private Counts licence(LocalDate asOf) {
    String day = "DATE'" + asOf + "'";
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW licence_candidates AS SELECT l.*,"
            + " m.department AS issuing_department,"
            + " is_valid_uscc(l.holder_uscc) AS holder_valid,"
            + " CASE l.status WHEN '有效' THEN 'valid' WHEN '过期' THEN 'expired'"
            + " WHEN '吊销' THEN 'revoked' WHEN '撤销' THEN 'revoked' WHEN '注销' THEN 'revoked'"
            + " WHEN '暂停' THEN 'suspended' WHEN '中止' THEN 'suspended' END AS mapped_status,"
            + " row_number() OVER (PARTITION BY l.licence_number ORDER BY l._position DESC)"
            + " AS key_rank FROM "
            + LICENCE_SOURCE
            + " l LEFT JOIN lib.matter m ON l.matter_code = m.matter_code");
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW licence_judged AS SELECT *,"
            + " CASE WHEN mapped_status = 'valid' AND expires_on < "
            + day
            + " THEN 'expired' ELSE mapped_status END AS judged_status FROM licence_candidates");
    spark.sql(
        "INSERT OVERWRITE lib.license SELECT licence_number, licence_type, matter_code,"
            + " issuing_department, holder_uscc, holder_valid, holder_name, issued_on, expires_on,"
            + " status, judged_status,"
            + " coalesce(judged_status = 'valid' AND expires_on <= date_add("
            + day
            + ", 30), false), "
            + day
            + ","
            + lineage("licence")
            + ", current_timestamp() FROM licence_judged"
            + " WHERE licence_number IS NOT NULL AND key_rank = 1 AND mapped_status IS NOT NULL");
    return reconcile(
        "lib.license",
        LICENCE_SOURCE,
        "licence_judged",
        "CASE WHEN licence_number IS NULL THEN 'missing licence number'"
            + " WHEN key_rank > 1 THEN 'duplicate licence number'"
            + " ELSE 'unknown licence status' END",
        "concat('licence_number=', coalesce(licence_number, 'NULL'),"
            + " ' status=', coalesce(status, 'NULL'))",
        "licence_number IS NULL OR key_rank > 1 OR mapped_status IS NULL");
  }

  private Counts handling() {
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW handling_candidates AS SELECT a.*,"
            + " m.name AS matter_name, m.department, m.promised_days,"
            + " CASE WHEN m.name LIKE '%企业设立%' OR m.name LIKE '%企业开办%' THEN '企业开办'"
            + " WHEN m.name LIKE '%不动产登记%' THEN '不动产登记'"
            + " WHEN m.name LIKE '%施工许可%' THEN '施工许可' END AS indicator,"
            + " working_days_between(to_date(a.accepted_at), to_date(a.completed_at)) AS elapsed,"
            + " row_number() OVER (PARTITION BY a.application_number ORDER BY a._position DESC)"
            + " AS key_rank FROM "
            + APPLICATION_SOURCE
            + " a LEFT JOIN lib.matter m ON a.matter_code = m.matter_code");
    spark.sql(
        "INSERT OVERWRITE lib.handling SELECT application_number, matter_code, matter_name,"
            + " department, applicant_type,"
            + " CASE WHEN applicant_type = '法人' THEN applicant_code END, channel, stage,"
            + " accepted_at, first_reviewed_at, reviewed_at, completed_at, picked_up_at,"
            + " promised_days, elapsed, elapsed <= promised_days, indicator,"
            + " elapsed <= CASE indicator WHEN '企业开办' THEN 2 WHEN '不动产登记' THEN 4"
            + " WHEN '施工许可' THEN 40 END,"
            + lineage("application")
            + ", current_timestamp() FROM handling_candidates"
            + " WHERE application_number IS NOT NULL AND key_rank = 1"
            + " AND NOT coalesce(completed_at < accepted_at, false)");
    return reconcile(
        "lib.handling",
        APPLICATION_SOURCE,
        "handling_candidates",
        "CASE WHEN application_number IS NULL THEN 'missing application number'"
            + " WHEN key_rank > 1 THEN 'duplicate application number'"
            + " ELSE 'completed before accepted' END",
        "concat('application_number=', coalesce(application_number, 'NULL'))",
        "application_number IS NULL OR key_rank > 1 OR coalesce(completed_at < accepted_at, false)");
  }

  private static String lineage(String table) {
    return " concat('" + LINEAGE + table + "#', id, '@', _position)";
  }

  /** Replaces the job's rejected records and checks read = accepted + rejected. */
  private Counts reconcile(
      String job, String source, String view, String reason, String detail, String rejected) {
    spark.sql("DELETE FROM quality.rejected_record WHERE job = '" + job + "'");
    spark.sql(
        "INSERT INTO quality.rejected_record SELECT '"
            + job
            + "', '"
            + source
            + "', CAST(id AS STRING), "
            + reason
            + ", "
            + detail
            + ", current_timestamp() FROM "
            + view
            + " WHERE "
            + rejected);
    long read = spark.table(source).count();
    long accepted = spark.table(job).count();
    long rejectedCount =
        spark
            .sql("SELECT count(*) FROM quality.rejected_record WHERE job = '" + job + "'")
            .first()
            .getLong(0);
    if (read != accepted + rejectedCount) {
      throw new IllegalStateException(
          "Cannot reconcile "
              + job
              + ": read "
              + read
              + " != accepted "
              + accepted
              + " + rejected "
              + rejectedCount);
    }
    LOG.info("{}: {} read, {} accepted, {} rejected", job, read, accepted, rejectedCount);
    return new Counts(job, read, accepted, rejectedCount);
  }
}
