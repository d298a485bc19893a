package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.simulator.ChangeStream;
import cn.jiangyin.warehouse.simulator.ChangeStreamSettings;
import cn.jiangyin.warehouse.simulator.DatabaseKind;
import cn.jiangyin.warehouse.simulator.Department;
import cn.jiangyin.warehouse.simulator.DepartmentalSimulator;
import cn.jiangyin.warehouse.simulator.JdbcTarget;
import cn.jiangyin.warehouse.simulator.SimulatedSources;
import cn.jiangyin.warehouse.simulator.SimulationSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;

/**
 * Simulated departmental databases on the real servers, a lake of their own, a change stream as
 * load, a capture {@link CaptureProcess} in a child JVM that the test may kill, and the checks that
 * the lake holds each change exactly once. Everything is created under a unique prefix and dropped
 * on {@link #close()}, replication slots included.
 */
final class CaptureHarness implements AutoCloseable {
  static final String SECRET = "crash-recovery-secret-0123456789";
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final JdbcTarget POSTGRESQL =
      JdbcTarget.postgresql("127.0.0.1", 5432, "postgres", "", "postgres");
  private static final JdbcTarget MARIADB =
      JdbcTarget.mariadb("127.0.0.1", 3306, "root", "", "mysql");

  final String prefix;
  final List<Department> departments;
  final Map<Department, JdbcTarget> targets = new EnumMap<>(Department.class);
  final DepartmentalSimulator simulator;
  final Path directory;
  final Path log;
  final PersonKeys keys = new PersonKeys(SECRET);
  private final String catalogDatabase;
  private JdbcCatalog catalog;
  private Process child;
  private Thread load;
  private final AtomicBoolean loadRunning = new AtomicBoolean();
  final AtomicLong loadChanges = new AtomicLong();
  final AtomicLong loadFailures = new AtomicLong();

  private CaptureHarness(String label, List<Department> departments, long seed, double scale)
      throws IOException {
    this.prefix =
        "c3_" + label + "_" + Long.toString(System.currentTimeMillis() % 10_000_000, 36) + "_";
    this.departments = List.copyOf(departments);
    this.catalogDatabase = prefix + "catalog";
    this.simulator = new DepartmentalSimulator(SimulationSettings.of(seed, scale));
    this.directory = Files.createTempDirectory("capture-" + label);
    this.log = Path.of("target", "capture-process-" + label + ".log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(log);
    Map<Department, JdbcTarget> all = DepartmentalSimulator.targets(prefix, POSTGRESQL, MARIADB);
    departments.forEach(department -> targets.put(department, all.get(department)));
  }

  /** Creates and fills the source databases, grants and publications, and the catalog. */
  static CaptureHarness create(String label, List<Department> departments, long seed, double scale)
      throws Exception {
    CaptureHarness harness = new CaptureHarness(label, departments, seed, scale);
    try {
      harness.prepare();
    } catch (Exception | Error e) {
      harness.close();
      throw e;
    }
    return harness;
  }

  private void prepare() throws SQLException {
    execute(POSTGRES + "postgres", "CREATE DATABASE " + catalogDatabase);
    System.out.println("filled " + simulator.fill(targets));
    SimulatedSources.prepareForCapture(targets);
    for (Map.Entry<Department, JdbcTarget> entry : targets.entrySet()) {
      if (entry.getValue().kind() == DatabaseKind.POSTGRESQL) {
        execute(
            POSTGRES + entry.getValue().database(),
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO capture",
            "CREATE PUBLICATION jy_"
                + entry.getValue().database()
                + " FOR TABLE "
                + String.join(", ", DepartmentalSimulator.tableNames(entry.getKey())));
      }
    }
    catalog =
        CatalogFactory.open(
            PlatformConfig.of(
                Map.of(
                    "catalog.jdbc-url",
                    POSTGRES + catalogDatabase,
                    "catalog.user",
                    "postgres",
                    "lake.location",
                    lake().toString()),
                name -> "unused-by-trust-auth-0000",
                lake()));
  }

  Path lake() {
    return directory.resolve("lake");
  }

  Path state() {
    return directory.resolve("state");
  }

  JdbcCatalog catalog() {
    return catalog;
  }

  List<SourceDefinition> sources() {
    return CaptureProcess.sources(prefix, departments);
  }

  // ---- load ----

  /**
   * Starts a change stream at {@code changesPerSecond}, three changes per transaction, in rounds of
   * two seconds (a JDBC driver may swallow an interrupt); if a round fails (a source server
   * restarting), the next starts a second later.
   */
  void startLoad(long seed, double changesPerSecond) {
    loadRunning.set(true);
    load =
        new Thread(
            () -> {
              long round = 0;
              while (loadRunning.get()) {
                try {
                  loadChanges.addAndGet(
                      new ChangeStream(
                              simulator,
                              targets,
                              ChangeStreamSettings.forDuration(
                                      seed + round++, changesPerSecond, Duration.ofSeconds(2))
                                  .withChangesPerTransaction(3))
                          .run()
                          .total());
                } catch (RuntimeException e) {
                  loadFailures.incrementAndGet();
                  System.out.println("load interrupted by " + e.getMessage() + "; going on");
                  try {
                    Thread.sleep(1_000);
                  } catch (InterruptedException stop) {
                    return;
                  }
                }
                if (Thread.currentThread().isInterrupted()) {
                  return;
                }
              }
            },
            "load");
    load.start();
  }

  void stopLoad() throws InterruptedException {
    loadRunning.set(false);
    if (load != null) {
      load.interrupt();
      load.join(60_000);
      assertThat(load.isAlive()).as("load stopped").isFalse();
    }
  }

  // ---- the capture process ----

  void startCapture() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!flag.startsWith("-javaagent")
          && !flag.startsWith("-agentlib")
          && !flag.startsWith("-Xmx")
          && !flag.startsWith("-Xms")) {
        command.add(flag);
      }
    }
    // a short-lived process: fast start over peak speed
    command.add("-Xmx1g");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    // the class path is too long for one argument on some systems: a java @argfile
    Path arguments = directory.resolve("classpath.args");
    Files.writeString(arguments, "-cp\n" + System.getProperty("java.class.path") + "\n");
    command.add("@" + arguments);
    command.add(CaptureProcess.class.getName());
    command.add(POSTGRES + catalogDatabase);
    command.add(lake().toString());
    command.add(state().toString());
    command.add(prefix);
    command.add(SECRET);
    command.add(String.join(",", departments.stream().map(Department::name).toList()));
    child =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  boolean captureAlive() {
    return child != null && child.isAlive();
  }

  /** {@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL on Linux. */
  void killCapture() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor();
      child = null;
    }
  }

  /** Catches up in this JVM and stops, one source after the other. */
  long catchUp() throws InterruptedException {
    long committed = 0;
    for (SourceDefinition source : sources()) {
      try (CaptureEngine engine = new CaptureEngine(source, catalog, keys, state())) {
        committed += engine.runUntilQuiet(Duration.ofSeconds(4), Duration.ofMinutes(3)).committed();
      }
    }
    return committed;
  }

  // ---- what the lake says ----

  /** The newest capture commit of each source: its batch and how long ago it was committed. */
  record Progress(long batch, boolean inSnapshot, long committedAtMillis) {
    long millisSinceCommit() {
      return committedAtMillis == 0 ? -1 : System.currentTimeMillis() - committedAtMillis;
    }
  }

  Map<String, Progress> progress() {
    Map<String, Progress> progress = new LinkedHashMap<>();
    for (SourceDefinition source : sources()) {
      CaptureCheckpoint checkpoint = CaptureCheckpoint.read(catalog, source.name());
      long newest = 0;
      for (String table : checkpoint.committedPositions().keySet()) {
        Table raw = catalog.loadTable(TableIdentifier.of("raw", table));
        raw.refresh();
        Snapshot snapshot = raw.currentSnapshot();
        if (snapshot != null) {
          newest = Math.max(newest, snapshot.timestampMillis());
        }
      }
      boolean inSnapshot =
          checkpoint.lastBatch() == 0
              || checkpoint.resumeOffset().map(CaptureCheckpoint::isSnapshotOffset).orElse(true);
      progress.put(source.name(), new Progress(checkpoint.lastBatch(), inSnapshot, newest));
    }
    return progress;
  }

  // ---- the checks ----

  /** What the comparison found, over all tables. */
  record Verdict(
      long sourceRows,
      long rawRows,
      long snapshotRows,
      long streamedRows,
      List<String> differences) {}

  /**
   * Rebuilds each table's current state from its raw change log (newest row per primary key by
   * {@code _position}; a key whose newest change is a delete is gone) and compares it, row by row
   * and column by column, with the source table. Also checks that no {@code _position} appears
   * twice, and that no source event does (PostgreSQL: its WAL LSN; MariaDB: binlog file, position,
   * event and row), whatever the position's other parts.
   */
  Verdict verify() throws Exception {
    long sourceRows = 0;
    long rawRows = 0;
    long snapshotRows = 0;
    long streamedRows = 0;
    List<String> differences = new ArrayList<>();
    for (SourceDefinition source : sources()) {
      Department department =
          departments.stream()
              .filter(d -> d.databaseName().equals(source.name()))
              .findFirst()
              .orElseThrow();
      JdbcTarget target = targets.get(department);
      for (String sourceTable : source.tables()) {
        String table = sourceTable.substring(sourceTable.indexOf('.') + 1);
        Table raw = catalog.loadTable(TableIdentifier.of("raw", source.rawTableName(sourceTable)));
        raw.refresh();
        List<String> key =
            List.of(raw.properties().get(RawSchemas.PRIMARY_KEY_PROPERTY).split(","));
        List<Record> changes = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(raw).build()) {
          records.forEach(record -> changes.add(record.copy()));
        }
        rawRows += changes.size();
        Map<String, Long> positions = new HashMap<>();
        Map<String, Long> events = new HashMap<>();
        for (Record change : changes) {
          String position = (String) change.getField(RawSchemas.POSITION);
          positions.merge(position, 1L, Long::sum);
          if ("r".equals(change.getField(RawSchemas.OP))) {
            snapshotRows++;
          } else {
            streamedRows++;
            String event =
                source.kind() == SourceKind.POSTGRESQL ? position.substring(16, 32) : position;
            events.merge(event, 1L, Long::sum);
          }
        }
        positions.forEach(
            (position, count) -> {
              if (count > 1) {
                differences.add(
                    source.rawTableName(sourceTable) + ": _position " + position + " ×" + count);
              }
            });
        events.forEach(
            (event, count) -> {
              if (count > 1) {
                differences.add(
                    source.rawTableName(sourceTable) + ": source event " + event + " ×" + count);
              }
            });
        Map<List<Object>, Record> current = new HashMap<>();
        changes.stream()
            .sorted(Comparator.comparing(r -> (String) r.getField(RawSchemas.POSITION)))
            .forEach(
                change -> {
                  List<Object> id = key.stream().map(change::getField).toList();
                  if ("d".equals(change.getField(RawSchemas.OP))) {
                    current.remove(id);
                  } else {
                    current.put(id, change);
                  }
                });
        Map<List<Object>, Map<String, Object>> expected = sourceRows(target, table, key);
        sourceRows += expected.size();
        String name = source.rawTableName(sourceTable);
        for (Map.Entry<List<Object>, Map<String, Object>> row : expected.entrySet()) {
          Record got = current.get(normalKey(raw, key, row.getKey()));
          if (got == null) {
            differences.add(name + ": lost row " + row.getKey());
            continue;
          }
          for (Map.Entry<String, Object> column : row.getValue().entrySet()) {
            Object want = column.getValue();
            String personal = column.getKey();
            if (source.personalColumns(sourceTable).contains(personal)) {
              boolean id = want != null && ChangeEventConverter.looksLikeIdNumber(want.toString());
              compare(
                  differences,
                  name,
                  row.getKey(),
                  personal + RawSchemas.PERSON_KEY_SUFFIX,
                  id ? keys.key(want.toString()) : null,
                  got.getField(personal + RawSchemas.PERSON_KEY_SUFFIX));
              want = id ? PersonKeys.mask(want.toString()) : want;
            }
            compare(
                differences,
                name,
                row.getKey(),
                column.getKey(),
                want,
                got.getField(column.getKey()));
          }
        }
        java.util.Set<List<Object>> inSource = new java.util.HashSet<>();
        expected.keySet().forEach(k -> inSource.add(normalKey(raw, key, k)));
        for (List<Object> id : current.keySet()) {
          if (!inSource.contains(id)) {
            differences.add(name + ": row " + id + " is in the lake but not in the source");
          }
        }
      }
    }
    return new Verdict(sourceRows, rawRows, snapshotRows, streamedRows, differences);
  }

  private static List<Object> normalKey(Table raw, List<String> key, List<Object> sourceKey) {
    List<Object> id = new ArrayList<>();
    for (int i = 0; i < key.size(); i++) {
      Types.NestedField field = raw.schema().findField(key.get(i));
      Object value = sourceKey.get(i);
      if (value instanceof Number number) {
        value =
            field.type().typeId() == org.apache.iceberg.types.Type.TypeID.LONG
                ? (Object) number.longValue()
                : (Object) number.intValue();
      }
      id.add(value);
    }
    return id;
  }

  private static void compare(
      List<String> differences,
      String table,
      List<Object> key,
      String column,
      Object want,
      Object got) {
    if (!Objects.equals(canonical(want), canonical(got)) && differences.size() < 200) {
      differences.add(table + " " + key + "." + column + ": source " + want + ", lake " + got);
    }
  }

  private static String canonical(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Boolean bool) {
      // MariaDB's BOOLEAN is TINYINT(1), which the connector delivers as a number: compare 1/0
      return bool ? "1" : "0";
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().toPlainString();
    }
    if (value instanceof Number number) {
      return new BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().toString();
    }
    return value.toString();
  }

  /** The source table, keyed by primary key, each row's columns typed as the lake types them. */
  private static Map<List<Object>, Map<String, Object>> sourceRows(
      JdbcTarget target, String table, List<String> key) throws SQLException {
    Map<List<Object>, Map<String, Object>> rows = new HashMap<>();
    try (Connection connection = target.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData meta = result.getMetaData();
      while (result.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          String type = meta.getColumnTypeName(i).toLowerCase(java.util.Locale.ROOT);
          Object value =
              switch (type) {
                case "timestamptz" -> result.getObject(i, OffsetDateTime.class);
                case "timestamp", "datetime" -> result.getObject(i, LocalDateTime.class);
                case "date" -> result.getObject(i, LocalDate.class);
                default -> result.getObject(i);
              };
          row.put(meta.getColumnLabel(i), value);
        }
        rows.put(key.stream().map(row::get).toList(), row);
      }
    }
    return rows;
  }

  // ---- clean-up ----

  /** Stops everything and drops what was created; each step runs even if an earlier one failed. */
  @Override
  public void close() throws Exception {
    List<Exception> failures = new ArrayList<>();
    attempt(failures, () -> loadRunning.set(false));
    attempt(failures, this::killCapture);
    attempt(failures, this::stopLoad);
    attempt(failures, () -> catalog.close());
    for (JdbcTarget target : targets.values()) {
      if (target.kind() == DatabaseKind.POSTGRESQL) {
        attempt(failures, () -> dropSlot("jy_" + target.database()));
      }
      attempt(failures, () -> DepartmentalSimulator.dropDatabase(target));
    }
    attempt(
        failures,
        () ->
            execute(
                POSTGRES + "postgres",
                "DROP DATABASE IF EXISTS " + catalogDatabase + " WITH (FORCE)"));
    attempt(
        failures,
        () -> {
          try (var files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
          }
        });
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.stream().skip(1).forEach(first::addSuppressed);
      throw first;
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void attempt(List<Exception> failures, Step step) {
    try {
      step.run();
    } catch (Exception | AssertionError e) {
      failures.add(e instanceof Exception exception ? exception : new IllegalStateException(e));
    }
  }

  private static void dropSlot(String slot) throws Exception {
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        execute(
            POSTGRES + "postgres",
            "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                + slot
                + "' AND active_pid IS NOT NULL",
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + slot
                + "'");
        return;
      } catch (SQLException e) {
        Thread.sleep(500);
      }
    }
    System.out.println("Cannot drop replication slot " + slot + "; drop it by hand");
  }

  static void execute(String url, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
