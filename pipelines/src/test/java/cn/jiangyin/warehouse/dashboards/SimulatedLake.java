package cn.jiangyin.warehouse.dashboards;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.CaptureStatistics;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.catalogue.ResourceCatalogue;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.flow.LakeBuild;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.simulator.DatabaseKind;
import cn.jiangyin.warehouse.simulator.Department;
import cn.jiangyin.warehouse.simulator.DepartmentalSimulator;
import cn.jiangyin.warehouse.simulator.JdbcTarget;
import cn.jiangyin.warehouse.simulator.SimulatedSources;
import cn.jiangyin.warehouse.simulator.SimulationSettings;
import cn.jiangyin.warehouse.trino.TrinoAccess;
import cn.jiangyin.warehouse.trino.TrinoServer;
import cn.jiangyin.warehouse.trino.TrinoSettings;
import cn.jiangyin.warehouse.trino.TrinoViews;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;

/**
 * A demo-like lake built on the real path, for tests that read what the demo would show: the
 * departments simulated on the machine's PostgreSQL and MariaDB → Debezium capture (snapshot) as
 * the capture user → every {@link LakeBuild} stage → the resource catalogue ({@code warehouse
 * catalogue}) → a real Trino server on the same catalog. Small scale, so a test class pays about a
 * minute or two for it; {@link #close()} stops Trino and drops every database it made.
 */
public final class SimulatedLake implements AutoCloseable {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String CAPTURE_PASSWORD =
      System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture");

  private final String catalogDatabase;
  private final Map<Department, JdbcTarget> targets;
  private final PlatformConfig config;
  private TrinoServer trino;

  private SimulatedLake(
      String catalogDatabase, Map<Department, JdbcTarget> targets, PlatformConfig config) {
    this.catalogDatabase = catalogDatabase;
    this.targets = targets;
    this.config = config;
  }

  /**
   * Builds the lake under {@code home} from departments simulated with {@code seed} at {@code
   * scale}, as of the simulator's reference date; {@code progress} gets a line per step.
   */
  public static SimulatedLake build(
      String prefix, Path home, long seed, double scale, Consumer<String> progress)
      throws Exception {
    requireNonNull(prefix, "prefix is null");
    requireNonNull(home, "home is null");
    requireNonNull(progress, "progress is null");
    JdbcTarget postgres = JdbcTarget.postgresql("127.0.0.1", 5432, "postgres", "", "postgres");
    JdbcTarget mariadb = JdbcTarget.mariadb("127.0.0.1", 3306, "root", "", "mysql");
    Map<Department, JdbcTarget> targets = DepartmentalSimulator.targets(prefix, postgres, mariadb);
    String catalogDatabase = prefix + "catalog";
    execute(POSTGRES + "postgres", "CREATE DATABASE " + catalogDatabase);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                POSTGRES + catalogDatabase,
                "catalog.user",
                "postgres",
                "lake.location",
                home.resolve("lake").toString(),
                "export.location",
                home.resolve("export").toString()),
            variable ->
                switch (variable) {
                  case "PERSON_KEY_SECRET" -> "simulated-lake-secret-00000";
                  default -> "trust-authentication-ignores-it";
                },
            home);
    SimulatedLake lake = new SimulatedLake(catalogDatabase, targets, config);
    try {
      lake.fill(home, seed, scale, progress);
    } catch (Exception | AssertionError e) {
      lake.close();
      throw e;
    }
    return lake;
  }

  private void fill(Path home, long seed, double scale, Consumer<String> progress)
      throws Exception {
    long started = System.nanoTime();
    new DepartmentalSimulator(SimulationSettings.of(seed, scale)).fill(targets);
    SimulatedSources.prepareForCapture(targets);
    grantCaptureAsTheDbaWould();
    progress.accept("simulated " + targets.size() + " departments " + elapsed(started));

    List<SourceDefinition> sources =
        SimulatedSources.definitions(
            targets,
            "capture",
            CAPTURE_PASSWORD,
            Map.of("publication.autocreate.mode", "disabled"));
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
      PersonKeys keys = new PersonKeys(config.personKeySecret());
      for (SourceDefinition source : sources) {
        try (CaptureEngine engine =
            new CaptureEngine(source, catalog, keys, home.resolve("capture-state"))) {
          CaptureStatistics statistics =
              engine.runUntilQuiet(Duration.ofSeconds(2), Duration.ofMinutes(3));
          if (statistics.quarantined() > 0) {
            throw new IllegalStateException(source.name() + " quarantined changes: " + statistics);
          }
        }
      }
      progress.accept("captured " + sources.size() + " sources " + elapsed(started));

      SparkSession spark = SparkSessions.create(config, "simulated-lake");
      try {
        new LakeBuild(spark, catalog, config).run(DepartmentalSimulator.REFERENCE_DATE, line -> {});
        new ResourceCatalogue(spark, catalog)
            .publish(TableRegistry.load(), home.resolve("catalogue"));
      } finally {
        spark.stop();
      }
      progress.accept("built the lake and its catalogue " + elapsed(started));
    }
    trino =
        TrinoServer.start(
            TrinoSettings.of(
                POSTGRES + catalogDatabase,
                "postgres",
                "",
                config.lakeLocation(),
                home.resolve("trino")));
    try (Connection admin = trinoAs(TrinoAccess.ADMIN_USER)) {
      List<TrinoViews.Outcome> failed =
          TrinoViews.create(admin).stream().filter(outcome -> !outcome.created()).toList();
      if (!failed.isEmpty()) {
        throw new IllegalStateException(
            "Cannot create views: "
                + failed.stream()
                    .map(outcome -> outcome.definition().name() + ": " + outcome.error().get())
                    .toList());
      }
    }
    progress.accept("Trino ready at " + trino.jdbcUrl() + " with its views " + elapsed(started));
  }

  public PlatformConfig config() {
    return config;
  }

  public TrinoServer trino() {
    return trino;
  }

  /** A Trino connection as {@code user} (a role of the access rules, e.g. {@code analyst}). */
  public Connection trinoAs(String user) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    return DriverManager.getConnection(trino.jdbcUrl(), properties);
  }

  @Override
  public void close() throws SQLException {
    if (trino != null) {
      trino.stop();
    }
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
    execute(POSTGRES + "postgres", "DROP DATABASE IF EXISTS " + catalogDatabase + " WITH (FORCE)");
  }

  /** As the departments' DBAs would: a publication for the capture, and read access for it. */
  private void grantCaptureAsTheDbaWould() throws SQLException {
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

  private static String elapsed(long started) {
    return "(" + (System.nanoTime() - started) / 1_000_000_000 + " s)";
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
