package cn.jiangyin.warehouse.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warehouse bench credit}: full credit evaluation, then incremental after 1 % new facts. */
@Command(
    name = "credit",
    mixinStandardHelpOptions = true,
    description = {
      "Credit benchmark: facts → scores → lists → verdicts with the default rule set at a fraction"
          + " of county scale, in full; then new facts appended (1 %% by default) and the"
          + " evaluation again, incrementally (only the subjects affected and the persons linked"
          + " to them). Time and peak memory of each and the ratio incremental / full.",
      "The inputs (credit.fact, lib.enterprise, lib.person, lib.person_role) are generated"
          + " deterministically from --seed and written straight into Iceberg: capture and the"
          + " fact build are measured by bench build. Creates its own catalog database on the"
          + " machine's PostgreSQL and drops it at the end."
    },
    footer = {
      "",
      "County scale (--scale 1) is ≈ 5,000,000 facts, 300,000 enterprises and 2,000,000 persons."
          + " Results go to stdout, progress to stderr."
    })
final class CreditBenchCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--scale",
      paramLabel = "F",
      description = "Fraction of county scale (default: ${DEFAULT-VALUE}).")
  private double scale = 1.0;

  @Option(
      names = "--new-share",
      paramLabel = "S",
      description =
          "New facts appended before the incremental run, as a share of the facts"
              + " (default: ${DEFAULT-VALUE}).")
  private double newShare = 0.01;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the generated inputs (default: ${DEFAULT-VALUE}).")
  private long seed = 2025;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "Where the benchmark's lake goes (removed at the end; default: the system temp folder).")
  private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));

  @Override
  public Integer call() throws Exception {
    CreditBenchmark.Settings settings;
    try {
      settings = new CreditBenchmark.Settings(scale, seed, newShare, workDirectory);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    new CreditBenchmark(settings, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    return 0;
  }
}
