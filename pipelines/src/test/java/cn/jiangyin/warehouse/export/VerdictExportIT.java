package cn.jiangyin.warehouse.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verdict exports on tables of {@code credit.verdict}'s shape, written with Spark SQL in a real
 * JdbcCatalog on PostgreSQL: the full + incremental round trip, byte-identical re-runs, and an
 * interrupted export. Each test has its own table, so they do not depend on each other's order.
 */
class VerdictExportIT {
  private static final String DATABASE =
      "export_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String ENTERPRISE_A = uscc("2000000");
  private static final String ENTERPRISE_B = uscc("2000001");
  private static final String ENTERPRISE_C = uscc("2000002");
  private static final String PERSON_P = personKey("person-p");
  private static final String PERSON_Q = personKey("person-q");

  /** A name with a comma, a double quote and a line break: what CSV quoting must survive. */
  private static final String AWKWARD_NAME = "江阴市某某贸易有限公司,\"分公司\"\n（二部）";

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
                home.resolve("lake").toString()),
            variable -> "trust-authentication-ignores-it",
            home);
    spark = SparkSessions.create(config, "verdict-export-it");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS credit");
  }

  @AfterAll
  static void dropLake() throws SQLException {
    if (spark != null) {
      spark.stop();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void fullThenIncrementalReproducesTheCurrentTable() throws IOException {
    ExportedTable verdicts = createVerdictTable("credit.verdict_round_trip");
    insertStartingVerdicts(verdicts.table());
    Path root = home.resolve("round-trip");
    TableExport export = new TableExport(spark, verdicts, line -> {});

    TableExport.Result full = export.full(root);
    ExportManifest fullManifest = full.manifest();
    assertThat(fullManifest.exportId()).isEqualTo("verdicts-full-" + currentSnapshot(verdicts));
    assertThat(fullManifest.kind()).isEqualTo(ExportKind.FULL);
    assertThat(fullManifest.asOf()).isEqualTo(LocalDate.of(2026, 11, 27));
    assertThat(fullManifest.ruleVersions()).containsExactly("2026.11.1");
    assertThat(fullManifest.inputSnapshots())
        .isEqualTo(Map.of("credit.fact", List.of(101L), "lib.enterprise", List.of(201L)));
    assertThat(fullManifest.files())
        .extracting(ExportManifest.ExportedFile::name, ExportManifest.ExportedFile::rows)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("verdicts.parquet", 4L),
            org.assertj.core.groups.Tuple.tuple("verdicts.csv", 4L),
            org.assertj.core.groups.Tuple.tuple("verdicts.jsonl", 4L));
    assertThat(ExportVerifier.verify(full.directory())).isEmpty();
    String csv = Files.readString(full.directory().resolve("verdicts.csv"), StandardCharsets.UTF_8);
    assertThat(csv).startsWith("\uFEFFsubject_type,subject_id,subject_name,status,");
    assertThat(csv).contains(",\"江阴市某某贸易有限公司,\"\"分公司\"\"\n（二部）\",warn,");

    // a new subject, a changed verdict, a removed one; a recomputed identical row is no change
    spark.sql(
        "INSERT INTO "
            + verdicts.table()
            + " VALUES ('enterprise', '"
            + ENTERPRISE_C
            + "', '江阴新设公司', 'clear', '[]', '[]', '2026.11.2', DATE '2026-11-28', NULL,"
            + " '{\"credit.fact\": 102}', DATE '2026-11-28', TIMESTAMP '2026-11-28 02:00:00')");
    spark.sql(
        "UPDATE "
            + verdicts.table()
            + " SET status = 'restricted', rule_version = '2026.11.2' WHERE subject_id = '"
            + ENTERPRISE_B
            + "'");
    spark.sql("DELETE FROM " + verdicts.table() + " WHERE subject_id = '" + PERSON_Q + "'");

    TableExport.Result incremental = export.since(root, fullManifest.exportId());
    ExportManifest manifest = incremental.manifest();
    assertThat(manifest.kind()).isEqualTo(ExportKind.INCREMENTAL);
    assertThat(manifest.baseExportId()).contains(fullManifest.exportId());
    assertThat(manifest.baseSnapshotId()).contains(fullManifest.snapshotId());
    assertThat(manifest.exportId())
        .isEqualTo(
            "verdicts-since-" + fullManifest.snapshotId() + "-to-" + currentSnapshot(verdicts));
    assertThat(manifest.ruleVersions()).containsExactly("2026.11.1", "2026.11.2");
    assertThat(ExportVerifier.verify(incremental.directory())).isEmpty();
    Map<String, String> changes = new TreeMap<>();
    for (Row row : parquet(incremental.directory())) {
      changes.put(row.getString(1), row.getString(row.fieldIndex(TableExport.CHANGE_COLUMN)));
    }
    assertThat(changes)
        .isEqualTo(
            Map.of(
                ENTERPRISE_C, TableExport.ADDED,
                ENTERPRISE_B, TableExport.CHANGED,
                PERSON_Q, TableExport.REMOVED));

    // what a receiving system does: apply the changes to the full export, by key
    Map<List<String>, List<String>> applied = new TreeMap<>(VerdictExportIT::compare);
    for (Row row : parquet(full.directory())) {
      applied.put(key(row), values(row, row.length()));
    }
    for (Row row : parquet(incremental.directory())) {
      String change = row.getString(row.fieldIndex(TableExport.CHANGE_COLUMN));
      if (change.equals(TableExport.REMOVED)) {
        assertThat(applied.remove(key(row))).as("removed row was in the full export").isNotNull();
      } else {
        applied.put(key(row), values(row, row.length() - 1));
      }
    }
    Map<List<String>, List<String>> current = new TreeMap<>(VerdictExportIT::compare);
    for (Row row : spark.sql("SELECT * FROM " + verdicts.table()).collectAsList()) {
      current.put(key(row), values(row, row.length()));
    }
    assertThat(applied).isEqualTo(current);
  }

  @Test
  void rerunningAnExportGivesTheSameBytes() throws IOException {
    ExportedTable verdicts = createVerdictTable("credit.verdict_rerun");
    insertStartingVerdicts(verdicts.table());
    Path first = home.resolve("rerun-first");
    Path second = home.resolve("rerun-second");
    TableExport export = new TableExport(spark, verdicts, line -> {});
    TableExport.Result fullFirst = export.full(first);
    spark.sql("DELETE FROM " + verdicts.table() + " WHERE subject_id = '" + ENTERPRISE_A + "'");
    TableExport.Result sinceFirst = export.since(first, fullFirst.manifest().exportId());

    // the incremental export again, elsewhere, from a copy of its base: the same bytes
    TableExport.Result fullSecond = export.full(second);
    assertThat(fullSecond.manifest().exportId()).isNotEqualTo(fullFirst.manifest().exportId());
    copy(fullFirst.directory(), second.resolve(fullFirst.manifest().exportId()));
    TableExport.Result sinceSecond = export.since(second, fullFirst.manifest().exportId());
    assertThat(sinceSecond.directory().getFileName())
        .isEqualTo(sinceFirst.directory().getFileName());
    assertThat(digests(sinceSecond.directory())).isEqualTo(digests(sinceFirst.directory()));

    // the same full export twice (same snapshot): same bytes, manifest included
    Path third = home.resolve("rerun-third");
    TableExport.Result fullThird = export.full(third);
    assertThat(digests(fullThird.directory())).isEqualTo(digests(fullSecond.directory()));
    assertThat(digests(fullThird.directory()).keySet())
        .containsExactly(ExportManifest.FILE, "verdicts.csv", "verdicts.jsonl", "verdicts.parquet");

    // and again in the same place: kept as it is
    assertThat(export.full(third).outcome()).isEqualTo(TableExport.Outcome.ALREADY_PRESENT);
    // unless someone changed it since: then it is not silently kept
    Files.writeString(fullThird.directory().resolve("verdicts.jsonl"), "{}\n");
    assertThatThrownBy(() -> export.full(third))
        .isInstanceOf(ExportException.class)
        .hasMessageContaining("does not match its manifest")
        .hasMessageContaining("verdicts.jsonl: changed");
  }

  @Test
  void anInterruptedExportLeavesNothingHalfWritten() throws IOException, InterruptedException {
    ExportedTable verdicts = createVerdictTable("credit.verdict_interrupted");
    insertStartingVerdicts(verdicts.table());
    Path root = home.resolve("interrupted");
    for (String step : List.of("csv", "manifest", "move")) {
      TableExport failing =
          new TableExport(
              spark,
              verdicts,
              line -> {},
              reached -> {
                if (reached.equals(step)) {
                  throw new IllegalStateException("interrupted before " + step);
                }
              });
      assertThatThrownBy(() -> failing.full(root)).hasMessage("interrupted before " + step);
      assertThat(entries(root)).as("after interrupting before %s", step).isEmpty();
    }

    // what a killed export leaves: a partial folder of a process that is gone
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path leftover = root.resolve(TableExport.PARTIAL_PREFIX + "verdicts-full-1-" + gone.pid());
    Files.createDirectories(leftover);
    Files.writeString(leftover.resolve("verdicts.csv"), "half");
    List<String> progress = new ArrayList<>();
    TableExport.Result result = new TableExport(spark, verdicts, progress::add).full(root);
    assertThat(progress)
        .anySatisfy(line -> assertThat(line).startsWith("Removing " + leftover.getFileName()));
    assertThat(entries(root)).containsExactly(result.directory().getFileName().toString());
    assertThat(ExportVerifier.verify(result.directory())).isEmpty();
  }

  private static ExportedTable createVerdictTable(String table) {
    spark.sql(
        "CREATE TABLE "
            + table
            + " (subject_type STRING, subject_id STRING, subject_name STRING, status STRING,"
            + " measures STRING, reasons STRING, rule_version STRING, valid_from DATE, valid_to"
            + " DATE, input_snapshots STRING, as_of DATE, computed_at TIMESTAMP) USING iceberg");
    return new ExportedTable(table, List.of("subject_type", "subject_id"), "verdicts");
  }

  private static void insertStartingVerdicts(String table) {
    String inputs = "'{\"credit.fact\": 101, \"lib.enterprise\": 201}'";
    String common =
        ", '2026.11.1', DATE '2026-11-01', NULL, "
            + inputs
            + ", DATE '2026-11-27', TIMESTAMP '2026-11-27 22:00:00.123456')";
    spark.sql(
        "INSERT INTO "
            + table
            + " VALUES "
            + ("('enterprise', '" + ENTERPRISE_A + "', '江阴甲公司', 'clear', '[]', '[]'" + common)
            + ", "
            + ("('enterprise', '" + ENTERPRISE_B + "', '" + AWKWARD_NAME.replace("'", "\\'"))
            + ("', 'warn', '[{\"measure\": \"重点监管\"}]', '[{\"fact\": \"F1\"}]'" + common)
            + ", "
            + ("('person', '" + PERSON_P + "', '甲某', 'clear', '[]', '[]'" + common)
            + ", "
            + ("('person', '" + PERSON_Q + "', '乙某', 'restricted', '[]', '[]'" + common));
  }

  private static long currentSnapshot(ExportedTable table) {
    return spark
        .sql(
            "SELECT snapshot_id FROM "
                + table.table()
                + ".snapshots ORDER BY committed_at DESC LIMIT 1")
        .first()
        .getLong(0);
  }

  private static List<Row> parquet(Path export) {
    return spark.read().parquet(export.resolve("verdicts.parquet").toString()).collectAsList();
  }

  private static List<String> key(Row row) {
    return List.of(row.getString(0), row.getString(1));
  }

  private static List<String> values(Row row, int columns) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < columns; i++) {
      values.add(ExportValues.text(row.get(i)));
    }
    return values;
  }

  private static int compare(List<String> left, List<String> right) {
    return String.join("\u0000", left).compareTo(String.join("\u0000", right));
  }

  private static Map<String, String> digests(Path folder) throws IOException {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        digests.put(file.getFileName().toString(), ExportVerifier.sha256(file));
      }
    }
    return digests;
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  private static List<String> entries(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(root)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  private static String uscc(String organizationPrefix) {
    String first8 = "M" + organizationPrefix;
    String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  /** A made-up person_key (the real ones are HMACs of ID numbers; none is needed here). */
  private static String personKey(String seed) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
