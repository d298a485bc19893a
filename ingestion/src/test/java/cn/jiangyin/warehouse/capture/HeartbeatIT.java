package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quiet PostgreSQL source with a heartbeat table: while another database of the same server
 * writes WAL and the captured table stays untouched, the slot's {@code confirmed_flush_lsn} moves
 * past that WAL, so the slot does not pin it.
 */
class HeartbeatIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String CATALOG_DB = "c3_ops_hb_catalog_" + RUN;
  private static final String SOURCE_DB = "c3_ops_hb_" + RUN;
  private static final String NOISE_DB = "c3_ops_hb_noise_" + RUN;

  @TempDir static Path lake;
  private static JdbcCatalog catalog;

  @BeforeAll
  static void setUp() throws SQLException {
    execute(
        POSTGRES + "postgres",
        "CREATE DATABASE " + CATALOG_DB,
        "CREATE DATABASE " + SOURCE_DB,
        "CREATE DATABASE " + NOISE_DB);
    execute(
        POSTGRES + SOURCE_DB,
        "CREATE TABLE penalty (id bigint PRIMARY KEY, amount int)",
        "INSERT INTO penalty VALUES (1, 1)",
        "CREATE TABLE jy_heartbeat (source text PRIMARY KEY, beat_at timestamptz NOT NULL)",
        "GRANT SELECT ON penalty TO capture",
        "GRANT SELECT, INSERT, UPDATE ON jy_heartbeat TO capture",
        "CREATE PUBLICATION jy_" + SOURCE_DB + " FOR TABLE penalty, jy_heartbeat");
    execute(POSTGRES + NOISE_DB, "CREATE TABLE noise (id bigint, payload text)");
    catalog =
        CatalogFactory.open(
            PlatformConfig.of(
                Map.of(
                    "catalog.jdbc-url",
                    POSTGRES + CATALOG_DB,
                    "catalog.user",
                    "postgres",
                    "lake.location",
                    lake.toString()),
                name -> "unused-by-trust-auth-0000",
                lake));
  }

  @AfterAll
  static void tearDown() throws Exception {
    catalog.close();
    execute(
        POSTGRES + "postgres",
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'jy_"
            + SOURCE_DB
            + "'",
        "DROP DATABASE IF EXISTS " + SOURCE_DB + " WITH (FORCE)",
        "DROP DATABASE IF EXISTS " + NOISE_DB + " WITH (FORCE)",
        "DROP DATABASE IF EXISTS " + CATALOG_DB + " WITH (FORCE)");
  }

  @Test
  void slotAdvancesOnAQuietSourceWhileTheServerWritesWal() throws Exception {
    String name = "hb_" + RUN;
    SourceDefinition source =
        new SourceDefinition(
            name,
            SourceKind.POSTGRESQL,
            "127.0.0.1",
            5432,
            SOURCE_DB,
            "capture",
            System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture"),
            List.of("public.penalty"),
            Map.of(),
            SourceDefinition.SnapshotMode.INITIAL,
            Map.of(
                "publication.autocreate.mode",
                "disabled",
                SourceRegistry.HEARTBEAT_ACTION_QUERY,
                SourceRegistry.heartbeatQuery("jy_heartbeat", name)));
    try (CaptureEngine engine =
        new CaptureEngine(
            source, catalog, new PersonKeys("heartbeat-it-secret-00000000"), lake.resolve("s"))) {
      engine.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (engine.statistics().committed() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(engine.statistics().committed()).isEqualTo(1);
      long before = confirmedFlush();
      for (int i = 0; i < 5; i++) {
        execute(
            POSTGRES + NOISE_DB,
            "INSERT INTO noise SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g");
      }
      long noiseWritten = scalar(POSTGRES + NOISE_DB, "SELECT pg_current_wal_lsn() - '0/0'");
      long after = before;
      deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (after < noiseWritten && System.nanoTime() < deadline) {
        Thread.sleep(500);
        after = confirmedFlush();
      }
      System.out.printf(
          "confirmed_flush_lsn %X -> %X; noise written up to %X%n", before, after, noiseWritten);
      assertThat(after).isGreaterThanOrEqualTo(noiseWritten).isGreaterThan(before);
      assertThat(engine.statistics().committed())
          .as("heartbeats never reach the lake")
          .isEqualTo(1);
    }
  }

  private static long confirmedFlush() throws SQLException {
    return scalar(
        POSTGRES + "postgres",
        "SELECT coalesce(confirmed_flush_lsn - '0/0', 0) FROM pg_replication_slots WHERE slot_name"
            + " = 'jy_"
            + SOURCE_DB
            + "'");
  }

  private static long scalar(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getBigDecimal(1).longValueExact();
    }
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
