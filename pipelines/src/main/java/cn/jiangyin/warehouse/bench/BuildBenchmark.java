package cn.jiangyin.warehouse.bench;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.CaptureStatistics;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.flow.LakeBuild;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.simulator.ChangeCounts;
import cn.jiangyin.warehouse.simulator.ChangeStream;
import cn.jiangyin.warehouse.simulator.ChangeStreamSettings;
import cn.jiangyin.warehouse.simulator.DatabaseKind;
import cn.jiangyin.warehouse.simulator.Department;
import cn.jiangyin.warehouse.simulator.DepartmentalSimulator;
import cn.jiangyin.warehouse.simulator.FillReport;
import cn.jiangyin.warehouse.simulator.JdbcTarget;
import cn.jiangyin.warehouse.simulator.SimulatedSources;
import cn.jiangyin.warehouse.simulator.SimulationSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;

/**
 * The build benchmark (全量与增量构建基准测试): the simulated departments filled at a fraction of county scale
 * on the machine's PostgreSQL and MariaDB, captured by Debezium into raw Iceberg, then {@link
 * LakeBuild} (everything after capture) timed in full; then 1 % of the source rows changed by the
 * simulator's {@link ChangeStream}, captured, and {@link LakeBuild} timed again, incrementally.
 * Time and peak memory of each phase, and the ratio incremental / full build.
 *
 * <p>Each build runs in a fresh SparkSession of the same process (nothing cached from the previous
 * one), as a scheduled build would. Capture runs before each build, timed apart as context.
 */
final class BuildBenchmark {
  /**
   * The simulator's scale for the county (≈ 300,000 market subjects; the simulator's scale 1 is ≈
   * 1,000).
   */
  static final double COUNTY = 300;

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
  private static final Duration QUIET = Duration.ofSeconds(3);
  private static final Duration CAPTURE_TIMEOUT = Duration.ofHours(6);

  /** What to run: {@code scale} is a fraction of county scale. */
  record Settings(double scale, long seed, double changeShare, Path workDirectory) {
    Settings {
      requireNonNull(workDirectory, "workDirectory is null");
      if (!(scale > 0) || scale > 10) {
        throw new IllegalArgumentException(
            "Invalid --scale " + scale + ": a fraction of county scale, 0 < scale <= 10");
      }
      if (!(changeShare > 0) || changeShare > 1) {
        throw new IllegalArgumentException(
            "Invalid --change-share " + changeShare + ": 0 < share <= 1");
      }
    }

    double simulatorScale() {
      return scale * COUNTY;
    }
  }

  /** One measured phase. */
  record Phase(
      String name,
      long amount,
      String unit,
      double seconds,
      long peakRssBytes,
      long peakHeapBytes) {}

  private final Settings settings;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  private final List<Phase> phases = new ArrayList<>();
  private final long started = System.nanoTime();

  BuildBenchmark(Settings settings, PrintWriter out, PrintWriter err) {
    this.settings = requireNonNull(settings, "settings is null");
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  /** Runs every phase, prints the table, removes everything it created. */
  List<Phase> run() throws Exception {
    String loadAtStart = BenchSupport.loadAverage();
    Path work = settings.workDirectory().resolve("bench-build-" + run);
    Files.createDirectories(work);
    String prefix = "bench_" + run + "_";
    String catalogDatabase = prefix + "catalog";
    Map<Department, JdbcTarget> targets =
        DepartmentalSimulator.targets(
            prefix,
            JdbcTarget.postgresql("127.0.0.1", 5432, "postgres", "", "postgres"),
            JdbcTarget.mariadb("127.0.0.1", 3306, "root", "", "mysql"));
    execute(PG + "postgres", "CREATE DATABASE " + catalogDatabase);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                PG + catalogDatabase,
                "catalog.user",
                "postgres",
                "lake.location",
                work.resolve("lake").toString(),
                "export.location",
                work.resolve("export").toString()),
            name ->
                name.equals("PERSON_KEY_SECRET")
                    ? "bench-person-key-secret-0123456789"
                    : "unused-by-trust-auth-0000",
            work);
    err.printf(
        "== bench build %s: scale %s of county (simulator scale %s), load average %s%n",
        run, settings.scale(), settings.simulatorScale(), loadAtStart);
    err.flush();
    try {
      DepartmentalSimulator simulator =
          new DepartmentalSimulator(
              SimulationSettings.of(settings.seed(), settings.simulatorScale()));
      FillReport filled = fill(simulator, targets);
      SimulatedSources.prepareForCapture(targets);
      grantCaptureAsTheDbaWould(targets);
      List<SourceDefinition> sources =
          SimulatedSources.definitions(
              targets,
              "capture",
              System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture"),
              Map.of("publication.autocreate.mode", "disabled"));
      LocalDate asOf = DepartmentalSimulator.REFERENCE_DATE;
      try (JdbcCatalog catalog = CatalogFactory.open(config)) {
        new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
        PersonKeys keys = new PersonKeys(config.personKeySecret());
        long snapshot =
            capture("capture: initial snapshot", sources, catalog, keys, work, filled.total());
        LakeBuild.Result full = build("full build", config, catalog, asOf, snapshot);

        long changes = Math.max(1, Math.round(filled.total() * settings.changeShare()));
        ChangeCounts applied = change(simulator, targets, changes);
        long streamed =
            capture(
                "capture: the changes (streaming)", sources, catalog, keys, work, applied.total());
        build("incremental build", config, catalog, asOf, streamed);
        String loadAtEnd = BenchSupport.loadAverage();
        print(filled, full, applied, loadAtStart, loadAtEnd);
      }
    } finally {
      err.println("== cleaning up: databases, replication slots, catalog, lake");
      err.flush();
      cleanUp(targets, catalogDatabase, work);
    }
    return List.copyOf(phases);
  }

  private FillReport fill(DepartmentalSimulator simulator, Map<Department, JdbcTarget> targets) {
    err.printf("== filling %d departmental databases …%n", targets.size());
    err.flush();
    long start = System.nanoTime();
    Map<Department, Map<String, Long>> rows = new LinkedHashMap<>();
    int done = 0;
    try (MemoryProbe memory = MemoryProbe.start()) {
      for (Map.Entry<Department, JdbcTarget> entry : targets.entrySet()) {
        long departmentStart = System.nanoTime();
        FillReport report = simulator.fill(entry.getKey(), entry.getValue());
        rows.putAll(report.rows());
        done++;
        err.printf(
            "   (%d/%d) %s (%s, %s): %,d rows in %.1f s%n",
            done,
            targets.size(),
            entry.getKey().databaseName(),
            entry.getKey().chineseName(),
            entry.getValue().kind(),
            report.total(),
            seconds(System.nanoTime() - departmentStart));
        err.flush();
      }
      FillReport filled = new FillReport(rows);
      phases.add(phase("fill source databases", filled.total(), "rows", start, memory));
      return filled;
    }
  }

  /**
   * Captures every source until caught up, again from the committed offsets while fewer than {@code
   * expected} changes were committed: on a loaded machine a PostgreSQL stream can stay quiet for
   * longer than {@link #QUIET} before it delivers, and the engine then counts itself caught up with
   * nothing committed (seen on 2026-11-28: 1,700 of 16,830 changes, only MariaDB's).
   */
  private long capture(
      String name,
      List<SourceDefinition> sources,
      JdbcCatalog catalog,
      PersonKeys keys,
      Path work,
      long expected)
      throws InterruptedException {
    err.printf("== %s of %d sources …%n", name, sources.size());
    err.flush();
    long start = System.nanoTime();
    long committed = 0;
    try (MemoryProbe memory = MemoryProbe.start()) {
      for (int round = 0; round < MAX_CAPTURE_ROUNDS; round++) {
        if (round > 0) {
          err.printf(
              "   %,d of %,d changes committed: the streams went quiet before delivering them;"
                  + " capturing again from the committed offsets (round %d)%n",
              committed, expected, round + 1);
          err.flush();
        }
        long roundCommitted = captureRound(sources, catalog, keys, work);
        committed += roundCommitted;
        if (committed >= expected || (round > 0 && roundCommitted == 0)) {
          break;
        }
      }
      if (committed < expected) {
        err.printf(
            "   warning: %,d of %,d changes committed after %d rounds%n",
            committed, expected, MAX_CAPTURE_ROUNDS);
        err.flush();
      }
      phases.add(phase(name, committed, "changes", start, memory));
    }
    return committed;
  }

  private static final int MAX_CAPTURE_ROUNDS = 4;

  private long captureRound(
      List<SourceDefinition> sources, JdbcCatalog catalog, PersonKeys keys, Path work)
      throws InterruptedException {
    long committed = 0;
    for (int i = 0; i < sources.size(); i++) {
      SourceDefinition source = sources.get(i);
      long sourceStart = System.nanoTime();
      long sourceCommitted;
      try {
        sourceCommitted = captureOnce(source, catalog, keys, work);
      } catch (BenchmarkException e) {
        throw e;
      } catch (RuntimeException e) {
        // as `ingest --once` run again would: resume from the offsets committed in the lake
        err.printf(
            "   %s: capture stopped with an error (%s); resuming once from the offsets committed"
                + " in the lake%n",
            source.name(), e.getMessage());
        err.flush();
        sourceCommitted = failedCommitted + captureOnce(source, catalog, keys, work);
      }
      committed += sourceCommitted;
      err.printf(
          "   (%d/%d) %s: %,d changes committed in %.1f s%n",
          i + 1,
          sources.size(),
          source.name(),
          sourceCommitted,
          seconds(System.nanoTime() - sourceStart));
      err.flush();
    }
    return committed;
  }

  /** What the last failed capture had committed before it failed. */
  private long failedCommitted;

  private long captureOnce(SourceDefinition source, JdbcCatalog catalog, PersonKeys keys, Path work)
      throws InterruptedException {
    failedCommitted = 0;
    try (CaptureEngine engine =
        new CaptureEngine(source, catalog, keys, work.resolve("capture-state"))) {
      CaptureStatistics statistics;
      try {
        statistics = engine.runUntilCaughtUp(QUIET, CAPTURE_TIMEOUT);
      } catch (RuntimeException e) {
        failedCommitted = engine.statistics().committed();
        throw e;
      }
      if (statistics.quarantined() > 0) {
        throw new BenchmarkException(
            "Capture of "
                + source.name()
                + " quarantined "
                + statistics.quarantined()
                + " changes (see raw quarantine)");
      }
      return statistics.committed();
    }
  }

  private LakeBuild.Result build(
      String name, PlatformConfig config, JdbcCatalog catalog, LocalDate asOf, long rawChanges) {
    err.printf("== %s (LakeBuild, as of %s) over %,d new raw changes …%n", name, asOf, rawChanges);
    err.flush();
    SparkSession spark = SparkSessions.create(config, "jiangyin-bench-build");
    try (MemoryProbe memory = MemoryProbe.start()) {
      long start = System.nanoTime();
      LakeBuild.Result result =
          new LakeBuild(spark, catalog, config)
              .run(
                  asOf,
                  line -> {
                    err.printf("   %s%n", line);
                    err.flush();
                  });
      phases.add(phase(name, rawChanges, "new raw changes", start, memory));
      return result;
    } finally {
      spark.stop();
    }
  }

  private ChangeCounts change(
      DepartmentalSimulator simulator, Map<Department, JdbcTarget> targets, long changes) {
    err.printf(
        "== changing %,d source rows (%.1f %%) with the simulator's change stream …%n",
        changes, settings.changeShare() * 100);
    err.flush();
    try (MemoryProbe memory = MemoryProbe.start()) {
      long start = System.nanoTime();
      // as fast as the servers take them, 100 changes per transaction
      ChangeCounts applied =
          new ChangeStream(
                  simulator,
                  targets,
                  new ChangeStreamSettings(settings.seed() + 1, 1e9, changes, Duration.ZERO, 100))
              .run();
      err.printf(
          "   applied %,d inserts, %,d updates, %,d deletes in %.1f s%n",
          applied.inserts(),
          applied.updates(),
          applied.deletes(),
          seconds(System.nanoTime() - start));
      err.flush();
      phases.add(phase("change source rows", applied.total(), "changes", start, memory));
      return applied;
    }
  }

  private void print(
      FillReport filled,
      LakeBuild.Result full,
      ChangeCounts applied,
      String loadAtStart,
      String loadAtEnd) {
    out.printf(
        "bench build: scale %s of county (simulator scale %s, seed %d), %s, max heap %,d MB%n",
        settings.scale(),
        settings.simulatorScale(),
        settings.seed(),
        Runtime.getRuntime().availableProcessors() + " cores",
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    out.printf("load average at start %s, at end %s%n", loadAtStart, loadAtEnd);
    out.println();
    out.printf("source rows: %,d in %d tables%n", filled.total(), tableCount(filled));
    for (Map.Entry<Department, Map<String, Long>> department : filled.rows().entrySet()) {
      for (Map.Entry<String, Long> table :
          new java.util.TreeMap<>(department.getValue()).entrySet()) {
        out.printf(
            "  %-52s %,12d%n",
            department.getKey().databaseName() + "." + table.getKey(), table.getValue());
      }
    }
    out.printf(
        "after the full build: %,d current-state rows in %d ods tables; lib.enterprise %,d accepted"
            + " / %,d rejected; credit facts %,d, verdicts %,d%n",
        full.currentStateRows(),
        full.rawTables(),
        full.enterprises().map(e -> e.accepted()).orElse(0L),
        full.enterprises().map(e -> e.rejected()).orElse(0L),
        full.facts().facts(),
        full.publication().verdicts());
    full.services()
        .ifPresent(
            services ->
                out.printf(
                    "  lib.license %,d, lib.handling %,d, lib.matter %,d%n",
                    services.licence().accepted(),
                    services.handling().accepted(),
                    services.matter().accepted()));
    out.printf(
        "changes applied: %,d (%,d inserts, %,d updates, %,d deletes)%n",
        applied.total(), applied.inserts(), applied.updates(), applied.deletes());
    out.println();
    String format = "%-36s  %-26s  %10s  %12s  %12s%n";
    out.printf(format, "phase", "work", "time", "peak RSS", "peak heap");
    for (Phase phase : phases) {
      out.printf(
          format,
          phase.name(),
          String.format("%,d %s", phase.amount(), phase.unit()),
          BenchSupport.duration(phase.seconds()),
          BenchSupport.megabytes(phase.peakRssBytes()),
          BenchSupport.megabytes(phase.peakHeapBytes()));
    }
    double fullSeconds = seconds("full build");
    double incrementalSeconds = seconds("incremental build");
    out.println();
    out.printf(
        "incremental / full build: %.1f s / %.1f s = %.3f (goals: ratio ≤ 0.1; full ≤ 15 min)%n",
        incrementalSeconds, fullSeconds, incrementalSeconds / fullSeconds);
    out.printf("whole run: %s%n", BenchSupport.duration(seconds(System.nanoTime() - started)));
    out.println(
        "Peak RSS: the process's resident high-water mark per phase (VmHWM, reset through"
            + " /proc/self/clear_refs); peak heap: heap in use, sampled every 20 ms.");
    out.flush();
  }

  private double seconds(String phase) {
    return phases.stream()
        .filter(p -> p.name().equals(phase))
        .mapToDouble(Phase::seconds)
        .findFirst()
        .orElse(Double.NaN);
  }

  private static int tableCount(FillReport filled) {
    return filled.rows().values().stream().mapToInt(Map::size).sum();
  }

  private static Phase phase(
      String name, long amount, String unit, long start, MemoryProbe memory) {
    OptionalLong rss = memory.peakRss();
    return new Phase(
        name, amount, unit, seconds(System.nanoTime() - start), rss.orElse(-1), memory.peakHeap());
  }

  /**
   * As the departments' DBAs would: a publication for the capture, and read access for its snapshot
   * (MariaDB: the capture account's global grants, set up by .ci/services).
   */
  private static void grantCaptureAsTheDbaWould(Map<Department, JdbcTarget> targets)
      throws SQLException {
    for (Map.Entry<Department, JdbcTarget> entry : targets.entrySet()) {
      JdbcTarget target = entry.getValue();
      if (target.kind() == DatabaseKind.POSTGRESQL) {
        execute(
            PG + target.database(),
            "GRANT SELECT ON ALL TABLES IN SCHEMA public TO capture",
            "CREATE PUBLICATION jy_"
                + target.database()
                + " FOR TABLE "
                + String.join(", ", DepartmentalSimulator.tableNames(entry.getKey())));
      }
    }
  }

  private void cleanUp(Map<Department, JdbcTarget> targets, String catalogDatabase, Path work) {
    List<String> failures = new ArrayList<>();
    Map<Department, JdbcTarget> ordered = new EnumMap<>(targets);
    for (JdbcTarget target : ordered.values()) {
      try {
        if (target.kind() == DatabaseKind.POSTGRESQL) {
          dropSlot("jy_" + target.database());
        }
        DepartmentalSimulator.dropDatabase(target);
      } catch (RuntimeException | SQLException | InterruptedException e) {
        failures.add(target.database() + ": " + e.getMessage());
      }
    }
    try {
      execute(PG + "postgres", "DROP DATABASE IF EXISTS " + catalogDatabase + " WITH (FORCE)");
    } catch (SQLException e) {
      failures.add(catalogDatabase + ": " + e.getMessage());
    }
    try {
      BenchSupport.deleteRecursively(work);
    } catch (IOException e) {
      failures.add(work + ": " + e.getMessage());
    }
    for (String failure : failures) {
      err.println("warning: cannot clean up " + failure);
    }
    err.flush();
  }

  /** Drops a replication slot once its sender has stopped (the capture is closed by then). */
  private static void dropSlot(String slot) throws SQLException, InterruptedException {
    try (Connection connection = DriverManager.getConnection(PG + "postgres", "postgres", "");
        java.sql.PreparedStatement active =
            connection.prepareStatement(
                "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      active.setString(1, slot);
      for (int attempt = 0; attempt < 100; attempt++) {
        try (java.sql.ResultSet result = active.executeQuery()) {
          if (!result.next()) {
            return;
          }
          if (!result.getBoolean(1)) {
            try (Statement statement = connection.createStatement()) {
              statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
            }
            return;
          }
        }
        Thread.sleep(100);
      }
      throw new BenchmarkException("Cannot drop replication slot " + slot + ": still active");
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

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
