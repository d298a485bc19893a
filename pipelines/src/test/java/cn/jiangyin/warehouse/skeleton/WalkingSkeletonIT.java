package cn.jiangyin.warehouse.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.CaptureStatistics;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.enterprise.EnterpriseLibraryJob;
import cn.jiangyin.warehouse.export.ExportVerifier;
import cn.jiangyin.warehouse.export.TableExport;
import cn.jiangyin.warehouse.flow.LakeBuild;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.ods.CurrentStateJob;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.simulator.ChangeCounts;
import cn.jiangyin.warehouse.simulator.ChangeStream;
import cn.jiangyin.warehouse.simulator.ChangeStreamSettings;
import cn.jiangyin.warehouse.simulator.DatabaseKind;
import cn.jiangyin.warehouse.simulator.Department;
import cn.jiangyin.warehouse.simulator.DepartmentalSimulator;
import cn.jiangyin.warehouse.simulator.JdbcTarget;
import cn.jiangyin.warehouse.simulator.SimulatedSources;
import cn.jiangyin.warehouse.simulator.SimulationSettings;
import cn.jiangyin.warehouse.trino.TrinoServer;
import cn.jiangyin.warehouse.trino.TrinoSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
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
 * The walking skeleton against the machine's real servers: departments simulated on PostgreSQL and
 * MariaDB → Debezium capture as the capture user (snapshot, then a live change stream) → raw
 * Iceberg → Spark MERGE into ods → libraries → credit facts → verdicts → publication → export; then
 * the results read back through a real Trino server.
 */
class WalkingSkeletonIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String CAPTURE_PASSWORD =
      System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture");
  private static final String RUN =
      "skeleton_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + "_";
  private static final String CATALOG_DB = RUN + "catalog";

  @TempDir static Path home;
  private static Map<Department, JdbcTarget> targets;

  @BeforeAll
  static void simulateDepartments() throws SQLException {
    JdbcTarget postgres = JdbcTarget.postgresql("127.0.0.1", 5432, "postgres", "", "postgres");
    JdbcTarget mariadb = JdbcTarget.mariadb("127.0.0.1", 3306, "root", "", "mysql");
    targets = DepartmentalSimulator.targets(RUN, postgres, mariadb);
    execute(POSTGRES + "postgres", "CREATE DATABASE " + CATALOG_DB);
  }

  @AfterAll
  static void dropEverything() throws SQLException {
    for (JdbcTarget target : targets.values()) {
      if (target.kind() == DatabaseKind.POSTGRESQL) {
        execute(
            POSTGRES + "postgres",
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'jy_"
                + target.database()
                + "'");
      }
      DepartmentalSimulator.dropDatabase(target);
    }
    execute(POSTGRES + "postgres", "DROP DATABASE IF EXISTS " + CATALOG_DB + " WITH (FORCE)");
  }

  @Test
  void sourceRowsFlowThroughEveryStageAndReadBackThroughTrino() throws Exception {
    assertThat(targets.values())
        .extracting(JdbcTarget::kind)
        .contains(DatabaseKind.MARIADB, DatabaseKind.POSTGRESQL);
    DepartmentalSimulator simulator = new DepartmentalSimulator(SimulationSettings.of(7, 0.3));
    simulator.fill(targets);
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
                "export.location",
                home.resolve("export").toString()),
            variable ->
                switch (variable) {
                  case "PERSON_KEY_SECRET" -> "walking-skeleton-secret-000";
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

    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
      long snapshotRows = capture(sources, catalog, keys);
      long sourceRows = 0;
      for (Map.Entry<Department, JdbcTarget> entry : targets.entrySet()) {
        for (String table : DepartmentalSimulator.tableNames(entry.getKey())) {
          sourceRows += count(entry.getValue(), table);
        }
      }
      assertThat(snapshotRows).isEqualTo(sourceRows);

      ChangeCounts live =
          new ChangeStream(simulator, targets, ChangeStreamSettings.forCount(11, 300, 250)).run();
      assertThat(live.deletes()).isPositive();
      assertThat(capture(sources, catalog, keys)).isEqualTo(live.total());
    }

    SparkSession spark = SparkSessions.create(config, "walking-skeleton-it");
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      CurrentStateJob currentState = new CurrentStateJob(spark, catalog);
      for (String raw : currentState.rawTables()) {
        currentState.run(raw);
      }
      // current state equals the source, table by table, after snapshot + inserts, updates and
      // deletes
      for (Map.Entry<Department, JdbcTarget> entry : targets.entrySet()) {
        for (String table : DepartmentalSimulator.tableNames(entry.getKey())) {
          String ods = "ods." + entry.getKey().databaseName() + "__" + table;
          assertThat(spark.table(ods).count()).as(ods).isEqualTo(count(entry.getValue(), table));
          assertThat(spark.sql("SELECT max(row_version) FROM " + ods).first().get(0))
              .as(ods + " row_version")
              .isEqualTo(scalar(entry.getValue(), "SELECT max(row_version) FROM " + table));
        }
      }
      // re-running with nothing new changes nothing
      String enterprise = "market_regulation__enterprise";
      assertThat(currentState.run(enterprise).upToDate()).isTrue();

      EnterpriseLibraryJob.Result library = new EnterpriseLibraryJob(spark).run();
      assertThat(library.accepted()).isPositive();
      assertThat(library.read()).isEqualTo(library.accepted() + library.rejected());
      assertThat(library.rejected()).as("the simulator writes some invalid codes").isPositive();

      LocalDate asOf = DepartmentalSimulator.REFERENCE_DATE;
      // the rest of the flow, as the demo and `warehouse build` run it: libraries, credit facts,
      // quality, evaluation, publication into export.verdict, export files
      List<String> firstLines = new java.util.ArrayList<>();
      LakeBuild.Result built = new LakeBuild(spark, catalog, config).run(asOf, firstLines::add);
      assertThat(firstLines)
          .as("the first evaluation of the date is full")
          .anySatisfy(line -> assertThat(line).contains("credit as of", "(full: no earlier"));
      long penalties =
          ((Number)
                  scalar(
                      targets.get(Department.COMPREHENSIVE_ENFORCEMENT),
                      "SELECT count(*) FROM penalty_decision"))
              .longValue();
      long penaltyFacts =
          spark
              .sql(
                  "SELECT count(*) FROM credit.fact WHERE source = 'comprehensive_enforcement'"
                      + " AND source_table = 'penalty_decision'")
              .first()
              .getLong(0);
      long penaltyRejected =
          spark
              .sql(
                  "SELECT count(*) FROM quality.rejected_record WHERE job = 'credit.fact' AND"
                      + " source_table = 'ods.comprehensive_enforcement__penalty_decision'")
              .first()
              .getLong(0);
      assertThat(penaltyFacts + penaltyRejected).as("penalties reconcile").isEqualTo(penalties);
      assertThat(penaltyFacts).isPositive();
      long published = spark.table("export.verdict").count();
      assertThat(built.publication().verdicts()).isEqualTo(published).isPositive();
      assertThat(
              spark
                  .sql(
                      "SELECT count(*) FROM export.verdict WHERE status = 'restricted'"
                          + " AND measures NOT LIKE '%legal_basis%'")
                  .first()
                  .getLong(0))
          .as("every restriction names its measures with their legal basis")
          .isZero();
      assertThat(
              spark
                  .sql("SELECT count(*) FROM export.verdict WHERE status = 'restricted'")
                  .first()
                  .getLong(0))
          .as("the simulator's serious penalties restrict someone")
          .isPositive();
      TableExport.Result export = built.export();
      List<String> lines =
          Files.readAllLines(export.directory().resolve("verdicts.csv"), StandardCharsets.UTF_8);
      assertThat(lines).hasSize((int) published + 1);
      assertThat(ExportVerifier.verify(export.directory())).isEmpty();

      // built again on the same inputs: the evaluation of the same date is incremental, finds no
      // subject whose facts changed and leaves the same rows
      List<String> againLines = new java.util.ArrayList<>();
      LakeBuild.Result again = new LakeBuild(spark, catalog, config).run(asOf, againLines::add);
      assertThat(againLines)
          .anySatisfy(
              line ->
                  assertThat(line)
                      .contains("credit as of")
                      .contains("(incremental, ", ": 0 subjects changed"));
      assertThat(again.credit().scores()).isEqualTo(built.credit().scores());
      assertThat(again.credit().listEntries()).isEqualTo(built.credit().listEntries());
      assertThat(again.credit().verdicts()).isEqualTo(built.credit().verdicts());
      assertThat(again.publication().verdicts()).isEqualTo(published);
      assertThat(again.publication().added() + again.publication().changed()).isZero();

      // no clear ID number captured into restricted.person_identity appears in any other table
      java.util.Set<String> clearNumbers =
          new java.util.HashSet<>(
              spark
                  .table("restricted.person_identity")
                  .select("id_number")
                  .as(org.apache.spark.sql.Encoders.STRING())
                  .collectAsList());
      // a 15-digit 注册号 that also reads as a legacy ID number is masked in personal columns, but is
      // an
      // enterprise's registration number, readable in its own column
      clearNumbers.removeIf(cn.jiangyin.warehouse.standard.RegistrationNumber::isValid);
      assertThat(clearNumbers).hasSizeGreaterThan(100);
      List<String> tables =
          new java.util.ArrayList<>(
              List.of(
                  "lib.enterprise",
                  "lib.enterprise_reference",
                  "credit.fact",
                  "credit.verdict",
                  "export.verdict",
                  "quality.rejected_record"));
      for (String raw : currentState.rawTables()) {
        tables.add("raw." + raw);
        tables.add("ods." + raw);
      }
      for (String table : tables) {
        for (Row row : spark.table(table).collectAsList()) {
          for (int i = 0; i < row.size(); i++) {
            if (row.get(i) instanceof String text) {
              assertThat(clearNumbers)
                  .as("clear ID number in %s.%s", table, row.schema().fieldNames()[i])
                  .doesNotContain(text.strip().toUpperCase(java.util.Locale.ROOT));
            }
          }
        }
      }

      long enterprises = spark.table("lib.enterprise").count();
      Row sample = spark.sql("SELECT uscc, name FROM lib.enterprise ORDER BY uscc LIMIT 1").first();
      try (TrinoServer trino =
          TrinoServer.start(
              TrinoSettings.of(
                  POSTGRES + CATALOG_DB,
                  "postgres",
                  "",
                  config.lakeLocation(),
                  home.resolve("trino")))) {
        try (Connection connection = DriverManager.getConnection(trino.jdbcUrl(), "analyst", null);
            Statement statement = connection.createStatement()) {
          assertThat(trinoScalar(statement, "SELECT count(*) FROM iceberg.lib.enterprise"))
              .isEqualTo(enterprises);
          assertThat(trinoScalar(statement, "SELECT count(*) FROM iceberg.export.verdict"))
              .isEqualTo(published);
          try (ResultSet result =
              statement.executeQuery(
                  "SELECT name FROM iceberg.lib.enterprise WHERE uscc = '"
                      + sample.getString(0)
                      + "'")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1))
                .isEqualTo(sample.getString(1))
                .containsPattern("\\p{IsHan}");
          }
        }
      }
    } finally {
      spark.stop();
    }
  }

  private static long capture(List<SourceDefinition> sources, JdbcCatalog catalog, PersonKeys keys)
      throws InterruptedException {
    long committed = 0;
    for (SourceDefinition source : sources) {
      try (CaptureEngine engine =
          new CaptureEngine(source, catalog, keys, home.resolve("capture-state"))) {
        CaptureStatistics statistics =
            engine.runUntilQuiet(Duration.ofSeconds(2), Duration.ofMinutes(3));
        assertThat(statistics.quarantined()).as(source.name()).isZero();
        committed += statistics.committed();
      }
    }
    return committed;
  }

  /**
   * As the departments' DBAs would: a publication for the capture, and read access for its
   * snapshot.
   */
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

  private static long count(JdbcTarget target, String table) throws SQLException {
    return ((Number) scalar(target, "SELECT count(*) FROM " + table)).longValue();
  }

  private static Object scalar(JdbcTarget target, String sql) throws SQLException {
    try (Connection connection = target.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getObject(1);
    }
  }

  private static long trinoScalar(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
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
