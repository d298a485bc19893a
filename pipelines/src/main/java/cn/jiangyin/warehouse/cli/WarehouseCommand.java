package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.bench.BenchCommand;
import cn.jiangyin.warehouse.config.InvalidConfigException;
import cn.jiangyin.warehouse.schema.SchemaEvolutionException;
import cn.jiangyin.warehouse.trino.TrinoServerException;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.AnalysisException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code warehouse} command line (命令行): one entry point for people, the demo and the scheduler.
 * Results go to stdout, everything else (progress, logs, errors) to stderr, so output can be piped.
 *
 * <p>Exit codes: 0 done; 1 a check failed (e.g. an invalid code) or the platform failed; 2 the user
 * can fix it (bad arguments, configuration, table definitions, SQL that does not analyse).
 */
@Command(
    name = "warehouse",
    mixinStandardHelpOptions = true,
    versionProvider = WarehouseVersion.class,
    description = "Jiangyin data platform and credit-supervision warehouse (江阴市大数据中心).",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {
      DemoCommand.class,
      IngestCommand.class,
      BuildCommand.class,
      MaintainCommand.class,
      SqlCommand.class,
      CodesCommand.class,
      SchemasCommand.class,
      TrinoCommand.class,
      ConfigCommand.class,
      BenchCommand.class,
      QualityCommand.class,
      CatalogueCommand.class,
      ExportCommand.class,
      DashboardsCommand.class,
      RulesCommand.class,
      CreditCommand.class,
      InspectCommand.class,
      VerdictCommand.class,
      ServeCommand.class,
      ReportCommand.class,
      RunCommand.class,
      AirflowCommand.class
    },
    footerHeading = "%nWhich platform:%n",
    footer = {
      "  --config FILE, else $WAREHOUSE_CONFIG, else ./warehouse.yaml if present: the",
      "  deployment that file describes (see warehouse.example.yaml). Otherwise the",
      "  embedded platform: PostgreSQL catalog and lake kept under --home.",
      "",
      "Exit codes: 0 done, 1 a check or the platform failed, 2 a mistake to fix",
      "(arguments, configuration, table definitions, SQL)."
    })
public final class WarehouseCommand {
  /** Exit code of a failed check or an unexpected failure. */
  public static final int EXIT_FAILURE = 1;

  /** Exit code of a mistake the user can fix: arguments, configuration, definitions, SQL. */
  public static final int EXIT_USER_ERROR = 2;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "Platform configuration file (default: $WAREHOUSE_CONFIG, else ./warehouse.yaml if present,"
              + " else the embedded platform).")
  private Path configFile;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "Where local state lives: the embedded platform, the Trino server's files (default:"
              + " .warehouse).")
  private Path home = Path.of(".warehouse");

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  private boolean verbose;

  private final PrintStream out;
  private final PrintStream err;
  private final Function<String, String> environment;

  private WarehouseCommand(PrintStream out, PrintStream err, Function<String, String> environment) {
    this.out = out;
    this.err = err;
    this.environment = environment;
  }

  public static void main(String[] args) {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int code = execute(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs one command line, writing results to {@code out} and messages to {@code err}; returns its
   * exit code.
   */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    return commandLine(out, err, System::getenv).execute(args);
  }

  /**
   * As {@link #execute(PrintStream, PrintStream, String...)}, reading variables from {@code
   * environment}.
   */
  static int execute(
      PrintStream out, PrintStream err, Function<String, String> environment, String... args) {
    return commandLine(out, err, environment).execute(args);
  }

  static CommandLine commandLine(
      PrintStream out, PrintStream err, Function<String, String> environment) {
    WarehouseCommand command = new WarehouseCommand(out, err, environment);
    CommandLine line = new CommandLine(command);
    line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    line.setParameterExceptionHandler(command::invalidArguments);
    line.setExecutionExceptionHandler(
        (failure, commandLine, parseResult) -> command.failed(failure));
    ConfigCommand.describeOptions(line.getSubcommands().get("config").getCommandSpec());
    return line;
  }

  /** The root command of the one being run, for the global options and the output streams. */
  static WarehouseCommand of(CommandSpec spec) {
    return (WarehouseCommand) spec.root().userObject();
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  Path home() {
    return home;
  }

  Function<String, String> environment() {
    return environment;
  }

  /** Opens the platform the global options select; the caller closes it. */
  Platform openPlatform() {
    return Platform.open(configFile(), home, environment);
  }

  Optional<Path> configFile() {
    return Platform.configFile(Optional.ofNullable(configFile), environment, Path.of(""));
  }

  private int invalidArguments(ParameterException problem, String[] args) {
    CommandLine.Model.CommandSpec spec = problem.getCommandLine().getCommandSpec();
    err.println("error: " + problem.getMessage() + " (see '" + spec.qualifiedName() + " --help')");
    if (verbose) {
      problem.printStackTrace(err);
    }
    return EXIT_USER_ERROR;
  }

  private int failed(Exception failure) {
    Optional<String> userError = userError(failure);
    if (userError.isPresent()) {
      err.println("error: " + userError.get());
      if (verbose) {
        failure.printStackTrace(err);
      }
      return EXIT_USER_ERROR;
    }
    if (failure instanceof TrinoServerException trino) {
      // the message says what to do and carries the end of the server's log
      err.println("error: " + trino.getMessage());
    } else {
      err.println("error: " + failure);
    }
    if (verbose) {
      failure.printStackTrace(err);
    } else {
      err.println("(run with --verbose for the stack trace)");
    }
    return EXIT_FAILURE;
  }

  /** The one-line message of a failure the user can fix, if it is one. */
  static Optional<String> userError(Throwable failure) {
    if (failure instanceof InvalidConfigException
        || failure instanceof InvalidFileException
        || failure instanceof SchemaEvolutionException) {
      return Optional.of(failure.getMessage());
    }
    if (failure instanceof AnalysisException analysis) {
      // the simple message leaves out the logical plan; a parse error keeps its position
      return Optional.of(firstParagraph(analysis.getSimpleMessage()));
    }
    return Optional.empty();
  }

  private static String firstParagraph(String message) {
    int blank = message.indexOf("\n\n");
    return (blank < 0 ? message : message.substring(0, blank)).strip();
  }
}
