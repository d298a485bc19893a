package cn.jiangyin.warehouse.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.catalogue.ResourceCatalogue;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality checks and the resource catalogue on a real lake (JdbcCatalog on PostgreSQL, one
 * Spark session), with hand-made tables whose outcome is known in advance.
 */
class QualityAndCatalogueIT {
  private static final String DATABASE =
      "quality_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String A = uscc("00000001");
  private static final String B = uscc("00000002");
  private static final String C = uscc("00000003");
  private static final String INVALID = B.substring(0, 17) + (B.endsWith("0") ? "1" : "0");

  @TempDir static Path home;
  private static JdbcCatalog catalog;
  private static SparkSession spark;

  @BeforeAll
  static void createLake() throws SQLException {
    execute("CREATE DATABASE " + DATABASE);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                "catalog.user",
                "postgres",
                "lake.location",
                home.resolve("lake").toString(),
                "spark.master",
                "local[2]"),
            variable -> "trust-authentication-0000",
            home);
    catalog = CatalogFactory.open(config);
    new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    spark = SparkSessions.create(config, "quality-and-catalogue-it");
    spark.sql(
        "INSERT INTO lib.enterprise (uscc, name, lineage, as_of) VALUES "
            + enterprise(A, "'甲公司'")
            + ", "
            + enterprise(A, "'甲公司（重复）'")
            + ", "
            + enterprise(B, "NULL"));
    spark.sql("CREATE NAMESPACE IF NOT EXISTS ods");
    spark.sql(
        "CREATE TABLE ods.market_regulation__enterprise"
            + " (id BIGINT, uscc STRING, name STRING, _source_ts TIMESTAMP) USING iceberg");
    spark.sql(
        "INSERT INTO ods.market_regulation__enterprise VALUES"
            + " (1, '"
            + A
            + "', '甲', current_timestamp()),"
            + " (2, '"
            + B
            + "', '乙', current_timestamp()),"
            + " (3, '"
            + INVALID
            + "', '丙', current_timestamp()),"
            + " (4, '"
            + C
            + "', '丁', current_timestamp()),"
            + " (5, NULL, '戊', current_timestamp() - INTERVAL 3 DAYS)");
  }

  @AfterAll
  static void dropLake() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    if (catalog != null) {
      catalog.close();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void countsFailingRowsExactlyAndKeepsSamplesInResults() {
    QualityChecks checks =
        checks(
            """
            tables:
              - table: lib.enterprise
                key: [uscc]
                checks:
                  - {name: uscc_valid, kind: valid_code, column: uscc, code: uscc, blocking: true}
                  - {name: name_present, kind: not_null, columns: [name], blocking: false}
                  - {name: uscc_unique, kind: unique, columns: [uscc], blocking: false}
              - table: ods.market_regulation__enterprise
                key: [id]
                checks:
                  - {name: uscc_valid, kind: valid_code, column: uscc, code: uscc, blocking: false}
                  - {name: in_library, kind: reference, column: uscc, references: lib.enterprise.uscc, blocking: false}
                  - {name: fresh, kind: freshness, column: _source_ts, max-age-hours: 24, blocking: false}
            """);
    QualityJob.Result result = new QualityJob(spark).run(checks);
    assertThat(result.results()).hasSize(6);

    Map<String, String> rows =
        spark
            .sql(
                "SELECT table_name, check_name, kind, blocking, rows_checked, rows_failing,"
                    + " sample_failing_keys, passed FROM dq.results WHERE run_id = '"
                    + result.runId()
                    + "'")
            .collectAsList()
            .stream()
            .collect(
                Collectors.toMap(
                    row -> row.getString(0) + " " + row.getString(1),
                    row ->
                        row.getString(2)
                            + " blocking="
                            + row.getBoolean(3)
                            + " "
                            + row.getLong(5)
                            + "/"
                            + row.getLong(4)
                            + " ["
                            + row.getString(6)
                            + "] passed="
                            + row.getBoolean(7)));
    assertThat(rows)
        .containsEntry(
            "lib.enterprise uscc_valid", "valid_code blocking=true 0/3 [null] passed=true")
        .containsEntry(
            "lib.enterprise name_present", "not_null blocking=false 1/3 [" + B + "] passed=false")
        .containsEntry(
            "lib.enterprise uscc_unique", "unique blocking=false 1/3 [" + A + "] passed=false")
        .containsEntry(
            "ods.market_regulation__enterprise uscc_valid",
            "valid_code blocking=false 1/4 [3] passed=false")
        .containsEntry(
            "ods.market_regulation__enterprise in_library",
            "reference blocking=false 2/4 [3, 4] passed=false")
        .hasSize(6);
    assertThat(rows.get("ods.market_regulation__enterprise fresh"))
        .startsWith("freshness blocking=false 1/5 [newest _source_ts = ")
        .endsWith("passed=true");
  }

  @Test
  void aBlockingFailureThrowsAfterTheResultsAreWritten() {
    QualityChecks checks =
        checks(
            """
            tables:
              - table: lib.enterprise
                key: [uscc]
                checks:
                  - {name: uscc_unique_blocking, kind: unique, columns: [uscc], blocking: true}
                  - {name: name_soft, kind: not_null, columns: [name], blocking: false}
            """);
    assertThatThrownBy(() -> new QualityJob(spark).run(checks))
        .isInstanceOf(QualityCheckFailedException.class)
        .hasMessageContaining("lib.enterprise uscc_unique_blocking (unique): 1 of 3 rows failing")
        .hasMessageNotContaining("name_soft");
    List<Row> written =
        spark
            .sql(
                "SELECT rows_failing, passed FROM dq.results"
                    + " WHERE check_name IN ('uscc_unique_blocking', 'name_soft')")
            .collectAsList();
    assertThat(written).hasSize(2).allSatisfy(row -> assertThat(row.getLong(0)).isEqualTo(1L));
  }

  /**
   * Bug caught: a check of an unchanged table computed again (its cost every build), or the last
   * result reused after its table or the table it references changed, or for a freshness check.
   */
  @Test
  void aCheckWhoseTablesAreUnchangedTakesItsLastResultAndAChangedTableIsCheckedAgain() {
    QualityChecks checks =
        checks(
            """
            tables:
              - table: lib.enterprise
                key: [uscc]
                checks:
                  - {name: name_present_reuse, kind: not_null, columns: [name], blocking: false}
              - table: ods.market_regulation__enterprise
                key: [id]
                checks:
                  - {name: uscc_valid_reuse, kind: valid_code, column: uscc, code: uscc, blocking: false}
                  - {name: in_library_reuse, kind: reference, column: uscc, references: lib.enterprise.uscc, blocking: false}
                  - {name: fresh_reuse, kind: freshness, column: _source_ts, max-age-hours: 24, blocking: false}
            """);
    QualityJob.Result first = new QualityJob(spark).run(checks);
    assertThat(first.results()).noneMatch(QualityJob.CheckResult::reused);
    QualityJob.Result second = new QualityJob(spark).run(checks);
    assertThat(second.results().stream().map(r -> r.check().name() + " " + r.reused()))
        .containsExactly(
            "name_present_reuse true",
            "uscc_valid_reuse true",
            "in_library_reuse true",
            "fresh_reuse false");
    for (int i = 0; i < first.results().size(); i++) {
      QualityJob.CheckResult before = first.results().get(i);
      QualityJob.CheckResult after = second.results().get(i);
      assertThat(List.of(after.rowsChecked(), after.rowsFailing(), after.passed(), after.samples()))
          .as(after.check().name())
          .isEqualTo(
              List.of(
                  before.rowsChecked(), before.rowsFailing(), before.passed(), before.samples()));
    }
    // the second run's results are in dq.results as a run of their own
    assertThat(
            spark
                .sql(
                    "SELECT count(*) FROM dq.results WHERE run_id = '"
                        + second.runId()
                        + "' AND inputs IS NOT NULL")
                .first()
                .getLong(0))
        .isEqualTo(3L);

    // lib.enterprise gets a new snapshot (same rows): its check and the reference to it run again
    spark.sql("UPDATE lib.enterprise SET name = name WHERE uscc = '" + A + "'");
    QualityJob.Result third = new QualityJob(spark).run(checks);
    assertThat(third.results().stream().map(r -> r.check().name() + " " + r.reused()))
        .containsExactly(
            "name_present_reuse false",
            "uscc_valid_reuse true",
            "in_library_reuse false",
            "fresh_reuse false");
    assertThat(third.results().get(0).rowsFailing()).isEqualTo(1L);
    assertThat(third.results().get(2).rowsFailing()).isEqualTo(2L);
  }

  @Test
  void theShippedChecksStopOnTheLibraryAndOnlyCountTheSourcesInvalidCodes() {
    assertThatThrownBy(() -> new QualityJob(spark).run(QualityChecks.load()))
        .isInstanceOf(QualityCheckFailedException.class)
        .hasMessageContaining("lib.enterprise name_present (not_null): 1 of 3 rows failing")
        .hasMessageContaining("lib.enterprise uscc_unique (unique): 1 of 3 rows failing")
        .hasMessageNotContaining("uscc_valid");
    Row source =
        spark
            .sql(
                "SELECT rows_checked, rows_failing, passed, blocking FROM dq.results"
                    + " WHERE defined_in LIKE 'quality/checks.yaml:%'"
                    + " AND table_name = 'ods.market_regulation__enterprise'")
            .first();
    assertThat(source.getLong(0)).isEqualTo(4L);
    assertThat(source.getLong(1)).isEqualTo(1L);
    assertThat(source.getBoolean(2)).isFalse();
    assertThat(source.getBoolean(3)).isFalse();
  }

  @Test
  void theCatalogueListsEveryDeclaredTableWithItsRowCountAndChineseDocs() throws Exception {
    TableRegistry registry = TableRegistry.load();
    Path folder = home.resolve("catalogue");
    ResourceCatalogue catalogue = new ResourceCatalogue(spark, catalog);
    catalogue.publish(registry, folder);
    ResourceCatalogue.Result result = catalogue.publish(registry, folder);

    int declared = registry.tables().size();
    assertThat(result.resources()).hasSize(declared);
    assertThat(spark.table(ResourceCatalogue.RESOURCES).count()).isEqualTo(declared);
    long columns = registry.tables().stream().mapToLong(table -> table.columns().size()).sum();
    assertThat(spark.table(ResourceCatalogue.COLUMNS).count()).isEqualTo(columns);
    Row enterprise =
        spark
            .sql(
                "SELECT row_count, description, owner_department, sharing_class, in_lake,"
                    + " last_commit_at IS NOT NULL FROM catalogue.resource"
                    + " WHERE resource_name = 'lib.enterprise'")
            .first();
    assertThat(enterprise.getLong(0)).isEqualTo(3L);
    assertThat(enterprise.getString(1)).startsWith("企业库");
    assertThat(enterprise.getString(2)).isEqualTo("市场监管局");
    assertThat(enterprise.getString(3)).isEqualTo("有条件");
    assertThat(enterprise.getBoolean(4)).isTrue();
    assertThat(enterprise.getBoolean(5)).isTrue();
    for (Row row :
        spark.sql("SELECT resource_name, row_count FROM catalogue.resource").collectAsList()) {
      if (!row.getString(0).startsWith("catalogue.")) {
        assertThat(row.getLong(1))
            .as(row.getString(0))
            .isEqualTo(spark.table(row.getString(0)).count());
      }
    }
    assertThat(
            spark
                .sql(
                    "SELECT description FROM catalogue.resource_column"
                        + " WHERE resource_name = 'lib.enterprise' AND column_name = 'uscc'")
                .first()
                .getString(0))
        .startsWith("统一社会信用代码");

    String document = Files.readString(result.document(), StandardCharsets.UTF_8);
    assertThat(document)
        .contains("# 江阴市政务数据资源目录", "## 目录总览", "### lib.enterprise", "资源提供方：市场监管局")
        .contains("统一社会信用代码（GB 32100-2015，已校验）", "- 记录数：3");
    for (var table : registry.tables()) {
      assertThat(document).contains("### " + table.qualifiedName(), table.doc());
    }
  }

  private static QualityChecks checks(String text) {
    return QualityChecks.of(YamlDocument.parse("checks.yaml", text), TableRegistry.load());
  }

  private static String enterprise(String uscc, String name) {
    return "('" + uscc + "', " + name + ", 'test#1', current_timestamp())";
  }

  /** A valid USCC around a valid organisation code (GB 11714) made of {@code first8}. */
  private static String uscc(String first8) {
    String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
