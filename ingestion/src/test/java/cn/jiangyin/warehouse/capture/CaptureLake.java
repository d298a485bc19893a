package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * A lake for capture tests: an Iceberg JDBC catalog in a database of its own on the machine's
 * PostgreSQL, a local warehouse folder, and source databases on the real PostgreSQL and MariaDB,
 * all named {@code c3_<test>_<random>} and dropped (with the PostgreSQL replication slot) on close.
 */
final class CaptureLake implements AutoCloseable {
  static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/";
  static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/";
  static final String CAPTURE_PASSWORD =
      System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture");
  static final PersonKeys KEYS = new PersonKeys("capture-types-secret-0123456789");

  final String prefix;
  final JdbcCatalog catalog;
  private final Path lake;
  private final String catalogDatabase;
  private final List<String> postgresDatabases = new ArrayList<>();
  private final List<String> mariadbDatabases = new ArrayList<>();

  CaptureLake(String test, Path lake) throws SQLException {
    this.prefix =
        "c3_" + test + "_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    this.lake = lake;
    this.catalogDatabase = prefix + "_catalog";
    execute(POSTGRES_URL + "postgres", "postgres", "CREATE DATABASE " + catalogDatabase);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                POSTGRES_URL + catalogDatabase,
                "catalog.user",
                "postgres",
                "lake.location",
                lake.toString()),
            name -> "unused-by-trust-auth-0000",
            lake);
    this.catalog = CatalogFactory.open(config);
  }

  /**
   * A PostgreSQL source database: {@code setup} runs as superuser, then the capture account gets
   * SELECT and the DBA-made publication {@code jy_<database>} covers {@code tables}.
   */
  SourceDefinition postgresql(
      String name, List<String> tables, Map<String, Set<String>> personal, String... setup)
      throws SQLException {
    String database = prefix + "_" + name;
    execute(POSTGRES_URL + "postgres", "postgres", "CREATE DATABASE " + database);
    postgresDatabases.add(database);
    List<String> statements = new ArrayList<>(List.of(setup));
    for (String table : tables) {
      statements.add("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
    }
    statements.add("GRANT SELECT ON ALL TABLES IN SCHEMA public TO capture");
    statements.add("CREATE PUBLICATION jy_" + database + " FOR TABLE " + String.join(", ", tables));
    execute(POSTGRES_URL + database, "postgres", statements.toArray(String[]::new));
    return new SourceDefinition(
        database,
        SourceKind.POSTGRESQL,
        "127.0.0.1",
        5432,
        database,
        "capture",
        CAPTURE_PASSWORD,
        tables.stream().map(table -> "public." + table).toList(),
        personal,
        SourceDefinition.SnapshotMode.INITIAL,
        Map.of("publication.autocreate.mode", "disabled"));
  }

  /**
   * A MariaDB source database (utf8mb4), {@code setup} run in it as root; {@code personal} names
   * the personal columns by bare table name.
   */
  SourceDefinition mariadb(
      String name, List<String> tables, Map<String, Set<String>> personal, String... setup)
      throws SQLException {
    String database = prefix + "_" + name;
    execute(MARIADB_URL, "root", "CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
    mariadbDatabases.add(database);
    execute(MARIADB_URL + database, "root", setup);
    return new SourceDefinition(
        database,
        SourceKind.MARIADB,
        "127.0.0.1",
        3306,
        database,
        "capture",
        CAPTURE_PASSWORD,
        tables.stream().map(table -> database + "." + table).toList(),
        personal.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(
                    entry -> database + "." + entry.getKey(), Map.Entry::getValue)),
        SourceDefinition.SnapshotMode.INITIAL,
        Map.of());
  }

  /** Runs SQL in a source database. */
  void sql(SourceDefinition source, String... statements) throws SQLException {
    if (source.kind() == SourceKind.POSTGRESQL) {
      execute(POSTGRES_URL + source.database(), "postgres", statements);
    } else {
      execute(MARIADB_URL + source.database(), "root", statements);
    }
  }

  /**
   * Catches up and stops, and checks the per-run reconciliation: every event in is committed,
   * quarantined, dropped as a replayed duplicate, or skipped (heartbeats, tombstones).
   */
  CaptureStatistics capture(SourceDefinition source) throws InterruptedException {
    try (CaptureEngine engine =
        new CaptureEngine(source, catalog, KEYS, lake.resolve("state").resolve(source.name()))) {
      CaptureStatistics statistics =
          engine.runUntilQuiet(Duration.ofSeconds(2), Duration.ofMinutes(2));
      assertThat(statistics.eventsIn())
          .as("events in = committed + quarantined + duplicates + skipped: %s", statistics)
          .isEqualTo(
              statistics.committed()
                  + statistics.quarantined()
                  + statistics.duplicatesDropped()
                  + statistics.skipped());
      return statistics;
    }
  }

  List<Record> rows(SourceDefinition source, String table) {
    return rows(TableIdentifier.of("raw", source.rawTableName(table)));
  }

  /** The quarantined changes of a source. */
  List<Record> quarantine(SourceDefinition source) {
    return rows(TableIdentifier.of("raw", CaptureCheckpoint.QUARANTINE_TABLE)).stream()
        .filter(row -> source.name().equals(row.getField("source")))
        .toList();
  }

  Table table(SourceDefinition source, String table) {
    return catalog.loadTable(TableIdentifier.of("raw", source.rawTableName(table)));
  }

  private List<Record> rows(TableIdentifier id) {
    Table table = catalog.loadTable(id);
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(record -> rows.add(record.copy()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }

  /**
   * Drops what the test made, the replication slots first (a slot keeps WAL; a failed capture may
   * leave its WAL sender attached, so it is terminated). Every statement is tried.
   */
  @Override
  public void close() throws Exception {
    catalog.close();
    List<String> drops = new ArrayList<>();
    for (String database : postgresDatabases) {
      String slot = "'jy_" + database + "'";
      drops.add(
          "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = "
              + slot
              + " AND active_pid IS NOT NULL");
      drops.add("SELECT pg_sleep(0.5)");
      drops.add(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
              + " WHERE slot_name = "
              + slot);
      drops.add("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
    drops.add("DROP DATABASE IF EXISTS " + catalogDatabase + " WITH (FORCE)");
    SQLException failure = null;
    for (String drop : drops) {
      try {
        execute(POSTGRES_URL + "postgres", "postgres", drop);
      } catch (SQLException e) {
        failure = failure == null ? e : failure;
      }
    }
    for (String database : mariadbDatabases) {
      execute(MARIADB_URL, "root", "DROP DATABASE IF EXISTS " + database);
    }
    if (failure != null) {
      throw failure;
    }
  }

  static void execute(String url, String user, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
