package cn.jiangyin.warehouse.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warehouse bench}: measurements (基准测试) that are commands, not timed tests. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of the platform (figures in docs/benchmarks.md).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      BenchCommand.Ingest.class,
      BenchCommand.Build.class,
      BenchServeCommand.class,
      CreditBenchCommand.class
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /**
   * {@code warehouse bench ingest}: capture into a no-op consumer and into Iceberg, side by side.
   */
  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description = {
        "Capture benchmark on the machine's PostgreSQL and MariaDB: the same snapshot and the same"
            + " streamed updates into a no-op consumer and into committed Iceberg raw tables"
            + " (events/s and their ratio), freshness from source commit to visible in the raw"
            + " table, and peak memory.",
        "Creates its own databases (bench_<run>) and catalog, and drops them at the end."
      },
      footer = {
        "",
        "Needs the servers set up as .ci/services does (capture account, logical decoding, row"
            + " binlog); CAPTURE_PASSWORD as for the tests. Results go to stdout, progress to stderr."
      })
  static final class Ingest implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--rows",
        paramLabel = "N",
        description =
            "Rows of the source table, captured by the snapshot (default: ${DEFAULT-VALUE}).")
    private long rows = 1_000_000;

    @Option(
        names = "--updates",
        paramLabel = "M",
        description = "Updates streamed into each consumer (default: ${DEFAULT-VALUE}).")
    private long updates = 200_000;

    @Option(
        names = "--updates-per-transaction",
        paramLabel = "K",
        description = "Updates the writer commits together (default: ${DEFAULT-VALUE}).")
    private int updatesPerTransaction = 100;

    @Option(
        names = "--freshness-seconds",
        paramLabel = "S",
        description =
            "How long marker rows are inserted for the freshness (default: ${DEFAULT-VALUE}).")
    private int freshnessSeconds = 30;

    @Option(
        names = "--markers-per-second",
        paramLabel = "R",
        description =
            "Marker rows inserted per second, each its own transaction (default: ${DEFAULT-VALUE}).")
    private int markersPerSecond = 10;

    @Option(
        names = "--servers",
        paramLabel = "LIST",
        split = ",",
        description = "Source servers to measure (default: postgresql,mariadb).")
    private List<String> servers = List.of("postgresql", "mariadb");

    @Option(
        names = "--work-dir",
        paramLabel = "DIR",
        description =
            "Where the benchmark's lake and capture state go (removed at the end; default: the system temp folder).")
    private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));

    @Override
    public Integer call() throws Exception {
      IngestBenchmark.Settings settings;
      try {
        settings =
            new IngestBenchmark.Settings(
                rows,
                updates,
                updatesPerTransaction,
                freshnessSeconds,
                markersPerSecond,
                servers.stream().map(BenchServer::of).toList(),
                workDirectory);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      new IngestBenchmark(settings, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
      return 0;
    }
  }

  /** {@code warehouse bench build}: full build, then an incremental build after 1 % changed. */
  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description = {
        "Build benchmark on the machine's PostgreSQL and MariaDB: the simulated departments filled"
            + " at a fraction of county scale, captured by Debezium into raw Iceberg, then the"
            + " build after capture (LakeBuild) in full; then 1 %% of the source rows changed,"
            + " captured, and the build again (incremental). Time and peak memory of each phase"
            + " and the ratio incremental / full.",
        "Creates its own databases (bench_<run>_*) and catalog, and drops them at the end."
      },
      footer = {
        "",
        "County scale (--scale 1) is ≈ 300,000 market subjects (the simulator's scale 300); the"
            + " output states the actual row count of every source table. Needs the servers set up"
            + " as .ci/services does; CAPTURE_PASSWORD as for the tests. Results go to stdout,"
            + " progress to stderr."
      })
  static final class Build implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--scale",
        paramLabel = "F",
        description = "Fraction of county scale (default: ${DEFAULT-VALUE}).")
    private double scale = 1.0;

    @Option(
        names = "--change-share",
        paramLabel = "S",
        description =
            "Changes applied before the incremental build, as a share of the source rows"
                + " (default: ${DEFAULT-VALUE}).")
    private double changeShare = 0.01;

    @Option(
        names = "--seed",
        paramLabel = "N",
        description = "Seed of the simulation (default: ${DEFAULT-VALUE}).")
    private long seed = 2025;

    @Option(
        names = "--work-dir",
        paramLabel = "DIR",
        description =
            "Where the benchmark's lake and capture state go (removed at the end; default: the system temp folder).")
    private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));

    @Override
    public Integer call() throws Exception {
      BuildBenchmark.Settings settings;
      try {
        settings = new BuildBenchmark.Settings(scale, seed, changeShare, workDirectory);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      new BuildBenchmark(settings, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
      return 0;
    }
  }
}
