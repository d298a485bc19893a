package cn.jiangyin.warehouse.service;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.WorkingCalendar;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
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
 * The matter, licence and handling libraries from hand-made ods rows whose outcome is known:
 * licence status on the as-of day and the 30-day warning at its boundaries, working days across a
 * weekend and the Dragon Boat holiday (端午), rejections reconciled, and a re-run giving the same
 * rows.
 */
class ServiceLibrariesIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String DATABASE =
      "service_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);
  private static final String USCC = "91320281142232229Q";

  @TempDir static Path home;
  private static JdbcCatalog catalog;
  private static SparkSession spark;

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
    spark = SparkSessions.create(config, "service-libraries-it");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS ods");
    spark.sql(
        "CREATE TABLE ods.administrative_approval__matter (id BIGINT, matter_code STRING,"
            + " name STRING, department_name STRING, matter_type STRING, promised_days INT,"
            + " online BOOLEAN, no_visit BOOLEAN, _position STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.administrative_approval__matter VALUES"
            + " (1, 'M-OPEN', '企业设立登记', '市场监管局', '行政确认', 1, true, true, 'p1'),"
            + " (2, 'M-ESTATE', '不动产登记', '自然资源和规划局', '行政确认', 4, true, false, 'p2'),"
            + " (3, 'M-BUILD', '建筑工程施工许可', '住房和城乡建设局', '行政许可', 7, true, false, 'p3'),"
            + " (4, 'M-FOOD', '食品经营许可', '市场监管局', '行政许可', 10, true, false, 'p5'),"
            + " (5, 'M-FOOD', '食品经营许可（旧）', '市场监管局', '行政许可', 20, false, false, 'p4')");
    spark.sql(
        "CREATE TABLE ods.administrative_approval__licence (id BIGINT, licence_number STRING,"
            + " licence_type STRING, matter_code STRING, holder_uscc STRING, holder_name STRING,"
            + " issued_on DATE, expires_on DATE, status STRING, _position STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.administrative_approval__licence VALUES"
            + licence(1, "L-TODAY", USCC, "2025-06-30", "有效")
            + ","
            + licence(2, "L-YESTERDAY", USCC, "2025-06-29", "有效")
            + ","
            + licence(3, "L-DAY30", USCC, "2025-07-30", "有效")
            + ","
            + licence(4, "L-DAY31", USCC, "2025-07-31", "有效")
            + ","
            + licence(5, "L-REVOKED", USCC, "2027-01-01", "吊销")
            + ","
            + licence(6, "L-BADCODE", "91320281BAD", "2027-01-01", "有效")
            + ","
            + licence(7, "L-ODD", USCC, "2027-01-01", "待定"));
    spark.sql(
        "CREATE TABLE ods.administrative_approval__application (id BIGINT,"
            + " application_number STRING, matter_code STRING, applicant_type STRING,"
            + " applicant_code STRING, applicant_name STRING, channel STRING,"
            + " accepted_at TIMESTAMP, first_reviewed_at TIMESTAMP, reviewed_at TIMESTAMP,"
            + " completed_at TIMESTAMP, picked_up_at TIMESTAMP, stage STRING, materials STRING,"
            + " _position STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.administrative_approval__application VALUES"
            // Thu 29 May → Tue 3 June (01:00 Beijing time): Fri 30 only, then the weekend and
            // 端午 (31 May – 2 June), then Tue 3 June: 2 working days
            + application(
                1, "A-OPEN", "M-OPEN", "法人", "'2025-05-29 10:00:00'", "'2025-06-02T17:00:00Z'")
            + ","
            + application(
                2, "A-ESTATE", "M-ESTATE", "自然人", "'2025-06-09 09:00:00'", "'2025-06-13 16:00:00'")
            + ","
            + application(3, "A-BUILD", "M-BUILD", "法人", "'2025-06-20 09:00:00'", "NULL")
            + ","
            + application(
                4,
                "A-BACKWARDS",
                "M-FOOD",
                "法人",
                "'2025-06-20 09:00:00'",
                "'2025-06-19 09:00:00'"));
  }

  private static String licence(long id, String number, String holder, String expires, String s) {
    return "(%d, '%s', '食品经营许可证', 'M-FOOD', '%s', '江阴某某食品有限公司', DATE'2022-01-10', DATE'%s', '%s', 'p%d')"
        .formatted(id, number, holder, expires, s, id);
  }

  private static String application(
      long id, String number, String matter, String type, String accepted, String completed) {
    String code = type.equals("法人") ? USCC : "320281********123X";
    return ("(%d, '%s', '%s', '%s', '%s', '申请人%d', '窗口', TIMESTAMP %s, NULL, NULL,"
            + " %s, NULL, '%s', '{}', 'p%d')")
        .formatted(
            id,
            number,
            matter,
            type,
            code,
            id,
            accepted,
            completed.equals("NULL") ? "NULL" : "TIMESTAMP " + completed,
            completed.equals("NULL") ? "受理" : "办结",
            id);
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
  void buildsTheLibrariesAsOfTheDayAndARerunGivesTheSameRows() {
    ServiceLibrariesJob job = new ServiceLibrariesJob(spark, WorkingCalendar.load());
    ServiceLibrariesJob.Result result = job.run(AS_OF);

    assertThat(result.matter()).isEqualTo(new ServiceLibrariesJob.Counts("lib.matter", 5, 4, 1));
    assertThat(result.licence()).isEqualTo(new ServiceLibrariesJob.Counts("lib.license", 7, 6, 1));
    assertThat(result.handling())
        .isEqualTo(new ServiceLibrariesJob.Counts("lib.handling", 4, 3, 1));

    assertThat(rows("SELECT matter_code, name, promised_days FROM lib.matter ORDER BY 1"))
        .containsExactly(
            "M-BUILD|建筑工程施工许可|7", "M-ESTATE|不动产登记|4", "M-FOOD|食品经营许可|10", "M-OPEN|企业设立登记|1");
    assertThat(
            rows(
                "SELECT licence_number, issuing_department, holder_uscc_valid, status,"
                    + " expiring_within_30_days, status_on FROM lib.license ORDER BY 1"))
        .containsExactly(
            "L-BADCODE|市场监管局|false|valid|false|2025-06-30",
            "L-DAY30|市场监管局|true|valid|true|2025-06-30",
            "L-DAY31|市场监管局|true|valid|false|2025-06-30",
            "L-REVOKED|市场监管局|true|revoked|false|2025-06-30",
            "L-TODAY|市场监管局|true|valid|true|2025-06-30",
            "L-YESTERDAY|市场监管局|true|expired|false|2025-06-30");
    assertThat(
            rows(
                "SELECT application_number, applicant_uscc, promised_days, elapsed_working_days,"
                    + " on_time, indicator_2440, meets_2440 FROM lib.handling ORDER BY 1"))
        .containsExactly(
            "A-BUILD|" + USCC + "|7|null|null|施工许可|null",
            "A-ESTATE|null|4|4|true|不动产登记|true",
            "A-OPEN|" + USCC + "|1|2|false|企业开办|true");
    assertThat(
            rows(
                "SELECT job, record_key, reason FROM quality.rejected_record"
                    + " WHERE job LIKE 'lib.%' ORDER BY 1"))
        .containsExactly(
            "lib.handling|4|completed before accepted",
            "lib.license|7|unknown licence status",
            "lib.matter|5|duplicate matter code");
    assertThat(rows("SELECT lineage FROM lib.license WHERE licence_number = 'L-TODAY'"))
        .containsExactly("administrative_approval.public.licence#1@p1");

    List<String> before = everything();
    assertThat(job.run(AS_OF)).isEqualTo(result);
    assertThat(everything()).isEqualTo(before);
  }

  private static List<String> everything() {
    List<String> all = new java.util.ArrayList<>();
    for (String table : List.of("lib.matter", "lib.license", "lib.handling")) {
      all.addAll(rows("SELECT * EXCEPT (as_of) FROM " + table + " ORDER BY lineage"));
    }
    all.addAll(
        rows("SELECT * EXCEPT (run_at) FROM quality.rejected_record ORDER BY job, record_key"));
    return all;
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(ServiceLibrariesIT::line).toList();
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
