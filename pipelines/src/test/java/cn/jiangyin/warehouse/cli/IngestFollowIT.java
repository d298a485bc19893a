package cn.jiangyin.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warehouse ingest --follow} in a child process, as an operator runs it: a PostgreSQL and a
 * MariaDB source under steady writes plus a source that cannot connect; the metrics page scraped
 * over HTTP; SIGTERM, exit 0; then {@code ingest --once} catches up the rest and every source
 * change is in raw exactly once. {@code ingest status} reads the result.
 */
class IngestFollowIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/";
  private static final String CAPTURE_PASSWORD =
      System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture");
  private static final String RUN = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String CATALOG_DB = "c3_ops_catalog_" + RUN;
  private static final String SOURCE_DB = "c3_ops_follow_" + RUN;
  private static final String PG_SOURCE = "follow_pg_" + RUN;
  private static final String MARIA_SOURCE = "follow_maria_" + RUN;
  private static final String BAD_SOURCE = "follow_bad_" + RUN;

  @TempDir static Path home;

  @BeforeAll
  static void createDatabases() throws SQLException {
    execute(POSTGRES + "postgres", "postgres", "", "CREATE DATABASE " + CATALOG_DB);
    execute(POSTGRES + "postgres", "postgres", "", "CREATE DATABASE " + SOURCE_DB);
    execute(
        POSTGRES + SOURCE_DB,
        "postgres",
        "",
        "CREATE TABLE penalty (id bigint PRIMARY KEY, amount int)",
        "ALTER TABLE penalty REPLICA IDENTITY FULL",
        "INSERT INTO penalty VALUES (1, 10), (2, 20), (3, 30)",
        // what the DBA does: heartbeat table, grants, publication over both
        "CREATE TABLE jy_heartbeat (source text PRIMARY KEY, beat_at timestamptz NOT NULL)",
        "GRANT SELECT ON penalty TO capture",
        "GRANT SELECT, INSERT, UPDATE ON jy_heartbeat TO capture",
        "CREATE PUBLICATION jy_" + SOURCE_DB + " FOR TABLE penalty, jy_heartbeat");
    execute(MARIADB, "root", "", "CREATE DATABASE " + SOURCE_DB + " CHARACTER SET utf8mb4");
    execute(
        MARIADB + SOURCE_DB,
        "root",
        "",
        "CREATE TABLE arrears (id BIGINT PRIMARY KEY, amount INT)",
        "INSERT INTO arrears VALUES (1, 10), (2, 20), (3, 30)");
  }

  @AfterAll
  static void dropDatabases() throws SQLException {
    execute(
        POSTGRES + "postgres",
        "postgres",
        "",
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'jy_"
            + SOURCE_DB
            + "'",
        "DROP DATABASE IF EXISTS " + SOURCE_DB + " WITH (FORCE)",
        "DROP DATABASE IF EXISTS " + CATALOG_DB + " WITH (FORCE)");
    execute(MARIADB, "root", "", "DROP DATABASE IF EXISTS " + SOURCE_DB);
  }

  @Test
  void followStopsCleanlyOnSigtermAndNothingIsLostOrRepeated() throws Exception {
    Path config = writeConfig();
    Path sources = writeSources(true);
    Path goodSources = writeSources(false);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WarehouseCommand.class.getName());
    command.addAll(
        List.of(
            "--config",
            config.toString(),
            "ingest",
            "--follow",
            "--sources",
            sources.toString(),
            "--metrics-port",
            Integer.toString(port)));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(home.resolve("follow.out").toFile())
            .redirectError(home.resolve("follow.err").toFile());
    builder.environment().putAll(environment());

    Writer postgres = new Writer(POSTGRES + SOURCE_DB, "postgres", "penalty");
    Writer mariadb = new Writer(MARIADB + SOURCE_DB, "root", "arrears");
    Process child = builder.start();
    try {
      // writes start once the snapshots are committed: a transaction that straddles the snapshot
      // point can be dropped as a replay (reported in the ops branch; converter/writer issue)
      awaitMetrics(port, child, 3);
      postgres.start();
      mariadb.start();
      String metrics = awaitMetrics(port, child, 40);
      assertThat(metrics)
          .contains("jiangyin_capture_up 1")
          .contains("# TYPE jiangyin_capture_committed_total counter")
          .contains("jiangyin_capture_lag_seconds{source=\"" + PG_SOURCE + "\"}")
          .contains("jiangyin_capture_source_running{source=\"" + BAD_SOURCE + "\"}");
      assertThat(sample(metrics, "jiangyin_capture_committed_total", MARIA_SOURCE)).isPositive();
      assertThat(sample(metrics, "jiangyin_capture_last_commit_timestamp_seconds", PG_SOURCE))
          .isGreaterThan(System.currentTimeMillis() / 1000.0 - 120);
      // the bad source fails and is retried; the others go on
      assertThat(sample(metrics, "jiangyin_capture_restarts_total", BAD_SOURCE)).isPositive();

      Thread.sleep(1500); // writes still flowing: SIGTERM lands with batches in hand
      child.destroy(); // SIGTERM
      assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("stopped within 90 s").isTrue();
      assertThat(child.exitValue()).as(log()).isZero();
      // the orderly path ran (the signal handler, not the shutdown hook's exit 143)
      assertThat(Files.readString(home.resolve("follow.err")))
          .contains("stopped; the batches in hand were committed");
      assertThat(Files.readString(home.resolve("follow.out")))
          .contains(PG_SOURCE + ": ")
          .contains(MARIA_SOURCE + ": ");
    } finally {
      postgres.stop();
      mariadb.stop();
      child.destroyForcibly();
    }

    System.out.println("follow printed:\n" + Files.readString(home.resolve("follow.out")));
    // catch up what was written after the stop, in-process
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            environment()::get,
            "--config",
            config.toString(),
            "ingest",
            "--once",
            "--sources",
            goodSources.toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    System.out.println("once printed:\n" + out.toString(StandardCharsets.UTF_8));

    assertExactlyOnce(PG_SOURCE + "__penalty", POSTGRES + SOURCE_DB, "postgres", "penalty");
    assertExactlyOnce(MARIA_SOURCE + "__arrears", MARIADB + SOURCE_DB, "root", "arrears");

    out.reset();
    code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            environment()::get,
            "--config",
            config.toString(),
            "ingest",
            "status",
            "--sources",
            goodSources.toString());
    String status = out.toString(StandardCharsets.UTF_8);
    System.out.println(status);
    assertThat(code).isZero();
    assertThat(status.lines().findFirst().orElseThrow())
        .startsWith("source")
        .contains("committed_position", "lag_s", "behind_bytes", "quarantined");
    assertThat(status)
        .contains(PG_SOURCE + "__penalty")
        .contains(MARIA_SOURCE + "__arrears")
        .contains("LSN ")
        .contains("binlog ");

    // as the scheduler's health check: caught up, so healthy; with the source that cannot
    // connect, unhealthy (exit 3) and that source named
    assertThat(status(config, err, goodSources, "--max-lag", "3600")).isZero();
    err.reset();
    assertThat(status(config, err, sources, "--max-lag", "3600")).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("unhealthy: " + BAD_SOURCE)
        .doesNotContain("unhealthy: " + PG_SOURCE)
        .doesNotContain("unhealthy: " + MARIA_SOURCE);
  }

  private static int status(
      Path config, ByteArrayOutputStream err, Path sources, String... options) {
    List<String> args = new ArrayList<>(List.of("--config", config.toString(), "ingest", "status"));
    args.addAll(List.of("--sources", sources.toString()));
    args.addAll(List.of(options));
    return WarehouseCommand.execute(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        environment()::get,
        args.toArray(String[]::new));
  }

  /**
   * Every change in raw once: no position twice, each row inserted once (as a snapshot read or an
   * insert), and the current state rebuilt from raw (newest change per id by position) equal to the
   * source table. Changes made before the snapshot are folded into its rows.
   */
  private static void assertExactlyOnce(String rawTable, String url, String user, String table)
      throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (var catalog =
        cn.jiangyin.warehouse.catalog.CatalogFactory.open(
            cn.jiangyin.warehouse.config.PlatformConfig.load(writeConfig(), environment()::get))) {
      var raw = catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("raw", rawTable));
      try (var records = org.apache.iceberg.data.IcebergGenerics.read(raw).build()) {
        for (var record : records) {
          rows.add(
              new String[] {
                (String) record.getField("_op"),
                String.valueOf(record.getField("id")),
                String.valueOf(record.getField("amount")),
                (String) record.getField("_position")
              });
        }
      }
    }
    assertThat(rows.stream().map(r -> r[3]).toList()).doesNotHaveDuplicates();
    assertThat(
            rows.stream().filter(r -> r[0].equals("c") || r[0].equals("r")).map(r -> r[1]).toList())
        .doesNotHaveDuplicates();
    Map<String, String[]> current = new java.util.TreeMap<>();
    for (String[] row : rows) {
      current.merge(row[1], row, (a, b) -> a[3].compareTo(b[3]) >= 0 ? a : b);
    }
    Map<String, String> state = new java.util.TreeMap<>();
    current.forEach(
        (id, row) -> {
          if (!row[0].equals("d")) {
            state.put(id, row[2]);
          }
        });
    Map<String, String> source = new java.util.TreeMap<>();
    try (Connection connection = DriverManager.getConnection(url, user, "");
        Statement statement = connection.createStatement();
        java.sql.ResultSet result = statement.executeQuery("SELECT id, amount FROM " + table)) {
      while (result.next()) {
        source.put(result.getString(1), result.getString(2));
      }
    }
    assertThat(state).hasSizeGreaterThan(100).isEqualTo(source);
  }

  private static Map<String, String> environment() {
    return Map.of(
        "CAPTURE_PASSWORD", CAPTURE_PASSWORD,
        "WAREHOUSE_DB_PASSWORD", "trust-authentication-ignores-it",
        "PERSON_KEY_SECRET", "ingest-follow-it-secret-0000");
  }

  private static Path writeConfig() throws IOException {
    Path file = home.resolve("warehouse.yaml");
    Files.writeString(
        file,
        """
        catalog:
          jdbc-url: %s
          user: postgres
          password: "${env:WAREHOUSE_DB_PASSWORD}"
        lake:
          location: %s
        capture:
          state-location: %s
        identity:
          person-key-secret: "${env:PERSON_KEY_SECRET}"
        """
            .formatted(POSTGRES + CATALOG_DB, home.resolve("lake"), home.resolve("capture-state")));
    return file;
  }

  private static Path writeSources(boolean withBadSource) throws IOException {
    String good =
        """
        sources:
          - name: %s
            kind: postgresql
            host: 127.0.0.1
            database: %s
            user: capture
            password: ${env:CAPTURE_PASSWORD}
            heartbeat-table: jy_heartbeat
            tables: [penalty]
            debezium:
              publication.autocreate.mode: disabled
          - name: %s
            kind: mariadb
            host: 127.0.0.1
            database: %s
            user: capture
            password: ${env:CAPTURE_PASSWORD}
            tables: [arrears]
        """
            .formatted(PG_SOURCE, SOURCE_DB, MARIA_SOURCE, SOURCE_DB);
    String bad =
        """
          - name: %s
            kind: postgresql
            host: 127.0.0.1
            database: c3_ops_missing_%s
            user: capture
            password: ${env:CAPTURE_PASSWORD}
            tables: [penalty]
        """
            .formatted(BAD_SOURCE, RUN);
    Path file = home.resolve(withBadSource ? "sources-with-bad.yaml" : "sources.yaml");
    Files.writeString(file, withBadSource ? good + bad : good);
    return file;
  }

  /** Scrapes until both good sources have committed {@code committed} changes. */
  private static String awaitMetrics(int port, Process child, int committed) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String last = "";
    while (System.nanoTime() < deadline) {
      assertThat(child.isAlive()).as(log()).isTrue();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse(""))
            .startsWith("text/plain; version=0.0.4");
        last = response.body();
        if (sample(last, "jiangyin_capture_committed_total", PG_SOURCE) >= committed
            && sample(last, "jiangyin_capture_committed_total", MARIA_SOURCE) >= committed
            && sample(last, "jiangyin_capture_restarts_total", BAD_SOURCE) > 0) {
          return last;
        }
      } catch (IOException notYet) {
        // the server is not up yet
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no committed changes within 90 s:\n" + last + "\n" + log());
  }

  private static double sample(String page, String metric, String source) {
    Matcher matcher =
        Pattern.compile("^" + metric + "\\{source=\"" + source + "\"\\} (\\S+)$", Pattern.MULTILINE)
            .matcher(page);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }

  private static String log() {
    try {
      String err = Files.readString(home.resolve("follow.err"));
      return err.length() > 6000 ? err.substring(err.length() - 6000) : err;
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** Inserts rows and updates every other one, committed one by one, until stopped. */
  private static final class Writer {
    final AtomicLong changes = new AtomicLong();
    final AtomicLong inserts = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Exception failure;

    Writer(String url, String user, String table) {
      thread =
          new Thread(
              () -> {
                try (Connection connection = DriverManager.getConnection(url, user, "");
                    Statement statement = connection.createStatement()) {
                  for (long id = 100; running.get(); id++) {
                    statement.executeUpdate(
                        "INSERT INTO " + table + " VALUES (" + id + ", " + id + ")");
                    inserts.incrementAndGet();
                    changes.incrementAndGet();
                    if (id % 2 == 0) {
                      statement.executeUpdate(
                          "UPDATE " + table + " SET amount = amount + 1 WHERE id = " + (id - 1));
                      changes.incrementAndGet();
                    }
                    Thread.sleep(15);
                  }
                } catch (Exception e) {
                  failure = e;
                }
              },
              "writer-" + table);
    }

    void start() {
      thread.start();
    }

    void stop() throws Exception {
      running.set(false);
      thread.join();
      if (failure != null) {
        throw failure;
      }
    }
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
