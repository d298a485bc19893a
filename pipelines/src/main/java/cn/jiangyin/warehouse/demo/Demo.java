package cn.jiangyin.warehouse.demo;

import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.CaptureStatistics;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.catalogue.ResourceCatalogue;
import cn.jiangyin.warehouse.embedded.EmbeddedPlatform;
import cn.jiangyin.warehouse.enterprise.EnterpriseLibraryJob;
import cn.jiangyin.warehouse.flow.LakeBuild;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.simulator.ChangeCounts;
import cn.jiangyin.warehouse.simulator.ChangeStream;
import cn.jiangyin.warehouse.simulator.ChangeStreamSettings;
import cn.jiangyin.warehouse.simulator.Department;
import cn.jiangyin.warehouse.simulator.DepartmentalSimulator;
import cn.jiangyin.warehouse.simulator.FillReport;
import cn.jiangyin.warehouse.simulator.JdbcTarget;
import cn.jiangyin.warehouse.simulator.SimulatedSources;
import cn.jiangyin.warehouse.simulator.SimulationSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;

/**
 * The main job on the embedded default, end to end: simulated departmental databases → Debezium
 * capture (snapshot, then live changes) → raw Iceberg change logs → current state (Spark MERGE) →
 * the libraries → credit facts → scores, lists and verdicts → their publication and export → the
 * data resource catalogue. Says what it is doing at each step and ends with counts per stage.
 */
public final class Demo {
  private static final String MARKER = ".warehouse-home";
  private static final int STEPS = 7;
  private static final long LIVE_CHANGES = 300;

  private Demo() {}

  public static DemoReport run(DemoSettings settings, PrintStream out) {
    long started = System.nanoTime();
    Path home = settings.home().toAbsolutePath().normalize();
    prepareHome(home, out);
    step(
        out,
        1,
        "Starting the embedded platform (PostgreSQL with logical decoding; lake in "
            + home.resolve("lake")
            + ")");
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(home);
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      JdbcTarget server =
          JdbcTarget.postgresql("127.0.0.1", platform.postgresPort(), "postgres", "", "postgres");
      Map<Department, JdbcTarget> targets = DepartmentalSimulator.targets("", server, server);

      step(
          out,
          2,
          "Simulating the departmental databases (scale "
              + settings.scale()
              + ", seed "
              + settings.seed()
              + ")");
      DepartmentalSimulator simulator =
          new DepartmentalSimulator(SimulationSettings.of(settings.seed(), settings.scale()));
      FillReport filled = simulator.fill(targets);
      SimulatedSources.prepareForCapture(targets);
      detail(
          out,
          "%,d rows in %d departments: %s",
          filled.total(),
          targets.size(),
          departmentNames(targets));

      step(out, 3, "Creating the declared tables (schemas migrate)");
      List<String> changes = new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
      detail(
          out,
          "%d tables declared, %d changes applied",
          TableRegistry.load().tables().size(),
          changes.size());

      PersonKeys personKeys = new PersonKeys(platform.config().personKeySecret());
      List<SourceDefinition> sources =
          SimulatedSources.definitions(targets, "postgres", "", Map.of());
      step(
          out,
          4,
          "Capturing with Debezium: initial snapshot of " + sources.size() + " sources into raw.*");
      CaptureTotals snapshot =
          capture(sources, catalog, personKeys, platform.config().captureStateLocation(), out);
      detail(
          out, "%,d changes committed, %,d quarantined", snapshot.committed, snapshot.quarantined);

      step(
          out,
          5,
          "Applying "
              + LIVE_CHANGES
              + " live changes to the departments, then capturing them (streaming)");
      ChangeCounts live =
          new ChangeStream(
                  simulator,
                  targets,
                  ChangeStreamSettings.forCount(settings.seed(), 200, LIVE_CHANGES))
              .run();
      detail(
          out,
          "applied %d inserts, %d updates, %d deletes",
          live.inserts(),
          live.updates(),
          live.deletes());
      CaptureTotals streamed =
          capture(sources, catalog, personKeys, platform.config().captureStateLocation(), out);
      detail(out, "%,d changes streamed into raw.*", streamed.committed);

      LocalDate asOf = DepartmentalSimulator.REFERENCE_DATE;
      step(
          out,
          6,
          "Building current state, the libraries, credit facts, data-quality checks, credit verdicts as of "
              + asOf
              + ", their publication and export (Spark)");
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-demo");
      try {
        LakeBuild.Result built =
            new LakeBuild(spark, catalog, platform.config())
                .run(asOf, line -> detail(out, "%s", line));
        EnterpriseLibraryJob.Result enterprises = built.enterprises().orElseThrow();
        step(
            out,
            7,
            "Publishing the data resource catalogue (every declared table with its row count and"
                + " freshness)");
        ResourceCatalogue.Result catalogued =
            new ResourceCatalogue(spark, catalog)
                .publish(TableRegistry.load(), home.resolve("catalogue"));
        detail(
            out,
            "%d resources in %s and %s",
            catalogued.resources().size(),
            ResourceCatalogue.RESOURCES,
            catalogued.document());
        DemoReport report =
            new DemoReport(
                filled.total(),
                snapshot.committed + streamed.committed,
                snapshot.quarantined + streamed.quarantined,
                live.total(),
                built.rawTables(),
                built.currentStateRows(),
                enterprises.accepted(),
                enterprises.rejected(),
                built.facts().facts(),
                built.credit().scores(),
                built.credit().listEntries(),
                built.publication().verdicts(),
                countRestricted(spark),
                home.resolve("lake"),
                built.export().directory(),
                Duration.ofNanos(System.nanoTime() - started));
        report.print(out);
        return report;
      } finally {
        spark.stop();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Demo interrupted", e);
    }
  }

  private record CaptureTotals(long committed, long quarantined) {}

  private static long countRestricted(SparkSession spark) {
    return spark
        .sql("SELECT count(*) FROM export.verdict WHERE status = 'restricted'")
        .first()
        .getLong(0);
  }

  private static CaptureTotals capture(
      List<SourceDefinition> sources,
      JdbcCatalog catalog,
      PersonKeys keys,
      Path stateLocation,
      PrintStream out)
      throws InterruptedException {
    long committed = 0;
    long quarantined = 0;
    for (int i = 0; i < sources.size(); i++) {
      SourceDefinition source = sources.get(i);
      try (CaptureEngine engine = new CaptureEngine(source, catalog, keys, stateLocation)) {
        CaptureStatistics statistics =
            engine.runUntilQuiet(Duration.ofSeconds(2), Duration.ofMinutes(10));
        committed += statistics.committed();
        quarantined += statistics.quarantined();
        detail(out, "(%d/%d) %s: %s", i + 1, sources.size(), source.name(), statistics);
      }
    }
    return new CaptureTotals(committed, quarantined);
  }

  /** The demo starts from nothing each time, but only ever deletes a folder it made itself. */
  private static void prepareHome(Path home, PrintStream out) {
    try {
      if (Files.exists(home) && !Files.exists(home.resolve(MARKER))) {
        try (Stream<Path> entries = Files.list(home)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException(
                "Cannot use "
                    + home
                    + " for the demo: it is not empty and was not made by the warehouse");
          }
        }
      }
      if (Files.exists(home.resolve(MARKER))) {
        out.println("Starting afresh: removing the previous demo's state in " + home);
        try (Stream<Path> paths = Files.walk(home)) {
          List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
          for (Path path : all) {
            if (!path.equals(home) && !path.startsWith(home.resolve("trino"))) {
              Files.delete(path);
            }
          }
        }
      }
      Files.createDirectories(home);
      Files.writeString(
          home.resolve(MARKER), "state of ./warehouse (embedded default); safe to delete\n");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare " + home, e);
    }
  }

  private static String departmentNames(Map<Department, JdbcTarget> targets) {
    return String.join("、", targets.keySet().stream().map(Department::chineseName).toList());
  }

  private static void step(PrintStream out, int step, String text) {
    out.printf("[%d/%d] %s%n", step, STEPS, text);
    out.flush();
  }

  private static void detail(PrintStream out, String format, Object... arguments) {
    out.printf("      " + format + "%n", arguments);
    out.flush();
  }
}
