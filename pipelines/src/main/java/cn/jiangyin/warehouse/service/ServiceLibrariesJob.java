package cn.jiangyin.warehouse.service;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.ods.OdsChanges;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import cn.jiangyin.warehouse.standard.WorkingCalendar;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
 * quality.rejected_record}: per table, read = accepted + rejected. A re-run gives the same rows.
 *
 * <p>{@code lib.license} and {@code lib.handling} are incremental ({@link OdsChanges}): each commit
 * records the ods snapshots it read, and the next run recomputes only the licence and application
 * numbers that the source rows changed since then had, before or after the change (a number can
 * move to another row), then MERGEs them in (a number no row has any more is deleted), with their
 * rejections. A library is rebuilt whole on its first run, when asked ({@code full}), when the
 * matter catalogue changed (it feeds both), when the as-of day (licences) or the working calendar
 * (handling) differs from the last run's, or when the history is not there. {@code lib.matter}
 * (tens of rows) is always rebuilt whole.
 */
public final class ServiceLibrariesJob {
  public static final String MATTER_SOURCE = "ods.administrative_approval__matter";
  public static final String LICENCE_SOURCE = "ods.administrative_approval__licence";
  public static final String APPLICATION_SOURCE = "ods.administrative_approval__application";
  private static final String LINEAGE = "administrative_approval.public.";
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLibrariesJob.class);

  static final String AS_OF_PROPERTY = "jiangyin.lib.as-of";
  static final String CALENDAR_PROPERTY = "jiangyin.lib.calendar";

  private final SparkSession spark;
  private final WorkingCalendar calendar;
  private final boolean full;
  private final OdsChanges changes;

  public ServiceLibrariesJob(SparkSession spark, WorkingCalendar calendar) {
    this(spark, calendar, false);
  }

  /** With {@code full}, every library is rebuilt whole, whatever its last run recorded. */
  public ServiceLibrariesJob(SparkSession spark, WorkingCalendar calendar, boolean full) {
    this.spark = requireNonNull(spark, "spark is null");
    this.calendar = requireNonNull(calendar, "calendar is null");
    this.full = full;
    this.changes = new OdsChanges(spark);
  }

  /**
   * Counts of one table's run; {@code changedKeys} is the number of library keys recomputed, or -1
   * when the table was rebuilt whole.
   */
  public record Counts(String table, long read, long accepted, long rejected, long changedKeys) {
    public Counts(String table, long read, long accepted, long rejected) {
      this(table, read, accepted, rejected, -1);
    }

    public boolean incremental() {
      return changedKeys >= 0;
    }
  }

  /** Counts of one run, per library. */
  public record Result(Counts matter, Counts licence, Counts handling) {}

  /** Builds the three libraries; licence status and expiry warnings are judged on {@code asOf}. */
  public Result run(LocalDate asOf) {
    requireNonNull(asOf, "asOf is null");
    registerFunctions();
    Map<String, Long> current =
        changes.current(List.of(MATTER_SOURCE, LICENCE_SOURCE, APPLICATION_SOURCE));
    Counts matter = matter();
    Counts licence = licence(asOf, current);
    Counts handling = handling(current);
    return new Result(matter, licence, handling);
  }

  /**
   * The increment of {@code source} since the library's last run, when the library can be updated
   * by keys: it was built before from the same matter catalogue and the same {@code settings}.
   */
  private Optional<OdsChanges.Increment> increment(
      String library, String source, Map<String, Long> current, Map<String, String> settings) {
    if (full) {
      return Optional.empty();
    }
    Map<String, String> recorded = changes.recorded(library);
    for (Map.Entry<String, String> setting : settings.entrySet()) {
      if (!setting.getValue().equals(recorded.get(setting.getKey()))) {
        return Optional.empty();
      }
    }
    Optional<OdsChanges.Increment> matter =
        changes.since(MATTER_SOURCE, recorded, current.get(MATTER_SOURCE));
    if (matter.isEmpty() || matter.get().changes() > 0) {
      return Optional.empty();
    }
    return changes.since(source, recorded, current.get(source));
  }

  private Map<String, String> record(
      Map<String, Long> current, String source, Map<String, String> settings) {
    return OdsChanges.record(
        Map.of(MATTER_SOURCE, current.get(MATTER_SOURCE), source, current.get(source)), settings);
  }

  /**
   * The source rows a library run reads: all of them, or those whose {@code number} column is among
   * the numbers the changed rows had before or after the change, and the changed rows without a
   * number (they are rejected). Defines the temporary views {@code <name>_scope} and, for an
   * increment, {@code <name>_affected} (the numbers).
   */
  private void scope(String name, String source, String number, OdsChanges.Increment increment) {
    if (increment == null) {
      spark.sql("CREATE OR REPLACE TEMPORARY VIEW " + name + "_scope AS SELECT * FROM " + source);
      return;
    }
    String on =
        increment.key().stream()
            .map(column -> "o." + column + " = c." + column)
            .collect(Collectors.joining(" AND "));
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW "
            + name
            + "_affected AS SELECT DISTINCT "
            + number
            + " FROM (SELECT o."
            + number
            + " FROM "
            + source
            + " o LEFT SEMI JOIN "
            + increment.keysView()
            + " c ON "
            + on
            + " UNION ALL SELECT o."
            + number
            + " FROM "
            + source
            + " VERSION AS OF "
            + increment.previousSnapshot()
            + " o LEFT SEMI JOIN "
            + increment.keysView()
            + " c ON "
            + on
            + ") WHERE "
            + number
            + " IS NOT NULL");
    // cached: read by the scope, the MERGE and the rejections
    spark.table(name + "_affected").cache().count();
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW "
            + name
            + "_scope AS SELECT o.* FROM "
            + source
            + " o LEFT SEMI JOIN "
            + name
            + "_affected a ON o."
            + number
            + " = a."
            + number
            + " UNION ALL SELECT o.* FROM "
            + source
            + " o LEFT SEMI JOIN "
            + increment.keysView()
            + " c ON "
            + on
            + " WHERE o."
            + number
            + " IS NULL");
  }

  /**
   * Writes a library from the view {@code rows} (its columns in table order): overwritten whole,
   * or, for an increment, the affected numbers MERGEd in — updated, inserted, or deleted when no
   * row has the number any more. The commit records {@code summary}.
   */
  private void write(
      String library,
      String number,
      String rows,
      String name,
      OdsChanges.Increment increment,
      Map<String, String> summary) {
    String[] columns = spark.table(library).columns();
    spark.table(rows).toDF(columns).createOrReplaceTempView(name + "_named");
    if (increment == null) {
      OdsChanges.withSummary(
          summary,
          () -> spark.sql("INSERT OVERWRITE " + library + " SELECT * FROM " + name + "_named"));
      return;
    }
    if (increment.changes() == 0) {
      return;
    }
    spark
        .sql("SELECT " + number + " AS _affected FROM " + name + "_affected")
        .createOrReplaceTempView(name + "_affected_keys");
    changes.mergeKeys(
        library, name + "_named", name + "_affected_keys", number, "t." + number, summary);
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
        null,
        MATTER_SOURCE,
        "matter_candidates",
        "CASE WHEN matter_code IS NULL THEN 'missing matter code' ELSE 'duplicate matter code' END",
        "concat('matter_code=', coalesce(matter_code, 'NULL'))",
        "matter_code IS NULL OR key_rank > 1");
  }

  private Counts licence(LocalDate asOf, Map<String, Long> current) {
    Map<String, String> settings = Map.of(AS_OF_PROPERTY, asOf.toString());
    OdsChanges.Increment increment =
        increment("lib.license", LICENCE_SOURCE, current, settings).orElse(null);
    scope("licence", LICENCE_SOURCE, "licence_number", increment);
    String day = "DATE'" + asOf + "'";
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW licence_candidates AS SELECT l.*,"
            + " m.department AS issuing_department,"
            + " is_valid_uscc(l.holder_uscc) AS holder_valid,"
            + " CASE l.status WHEN '有效' THEN 'valid' WHEN '过期' THEN 'expired'"
            + " WHEN '吊销' THEN 'revoked' WHEN '撤销' THEN 'revoked' WHEN '注销' THEN 'revoked'"
            + " WHEN '暂停' THEN 'suspended' WHEN '中止' THEN 'suspended' END AS mapped_status,"
            + " row_number() OVER (PARTITION BY l.licence_number ORDER BY l._position DESC)"
            + " AS key_rank FROM licence_scope l LEFT JOIN lib.matter m ON l.matter_code = m.matter_code");
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW licence_judged AS SELECT *,"
            + " CASE WHEN mapped_status = 'valid' AND expires_on < "
            + day
            + " THEN 'expired' ELSE mapped_status END AS judged_status FROM licence_candidates");
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW licence_rows AS SELECT licence_number, licence_type, matter_code,"
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
    write(
        "lib.license",
        "licence_number",
        "licence_rows",
        "licence",
        increment,
        record(current, LICENCE_SOURCE, settings));
    return reconcile(
        "lib.license",
        LICENCE_SOURCE,
        increment,
        "licence_scope",
        "licence_judged",
        "CASE WHEN licence_number IS NULL THEN 'missing licence number'"
            + " WHEN key_rank > 1 THEN 'duplicate licence number'"
            + " ELSE 'unknown licence status' END",
        "concat('licence_number=', coalesce(licence_number, 'NULL'),"
            + " ' status=', coalesce(status, 'NULL'))",
        "licence_number IS NULL OR key_rank > 1 OR mapped_status IS NULL");
  }

  private Counts handling(Map<String, Long> current) {
    Map<String, String> settings = Map.of(CALENDAR_PROPERTY, fingerprint(calendar));
    OdsChanges.Increment increment =
        increment("lib.handling", APPLICATION_SOURCE, current, settings).orElse(null);
    scope("handling", APPLICATION_SOURCE, "application_number", increment);
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW handling_candidates AS SELECT a.*,"
            + " m.name AS matter_name, m.department, m.promised_days,"
            + " CASE WHEN m.name LIKE '%企业设立%' OR m.name LIKE '%企业开办%' THEN '企业开办'"
            + " WHEN m.name LIKE '%不动产登记%' THEN '不动产登记'"
            + " WHEN m.name LIKE '%施工许可%' THEN '施工许可' END AS indicator,"
            + " working_days_between(to_date(a.accepted_at), to_date(a.completed_at)) AS elapsed,"
            + " row_number() OVER (PARTITION BY a.application_number ORDER BY a._position DESC)"
            + " AS key_rank FROM handling_scope a LEFT JOIN lib.matter m ON a.matter_code = m.matter_code");
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW handling_rows AS SELECT application_number, matter_code, matter_name,"
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
    write(
        "lib.handling",
        "application_number",
        "handling_rows",
        "handling",
        increment,
        record(current, APPLICATION_SOURCE, settings));
    return reconcile(
        "lib.handling",
        APPLICATION_SOURCE,
        increment,
        "handling_scope",
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

  /**
   * Replaces the job's rejected records — all of them, or for an increment those of the source rows
   * in {@code scope} and of the changed rows — and checks read = accepted + rejected.
   */
  private Counts reconcile(
      String job,
      String source,
      OdsChanges.Increment increment,
      String scope,
      String view,
      String reason,
      String detail,
      String rejected) {
    if (increment == null) {
      spark.sql("DELETE FROM quality.rejected_record WHERE job = '" + job + "'");
    } else if (increment.changes() > 0) {
      spark
          .sql(
              "SELECT DISTINCT CAST(id AS STRING) AS record_key FROM (SELECT id FROM "
                  + scope
                  + " UNION ALL SELECT id FROM "
                  + increment.keysView()
                  + ")")
          .localCheckpoint()
          .createOrReplaceTempView(scope + "_record_keys");
      spark.sql(
          "MERGE INTO quality.rejected_record t USING "
              + scope
              + "_record_keys s ON t.job = '"
              + job
              + "' AND t.record_key = s.record_key WHEN MATCHED THEN DELETE");
    }
    if (increment == null || increment.changes() > 0) {
      insertRejected(job, source, view, reason, detail, rejected);
    }
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
    return new Counts(
        job,
        read,
        accepted,
        rejectedCount,
        increment == null ? -1 : spark.table(scope.replace("_scope", "_affected")).count());
  }

  private void insertRejected(
      String job, String source, String view, String reason, String detail, String rejected) {
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
  }

  /** The calendar's working days from 2000 to 2050 as a hash: a changed calendar differs. */
  static String fingerprint(WorkingCalendar calendar) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    for (LocalDate day = LocalDate.of(2000, 1, 1); day.getYear() <= 2050; day = day.plusDays(1)) {
      crc.update(calendar.isWorkingDay(day) ? 1 : 0);
    }
    return Long.toHexString(crc.getValue());
  }
}
