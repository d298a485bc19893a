package cn.jiangyin.warehouse.bench;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.LakeWriter;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The capture benchmark (采集基准测试): per source server, the same initial snapshot and the same number
 * of streamed updates captured once into a no-op consumer and once into committed Iceberg raw
 * tables, then the freshness of the raw table — source commit to visible in the lake — at default
 * settings, and the peak memory of each phase.
 *
 * <p>The no-op capture runs first: snapshot, then the writer applies the updates back to back while
 * it streams. Then the Iceberg capture (its own slot / replica id) takes its snapshot of the same
 * rows and the writer applies the same number of updates again. Each capture runs alone, so both
 * measure the same work on the same machine.
 */
final class IngestBenchmark {
  private static final long MARKER_BASE = 1_000_000_000_000L;
  private static final Duration STALL = Duration.ofMinutes(3);
  private static final Duration PROGRESS = Duration.ofSeconds(10);
  private static final PersonKeys KEYS = new PersonKeys("bench-person-key-secret-0123456789");

  /** What to run. */
  record Settings(
      long rows,
      long updates,
      int updatesPerTransaction,
      int freshnessSeconds,
      int markersPerSecond,
      List<BenchServer> servers,
      Path workDirectory) {
    Settings {
      requireNonNull(servers, "servers is null");
      requireNonNull(workDirectory, "workDirectory is null");
      if (rows < 1 || updates < 1 || updatesPerTransaction < 1) {
        throw new IllegalArgumentException(
            "Invalid benchmark size: rows, updates and updates per transaction must be positive");
      }
      if (freshnessSeconds < 1 || markersPerSecond < 1) {
        throw new IllegalArgumentException(
            "Invalid freshness settings: seconds and markers per second must be positive");
      }
      servers = List.copyOf(servers);
    }
  }

  /** One capture phase measured. */
  record Measure(long events, double seconds, long peakRssBytes, long peakHeapBytes) {
    double rate() {
      return events / seconds;
    }
  }

  /** One line of the result table. */
  record Line(
      String server,
      String phase,
      Measure noop,
      Measure lake,
      double freshnessP50,
      double freshnessP95,
      String note) {}

  private final Settings settings;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  private final List<Line> lines = new ArrayList<>();

  IngestBenchmark(Settings settings, PrintWriter out, PrintWriter err) {
    this.settings = requireNonNull(settings, "settings is null");
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  /** Runs every server, prints the table, removes everything it created. */
  List<Line> run() throws Exception {
    Path work = settings.workDirectory().resolve("bench-" + run);
    Files.createDirectories(work);
    String catalogDatabase = "bench_" + run + "_catalog";
    try (Connection connection = BenchServer.POSTGRESQL.administrator("");
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + catalogDatabase);
    }
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/" + catalogDatabase,
                "catalog.user",
                "postgres",
                "lake.location",
                work.resolve("lake").toString()),
            name -> "unused-by-trust-auth-0000",
            work);
    printHeader();
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      for (BenchServer server : settings.servers()) {
        int printed = lines.size();
        runServer(server, catalog, work);
        lines.subList(printed, lines.size()).forEach(this::printLine);
      }
    } finally {
      try (Connection connection = BenchServer.POSTGRESQL.administrator("");
          java.sql.Statement statement = connection.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS " + catalogDatabase + " WITH (FORCE)");
      }
      BenchSupport.deleteRecursively(work);
    }
    out.println(
        "goals: Iceberg ≥ 0.8 × no-op; freshness p95 ≤ 5 s. Peak RSS: the process's resident"
            + " high-water mark per phase (VmHWM); peak heap: heap in use, sampled every 20 ms.");
    return List.copyOf(lines);
  }

  private void runServer(BenchServer server, JdbcCatalog catalog, Path work) throws Exception {
    String database = "bench_" + run;
    String noopName = "bench_" + server.shortName() + "_noop_" + run;
    String lakeName = "bench_" + server.shortName() + "_lake_" + run;
    err.printf(
        "== %s: loading %,d rows into %s.penalty …%n", server.label(), settings.rows(), database);
    try {
      server.create(database);
      long loadStart = System.nanoTime();
      server.load(
          database,
          settings.rows(),
          done -> {
            if (done % 500_000 == 0 || done == settings.rows()) {
              err.printf("   loaded %,d rows%n", done);
            }
          });
      err.printf("   loaded in %.1f s%n", seconds(System.nanoTime() - loadStart));

      // no-op consumer: snapshot, then streamed updates
      SourceDefinition noopSource = server.source(noopName, database, "noop");
      MeasuringSink noop = MeasuringSink.discarding();
      Measure noopSnapshot;
      Measure noopStream;
      try (CaptureEngine engine =
          new CaptureEngine(
              noopSource, catalog, KEYS, work.resolve("state"), (source, checkpoint) -> noop)) {
        noopSnapshot = snapshot(server, "no-op", engine, noop);
        noopStream = stream(server, "no-op", database, noop, 0);
      }
      server.dropSlot(database, "noop");

      // committed Iceberg raw tables: the same snapshot, the same number of updates, then freshness
      SourceDefinition lakeSource = server.source(lakeName, database, "lake");
      AtomicReference<MeasuringSink> lakeSink = new AtomicReference<>();
      Measure lakeSnapshot;
      Measure lakeStream;
      double[] freshness;
      try (CaptureEngine engine =
          new CaptureEngine(
              lakeSource,
              catalog,
              KEYS,
              work.resolve("state"),
              (source, checkpoint) -> {
                MeasuringSink sink =
                    MeasuringSink.counting(new LakeWriter(catalog, source, checkpoint));
                lakeSink.set(sink);
                return sink;
              })) {
        lakeSnapshot = snapshot(server, "Iceberg", engine, () -> lakeSink.get());
        lakeStream = stream(server, "Iceberg", database, lakeSink.get(), 1);
        err.printf(
            "   Iceberg: %,d batches committed, %.0f ms per batch in the lake writer%n",
            lakeSink.get().batches(),
            lakeSink.get().commitNanos() / 1e6 / Math.max(1, lakeSink.get().batches()));
        Table raw =
            catalog.loadTable(
                TableIdentifier.of("raw", lakeSource.rawTableName(BenchServer.TABLE)));
        freshness = freshness(server, database, raw);
      }
      server.dropSlot(database, "lake");
      lines.add(
          new Line(
              server.label(),
              String.format("snapshot %,d rows", settings.rows()),
              noopSnapshot,
              lakeSnapshot,
              Double.NaN,
              Double.NaN,
              ""));
      lines.add(
          new Line(
              server.label(),
              String.format("stream %,d updates", settings.updates()),
              noopStream,
              lakeStream,
              Double.NaN,
              Double.NaN,
              ""));
      lines.add(
          new Line(
              server.label(),
              String.format(
                  "freshness %d/s for %d s",
                  settings.markersPerSecond(), settings.freshnessSeconds()),
              null,
              null,
              freshness[0],
              freshness[1],
              ""));
    } finally {
      try {
        server.dropSlot(database, "noop");
        server.dropSlot(database, "lake");
      } finally {
        server.drop(database);
      }
    }
  }

  /** Starts {@code engine} and waits until it has delivered the whole snapshot. */
  private Measure snapshot(
      BenchServer server, String consumer, CaptureEngine engine, MeasuringSink sink)
      throws InterruptedException {
    return snapshot(server, consumer, engine, () -> sink);
  }

  private Measure snapshot(
      BenchServer server,
      String consumer,
      CaptureEngine engine,
      java.util.function.Supplier<MeasuringSink> sink)
      throws InterruptedException {
    err.printf(
        "== %s: snapshot of %,d rows into %s …%n", server.label(), settings.rows(), consumer);
    try (MemoryProbe memory = MemoryProbe.start()) {
      long start = System.nanoTime();
      engine.start();
      await(
          server.label() + " snapshot → " + consumer,
          () -> sink.get() == null ? 0 : sink.get().snapshotRows(),
          settings.rows(),
          start,
          null);
      long end = sink.get().lastChangeNanos();
      return measure(settings.rows(), end - start, memory);
    }
  }

  /**
   * Applies the updates back to back from a writer thread while {@code sink}'s capture streams;
   * events/s from the writer's first statement to the last update delivered.
   */
  private Measure stream(
      BenchServer server, String consumer, String database, MeasuringSink sink, int round)
      throws InterruptedException {
    err.printf(
        "== %s: %,d updates (%d per transaction) streamed into %s …%n",
        server.label(), settings.updates(), settings.updatesPerTransaction(), consumer);
    long before = sink.updates();
    try (MemoryProbe memory = MemoryProbe.start()) {
      long start = System.nanoTime();
      CompletableFuture<Long> writer =
          CompletableFuture.supplyAsync(() -> applyUpdates(server, database, round));
      await(
          server.label() + " updates → " + consumer,
          () -> sink.updates() - before,
          settings.updates(),
          start,
          writer);
      long end = sink.lastChangeNanos();
      long writerNanos = writer.join();
      err.printf(
          "   writer applied %,d updates in %.1f s (%,.0f/s)%n",
          settings.updates(), seconds(writerNanos), settings.updates() / seconds(writerNanos));
      return measure(settings.updates(), end - start, memory);
    }
  }

  /** Returns how long the writer took, in nanoseconds. */
  private long applyUpdates(BenchServer server, String database, int round) {
    long start = System.nanoTime();
    String[] severities = {"一般", "较重", "严重"};
    try (Connection connection = server.administrator(database)) {
      server.prepareWriter(connection);
      connection.setAutoCommit(false);
      try (PreparedStatement update = BenchServer.update(connection)) {
        long rows = settings.rows();
        for (long i = 0; i < settings.updates(); i++) {
          // a stride coprime with most table sizes spreads the updates over the table
          long id = 1 + Math.floorMod(i * 7919L + round * 104_729L, rows);
          update.setString(1, severities[(int) ((i + round) % 3)]);
          update.setTimestamp(2, Timestamp.valueOf(LocalDateTime.now()));
          update.setLong(3, id);
          update.addBatch();
          if ((i + 1) % settings.updatesPerTransaction() == 0 || i + 1 == settings.updates()) {
            update.executeBatch();
            connection.commit();
          }
        }
      }
    } catch (SQLException e) {
      throw new BenchmarkException("Cannot apply updates to " + server.label() + ": " + e, e);
    }
    return System.nanoTime() - start;
  }

  /**
   * Inserts marker rows at a steady rate while the Iceberg capture follows, and polls the raw
   * table's current snapshot every 100 ms: freshness is the time from each insert's commit to the
   * first poll that sees it. Returns p50 and p95 in seconds.
   */
  private double[] freshness(BenchServer server, String database, Table raw)
      throws InterruptedException {
    int markers = settings.freshnessSeconds() * settings.markersPerSecond();
    err.printf(
        "== %s: freshness, %d markers at %d/s …%n",
        server.label(), markers, settings.markersPerSecond());
    long[] committedAt = new long[markers];
    long[] seenAt = new long[markers];
    CompletableFuture<Long> writer =
        CompletableFuture.supplyAsync(() -> insertMarkers(server, database, committedAt));
    long deadline =
        System.nanoTime() + Duration.ofSeconds(settings.freshnessSeconds() + 120L).toNanos();
    int seen = 0;
    long lastSnapshot = -1;
    long lastMarker = MARKER_BASE - 1;
    while (seen < markers) {
      if (System.nanoTime() > deadline) {
        throw new BenchmarkException(
            "Cannot measure freshness on "
                + server.label()
                + ": "
                + seen
                + " of "
                + markers
                + " markers visible after "
                + (settings.freshnessSeconds() + 120)
                + " s");
      }
      if (writer.isCompletedExceptionally()) {
        writer.join();
      }
      Thread.sleep(100);
      raw.refresh();
      Snapshot current = raw.currentSnapshot();
      if (current == null || current.snapshotId() == lastSnapshot) {
        continue;
      }
      lastSnapshot = current.snapshotId();
      long now = System.currentTimeMillis();
      try (CloseableIterable<Record> rows =
          IcebergGenerics.read(raw)
              .useSnapshot(lastSnapshot)
              .where(Expressions.greaterThan("id", lastMarker))
              .select("id")
              .build()) {
        for (Record row : rows) {
          long id = (Long) row.getField("id");
          if (id > MARKER_BASE - 1 && id < MARKER_BASE + markers) {
            int index = (int) (id - MARKER_BASE);
            if (seenAt[index] == 0) {
              seenAt[index] = now;
              seen++;
              lastMarker = Math.max(lastMarker, id);
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    writer.join();
    double[] latencies = new double[markers];
    for (int i = 0; i < markers; i++) {
      latencies[i] = Math.max(0, seenAt[i] - committedAt[i]) / 1000.0;
    }
    Arrays.sort(latencies);
    double p50 = percentile(latencies, 0.50);
    double p95 = percentile(latencies, 0.95);
    err.printf(
        "   freshness p50 %.2f s, p95 %.2f s, max %.2f s%n", p50, p95, latencies[markers - 1]);
    return new double[] {p50, p95};
  }

  private long insertMarkers(BenchServer server, String database, long[] committedAt) {
    long start = System.nanoTime();
    long interval = 1_000_000_000L / settings.markersPerSecond();
    try (Connection connection = server.administrator(database);
        PreparedStatement insert = BenchServer.marker(connection)) {
      for (int i = 0; i < committedAt.length; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        insert.setLong(1, MARKER_BASE + i);
        insert.setString(2, "测点-" + i);
        insert.setTimestamp(3, Timestamp.valueOf(LocalDateTime.now()));
        insert.executeUpdate();
        committedAt[i] = System.currentTimeMillis();
      }
    } catch (SQLException e) {
      throw new BenchmarkException("Cannot insert markers into " + server.label() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BenchmarkException("Interrupted while inserting markers", e);
    }
    return System.nanoTime() - start;
  }

  private static double percentile(double[] sorted, double fraction) {
    int index = (int) Math.ceil(fraction * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Waits until {@code count} reaches {@code target}, printing progress; fails on a stall. */
  private void await(
      String label, LongSupplier count, long target, long start, CompletableFuture<?> writer)
      throws InterruptedException {
    long lastPrint = System.nanoTime();
    long lastCount = -1;
    long lastProgress = System.nanoTime();
    while (count.getAsLong() < target) {
      Thread.sleep(20);
      long now = System.nanoTime();
      long current = count.getAsLong();
      if (writer != null && writer.isCompletedExceptionally()) {
        writer.join();
      }
      if (current != lastCount) {
        lastCount = current;
        lastProgress = now;
      } else if (now - lastProgress > STALL.toNanos()) {
        throw new BenchmarkException(
            label
                + " stalled at "
                + current
                + " of "
                + target
                + " for "
                + STALL.toMinutes()
                + " min (see the capture log above)");
      }
      if (now - lastPrint >= PROGRESS.toNanos()) {
        err.printf(
            "   %s: %,d of %,d (%,.0f/s)%n",
            label, current, target, current / seconds(now - start));
        lastPrint = now;
      }
    }
  }

  private static Measure measure(long events, long nanos, MemoryProbe memory) {
    OptionalLong rss = memory.peakRss();
    return new Measure(events, seconds(nanos), rss.orElse(-1), memory.peakHeap());
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static final String FORMAT = "%-10s  %-26s  %12s  %12s  %6s  %9s  %9s  %-19s  %-19s%n";

  private void printHeader() {
    out.printf(
        FORMAT,
        "server",
        "phase",
        "no-op ev/s",
        "Iceberg ev/s",
        "ratio",
        "fresh p50",
        "fresh p95",
        "peak RSS no-op/Ice",
        "peak heap no-op/Ice");
  }

  private void printLine(Line line) {
    boolean rates = line.noop() != null && line.lake() != null;
    out.printf(
        FORMAT,
        line.server(),
        line.phase(),
        rates ? String.format("%,.0f", line.noop().rate()) : "",
        rates ? String.format("%,.0f", line.lake().rate()) : "",
        rates ? String.format("%.2f", line.lake().rate() / line.noop().rate()) : "",
        Double.isNaN(line.freshnessP50()) ? "" : String.format("%.2f s", line.freshnessP50()),
        Double.isNaN(line.freshnessP95()) ? "" : String.format("%.2f s", line.freshnessP95()),
        rates
            ? BenchSupport.megabytes(line.noop().peakRssBytes())
                + " / "
                + BenchSupport.megabytes(line.lake().peakRssBytes())
            : "",
        rates
            ? BenchSupport.megabytes(line.noop().peakHeapBytes())
                + " / "
                + BenchSupport.megabytes(line.lake().peakHeapBytes())
            : "");
  }
}
