package cn.jiangyin.warehouse.enterprise;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.RegistrationNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * 企业库 on hand-made ods rows whose outcome is known in advance, in a real JdbcCatalog on PostgreSQL:
 * references by USCC, 注册号, 组织机构代码 with and without hyphen, exact and variant names; an ambiguous
 * normalised name left unmatched; attributes from their declared sources; a re-run that commits
 * nothing; deleted source rows gone downstream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnterpriseLibraryIT {
  private static final String DATABASE =
      "enterprise_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);

  private static final String A = uscc("1000010");
  private static final String B = uscc("1000011");
  private static final String C = uscc("1000012");
  private static final String D = uscc("1000013");
  private static final String A_REGISTRATION = registrationNumber("32028100012345");
  private static final String A_NAME = "江阴市澄江（华士）精密机械有限公司";
  private static final String A_ORGANIZATION = A.substring(8, 17);

  /** B and C normalise to the same name: a name alone cannot tell them apart. */
  private static final String B_NAME = "江阴乙机械有限公司";

  private static final String C_NAME = "江阴乙机械有限责任公司";

  /** A code with a wrong check character. */
  private static final String SPOILED = A.substring(0, 17) + (A.charAt(17) == '0' ? '1' : '0');

  @TempDir static Path home;
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
            variable -> "trust-authentication-ignores-it",
            home);
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    spark = SparkSessions.create(config, "enterprise-library-it");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS ods");
    createOds();
  }

  @AfterAll
  static void dropLake() throws SQLException {
    if (spark != null) {
      spark.stop();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  @Order(1)
  void referencesResolveByCodeOrUniqueNameAndAttributesComeFromTheirSources() {
    EnterpriseLibraryJob.Result result = new EnterpriseLibraryJob(spark).run();
    // 6 register records: A, B, C, D valid; one invalid code; one older record of D
    assertThat(result.read()).isEqualTo(6);
    assertThat(result.accepted()).isEqualTo(4);
    assertThat(result.rejected()).isEqualTo(2);
    assertThat(rows("SELECT record_key, reason FROM quality.rejected_record"))
        .containsExactlyInAnyOrder("[5, invalid USCC]", "[6, duplicate USCC]");

    assertThat(
            rows(
                "SELECT source_table, source_key, uscc, match_method, match_confidence"
                    + " FROM lib.enterprise_reference"))
        .containsExactlyInAnyOrder(
            // 2023 grade under the organisation code with hyphen, 2024 under a spoiled code and
            // a variant name; a third under the organisation code without hyphen
            "[tax_credit_grade, 1, " + A + ", organization_code, 0.95]",
            "[tax_credit_grade, 2, " + A + ", name_normalised, 0.8]",
            "[tax_credit_grade, 3, " + D + ", organization_code, 0.95]",
            // B's exact name still normalises like C's: unmatched, not guessed
            "[tax_credit_grade, 4, null, unmatched, 0.0]",
            "[penalty_decision, 1, " + A + ", registration_number, 0.98]",
            "[penalty_decision, 2, " + B + ", uscc, 1.0]",
            "[annual_report, 1, " + A + ", uscc, 1.0]",
            "[annual_report, 2, " + A + ", uscc, 1.0]",
            "[annual_report, 3, " + A + ", uscc, 1.0]",
            "[abnormal_list, 1, " + A + ", name_exact, 0.9]",
            // a grid event naming A; the event naming no subject is no reference
            "[grid_event, 1, " + A + ", uscc, 1.0]");
    // a person's penalty is no enterprise reference
    assertThat(
            rows(
                "SELECT count(*) FROM lib.enterprise_reference WHERE source_table ="
                    + " 'penalty_decision' AND source_key = '3'"))
        .containsExactly("[0]");
    assertThat(result.references()).isEqualTo(11);
    assertThat(result.unmatchedReferences()).isEqualTo(1);

    // A: registration from the register, grade from the newest assessment (filed under a
    // variant name), employees from the newest *filed* annual report
    assertThat(
            rows(
                "SELECT uscc, name, status, registration_number, organization_code,"
                    + " industry_code, industry_section, registered_capital, tax_credit_grade,"
                    + " tax_credit_year, employee_count, employee_count_year,"
                    + " legal_representative_masked_id FROM lib.enterprise WHERE uscc = '"
                    + A
                    + "'"))
        .containsExactly(
            Arrays.asList(
                    A,
                    A_NAME,
                    "存续",
                    A_REGISTRATION,
                    A_ORGANIZATION,
                    "C3421",
                    "C",
                    new java.math.BigDecimal("500.00"),
                    "A",
                    2024,
                    37,
                    2023,
                    "320281********123X")
                .toString());
    assertThat(
            rows(
                "SELECT attribute, value, source, source_table, source_key, source_position,"
                    + " choice FROM lib.enterprise_attribute WHERE uscc = '"
                    + A
                    + "' AND attribute IN ('tax_credit_grade', 'employee_count', 'status',"
                    + " 'organization_code')"))
        .containsExactlyInAnyOrder(
            "[tax_credit_grade, A, taxation, tax_credit_grade, 2, 0102, latest]",
            "[employee_count, 37, market_regulation, annual_report, 2, 0202, latest]",
            "[status, 存续, market_regulation, enterprise, 1, 0001, register]",
            "[organization_code, "
                + A_ORGANIZATION
                + ", market_regulation, enterprise, 1, 0001, derived]");
    // D: the newer of its two register records wins
    assertThat(rows("SELECT status, lineage FROM lib.enterprise WHERE uscc = '" + D + "'"))
        .containsExactly("[注销, market_regulation.public.enterprise#4@0004]");
  }

  @Test
  @Order(2)
  void aRerunCommitsNothing() {
    List<String> tables =
        List.of(
            EnterpriseLibraryJob.LIBRARY,
            EnterpriseLibraryJob.ATTRIBUTES,
            EnterpriseLibraryJob.REFERENCES);
    Map<String, List<String>> before = contents(tables);
    Map<String, Object> snapshots = snapshots(tables);

    EnterpriseLibraryJob.Result again = new EnterpriseLibraryJob(spark).run();

    assertThat(again.changedRows()).isZero();
    assertThat(contents(tables)).isEqualTo(before);
    assertThat(snapshots(tables)).isEqualTo(snapshots);
  }

  @Test
  @Order(3)
  void gridCodesComeFromTheGridLibrary() {
    spark.sql(
        "INSERT INTO lib.enterprise_grid VALUES ('"
            + A
            + "', '32028110001001', '网格事件',"
            + " current_timestamp())");
    assertThat(new EnterpriseLibraryJob(spark).refreshLibraryAttributes()).isEqualTo(2);
    assertThat(rows("SELECT grid_code FROM lib.enterprise WHERE uscc = '" + A + "'"))
        .containsExactly("[32028110001001]");
    assertThat(
            rows(
                "SELECT source, source_table, source_key, choice FROM lib.enterprise_attribute"
                    + " WHERE attribute = 'grid_code'"))
        .containsExactly("[grid_center, lib.enterprise_grid, " + A + ", library]");
    // a full run keeps it
    assertThat(new EnterpriseLibraryJob(spark).run().changedRows()).isZero();
    // the grid row gone: the attribute goes and the enterprise's row loses its grid code, the
    // only row refreshed
    spark.sql("DELETE FROM lib.enterprise_grid WHERE uscc = '" + A + "'");
    assertThat(new EnterpriseLibraryJob(spark).refreshLibraryAttributes()).isEqualTo(2);
    assertThat(rows("SELECT grid_code FROM lib.enterprise WHERE uscc = '" + A + "'"))
        .containsExactly("[null]");
    assertThat(new EnterpriseLibraryJob(spark).refreshLibraryAttributes()).isZero();
    spark.sql(
        "INSERT INTO lib.enterprise_grid VALUES ('"
            + A
            + "', '32028110001001', '网格事件',"
            + " current_timestamp())");
    assertThat(new EnterpriseLibraryJob(spark).refreshLibraryAttributes()).isEqualTo(2);
  }

  @Test
  @Order(4)
  void deletedSourceRowsDisappearDownstream() {
    // the 2024 grade and enterprise B are deleted at their sources
    spark.sql("DELETE FROM ods.taxation__tax_credit_grade WHERE id = 2");
    spark.sql("DELETE FROM ods.market_regulation__enterprise WHERE id = 2");

    EnterpriseLibraryJob.Result result = new EnterpriseLibraryJob(spark).run();

    assertThat(result.accepted()).isEqualTo(3);
    assertThat(rows("SELECT count(*) FROM lib.enterprise WHERE uscc = '" + B + "'"))
        .containsExactly("[0]");
    assertThat(rows("SELECT count(*) FROM lib.enterprise_attribute WHERE uscc = '" + B + "'"))
        .containsExactly("[0]");
    assertThat(
            rows(
                "SELECT count(*) FROM lib.enterprise_reference WHERE source_table ="
                    + " 'tax_credit_grade' AND source_key = '2'"))
        .containsExactly("[0]");
    // the grade falls back to the 2023 assessment, filed under the organisation code
    assertThat(
            rows(
                "SELECT value, source_key FROM lib.enterprise_attribute WHERE uscc = '"
                    + A
                    + "' AND attribute = 'tax_credit_grade'"))
        .containsExactly("[B, 1]");
    assertThat(
            rows(
                "SELECT tax_credit_grade, tax_credit_year FROM lib.enterprise WHERE uscc = '"
                    + A
                    + "'"))
        .containsExactly("[B, 2023]");
    // B's penalty names B by its valid USCC: with B gone it finds no enterprise, and is not guessed
    // from the name. With B gone C's name is unique: the reference without a code that B's name
    // made ambiguous now resolves to C
    assertThat(
            rows(
                "SELECT source_table, source_key, uscc, match_method FROM lib.enterprise_reference"
                    + " WHERE (source_table = 'penalty_decision' AND source_key = '2')"
                    + " OR (source_table = 'tax_credit_grade' AND source_key = '4')"))
        .containsExactlyInAnyOrder(
            "[penalty_decision, 2, null, unmatched]",
            "[tax_credit_grade, 4, " + C + ", name_normalised]");
  }

  private static void createOds() {
    spark.sql(
        "CREATE TABLE ods.market_regulation__enterprise (id BIGINT, _position STRING, uscc STRING,"
            + " registration_number STRING, name STRING, entity_type STRING,"
            + " legal_representative STRING, legal_representative_id STRING,"
            + " legal_representative_id_key STRING, registered_capital DECIMAL(18,2),"
            + " established_on DATE, status STRING, industry_code STRING, address STRING,"
            + " town_code STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.market_regulation__enterprise VALUES"
            + enterprise(1, "0001", A, A_REGISTRATION, A_NAME, "存续")
            + ","
            + enterprise(2, "0002", B, null, B_NAME, "存续")
            + ","
            + enterprise(3, "0003", C, null, C_NAME, "存续")
            + ","
            + enterprise(4, "0004", D, null, "江阴丁贸易有限公司", "注销")
            + ","
            + enterprise(5, "0005", SPOILED, null, "江阴戊有限公司", "存续")
            + ","
            + enterprise(6, "0000", D, null, "江阴丁贸易有限公司", "存续"));
    spark.sql(
        "CREATE TABLE ods.taxation__tax_credit_grade (id BIGINT, _position STRING,"
            + " taxpayer_code STRING, taxpayer_name STRING, assessment_year INT, grade STRING,"
            + " score INT, assessed_on DATE) USING iceberg");
    String orgWithHyphen = A_ORGANIZATION.substring(0, 8) + "-" + A_ORGANIZATION.charAt(8);
    spark.sql(
        "INSERT INTO ods.taxation__tax_credit_grade VALUES"
            + " (1, '0101', '"
            + orgWithHyphen
            + "', '江阴市澄江（华士）精密机械有限公司', 2023, 'B', 80, DATE '2024-04-10'),"
            + " (2, '0102', '"
            + SPOILED
            + "', '江阴市澄江(华士)精密机械 有限责任公司', 2024, 'A', 95, DATE '2025-04-10'),"
            + " (3, '0103', '"
            + D.substring(8, 17)
            + "', '江阴丁贸易', 2024, 'M', 75, DATE '2025-04-11'),"
            + " (4, '0104', NULL, '"
            + B_NAME
            + "', 2024, 'C', 50, DATE '2025-04-12')");
    spark.sql(
        "CREATE TABLE ods.comprehensive_enforcement__penalty_decision (id BIGINT,"
            + " _position STRING, decision_number STRING, subject_type STRING,"
            + " subject_code STRING, subject_name STRING, severity STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.comprehensive_enforcement__penalty_decision VALUES"
            + " (1, '0301', 'P1', '法人', '"
            + A_REGISTRATION
            + "', '江阴市澄江（华士）精密机械', '一般'),"
            + " (2, '0302', 'P2', '法人', '"
            + B
            + "', '"
            + B_NAME
            + "', '较重'),"
            + " (3, '0303', 'P3', '自然人', '320281********123X', '甲某', '一般')");
    spark.sql(
        "CREATE TABLE ods.market_regulation__annual_report (id BIGINT, _position STRING,"
            + " enterprise_id BIGINT, enterprise_uscc STRING, report_year INT, filed BOOLEAN,"
            + " filed_on DATE, employee_count INT, revenue DECIMAL(18,2)) USING iceberg");
    spark.sql(
        "INSERT INTO ods.market_regulation__annual_report VALUES"
            + " (1, '0201', 1, '"
            + A
            + "', 2022, true, DATE '2023-03-01', 20, 100),"
            + " (2, '0202', 1, '"
            + A
            + "', 2023, true, DATE '2024-03-01', 37, 120),"
            + " (3, '0203', 1, '"
            + A
            + "', 2024, false, NULL, NULL, NULL)");
    spark.sql(
        "CREATE TABLE ods.market_regulation__abnormal_list (id BIGINT, _position STRING,"
            + " enterprise_id BIGINT, enterprise_uscc STRING, enterprise_name STRING,"
            + " reason_code STRING) USING iceberg");
    createGridEvents();
    spark.sql(
        "INSERT INTO ods.market_regulation__abnormal_list VALUES (1, '0401', 1, '"
            + SPOILED
            + "', '"
            + A_NAME
            + "', '01')");
  }

  private static void createGridEvents() {
    spark.sql(
        "CREATE TABLE ods.grid_center__grid_event (id BIGINT, _position STRING,"
            + " event_number STRING, subject_code STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.grid_center__grid_event VALUES (1, '0501', 'WG1', '"
            + A
            + "'), (2, '0502', 'WG2', NULL), (3, '0503', 'WG3', ' ')");
  }

  private static String enterprise(
      long id, String position, String uscc, String registration, String name, String status) {
    return ("(%d, '%s', '%s', %s, '%s', '有限责任公司', '甲某', '320281********123X', 'key-%d', 500,"
            + " DATE '2012-05-01', '%s', 'C3421', '江阴市华士镇华西路1号', '320281101')")
        .formatted(
            id,
            position,
            uscc,
            registration == null ? "NULL" : "'" + registration + "'",
            name,
            id,
            status);
  }

  private static String uscc(String organizationPrefix) {
    String first8 = "M" + organizationPrefix;
    String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  private static String registrationNumber(String first14) {
    return first14 + RegistrationNumber.checkDigit(first14);
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(EnterpriseLibraryIT::text).toList();
  }

  private static String text(Row row) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.get(i);
      values.add(value instanceof java.sql.Date date ? date.toLocalDate() : value);
    }
    return values.toString();
  }

  private static Map<String, List<String>> contents(List<String> tables) {
    return tables.stream()
        .collect(
            Collectors.toMap(
                table -> table,
                table -> rows("SELECT * FROM " + table).stream().sorted().toList()));
  }

  private static Map<String, Object> snapshots(List<String> tables) {
    return tables.stream()
        .collect(
            Collectors.toMap(
                table -> table,
                table ->
                    spark
                        .sql("SELECT max(committed_at), count(*) FROM " + table + ".snapshots")
                        .first()
                        .toString()));
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
