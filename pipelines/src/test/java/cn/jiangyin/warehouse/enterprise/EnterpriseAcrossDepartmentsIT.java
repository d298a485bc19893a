package cn.jiangyin.warehouse.enterprise;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.CaptureStatistics;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.ods.CurrentStateJob;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.simulator.DatabaseKind;
import cn.jiangyin.warehouse.simulator.Department;
import cn.jiangyin.warehouse.simulator.DepartmentalSimulator;
import cn.jiangyin.warehouse.simulator.JdbcTarget;
import cn.jiangyin.warehouse.simulator.SimulatedSources;
import cn.jiangyin.warehouse.simulator.SimulationSettings;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.RegistrationNumber;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test on the real path: one enterprise written into three simulated departments — the
 * register (市场监管局, PostgreSQL), a penalty under its 注册号 (综合执法局, PostgreSQL) and tax grades under
 * its 组织机构代码 and under a spoiled code with a variant name (税务局, MariaDB) — captured by Debezium
 * into the lake, then current state and the enterprise library. It becomes one row, each attribute
 * from its declared source; deleting the newest grade at the tax office takes it out of the library
 * on the next build.
 */
class EnterpriseAcrossDepartmentsIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String CAPTURE_PASSWORD =
      System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture");
  private static final String RUN =
      "ent_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + "_";
  private static final String CATALOG_DB = RUN + "catalog";
  private static final List<Department> DEPARTMENTS =
      List.of(
          Department.MARKET_REGULATION, Department.COMPREHENSIVE_ENFORCEMENT, Department.TAXATION);

  private static final String USCC = uscc("9900001");
  private static final String ORGANIZATION = USCC.substring(8, 17);
  private static final String REGISTRATION = registration("32028199000012");
  private static final String NAME = "江阴市澄测（验证）精密机械有限公司";
  private static final String LEGAL_REPRESENTATIVE_ID = idNumber("32028119800101123");
  private static final String SPOILED =
      USCC.substring(0, 17) + (USCC.charAt(17) == '0' ? '1' : '0');

  @TempDir static Path home;
  private static Map<Department, JdbcTarget> targets;

  @BeforeAll
  static void simulateDepartments() throws SQLException {
    JdbcTarget postgres = JdbcTarget.postgresql("127.0.0.1", 5432, "postgres", "", "postgres");
    JdbcTarget mariadb = JdbcTarget.mariadb("127.0.0.1", 3306, "root", "", "mysql");
    targets = new EnumMap<>(Department.class);
    Map<Department, JdbcTarget> all = DepartmentalSimulator.targets(RUN, postgres, mariadb);
    for (Department department : DEPARTMENTS) {
      targets.put(department, all.get(department));
    }
    execute(POSTGRES + "postgres", "CREATE DATABASE " + CATALOG_DB);
  }

  @AfterAll
  static void dropEverything() throws SQLException {
    for (JdbcTarget target : targets.values()) {
      if (target.kind() == DatabaseKind.POSTGRESQL) {
        execute(
            POSTGRES + "postgres",
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                + " WHERE slot_name = 'jy_"
                + target.database()
                + "'");
      }
      DepartmentalSimulator.dropDatabase(target);
    }
    execute(POSTGRES + "postgres", "DROP DATABASE IF EXISTS " + CATALOG_DB + " WITH (FORCE)");
  }

  @Test
  void oneEnterpriseUnderALegacyCodeAndAVariantNameBecomesOneRowWithEachAttributeFromItsSource()
      throws Exception {
    // a small simulated county around the enterprise, so that matching has others to avoid
    new DepartmentalSimulator(SimulationSettings.of(11, 0.02)).fill(targets);
    writeTheEnterprise();
    SimulatedSources.prepareForCapture(targets);
    grantCaptureAsTheDbaWould();
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                POSTGRES + CATALOG_DB,
                "catalog.user",
                "postgres",
                "lake.location",
                home.resolve("lake").toString(),
                "spark.master",
                "local[2]"),
            variable ->
                switch (variable) {
                  case "PERSON_KEY_SECRET" -> "enterprise-across-departments-secret";
                  default -> "trust-authentication-ignores-it";
                },
            home);
    List<SourceDefinition> sources =
        SimulatedSources.definitions(
            targets,
            "capture",
            CAPTURE_PASSWORD,
            Map.of("publication.autocreate.mode", "disabled"));
    PersonKeys keys = new PersonKeys(config.personKeySecret());

    SparkSession spark = SparkSessions.create(config, "enterprise-across-departments-it");
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
      capture(sources, catalog, keys);
      currentState(spark, catalog);
      EnterpriseLibraryJob.Result result = new EnterpriseLibraryJob(spark).run();
      assertThat(result.read()).isEqualTo(result.accepted() + result.rejected());

      assertThat(
              rows(
                  spark,
                  "SELECT name, status, registration_number, organization_code,"
                      + " tax_credit_grade, tax_credit_year, legal_representative_key,"
                      + " legal_representative_masked_id FROM lib.enterprise WHERE uscc = '"
                      + USCC
                      + "'"))
          .containsExactly(
              List.of(
                      NAME,
                      "吊销",
                      REGISTRATION,
                      ORGANIZATION,
                      "A",
                      2024,
                      keys.key(LEGAL_REPRESENTATIVE_ID),
                      PersonKeys.mask(LEGAL_REPRESENTATIVE_ID))
                  .toString());
      // each of the enterprise's records in the three departments, tied to it by the right method
      assertThat(
              rows(
                  spark,
                  "SELECT source, source_table, source_key, match_method FROM"
                      + " lib.enterprise_reference WHERE uscc = '"
                      + USCC
                      + "'"))
          .containsExactlyInAnyOrder(
              "[comprehensive_enforcement, penalty_decision, 900001, registration_number]",
              "[taxation, tax_credit_grade, 900001, organization_code]",
              "[taxation, tax_credit_grade, 900002, name_normalised]");
      // the grade from the tax office's newest assessment (filed under a spoiled code and a variant
      // name), the status from the register
      assertThat(
              rows(
                  spark,
                  "SELECT attribute, source, source_table, source_key, source_position IS NOT NULL"
                      + " FROM lib.enterprise_attribute WHERE uscc = '"
                      + USCC
                      + "' AND attribute IN ('tax_credit_grade', 'status')"))
          .containsExactlyInAnyOrder(
              "[tax_credit_grade, taxation, tax_credit_grade, 900002, true]",
              "[status, market_regulation, enterprise, 900001, true]");

      // the tax office deletes the 2024 assessment: gone downstream on the next build
      try (Connection connection = targets.get(Department.TAXATION).connect();
          Statement statement = connection.createStatement()) {
        statement.execute("DELETE FROM tax_credit_grade WHERE id = 900002");
      }
      capture(sources, catalog, keys);
      currentState(spark, catalog);
      new EnterpriseLibraryJob(spark).run();
      assertThat(
              rows(
                  spark,
                  "SELECT tax_credit_grade, tax_credit_year FROM lib.enterprise WHERE uscc = '"
                      + USCC
                      + "'"))
          .containsExactly("[B, 2023]");
      assertThat(
              rows(
                  spark,
                  "SELECT count(*) FROM lib.enterprise_reference WHERE source = 'taxation'"
                      + " AND source_key = '900002'"))
          .containsExactly("[0]");
    } finally {
      spark.stop();
    }
  }

  private static void writeTheEnterprise() throws SQLException {
    try (Connection connection = targets.get(Department.MARKET_REGULATION).connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO enterprise VALUES (900001, '"
              + USCC
              + "', '"
              + REGISTRATION
              + "', '"
              + NAME
              + "', '有限责任公司', '甲某', '"
              + LEGAL_REPRESENTATIVE_ID
              + "', 800.00, DATE '2010-03-15', '吊销', 'C3421', '江阴市华士镇测试路1号', '320281101',"
              + " 1, now())");
    }
    try (Connection connection = targets.get(Department.COMPREHENSIVE_ENFORCEMENT).connect();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO penalty_decision VALUES (900001, '澄综执罚决字〔2025〕第90001号', '法人', '"
              + REGISTRATION
              + "', '江阴市澄测(验证)精密机械有限公司', '一般', '罚款', 2000.00, '《测试条例》第一条',"
              + " DATE '2025-05-01', '市场监管局', TIMESTAMPTZ '2025-05-03 10:00:00+08', 1, now())");
    }
    try (Connection connection = targets.get(Department.TAXATION).connect();
        Statement statement = connection.createStatement()) {
      String withHyphen = ORGANIZATION.substring(0, 8) + "-" + ORGANIZATION.charAt(8);
      statement.execute(
          "INSERT INTO tax_credit_grade VALUES (900001, '"
              + withHyphen
              + "', '"
              + NAME
              + "', 2023, 'B', 80, DATE '2024-04-10', 1, now()),"
              + " (900002, '"
              + SPOILED
              + "', ' 江阴市澄测(验证)精密机械 有限责任公司', 2024, 'A', 95, DATE '2025-04-10', 1, now())");
    }
  }

  private static void capture(List<SourceDefinition> sources, JdbcCatalog catalog, PersonKeys keys)
      throws Exception {
    for (SourceDefinition source : sources) {
      try (CaptureEngine engine =
          new CaptureEngine(source, catalog, keys, home.resolve("capture-state"))) {
        CaptureStatistics statistics =
            engine.runUntilQuiet(Duration.ofSeconds(2), Duration.ofMinutes(3));
        assertThat(statistics.quarantined()).as(source.name()).isZero();
      }
    }
  }

  private static void currentState(SparkSession spark, JdbcCatalog catalog) {
    CurrentStateJob currentState = new CurrentStateJob(spark, catalog);
    for (String raw : currentState.rawTables()) {
      currentState.run(raw);
    }
  }

  private static void grantCaptureAsTheDbaWould() throws SQLException {
    for (Map.Entry<Department, JdbcTarget> entry : targets.entrySet()) {
      JdbcTarget target = entry.getValue();
      if (target.kind() == DatabaseKind.POSTGRESQL) {
        execute(
            POSTGRES + target.database(),
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO capture",
            "CREATE PUBLICATION jy_"
                + target.database()
                + " FOR TABLE "
                + String.join(", ", DepartmentalSimulator.tableNames(entry.getKey())));
      }
    }
  }

  private static List<String> rows(SparkSession spark, String sql) {
    List<String> rows = new ArrayList<>();
    for (Row row : spark.sql(sql).collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        values.add(row.get(i));
      }
      rows.add(values.toString());
    }
    return rows;
  }

  private static String uscc(String organizationPrefix) {
    String first8 = "M" + organizationPrefix;
    String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  private static String registration(String first14) {
    return first14 + RegistrationNumber.checkDigit(first14);
  }

  private static String idNumber(String first17) {
    return first17 + ResidentIdNumber.checkCharacter(first17);
  }

  private static void execute(String url, String... statements) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    try (Connection connection = DriverManager.getConnection(url, properties);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
