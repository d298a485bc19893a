package cn.jiangyin.warehouse.dashboards;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dashboards} commands, callable from the warehouse CLI or on their own:
 *
 * <pre>
 *   dashboards build --out target/dashboards.zip [--trino-uri trino://trino@host:8080/iceberg] [--definitions dir]
 *   dashboards validate target/dashboards.zip
 * </pre>
 *
 * {@code build} validates the bundle before writing it and writes nothing if Superset would reject
 * it. Both return 0 on success, 1 when the bundle has problems, 2 on a usage error.
 */
public final class DashboardsCommand {
  private DashboardsCommand() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty()) {
      return usage(err, "Missing command (build or validate)");
    }
    List<String> rest = new ArrayList<>(args.subList(1, args.size()));
    try {
      return switch (args.get(0)) {
        case "build" -> buildCommand(rest, out, err);
        case "validate" -> {
          if (rest.size() != 1) {
            yield usage(err, "validate takes the bundle ZIP");
          }
          yield validate(Path.of(rest.get(0)), out, err);
        }
        default -> usage(err, "Unknown command " + args.get(0));
      };
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
  }

  private static int buildCommand(List<String> options, PrintStream out, PrintStream err) {
    Path zip = null;
    String trinoUri = BundleBuilder.TRINO_URI_DEFAULT;
    Path definitions = null;
    for (int i = 0; i < options.size(); i += 2) {
      String option = options.get(i);
      if (i + 1 >= options.size()) {
        return usage(err, "Missing value for " + option);
      }
      String value = options.get(i + 1);
      switch (option) {
        case "--out" -> zip = Path.of(value);
        case "--trino-uri" -> trinoUri = value;
        case "--definitions" -> definitions = Path.of(value);
        default -> {
          return usage(err, "Unknown option " + option);
        }
      }
    }
    if (zip == null) {
      return usage(err, "Missing --out <zip>");
    }
    return build(zip, trinoUri, definitions, Instant.now(), out, err);
  }

  /**
   * Builds the bundle from {@code definitions} (null: the bundled definitions), validates it and
   * writes it to {@code zip}.
   */
  public static int build(
      Path zip,
      String trinoUri,
      Path definitions,
      Instant timestamp,
      PrintStream out,
      PrintStream err) {
    List<DashboardDefinition> dashboards =
        definitions == null
            ? DashboardDefinitions.bundled()
            : DashboardDefinitions.read(definitions);
    out.printf("Read %d dashboard definitions%n", dashboards.size());
    Bundle bundle = BundleBuilder.forTrino(trinoUri).build(dashboards, timestamp);
    List<BundleProblem> problems = BundleValidator.validate(bundle);
    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println(problem));
      err.printf("Bundle not written: %d problems%n", problems.size());
      return 1;
    }
    bundle.writeZip(zip);
    for (DashboardDefinition dashboard : dashboards) {
      out.printf(
          "  %s (%s): %d datasets, %d charts%n",
          dashboard.title(),
          dashboard.name(),
          dashboard.datasets().size(),
          dashboard.charts().size());
    }
    out.printf("Wrote %s (%d files), valid for Superset import%n", zip, bundle.files().size());
    return 0;
  }

  public static int validate(Path zip, PrintStream out, PrintStream err) {
    if (!Files.isRegularFile(zip)) {
      err.println("Cannot read bundle " + zip + ": no such file");
      return 2;
    }
    List<BundleProblem> problems = BundleValidator.validate(Bundle.readZip(zip));
    if (problems.isEmpty()) {
      out.printf("%s: valid for Superset import%n", zip);
      return 0;
    }
    problems.forEach(problem -> err.println(problem));
    err.printf("%s: %d problems%n", zip, problems.size());
    return 1;
  }

  private static int usage(PrintStream err, String problem) {
    err.println(problem);
    err.println(
        "Usage: dashboards build --out <zip> [--trino-uri trino://host:8080/iceberg] [--definitions <dir>]");
    err.println("       dashboards validate <zip>");
    return 2;
  }
}
