package cn.jiangyin.warehouse.service;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.ods.CurrentStateJob;
import cn.jiangyin.warehouse.ods.OdsMaintenance;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.WorkingCalendar;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The licence and handling libraries updated from the ods changes since their last run give the
 * same rows and rejections as a full rebuild on the same inputs: an update, a delete, a licence
 * number moving to another row, a new row taking over a number (the old one becomes a duplicate), a
 * row turning invalid and a new row. The ods tables are built by {@link CurrentStateJob} from
 * hand-made raw change logs, as capture writes them.
 */
class ServiceLibrariesIncrementalIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String DATABASE =
      "service_inc_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
  private static final String USCC = "91320281142232229Q";
  private static final String META =
      ", _op STRING, _position STRING, _source_ts TIMESTAMP,"
          + " _tx_id STRING, _ingested_at TIMESTAMP) USING iceberg"
          + " TBLPROPERTIES ('jiangyin.primary-key' = 'id', 'format-version' = '2')";

  @TempDir static Path home;
  private static JdbcCatalog catalog;
  private static SparkSession spark;
  private static int position;

  @BeforeAll
  static void setUp() throws SQLException {
    execute("CREATE DATABASE " + DATABASE);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                POSTGRES + DATABASE,
                "catalog.user",
                "postgres",
                "lake.location",
                home.resolve("lake").toString()),
            name -> "unused-by-trust-auth-0000",
            home);
    catalog = CatalogFactory.open(config);
    new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    spark = SparkSessions.create(config, "service-libraries-incremental-it");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS raw");
    spark.sql(
        "CREATE TABLE raw.administrative_approval__matter (id BIGINT, matter_code STRING,"
            + " name STRING, department_name STRING, matter_type STRING, promised_days INT,"
            + " online BOOLEAN, no_visit BOOLEAN"
            + META);
    spark.sql(
        "CREATE TABLE raw.administrative_approval__licence (id BIGINT, licence_number STRING,"
            + " licence_type STRING, matter_code STRING, holder_uscc STRING, holder_name STRING,"
            + " issued_on DATE, expires_on DATE, status STRING"
            + META);
    spark.sql(
        "CREATE TABLE raw.administrative_approval__application (id BIGINT,"
            + " application_number STRING, matter_code STRING, applicant_type STRING,"
            + " applicant_code STRING, applicant_name STRING, channel STRING,"
            + " accepted_at TIMESTAMP, first_reviewed_at TIMESTAMP, reviewed_at TIMESTAMP,"
            + " completed_at TIMESTAMP, picked_up_at TIMESTAMP, stage STRING, materials STRING"
            + META);
    append("matter", matter(1, "M-OPEN", "企业设立登记", 1, "r"), matter(2, "M-FOOD", "食品经营许可", 10, "r"));
    append(
        "licence",
        licence(1, "L-1", "2027-01-01", "有效", "r"),
        licence(2, "L-2", "2027-01-01", "有效", "r"),
        licence(3, "L-3", "2027-01-01", "有效", "r"),
        licence(4, "L-4", "2025-07-10", "有效", "r"),
        licence(5, "L-5", "2025-06-01", "有效", "r"),
        licence(6, "L-6", "2027-01-01", "待定", "r"));
    append(
        "application",
        application(1, "A-1", "M-OPEN", "'2025-05-29 10:00:00'", "'2025-06-03 10:00:00'", "r"),
        application(2, "A-2", "M-FOOD", "'2025-06-09 09:00:00'", "NULL", "r"),
        application(3, "A-3", "M-FOOD", "'2025-06-10 09:00:00'", "NULL", "r"),
        application(4, "A-4", "M-FOOD", "'2025-06-20 09:00:00'", "'2025-06-19 09:00:00'", "r"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    if (catalog != null) {
      catalog.close();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void anIncrementGivesWhatAFullRebuildGives() {
    currentState();
    ServiceLibrariesJob.Result first = new ServiceLibrariesJob(spark, calendar()).run(AS_OF);
    assertThat(first.licence().incremental()).isFalse();
    assertThat(first.licence()).isEqualTo(new ServiceLibrariesJob.Counts("lib.license", 6, 5, 1));

    append(
        "licence",
        licence(2, "L-2", "2027-01-01", "吊销", "u"), // status change
        licence(3, "L-3", "2027-01-01", "有效", "d"), // deleted
        licence(4, "L-4B", "2025-07-10", "有效", "u"), // the number moves: L-4 goes
        licence(7, "L-1", "2028-01-01", "有效", "c"), // takes over L-1: id 1 is a duplicate now
        licence(5, "L-5", "2025-06-01", "暂缺", "u"), // unknown status: rejected
        licence(6, "L-6", "2027-01-01", "有效", "u"), // valid now: accepted
        licence(8, "L-8", "2025-07-01", "有效", "c"));
    append(
        "application",
        application(2, "A-2", "M-FOOD", "'2025-06-09 09:00:00'", "'2025-06-13 16:00:00'", "u"),
        application(3, "A-3", "M-FOOD", "'2025-06-10 09:00:00'", "NULL", "d"),
        application(4, "A-4", "M-FOOD", "'2025-06-20 09:00:00'", "'2025-06-23 09:00:00'", "u"),
        application(5, "A-5", "M-OPEN", "'2025-06-24 09:00:00'", "NULL", "c"));
    currentState();

    ServiceLibrariesJob.Result incremental = new ServiceLibrariesJob(spark, calendar()).run(AS_OF);
    assertThat(incremental.licence().incremental()).isTrue();
    assertThat(incremental.handling().incremental()).isTrue();
    // L-1, L-2, L-3, L-4, L-4B, L-5, L-6, L-8
    assertThat(incremental.licence().changedKeys()).isEqualTo(8);
    assertThat(incremental.handling().changedKeys()).isEqualTo(4);
    assertThat(incremental.licence()).isEqualTo(counts("lib.license", 7, 5, 2, 8));
    assertThat(incremental.handling()).isEqualTo(counts("lib.handling", 4, 4, 0, 4));
    assertThat(rows("SELECT licence_number, status, lineage FROM lib.license ORDER BY 1"))
        .containsExactly(
            "L-1|valid|administrative_approval.public.licence#7@p0016",
            "L-2|revoked|administrative_approval.public.licence#2@p0013",
            "L-4B|valid|administrative_approval.public.licence#4@p0015",
            "L-6|valid|administrative_approval.public.licence#6@p0018",
            "L-8|valid|administrative_approval.public.licence#8@p0019");
    assertThat(
            rows(
                "SELECT job, record_key, reason FROM quality.rejected_record"
                    + " WHERE job IN ('lib.license', 'lib.handling') ORDER BY 1, 2"))
        .containsExactly(
            "lib.license|1|duplicate licence number", "lib.license|5|unknown licence status");
    List<String> updated = everything();

    ServiceLibrariesJob.Result rebuilt =
        new ServiceLibrariesJob(spark, calendar(), true).run(AS_OF);
    assertThat(rebuilt.licence().incremental()).isFalse();
    assertThat(everything()).isEqualTo(updated);

    // nothing new since: an increment of nothing, the same rows
    ServiceLibrariesJob.Result again = new ServiceLibrariesJob(spark, calendar()).run(AS_OF);
    assertThat(again.licence()).isEqualTo(counts("lib.license", 7, 5, 2, 0));
    assertThat(again.handling()).isEqualTo(counts("lib.handling", 4, 4, 0, 0));
    assertThat(everything()).isEqualTo(updated);

    // merge-on-read: the increment left position deletes in ods (and the libraries); maintenance
    // folds them in, and the next run still finds where it left off (0 keys, the same rows)
    List<String> odsBefore = rows("SELECT * FROM ods.administrative_approval__licence ORDER BY id");
    List<OdsMaintenance.Result> compacted = new OdsMaintenance(spark, catalog).run();
    assertThat(compacted)
        .filteredOn(result -> result.table().equals("ods.administrative_approval__licence"))
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.deleteFilesBefore()).isPositive();
              assertThat(result.deleteFilesAfter()).isZero();
            });
    assertThat(compacted)
        .filteredOn(result -> result.table().equals("lib.license"))
        .singleElement()
        .satisfies(result -> assertThat(result.deleteFilesAfter()).isZero());
    assertThat(rows("SELECT * FROM ods.administrative_approval__licence ORDER BY id"))
        .isEqualTo(odsBefore);
    assertThat(everything()).isEqualTo(updated);
    assertThat(new ServiceLibrariesJob(spark, calendar()).run(AS_OF).licence())
        .isEqualTo(counts("lib.license", 7, 5, 2, 0));

    // another day: licence status is judged again for every licence, so the library is rebuilt
    ServiceLibrariesJob.Result nextDay =
        new ServiceLibrariesJob(spark, calendar()).run(AS_OF.plusDays(1));
    assertThat(nextDay.licence().incremental()).isFalse();
    assertThat(nextDay.handling()).isEqualTo(counts("lib.handling", 4, 4, 0, 0));
  }

  private static ServiceLibrariesJob.Counts counts(
      String table, long read, long accepted, long rejected, long keys) {
    return new ServiceLibrariesJob.Counts(table, read, accepted, rejected, keys);
  }

  private static WorkingCalendar calendar() {
    return WorkingCalendar.load();
  }

  private static void currentState() {
    CurrentStateJob job = new CurrentStateJob(spark, catalog);
    for (String table : job.rawTables()) {
      job.run(table);
    }
  }

  private static List<String> everything() {
    List<String> all = new ArrayList<>();
    for (String table : List.of("lib.license", "lib.handling")) {
      all.addAll(rows("SELECT * EXCEPT (as_of) FROM " + table + " ORDER BY lineage"));
    }
    all.addAll(
        rows(
            "SELECT * EXCEPT (run_at) FROM quality.rejected_record"
                + " WHERE job IN ('lib.license', 'lib.handling') ORDER BY job, record_key"));
    return all;
  }

  private static void append(String table, String... values) {
    spark.sql(
        "INSERT INTO raw.administrative_approval__"
            + table
            + " VALUES "
            + String.join(", ", values));
  }

  private static String meta(String op) {
    position++;
    return ", '%s', 'p%04d', TIMESTAMP'2025-06-30 08:00:00', 'tx', TIMESTAMP'2025-06-30 08:00:01')"
        .formatted(op, position);
  }

  private static String matter(long id, String code, String name, int days, String op) {
    return "(%d, '%s', '%s', '市场监管局', '行政许可', %d, true, false".formatted(id, code, name, days)
        + meta(op);
  }

  private static String licence(long id, String number, String expires, String status, String op) {
    return ("(%d, '%s', '食品经营许可证', 'M-FOOD', '%s', '江阴某某食品有限公司', DATE'2022-01-10',"
                + " DATE'%s', '%s'")
            .formatted(id, number, USCC, expires, status)
        + meta(op);
  }

  private static String application(
      long id, String number, String matter, String accepted, String completed, String op) {
    return ("(%d, '%s', '%s', '法人', '%s', '申请人%d', '窗口', TIMESTAMP %s, NULL, NULL, %s, NULL,"
                + " '%s', '{}'")
            .formatted(
                id,
                number,
                matter,
                USCC,
                id,
                accepted,
                completed.equals("NULL") ? "NULL" : "TIMESTAMP " + completed,
                completed.equals("NULL") ? "受理" : "办结")
        + meta(op);
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream()
        .map(ServiceLibrariesIncrementalIT::line)
        .toList();
  }

  private static String line(Row row) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      text.append(i == 0 ? "" : "|").append(row.isNullAt(i) ? "null" : row.get(i).toString());
    }
    return text.toString();
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
