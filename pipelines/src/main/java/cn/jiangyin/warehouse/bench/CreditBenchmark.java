package cn.jiangyin.warehouse.bench;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.credit.evaluation.CreditEvaluationJob;
import cn.jiangyin.warehouse.credit.evaluation.IncrementalEvaluation;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;

/**
 * The credit benchmark (信用评价基准测试): facts → scores → lists → verdicts with the default rule set at a
 * fraction of county scale (≈ 5,000,000 facts, 300,000 enterprises, 2,000,000 persons), in full;
 * then 1 % new facts appended and the evaluation again, incrementally ({@link
 * IncrementalEvaluation}). Time and peak memory of each, and the ratio incremental / full, measured
 * in the same run.
 *
 * <p>The inputs are generated ({@link CreditBenchmarkData}) and written straight into the Iceberg
 * tables: capture and the fact build are measured by {@code bench build}.
 */
final class CreditBenchmark {
  /** The as-of date of both evaluations (the default rule set is in effect from 2025-01-01). */
  static final LocalDate AS_OF = LocalDate.of(2026, 11, 1);

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/";

  /** What to run: {@code scale} is a fraction of county scale. */
  record Settings(double scale, long seed, double newShare, Path workDirectory) {
    Settings {
      requireNonNull(workDirectory, "workDirectory is null");
      if (!(scale > 0) || scale > 10) {
        throw new IllegalArgumentException(
            "Invalid --scale " + scale + ": a fraction of county scale, 0 < scale <= 10");
      }
      if (!(newShare > 0) || newShare > 1) {
        throw new IllegalArgumentException("Invalid --new-share " + newShare + ": 0 < share <= 1");
      }
    }

    CreditBenchmarkData.Sizes sizes() {
      return CreditBenchmarkData.Sizes.county(scale);
    }

    long newFacts() {
      return Math.max(1, Math.round(sizes().facts() * newShare));
    }
  }

  /** One measured phase. */
  record Phase(String name, String work, double seconds, long peakRssBytes, long peakHeapBytes) {}

  private final Settings settings;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  private final List<Phase> phases = new ArrayList<>();
  private final long started = System.nanoTime();

  CreditBenchmark(Settings settings, PrintWriter out, PrintWriter err) {
    this.settings = requireNonNull(settings, "settings is null");
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  /** Runs every phase, prints the table, removes everything it created; returns the phases. */
  List<Phase> run() throws Exception {
    String loadAtStart = BenchSupport.loadAverage();
    Path work = settings.workDirectory().resolve("bench-credit-" + run);
    Files.createDirectories(work);
    String catalogDatabase = "bench_" + run + "_credit";
    execute("CREATE DATABASE " + catalogDatabase);
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
            name -> "unused-by-trust-auth-0000",
            work);
    CreditBenchmarkData.Sizes sizes = settings.sizes();
    err.printf(
        "== bench credit %s: scale %s of county (%,d facts, %,d enterprises, %,d persons),"
            + " load average %s%n",
        run, settings.scale(), sizes.facts(), sizes.enterprises(), sizes.persons(), loadAtStart);
    err.flush();
    SparkSession spark = null;
    try {
      try (JdbcCatalog catalog = CatalogFactory.open(config)) {
        new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
      }
      spark = SparkSessions.create(config, "jiangyin-bench-credit");
      RuleSet rules = RuleSet.load();
      CreditBenchmarkData data = new CreditBenchmarkData(spark, sizes, settings.seed(), AS_OF);

      progress("generating lib.enterprise, lib.person, lib.person_role and credit.fact …");
      long roles;
      try (MemoryProbe memory = MemoryProbe.start()) {
        long start = System.nanoTime();
        roles = data.writeSubjects();
        progress(
            "   %,d enterprises, %,d persons, %,d roles written",
            sizes.enterprises(), sizes.persons(), roles);
        data.writeFacts(0, sizes.facts());
        progress("   %,d facts written", sizes.facts());
        phases.add(
            phase(
                "generate inputs (straight to Iceberg)",
                String.format("%,d facts", sizes.facts()),
                start,
                memory));
      }

      progress("full evaluation (rule set %s, as of %s) …", rules.version(), AS_OF);
      CreditEvaluationJob.Result full;
      try (MemoryProbe memory = MemoryProbe.start()) {
        long start = System.nanoTime();
        full = new CreditEvaluationJob(spark).run(rules, AS_OF);
        phases.add(
            phase("full evaluation", String.format("%,d facts", sizes.facts()), start, memory));
      }
      progress(
          "   %,d scores, %,d list entries, %,d verdicts",
          full.scores(), full.listEntries(), full.verdicts());

      long added = settings.newFacts();
      progress("appending %,d new facts (%.1f %%) …", added, settings.newShare() * 100);
      try (MemoryProbe memory = MemoryProbe.start()) {
        long start = System.nanoTime();
        data.writeFacts(sizes.facts(), sizes.facts() + added);
        phases.add(phase("append new facts", String.format("%,d facts", added), start, memory));
      }

      progress("incremental evaluation …");
      spark.catalog().clearCache();
      IncrementalEvaluation.Outcome incremental;
      try (MemoryProbe memory = MemoryProbe.start()) {
        long start = System.nanoTime();
        incremental = new IncrementalEvaluation(spark).run(rules, AS_OF);
        phases.add(
            phase(
                "incremental evaluation",
                String.format("%,d subjects", incremental.evaluatedSubjects()),
                start,
                memory));
      }
      if (incremental.mode() != IncrementalEvaluation.Mode.INCREMENTAL) {
        throw new BenchmarkException(
            "The evaluation after new facts ran in full: " + incremental.why());
      }
      print(sizes, roles, full, added, incremental, loadAtStart, BenchSupport.loadAverage());
    } finally {
      if (spark != null) {
        spark.stop();
      }
      err.println("== cleaning up: catalog, lake");
      err.flush();
      cleanUp(catalogDatabase, work);
    }
    return List.copyOf(phases);
  }

  private void print(
      CreditBenchmarkData.Sizes sizes,
      long roles,
      CreditEvaluationJob.Result full,
      long added,
      IncrementalEvaluation.Outcome incremental,
      String loadAtStart,
      String loadAtEnd) {
    out.printf(
        "bench credit: scale %s of county (seed %d), %d cores, max heap %,d MB%n",
        settings.scale(),
        settings.seed(),
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
    out.printf("load average at start %s, at end %s%n", loadAtStart, loadAtEnd);
    out.println(
        "inputs generated and written straight into Iceberg (capture and the fact build are"
            + " measured by bench build)");
    out.printf(
        "inputs: credit.fact %,d, lib.enterprise %,d, lib.person %,d, lib.person_role %,d%n",
        sizes.facts(), sizes.enterprises(), sizes.persons(), roles);
    out.printf(
        "full evaluation as of %s: %,d scores, %,d list entries, %,d verdicts%n",
        AS_OF, full.scores(), full.listEntries(), full.verdicts());
    out.printf(
        "incremental after %,d new facts: %,d subjects changed, %,d re-evaluated with their links;"
            + " rows merged: %,d scores, %,d list entries, %,d verdicts%n",
        added,
        incremental.changedSubjects(),
        incremental.evaluatedSubjects(),
        incremental.scores(),
        incremental.listEntries(),
        incremental.verdicts());
    out.println();
    String format = "%-38s  %-20s  %10s  %12s  %12s%n";
    out.printf(format, "phase", "work", "time", "peak RSS", "peak heap");
    for (Phase phase : phases) {
      out.printf(
          format,
          phase.name(),
          phase.work(),
          BenchSupport.duration(phase.seconds()),
          BenchSupport.megabytes(phase.peakRssBytes()),
          BenchSupport.megabytes(phase.peakHeapBytes()));
    }
    double fullSeconds = seconds("full evaluation");
    double incrementalSeconds = seconds("incremental evaluation");
    out.println();
    out.printf(
        "incremental / full evaluation: %.1f s / %.1f s = %.3f%n",
        incrementalSeconds, fullSeconds, incrementalSeconds / fullSeconds);
    out.printf("whole run: %s%n", BenchSupport.duration((System.nanoTime() - started) / 1e9));
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

  private void progress(String format, Object... args) {
    err.printf("== " + format + "%n", args);
    err.flush();
  }

  private static Phase phase(String name, String work, long start, MemoryProbe memory) {
    return new Phase(
        name,
        work,
        (System.nanoTime() - start) / 1e9,
        memory.peakRss().orElse(-1),
        memory.peakHeap());
  }

  private void cleanUp(String catalogDatabase, Path work) {
    try {
      execute("DROP DATABASE IF EXISTS " + catalogDatabase + " WITH (FORCE)");
    } catch (SQLException e) {
      err.println("warning: cannot drop " + catalogDatabase + ": " + e.getMessage());
    }
    try {
      BenchSupport.deleteRecursively(work);
    } catch (IOException e) {
      err.println("warning: cannot delete " + work + ": " + e.getMessage());
    }
    err.flush();
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(PG + "postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
