package cn.jiangyin.warehouse.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each role sees through the real Trino server and its file-based access rules, and what the
 * analyst views return, on hand-made library, ods, restricted and credit rows written with Spark
 * into a real JdbcCatalog. One server for the class.
 */
class TrinoAccessIT {
  private static final String DATABASE =
      "trino_access_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final PersonKeys KEYS = new PersonKeys("trino-access-it-secret-000000000");

  /** A natural person's ID number, in clear only in restricted.person_identity and one typo. */
  private static final String PERSON = idNumber("32028119850317123");

  private static final String PERSON_MASKED = PersonKeys.mask(PERSON);
  private static final String ENTERPRISE_A = uscc("1000000");
  private static final String ENTERPRISE_B = uscc("1000001");

  @TempDir static Path home;
  private static TrinoServer server;
  private static List<TrinoViews.Outcome> views;
  private static List<TrinoViews.Outcome> dashboardViews;

  @BeforeAll
  static void createLakeStartTrinoAndCreateViews() throws Exception {
    execute("CREATE DATABASE " + DATABASE);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                "catalog.user",
                "postgres",
                "lake.location",
                home.resolve("lake").toString()),
            variable -> "trust-authentication-ignores-it",
            home);
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    }
    SparkSession spark = SparkSessions.create(config, "trino-access-it");
    try {
      writeRows(spark);
    } finally {
      spark.stop();
    }
    server =
        TrinoServer.start(
            TrinoSettings.of(
                    config.catalogJdbcUrl(),
                    config.catalogUser(),
                    config.catalogPassword(),
                    config.lakeLocation(),
                    home.resolve("trino"))
                .withCatalogName(config.catalogName()));
    try (Connection admin = connect(TrinoAccess.ADMIN_USER)) {
      views = TrinoViews.create(admin, TrinoViews.definitions());
      // this lake has the grid libraries but not every table the other datasets read
      dashboardViews = TrinoViews.create(admin, TrinoViews.dashboardDefinitions());
    }
  }

  @AfterAll
  static void stopTrinoAndDropLake() throws SQLException {
    if (server != null) {
      server.stop();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void everyViewIsCreatedWithChineseComments() throws SQLException {
    assertThat(views)
        .allSatisfy(
            outcome -> assertThat(outcome.error()).as(outcome.definition().name()).isEmpty());
    assertThat(
            rows(
                "analyst",
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'analyst' ORDER BY 1"))
        .containsExactly(
            List.of("credit_score_by_grade"),
            List.of("credit_verdict"),
            List.of("data_quality"),
            List.of("enterprise_credit_profile"),
            List.of("enterprise_licence"),
            List.of("enterprise_profile"),
            List.of("grid_event_summary"),
            List.of("penalty_by_department_month"),
            List.of("service_2440"),
            List.of("service_timeliness"));
    assertThat(
            rows(
                "analyst",
                "SELECT comment FROM system.metadata.table_comments WHERE catalog_name = 'iceberg'"
                    + " AND schema_name = 'analyst' AND table_name = 'enterprise_profile'"))
        .singleElement()
        .satisfies(row -> assertThat((String) row.get(0)).startsWith("企业画像"));
    assertThat(
            rows(
                "analyst",
                "SELECT comment FROM information_schema.columns WHERE table_schema = 'analyst'"
                    + " AND table_name = 'service_timeliness' AND column_name = 'on_time_rate'"))
        .containsExactly(List.of("按时办结率（0–1）"));
  }

  @Test
  void analystSeesMaskedIdsAndNoRestrictedSchema() throws SQLException {
    assertThat(
            rows(
                "analyst",
                "SELECT legal_representative_masked_id FROM lib.enterprise WHERE uscc = '"
                    + ENTERPRISE_A
                    + "'"))
        .containsExactly(List.of(PERSON_MASKED));
    assertDenied("analyst", "SELECT * FROM restricted.person_identity");
    assertDenied("analyst", "SELECT count(*) FROM restricted.person_identity");
    assertThat(rows("analyst", "SHOW SCHEMAS")).doesNotContain(List.of("restricted"));
    // a clerk typed an ID number into free text: masked for the analyst, by the rules
    assertThat(rows("analyst", "SELECT description FROM ods.grid_center__grid_event"))
        .containsExactly(List.of("当事人 " + PERSON_MASKED + " 占道经营"));
    // natural persons' names in ods are masked, enterprises' names are not
    assertThat(
            rows(
                "analyst",
                "SELECT subject_name FROM ods.comprehensive_enforcement__penalty_decision"
                    + " ORDER BY decision_number"))
        .containsExactly(List.of("江阴甲贸易有限公司"), List.of("江阴乙有限公司"), List.of("张**"));
  }

  @Test
  void analystFindsTheClearIdNumberInNoTableItCanRead() throws SQLException {
    List<List<Object>> tables =
        rows(
            "analyst",
            "SELECT table_schema, table_name FROM information_schema.tables"
                + " WHERE table_schema <> 'information_schema'");
    assertThat(tables).contains(List.of("lib", "enterprise"), List.of("analyst", "data_quality"));
    for (List<Object> table : tables) {
      String name = table.get(0) + "." + table.get(1);
      for (List<Object> row : rows("analyst", "SELECT * FROM " + name)) {
        assertThat(row.toString()).as(name).doesNotContain(PERSON);
      }
    }
  }

  @Test
  void creditOfficeReadsTheRestrictedIdentityTable() throws SQLException {
    assertThat(
            rows("credit_office", "SELECT person_key, id_number FROM restricted.person_identity"))
        .containsExactly(List.of(KEYS.key(PERSON), PERSON));
    assertThat(rows("credit_office", "SELECT description FROM ods.grid_center__grid_event"))
        .containsExactly(List.of("当事人 " + PERSON + " 占道经营"));
  }

  @Test
  void exportReaderSeesOnlyTheExportSchema() throws SQLException {
    assertThat(rows("export_reader", "SELECT subject_id, status, grade FROM export.verdict"))
        .containsExactly(List.of(ENTERPRISE_B, "restricted", "D"));
    assertThat(rows("export_reader", "SHOW SCHEMAS")).containsExactly(List.of("export"));
    assertDenied("export_reader", "SELECT * FROM lib.enterprise");
    assertDenied("export_reader", "SELECT * FROM credit.verdict");
    assertDenied("export_reader", "SELECT * FROM analyst.enterprise_profile");
    assertDenied("export_reader", "SELECT * FROM restricted.person_identity");
  }

  @Test
  void dashboardSeesOnlyTheAnalystViewsAndTheDashboardDatasets() throws SQLException {
    assertThat(
            rows("dashboard", "SELECT uscc, licences FROM analyst.enterprise_profile ORDER BY 1"))
        .containsExactly(List.of(ENTERPRISE_A, 2L), List.of(ENTERPRISE_B, 0L));
    assertThat(dashboardViews)
        .filteredOn(outcome -> outcome.definition().view().equals("grid_events_by_grid"))
        .singleElement()
        .satisfies(outcome -> assertThat(outcome.error()).isEmpty());
    // the dataset view reads lib.grid_event and lib.grid, which the dashboard role cannot read
    assertThat(
            rows(
                "dashboard",
                "SELECT grid_name, event_type, sum(event_count), sum(closed_count),"
                    + " sum(hours_to_close_total) FROM dashboard.grid_events_by_grid"
                    + " GROUP BY 1, 2"))
        .containsExactly(List.of("澄江一网格", "占道经营", 2L, 1L, 4.5));
    assertThat(rows("dashboard", "SHOW SCHEMAS"))
        .containsExactlyInAnyOrder(List.of("analyst"), List.of("dashboard"));
    assertDenied("dashboard", "SELECT * FROM lib.grid_event");
    assertDenied("dashboard", "SELECT * FROM lib.enterprise");
    assertDenied("dashboard", "SELECT * FROM ods.comprehensive_enforcement__penalty_decision");
    assertDenied("dashboard", "SELECT * FROM export.verdict");
  }

  @Test
  void noRoleButTheAdminMayChangeViewsOrTables() {
    for (String user : List.of("analyst", "credit_office", "export_reader", "dashboard")) {
      assertDenied(user, "DROP VIEW analyst.enterprise_profile");
      assertDenied(user, "CREATE OR REPLACE VIEW analyst.enterprise_profile AS SELECT 1 AS uscc");
      assertDenied(user, "CREATE TABLE analyst.copied AS SELECT 1 AS x");
      assertDenied(user, "DELETE FROM lib.enterprise");
    }
  }

  @Test
  void aUserInNoRoleSeesNothing() {
    assertDenied("stranger", "SELECT * FROM lib.enterprise");
    assertDenied("stranger", "SELECT * FROM analyst.enterprise_profile");
  }

  @Test
  void enterpriseViewsHoldTheLibraries() throws SQLException {
    assertThat(
            rows(
                "analyst",
                "SELECT uscc, name, legal_representative_masked_id, licences, valid_licences,"
                    + " expired_licences, licences_expiring_within_30_days"
                    + " FROM analyst.enterprise_profile ORDER BY uscc"))
        .containsExactly(
            List.of(ENTERPRISE_A, "江阴甲贸易有限公司", PERSON_MASKED, 2L, 1L, 1L, 1L),
            Arrays.asList(ENTERPRISE_B, "江阴乙有限公司", null, 0L, 0L, 0L, 0L));
    assertThat(
            rows(
                "analyst",
                "SELECT uscc, enterprise_name, licence_number, licence_status"
                    + " FROM analyst.enterprise_licence ORDER BY licence_number"))
        .containsExactly(
            List.of(ENTERPRISE_A, "江阴甲贸易有限公司", "L-1", "valid"),
            List.of(ENTERPRISE_A, "江阴甲贸易有限公司", "L-2", "expired"),
            Arrays.asList("913202810000000000", null, "L-3", "valid"));
  }

  @Test
  void penaltiesAreCountedByDepartmentAndMonth() throws SQLException {
    assertThat(
            rows(
                "analyst",
                "SELECT department, recorded_by, CAST(decision_month AS varchar), penalties,"
                    + " subjects, penalties_on_persons, CAST(amount_total AS varchar)"
                    + " FROM analyst.penalty_by_department_month ORDER BY 1, 3"))
        .containsExactly(
            List.of("市场监管局", "综合执法局", "2026-01-01", 2L, 2L, 1L, "1500.00"),
            List.of("生态环境局", "生态环境局", "2026-01-01", 1L, 1L, 0L, "20000.00"),
            List.of("生态环境局", "生态环境局", "2026-02-01", 1L, 1L, 0L, "30000.00"),
            List.of("综合执法局", "综合执法局", "2026-02-01", 1L, 1L, 0L, "800.00"));
  }

  @Test
  void serviceTimelinessAnd2440AreRates() throws SQLException {
    assertThat(
            rows(
                "analyst",
                "SELECT department, matter_code, matter_name, CAST(completed_month AS varchar),"
                    + " completed, completed_on_time, on_time_rate"
                    + " FROM analyst.service_timeliness ORDER BY 2"))
        .containsExactly(
            List.of("市场监管局", "M-001", "企业开办", "2026-01-01", 2L, 1L, 0.5),
            List.of("住建局", "M-002", "施工许可", "2026-01-01", 1L, 1L, 1.0));
    assertThat(
            rows(
                "analyst",
                "SELECT indicator_2440, completed, meeting_2440, meeting_rate"
                    + " FROM analyst.service_2440 ORDER BY 1"))
        .containsExactly(List.of("企业开办", 2L, 1L, 0.5), List.of("施工许可", 1L, 1L, 1.0));
  }

  @Test
  void gridEventsAndDataQualityAreSummarised() throws SQLException {
    assertThat(
            rows(
                "analyst",
                "SELECT grid_code, grid_name, event_type, events, closed_events, open_events,"
                    + " average_hours_to_close FROM analyst.grid_event_summary"))
        .containsExactly(List.of("G-01", "澄江一网格", "占道经营", 2L, 1L, 1L, 4.5));
    // only the latest run of each check
    assertThat(
            rows(
                "analyst",
                "SELECT run_id, check_name, rows_failing, failing_rate, passed,"
                    + " sample_failing_keys FROM analyst.data_quality ORDER BY check_name"))
        .containsExactly(
            List.of("run-2", "enterprise_uscc_valid", 0L, 0.0, true, ""),
            List.of("run-2", "person_id_valid", 1L, 0.25, false, PERSON_MASKED));
  }

  @Test
  void creditViewsHoldTheLatestVerdictsScoresAndPublishedPenalties() throws SQLException {
    // only the latest as-of; a person's name masked, identified by person_key
    assertThat(
            rows(
                "analyst",
                "SELECT subject_id, subject_name, status, measure_count, measure_codes,"
                    + " CAST(as_of AS varchar) FROM analyst.credit_verdict ORDER BY subject_type"))
        .containsExactly(
            List.of(ENTERPRISE_B, "江阴乙有限公司", "restricted", 2L, "M01,M03", "2026-03-01"),
            List.of(KEYS.key(PERSON), "张**", "restricted", 1L, "M05", "2026-03-01"));
    assertThat(
            rows(
                "dashboard",
                "SELECT subject_type, grade, subjects, average_score, risk_class_d_subjects"
                    + " FROM analyst.credit_score_by_grade ORDER BY 1, 2"))
        .containsExactly(
            List.of("enterprise", "A", 1L, 85.0, 0L),
            List.of("enterprise", "D", 1L, 40.0, 1L),
            List.of("person", "C", 1L, 60.0, 0L));
    // a repaired and an expired penalty do not count; no verdict is clear
    assertThat(
            rows(
                "analyst",
                "SELECT uscc, verdict_status, grade, published_penalties, serious_penalties"
                    + " FROM analyst.enterprise_credit_profile ORDER BY uscc"))
        .containsExactly(
            Arrays.asList(ENTERPRISE_A, "clear", null, 0L, 0L),
            Arrays.asList(ENTERPRISE_B, "restricted", "D", 1L, 1L));
  }

  private static void assertDenied(String user, String sql) {
    assertThatThrownBy(() -> rows(user, sql))
        .as(user + ": " + sql)
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Access Denied");
  }

  private static Connection connect(String user) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), user, null);
  }

  private static List<List<Object>> rows(String user, String sql) throws SQLException {
    try (Connection connection = connect(user);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      ResultSetMetaData metadata = result.getMetaData();
      List<List<Object>> rows = new ArrayList<>();
      while (result.next()) {
        List<Object> row = new ArrayList<>();
        for (int column = 1; column <= metadata.getColumnCount(); column++) {
          row.add(result.getObject(column));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  private static void writeRows(SparkSession spark) {
    String asOf = "TIMESTAMP '2026-03-01 08:00:00+08:00'";
    spark.sql(
        "INSERT INTO lib.enterprise (uscc, name, entity_type, status, legal_representative_key,"
            + " legal_representative_masked_id, registered_capital, established_on, industry_code,"
            + " town_code, lineage, as_of) VALUES"
            + " ('"
            + ENTERPRISE_A
            + "', '江阴甲贸易有限公司', '企业', '存续', '"
            + KEYS.key(PERSON)
            + "', '"
            + PERSON_MASKED
            + "', 100.00, DATE '2019-05-20', 'F51', '320281100',"
            + " 'market_regulation.enterprise#1@0001', "
            + asOf
            + "),"
            + " ('"
            + ENTERPRISE_B
            + "', '江阴乙有限公司', '企业', '存续', NULL, NULL, 50.00,"
            + " DATE '2020-01-01', 'C13', '320281101', 'market_regulation.enterprise#2@0002', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO lib.license (licence_number, licence_type, matter_code, issuing_department,"
            + " holder_uscc, holder_uscc_valid, holder_name, issued_on, expires_on, source_status,"
            + " status, expiring_within_30_days, status_on, lineage, as_of) VALUES"
            + " ('L-1', '食品经营许可证', 'M-001', '市场监管局', '"
            + ENTERPRISE_A
            + "', true,"
            + " '江阴甲贸易有限公司', DATE '2024-01-01', DATE '2026-03-20', '有效', 'valid', true,"
            + " DATE '2026-03-01', 'l#1', "
            + asOf
            + "),"
            + " ('L-2', '排污许可证', 'M-003', '生态环境局', '"
            + ENTERPRISE_A
            + "', true,"
            + " '江阴甲贸易有限公司', DATE '2020-01-01', DATE '2025-01-01', '有效', 'expired', false,"
            + " DATE '2026-03-01', 'l#2', "
            + asOf
            + "),"
            // an invalid holder code never counts towards an enterprise
            + " ('L-3', '施工许可证', 'M-002', '住建局', '913202810000000000', false, '无效代码',"
            + " DATE '2025-06-01', DATE '2027-06-01', '有效', 'valid', false, DATE '2026-03-01',"
            + " 'l#3', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO lib.matter (matter_code, name, department, matter_type, promised_days,"
            + " online, no_visit, lineage, as_of) VALUES"
            + " ('M-001', '企业开办', '市场监管局', '行政许可', 2, true, true, 'm#1', "
            + asOf
            + "),"
            + " ('M-002', '施工许可', '住建局', '行政许可', 40, true, false, 'm#2', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO lib.handling (application_number, matter_code, matter_name, department,"
            + " applicant_type, applicant_uscc, channel, stage, accepted_at, completed_at,"
            + " promised_days, elapsed_working_days, on_time, indicator_2440, meets_2440, lineage,"
            + " as_of) VALUES"
            + " ('A-1', 'M-001', '企业开办', '市场监管局', '法人', '"
            + ENTERPRISE_A
            + "', '网上',"
            + " '办结', TIMESTAMP '2026-01-05 09:00:00+08:00', TIMESTAMP '2026-01-06 10:00:00+08:00',"
            + " 2, 1, true, '企业开办', true, 'h#1', "
            + asOf
            + "),"
            + " ('A-2', 'M-001', '企业开办', '市场监管局', '法人', '"
            + ENTERPRISE_B
            + "', '窗口',"
            + " '办结', TIMESTAMP '2026-01-05 09:00:00+08:00', TIMESTAMP '2026-01-12 10:00:00+08:00',"
            + " 2, 5, false, '企业开办', false, 'h#2', "
            + asOf
            + "),"
            + " ('A-3', 'M-002', '施工许可', '住建局', '法人', '"
            + ENTERPRISE_B
            + "', '窗口', '办结',"
            + " TIMESTAMP '2026-01-02 09:00:00+08:00', TIMESTAMP '2026-01-31 23:30:00+08:00',"
            + " 40, 20, true, '施工许可', true, 'h#3', "
            + asOf
            + "),"
            // not completed: counts nowhere
            + " ('A-4', 'M-001', '企业开办', '市场监管局', '法人', '"
            + ENTERPRISE_B
            + "', '网上',"
            + " '受理', TIMESTAMP '2026-02-27 09:00:00+08:00', NULL, 2, NULL, NULL, '企业开办', NULL,"
            + " 'h#4', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO lib.grid (grid_code, grid_name, grid_level, parent_code, town_code, lineage,"
            + " as_of) VALUES ('G-01', '澄江一网格', 2, 'G-0', '320281100', 'g#1', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO lib.grid_event (event_number, event_type, grid_code, subject_uscc, status,"
            + " gathered_at, dispatched_at, closed_at, hours_to_close, lineage, as_of) VALUES"
            + " ('E-1', '占道经营', 'G-01', '"
            + ENTERPRISE_A
            + "', '已办结',"
            + " TIMESTAMP '2026-01-10 08:00:00+08:00', NULL,"
            + " TIMESTAMP '2026-01-10 12:30:00+08:00', 4.5, 'e#1', "
            + asOf
            + "),"
            + " ('E-2', '占道经营', 'G-01', NULL, '处置中', TIMESTAMP '2026-01-20 08:00:00+08:00',"
            + " NULL, NULL, NULL, 'e#2', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO dq.results (run_id, run_at, table_name, check_name, kind, blocking,"
            + " rows_checked, rows_failing, sample_failing_keys, passed, defined_in) VALUES"
            + " ('run-1', TIMESTAMP '2026-02-01 08:00:00+08:00', 'lib.person', 'person_id_valid',"
            + " 'valid_code', false, 4, 2, 'x', false, 'checks.yaml:1'),"
            + " ('run-2', TIMESTAMP '2026-02-02 08:00:00+08:00', 'lib.person', 'person_id_valid',"
            + " 'valid_code', false, 4, 1, '"
            + PERSON_MASKED
            + "', false, 'checks.yaml:1'),"
            + " ('run-2', TIMESTAMP '2026-02-02 08:00:00+08:00', 'lib.enterprise',"
            + " 'enterprise_uscc_valid', 'valid_code', true, 2, 0, '', true, 'checks.yaml:5')");
    spark.sql(
        "INSERT INTO restricted.person_identity VALUES ('"
            + KEYS.key(PERSON)
            + "', '"
            + PERSON
            + "', 'market_regulation.enterprise', "
            + asOf
            + ")");
    writeCreditRows(spark, asOf);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS ods");
    spark.sql(
        "CREATE TABLE ods.comprehensive_enforcement__penalty_decision (id BIGINT,"
            + " _position STRING, decision_number STRING, subject_type STRING, subject_code STRING,"
            + " subject_code_key STRING, subject_name STRING, severity STRING, penalty_kind STRING,"
            + " amount DECIMAL(18,2), legal_basis STRING, decision_on DATE,"
            + " origin_department STRING, published_at TIMESTAMP) USING iceberg");
    spark.sql(
        "INSERT INTO ods.comprehensive_enforcement__penalty_decision VALUES"
            + " (1, '01', 'P-1', '法人', '"
            + ENTERPRISE_A
            + "', NULL, '江阴甲贸易有限公司', '一般',"
            + " '罚款', 1000.00, '条例', DATE '2026-01-03', '市场监管局', NULL),"
            + " (2, '02', 'P-2', '法人', '"
            + ENTERPRISE_B
            + "', NULL, '江阴乙有限公司', '一般',"
            + " '罚款', 800.00, '条例', DATE '2026-02-03', NULL, NULL),"
            + " (3, '03', 'P-3', '自然人', '"
            + PERSON_MASKED
            + "', '"
            + KEYS.key(PERSON)
            + "',"
            + " '张三', '一般', '罚款', 500.00, '条例', DATE '2026-01-20', '市场监管局', NULL)");
    spark.sql(
        "CREATE TABLE ods.ecology_environment__environmental_penalty (id BIGINT,"
            + " _position STRING, decision_number STRING, subject_code STRING,"
            + " subject_code_key STRING, subject_name STRING, violation STRING,"
            + " amount DECIMAL(18,2), decided_on DATE, rectified BOOLEAN) USING iceberg");
    spark.sql(
        "INSERT INTO ods.ecology_environment__environmental_penalty VALUES"
            + " (1, '01', 'H-1', '"
            + ENTERPRISE_A
            + "', NULL, '江阴甲贸易有限公司', '超标排放',"
            + " 20000.00, DATE '2026-01-08', true),"
            + " (2, '02', 'H-2', '"
            + ENTERPRISE_A
            + "', NULL, '江阴甲贸易有限公司', '超标排放',"
            + " 30000.00, DATE '2026-02-08', false)");
    spark.sql(
        "CREATE TABLE ods.grid_center__grid_event (id BIGINT, _position STRING,"
            + " event_number STRING, description STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.grid_center__grid_event VALUES (1, '01', 'E-1', '当事人 "
            + PERSON
            + " 占道经营')");
  }

  private static void writeCreditRows(SparkSession spark, String asOf) {
    String measuresB =
        "[{\"code\":\"M01\",\"name\":\"限制参加政府采购活动\",\"legal_basis\":\"x\","
            + "\"department\":\"市财政局\",\"matter_types\":[\"政府采购\"]},"
            + "{\"code\":\"M03\",\"name\":\"重点监管\",\"legal_basis\":\"x\","
            + "\"department\":\"市市场监管局\",\"matter_types\":[\"双随机抽查\"]}]";
    String measuresPerson =
        "[{\"code\":\"M05\",\"name\":\"不得担任法定代表人\",\"legal_basis\":\"x\","
            + "\"department\":\"市市场监管局\",\"matter_types\":[\"企业设立登记\"]}]";
    spark.sql(
        "INSERT INTO credit.verdict (subject_id, subject_type, subject_name, status, grade,"
            + " measures, reasons, rule_version, valid_from, valid_to, as_of, input_snapshots,"
            + " computed_at) VALUES"
            + " ('"
            + ENTERPRISE_A
            + "', 'enterprise', '江阴甲贸易有限公司', 'warn', 'C', '[]', '[]', 'v1',"
            + " DATE '2026-02-01', NULL, DATE '2026-02-01', '{}', "
            + asOf
            + "), ('"
            + ENTERPRISE_B
            + "', 'enterprise', '江阴乙有限公司', 'restricted', 'D', '"
            + measuresB
            + "', '[]', 'v1', DATE '2026-03-01', NULL, DATE '2026-03-01', '{}', "
            + asOf
            + "), ('"
            + KEYS.key(PERSON)
            + "', 'person', '张三', 'restricted', NULL, '"
            + measuresPerson
            + "', '[]', 'v1', DATE '2026-03-01', NULL, DATE '2026-03-01', '{}', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO credit.score (subject_id, subject_type, subject_name, score, grade, grade_name,"
            + " risk_class, reasons, rule_version, as_of, input_snapshots, computed_at) VALUES"
            + " ('"
            + ENTERPRISE_A
            + "', 'enterprise', NULL, 70, 'B', '良好', 'B', '[]', 'v1', DATE '2026-02-01', '{}', "
            + asOf
            + "), ('"
            + ENTERPRISE_A
            + "', 'enterprise', NULL, 85, 'A', '优秀', 'A', '[]', 'v1', DATE '2026-03-01', '{}', "
            + asOf
            + "), ('"
            + ENTERPRISE_B
            + "', 'enterprise', NULL, 40, 'D', '较差', 'D', '[]', 'v1', DATE '2026-03-01', '{}', "
            + asOf
            + "), ('"
            + KEYS.key(PERSON)
            + "', 'person', NULL, 60, 'C', '一般', 'C', '[]', 'v1', DATE '2026-03-01', '{}', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO export.verdict VALUES ('enterprise', '"
            + ENTERPRISE_B
            + "', '江阴乙有限公司', 'restricted', 'D', '"
            + measuresB
            + "', '[]', 'v1', DATE '2026-03-01', NULL, DATE '2026-03-01', '{}', 'pub-1', "
            + asOf
            + ")");
    StringBuilder facts = new StringBuilder();
    String[][] penalties = {
      {"f-open", "none", "DATE '2099-01-01'"},
      {"f-repaired", "repaired", "DATE '2099-01-01'"},
      {"f-expired", "none", "DATE '2020-01-01'"}
    };
    for (String[] penalty : penalties) {
      facts.append(facts.isEmpty() ? "" : ", ");
      facts
          .append("('")
          .append(penalty[0])
          .append("', 'administrative_penalty', '行政处罚', 'negative', 'enterprise', '")
          .append(ENTERPRISE_B)
          .append("', 'uscc', 1.0, '严重', 1000.00, '综合执法局', DATE '2019-01-01', true,")
          .append(" DATE '2019-01-01', ")
          .append(penalty[2])
          .append(", '")
          .append(penalty[1])
          .append("', 's', 's.t', '")
          .append(penalty[0])
          .append("', '01', ")
          .append(asOf)
          .append(")");
    }
    spark.sql(
        "INSERT INTO credit.fact (fact_id, category, category_name, polarity, subject_type,"
            + " subject_id, match_method, match_confidence, severity, amount, department,"
            + " decided_on, published, publish_from, publish_until, repair_status, source,"
            + " source_table, source_key, source_position, as_of) VALUES "
            + facts);
  }

  private static String idNumber(String first17) {
    return first17 + ResidentIdNumber.checkCharacter(first17);
  }

  private static String uscc(String organizationPrefix) {
    String first8 = "M" + organizationPrefix;
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
    Objects.requireNonNull(sql);
  }
}
