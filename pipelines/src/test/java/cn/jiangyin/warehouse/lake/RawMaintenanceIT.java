package cn.jiangyin.warehouse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.capture.CaptureCheckpoint;
import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.capture.SourceKind;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.ods.CurrentStateJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw maintenance with zero retention on a table with several capture batches and an ods table:
 * small files compacted, old snapshots expired, yet capture resumes from the lake's offsets without
 * repeating a change, and the current state job stays incremental from its pinned snapshot.
 */
class RawMaintenanceIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String CATALOG_DB = "c3_ops_maint_catalog_" + RUN;
  private static final String SOURCE_DB = "c3_ops_maint_" + RUN;
  private static final PersonKeys KEYS = new PersonKeys("raw-maintenance-it-secret-0000");

  @TempDir static Path home;
  private static JdbcCatalog catalog;
  private static SparkSession spark;

  @BeforeAll
  static void setUp() throws SQLException {
    execute(POSTGRES + "postgres", "CREATE DATABASE " + CATALOG_DB, "CREATE DATABASE " + SOURCE_DB);
    execute(
        POSTGRES + SOURCE_DB,
        "CREATE TABLE penalty (id bigint PRIMARY KEY, amount int)",
        "ALTER TABLE penalty REPLICA IDENTITY FULL",
        "INSERT INTO penalty VALUES (1, 1), (2, 2)",
        "GRANT SELECT ON penalty TO capture",
        "CREATE PUBLICATION jy_" + SOURCE_DB + " FOR TABLE penalty");
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                POSTGRES + CATALOG_DB,
                "catalog.user",
                "postgres",
                "lake.location",
                home.resolve("lake").toString()),
            name -> "unused-by-trust-auth-0000",
            home);
    catalog = CatalogFactory.open(config);
    spark = SparkSessions.create(config, "raw-maintenance-it");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    catalog.close();
    execute(
        POSTGRES + "postgres",
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'jy_"
            + SOURCE_DB
            + "'",
        "DROP DATABASE IF EXISTS " + SOURCE_DB + " WITH (FORCE)",
        "DROP DATABASE IF EXISTS " + CATALOG_DB + " WITH (FORCE)");
  }

  @Test
  void expiryKeepsTheOffsetsAndCaptureResumesWithoutRepeats() throws Exception {
    SourceDefinition source =
        new SourceDefinition(
            "maint_" + RUN,
            SourceKind.POSTGRESQL,
            "127.0.0.1",
            5432,
            SOURCE_DB,
            "capture",
            System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture"),
            List.of("public.penalty"),
            Map.of(),
            SourceDefinition.SnapshotMode.INITIAL,
            Map.of("publication.autocreate.mode", "disabled"));
    String rawName = source.rawTableName("public.penalty");
    TableIdentifier raw = TableIdentifier.of("raw", rawName);
    capture(source);
    for (int round = 0; round < 3; round++) {
      execute(
          POSTGRES + SOURCE_DB,
          "INSERT INTO penalty VALUES (" + (10 + round) + ", 0)",
          "UPDATE penalty SET amount = amount + 1 WHERE id = 1");
      capture(source);
    }
    CurrentStateJob ods = new CurrentStateJob(spark, catalog);
    ods.run(rawName);
    execute(POSTGRES + SOURCE_DB, "DELETE FROM penalty WHERE id = 2");
    capture(source); // a batch the ods table has not seen
    CaptureCheckpoint before = CaptureCheckpoint.read(catalog, source.name());
    int snapshotsBefore = snapshots(catalog.loadTable(raw));
    assertThat(snapshotsBefore).isGreaterThanOrEqualTo(5);

    List<RawMaintenance.Result> results = new RawMaintenance(spark, catalog).run(Duration.ZERO);

    RawMaintenance.Result result =
        results.stream().filter(r -> r.table().equals(rawName)).findFirst().orElseThrow();
    assertThat(result.filesRewritten()).isPositive();
    assertThat(result.snapshotsExpired()).isPositive();
    assertThat(result.pinnedBy()).anyMatch(pin -> pin.startsWith("ods."));
    CaptureCheckpoint after = CaptureCheckpoint.read(catalog, source.name());
    assertThat(after).isEqualTo(before);
    assertThat(rows(raw)).hasSize(2 + 6 + 1);

    // capture resumes from the offsets that survived expiry: only the new changes arrive
    execute(POSTGRES + SOURCE_DB, "INSERT INTO penalty VALUES (20, 0)");
    assertThat(capture(source)).isEqualTo(1);
    List<String> positions = rows(raw).stream().map(r -> (String) r.getField("_position")).toList();
    assertThat(positions).hasSize(2 + 6 + 1 + 1).doesNotHaveDuplicates();

    // ods stays incremental from its pinned snapshot...
    // Spark caches the table it loaded before this JVM's capture committed: refresh it
    spark.sql("REFRESH TABLE raw.`" + rawName + "`");
    CurrentStateJob.Result incremental = ods.run(rawName);
    assertThat(incremental.changesRead()).isEqualTo(2);
    assertThat(incremental.rowsAfter()).isEqualTo(5);
    // and the checkpoint still reads: the newest capture commit survived compaction and expiry
    assertThat(CaptureCheckpoint.read(catalog, source.name()).lastBatch())
        .isEqualTo(before.lastBatch() + 1);
  }

  private static long capture(SourceDefinition source) throws InterruptedException {
    try (CaptureEngine engine =
        new CaptureEngine(source, catalog, KEYS, home.resolve("capture-state"))) {
      return engine.runUntilCaughtUp(Duration.ofSeconds(2), Duration.ofMinutes(2)).committed();
    }
  }

  private static int snapshots(Table table) {
    int count = 0;
    for (var ignored : table.snapshots()) {
      count++;
    }
    return count;
  }

  private static List<Record> rows(TableIdentifier id) throws Exception {
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(catalog.loadTable(id)).build()) {
      records.forEach(record -> rows.add(record.copy()));
    }
    return rows;
  }

  private static void execute(String url, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
