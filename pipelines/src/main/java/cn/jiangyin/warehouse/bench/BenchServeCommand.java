package cn.jiangyin.warehouse.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warehouse bench serve}: verdicts for other systems — export, Trino, HTTP lookup. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serving benchmark on generated export.verdict rows at county scale: the time of a full"
          + " export, p50/p95 of a single-subject query through Trino (as export_reader), and"
          + " p50/p95 of the HTTP lookup under concurrent clients.",
      "Creates its own catalog database (bench_serve_<run>_catalog) and lake, removed at the end."
    },
    footer = {"", "Results go to stdout, progress to stderr (docs/benchmarks.md)."})
final class BenchServeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--enterprises",
      paramLabel = "N",
      description = "Enterprise verdicts (default: ${DEFAULT-VALUE}).")
  private int enterprises = 200_000;

  @Option(
      names = "--persons",
      paramLabel = "N",
      description = "Person verdicts (default: ${DEFAULT-VALUE}).")
  private int persons = 100_000;

  @Option(
      names = "--clients",
      paramLabel = "N",
      description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
  private int clients = 100;

  @Option(
      names = "--requests-per-client",
      paramLabel = "N",
      description = "Lookups each client makes, one after the other (default: ${DEFAULT-VALUE}).")
  private int requestsPerClient = 200;

  @Option(
      names = "--trino-queries",
      paramLabel = "N",
      description =
          "Single-subject Trino queries, one after the other (default: ${DEFAULT-VALUE}).")
  private int trinoQueries = 200;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where the benchmark's lake, export and Trino files go (removed at the end; default:"
              + " the system temp folder).")
  private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));

  @Override
  public Integer call() throws Exception {
    if (enterprises < 1
        || persons < 0
        || clients < 1
        || requestsPerClient < 1
        || trinoQueries < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "Invalid sizes: every count must be positive");
    }
    new ServeBenchmark(
            new ServeBenchmark.Settings(
                enterprises, persons, clients, requestsPerClient, trinoQueries, workDirectory),
            spec.commandLine().getOut(),
            spec.commandLine().getErr())
        .run();
    return 0;
  }
}
