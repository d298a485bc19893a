package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture from the machine's real PostgreSQL and MariaDB into real Iceberg tables: snapshot, then
 * streamed inserts, updates and deletes, then a restart that resumes from the offsets in the lake
 * without repeating a change.
 */
class CaptureIT {
  private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String CAPTURE_PASSWORD =
      System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture");
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String CATALOG_DB = "capture_it_catalog_" + RUN;
  private static final String SOURCE_DB = "capture_it_source_" + RUN;
  private static final String ID_NUMBER =
      "32028119900307231" + ResidentIdNumber.checkCharacter("32028119900307231");

  @TempDir static Path lake;
  private static JdbcCatalog catalog;
  private static final PersonKeys KEYS = new PersonKeys("capture-it-secret-0123456789");

  @BeforeAll
  static void createDatabases() throws SQLException {
    execute(
        POSTGRES_URL + "postgres",
        "postgres",
        "",
        "CREATE DATABASE " + CATALOG_DB,
        "CREATE DATABASE " + SOURCE_DB);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                POSTGRES_URL + CATALOG_DB,
                "catalog.user",
                "postgres",
                "lake.location",
                lake.toString()),
            name -> "unused-by-trust-auth-0000",
            lake);
    catalog = CatalogFactory.open(config);
  }

  @AfterAll
  static void dropDatabases() throws Exception {
    catalog.close();
    execute(
        POSTGRES_URL + "postgres",
        "postgres",
        "",
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'jy_"
            + SOURCE_DB
            + "'",
        "DROP DATABASE IF EXISTS " + SOURCE_DB + " WITH (FORCE)",
        "DROP DATABASE IF EXISTS " + CATALOG_DB + " WITH (FORCE)");
    execute(MARIADB_URL, "root", "", "DROP DATABASE IF EXISTS " + SOURCE_DB);
  }

  @Test
  void postgresqlSnapshotThenStreamThenResumeWithoutRepeats() throws Exception {
    String url = POSTGRES_URL + SOURCE_DB;
    execute(
        url,
        "postgres",
        "",
        "CREATE TABLE penalty (id bigint PRIMARY KEY, subject varchar(64), legal_id varchar(18),"
            + " amount numeric(18,2), decided_on date, decided_at timestamp, published_at timestamptz,"
            + " serious boolean, detail jsonb, note text)",
        "INSERT INTO penalty VALUES (1, '江阴市澄江织造有限公司', '"
            + ID_NUMBER
            + "', 12345.67, '2026-03-01',"
            + " '2026-03-01 09:30:00.123456', '2026-03-02 10:00:00+08', true, '{\"条款\": \"第十二条\"}', '𠀀 四字节')",
        "INSERT INTO penalty VALUES (2, '江阴市云亭机械厂', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
        // deletes carry the whole before-image only with REPLICA IDENTITY FULL (a DBA setting)
        "ALTER TABLE penalty REPLICA IDENTITY FULL",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO capture",
        "CREATE PUBLICATION jy_" + SOURCE_DB + " FOR TABLE penalty");
    SourceDefinition source =
        new SourceDefinition(
            "pg_it_" + RUN,
            SourceKind.POSTGRESQL,
            "127.0.0.1",
            5432,
            SOURCE_DB,
            "capture",
            CAPTURE_PASSWORD,
            List.of("public.penalty"),
            Map.of("public.penalty", Set.of("legal_id")),
            SourceDefinition.SnapshotMode.INITIAL,
            Map.of("publication.autocreate.mode", "disabled"));

    CaptureStatistics first = capture(source);
    assertThat(first.committed()).isEqualTo(2);
    TableIdentifier raw = TableIdentifier.of("raw", "pg_it_" + RUN + "__penalty");
    List<Record> snapshot = rows(raw);
    Record full =
        snapshot.stream().filter(r -> r.getField("id").equals(1L)).findFirst().orElseThrow();
    assertThat(full.getField("_op")).isEqualTo("r");
    assertThat(full.getField("amount")).isEqualTo(new BigDecimal("12345.67"));
    assertThat(full.getField("decided_on")).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(full.getField("decided_at").toString()).isEqualTo("2026-03-01T09:30:00.123456");
    assertThat(full.getField("published_at").toString()).isEqualTo("2026-03-02T02:00Z");
    assertThat(full.getField("serious")).isEqualTo(true);
    assertThat(full.getField("detail").toString()).contains("第十二条");
    assertThat(full.getField("note")).isEqualTo("𠀀 四字节");
    assertThat(full.getField("legal_id"))
        .isEqualTo(PersonKeys.mask(ID_NUMBER))
        .isNotEqualTo(ID_NUMBER);
    assertThat(full.getField("legal_id_key")).isEqualTo(KEYS.key(ID_NUMBER));
    Record empty =
        snapshot.stream().filter(r -> r.getField("id").equals(2L)).findFirst().orElseThrow();
    assertThat(empty.getField("amount")).isNull();
    assertThat(empty.getField("serious")).isNull();
    assertThat(identities()).containsExactly(ID_NUMBER);

    execute(
        url,
        "postgres",
        "",
        "INSERT INTO penalty (id, subject, amount) VALUES (3, '江阴市申港化工有限公司', 500.00)",
        "UPDATE penalty SET amount = 999.99 WHERE id = 2",
        "DELETE FROM penalty WHERE id = 1");
    CaptureStatistics second = capture(source);
    assertThat(second.committed()).isEqualTo(3);
    List<Record> all = rows(raw);
    assertThat(all).hasSize(5);
    assertThat(all.stream().map(r -> (String) r.getField("_op")).sorted())
        .containsExactly("c", "d", "r", "r", "u");
    Record delete =
        all.stream().filter(r -> "d".equals(r.getField("_op"))).findFirst().orElseThrow();
    assertThat(delete.getField("id")).isEqualTo(1L);
    assertThat(delete.getField("subject")).isEqualTo("江阴市澄江织造有限公司");
    assertPositionsUniqueAndOrdered(all);

    CaptureStatistics third = capture(source);
    assertThat(third.committed()).isZero();
    assertThat(rows(raw)).hasSize(5);
  }

  @Test
  void mariadbSnapshotThenStreamThenResumeWithoutRepeats() throws Exception {
    execute(MARIADB_URL, "root", "", "CREATE DATABASE " + SOURCE_DB + " CHARACTER SET utf8mb4");
    String url = MARIADB_URL + SOURCE_DB;
    execute(
        url,
        "root",
        "",
        "CREATE TABLE arrears (id BIGINT PRIMARY KEY, uscc VARCHAR(18), amount DECIMAL(18,2),"
            + " due_on DATE, recorded_at DATETIME(6), settled TINYINT(1), note TEXT)",
        "INSERT INTO arrears VALUES (1, '91320281142232229Q', 8800.50, '2026-01-31',"
            + " '2026-02-01 08:00:00.5', 0, '欠缴社保 𠀀')");
    SourceDefinition source =
        new SourceDefinition(
            "maria_it_" + RUN,
            SourceKind.MARIADB,
            "127.0.0.1",
            3306,
            SOURCE_DB,
            "capture",
            CAPTURE_PASSWORD,
            List.of(SOURCE_DB + ".arrears"),
            Map.of(),
            SourceDefinition.SnapshotMode.INITIAL,
            Map.of());
    assertThat(capture(source).committed()).isEqualTo(1);
    execute(
        url,
        "root",
        "",
        "INSERT INTO arrears (id, uscc, amount) VALUES (2, '91320281142232229Q', 10.00), (3, NULL, 0.01)",
        "UPDATE arrears SET settled = 1 WHERE id = 1",
        "DELETE FROM arrears WHERE id = 3");
    assertThat(capture(source).committed()).isEqualTo(4);
    assertThat(capture(source).committed()).isZero();
    List<Record> all = rows(TableIdentifier.of("raw", "maria_it_" + RUN + "__arrears"));
    assertThat(all).hasSize(5);
    Record first =
        all.stream().filter(r -> "r".equals(r.getField("_op"))).findFirst().orElseThrow();
    assertThat(first.getField("amount")).isEqualTo(new BigDecimal("8800.50"));
    assertThat(first.getField("recorded_at").toString()).isEqualTo("2026-02-01T08:00:00.500");
    assertThat(first.getField("note")).isEqualTo("欠缴社保 𠀀");
    assertPositionsUniqueAndOrdered(all);
  }

  private static void assertPositionsUniqueAndOrdered(List<Record> rows) {
    List<String> positions = rows.stream().map(r -> (String) r.getField("_position")).toList();
    assertThat(positions).doesNotHaveDuplicates().allMatch(p -> p.length() == Position.LENGTH);
  }

  private CaptureStatistics capture(SourceDefinition source) throws InterruptedException {
    try (CaptureEngine engine = new CaptureEngine(source, catalog, KEYS, lake.resolve("state"))) {
      return engine.runUntilQuiet(Duration.ofSeconds(3), Duration.ofMinutes(2));
    }
  }

  private static List<Record> rows(TableIdentifier id) throws Exception {
    Table table = catalog.loadTable(id);
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(record -> rows.add(record.copy()));
    }
    return rows;
  }

  private static List<String> identities() throws Exception {
    return rows(TableIdentifier.of("restricted", "person_identity")).stream()
        .map(r -> (String) r.getField("id_number"))
        .toList();
  }

  private static void execute(String url, String user, String password, String... statements)
      throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
