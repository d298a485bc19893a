package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.orchestration.Flow;
import cn.jiangyin.warehouse.orchestration.LocalRun;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse run}: the scheduled flow ({@code flow/flow.yaml}) run here, step by step in
 * dependency order, each step as its own {@code warehouse} process with the same JVM, class path
 * and global options — what the Airflow DAG runs, without Airflow.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the scheduled flow (flow/flow.yaml) here, in dependency order, each step a warehouse"
            + " process; print progress and a summary; exit 1 naming the step that failed.")
final class RunCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--schedule",
      paramLabel = "NAME",
      defaultValue = "all",
      description = "Steps of this schedule: hourly, daily or all (default: ${DEFAULT-VALUE}).")
  private String schedule;

  @Option(names = "--dry-run", description = "Show the steps and their command lines only.")
  private boolean dryRun;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "The run's date, yyyy-MM-dd (default: today in Jiangyin).")
  private LocalDate asOf;

  @Option(
      names = "--flow",
      paramLabel = "FILE",
      description = "A flow definition to use instead of the bundled flow/flow.yaml.")
  private Path flowFile;

  @Override
  public Integer call() throws Exception {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Flow flow = flow(flowFile);
    List<String> problems = FlowCheck.problems(flow);
    if (!problems.isEmpty()) {
      problems.forEach(problem -> root.err().println("error: " + problem));
      return WarehouseCommand.EXIT_USER_ERROR;
    }
    List<Flow.Step> steps;
    try {
      steps = flow.steps(schedule);
    } catch (IllegalArgumentException e) {
      root.err().println("error: " + e.getMessage());
      return WarehouseCommand.EXIT_USER_ERROR;
    }
    Map<String, String> values = new LinkedHashMap<>(flow.parameters());
    values.put(
        Flow.AS_OF, (asOf != null ? asOf : LocalDate.now(ZoneId.of("Asia/Shanghai"))).toString());
    List<String> global = globalOptions(root);
    LocalRun run =
        new LocalRun(
            (step, line) -> runStep(global, line, root.err()), line -> root.err().println(line));
    List<LocalRun.Outcome> outcomes =
        run.run(steps, values, dryRun ? LocalRun.Mode.DRY_RUN : LocalRun.Mode.RUN);
    root.out().print(LocalRun.summary(outcomes));
    List<String> failed =
        outcomes.stream()
            .filter(outcome -> outcome.status() == LocalRun.Status.FAILED)
            .map(outcome -> outcome.step().id() + " (" + outcome.detail() + ")")
            .toList();
    if (!failed.isEmpty()) {
      root.err().println("error: step failed: " + String.join(", ", failed));
      return WarehouseCommand.EXIT_FAILURE;
    }
    return 0;
  }

  /** The bundled flow, or the one in {@code file} when given. */
  static Flow flow(Path file) {
    if (file == null) {
      return Flow.load();
    }
    try {
      return Flow.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new InvalidFileException(file.toString(), 0, "cannot read file: " + e.getMessage());
    }
  }

  /** {@code --config} and {@code --home} as this command was given them, for every step. */
  private static List<String> globalOptions(WarehouseCommand root) {
    List<String> options = new ArrayList<>();
    root.configFile()
        .ifPresent(file -> options.addAll(List.of("--config", file.toAbsolutePath().toString())));
    options.addAll(List.of("--home", root.home().toAbsolutePath().toString()));
    return options;
  }

  /**
   * One step as a child {@code warehouse} process: this JVM's executable, flags and class path; its
   * output (stdout and stderr) goes to our stderr, indented, so stdout keeps the summary.
   */
  private static int runStep(List<String> global, List<String> line, PrintStream err)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WarehouseCommand.class.getName());
    command.addAll(global);
    command.addAll(line);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (BufferedReader output =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String text;
      while ((text = output.readLine()) != null) {
        err.println("    " + text);
      }
    }
    return process.waitFor();
  }
}
