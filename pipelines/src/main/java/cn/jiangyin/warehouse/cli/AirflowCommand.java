package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.config.InvalidConfigException;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.orchestration.AirflowClient;
import cn.jiangyin.warehouse.orchestration.AirflowDag;
import cn.jiangyin.warehouse.orchestration.Flow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse airflow}: the Airflow DAG file of the scheduled flow, and triggering and
 * watching its runs through Airflow 3's REST API ({@code airflow.url}, {@code airflow.user}, {@code
 * airflow.password} of the platform configuration).
 */
@Command(
    name = "airflow",
    mixinStandardHelpOptions = true,
    description = "The Airflow DAG of the scheduled flow; trigger and watch its runs.")
final class AirflowCommand {
  @Spec private CommandSpec spec;

  @Command(
      name = "dag",
      mixinStandardHelpOptions = true,
      description =
          "Write the Airflow 3 DAG file of flow/flow.yaml (one DAG per schedule), after checking"
              + " that every step names a warehouse command and option that exist.")
  int dag(
      @Option(names = "--out", required = true, paramLabel = "FILE", description = "DAG file.")
          Path out,
      @Option(
              names = "--flow",
              paramLabel = "FILE",
              description = "A flow definition to use instead of the bundled one.")
          Path flowFile)
      throws IOException {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Flow flow = RunCommand.flow(flowFile);
    List<String> problems = FlowCheck.problems(flow);
    if (!problems.isEmpty()) {
      problems.forEach(problem -> root.err().println("error: " + problem));
      return WarehouseCommand.EXIT_USER_ERROR;
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, AirflowDag.render(flow), StandardCharsets.UTF_8);
    for (String schedule : flow.schedules().keySet().stream().sorted().toList()) {
      root.err()
          .printf(
              "%s: %d steps, %s%n",
              AirflowDag.dagId(flow, schedule),
              flow.steps(schedule).size(),
              flow.schedules().get(schedule).cron());
    }
    root.out().println(out);
    return 0;
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description =
          "Trigger a run of a DAG (POST /api/v2/dags/{dag_id}/dagRuns); print its run id.")
  int trigger(
      @Parameters(paramLabel = "DAG", description = "DAG id, e.g. jiangyin_daily.") String dagId,
      @Option(names = "--conf", paramLabel = "JSON", description = "The run's conf, a JSON object.")
          String conf,
      @Option(
              names = "--logical-date",
              paramLabel = "INSTANT",
              description = "The run's logical date, e.g. 2026-11-28T00:00:00Z (default: now).")
          Instant logicalDate)
      throws IOException, InterruptedException {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Optional<ObjectNode> body = Optional.empty();
    if (conf != null) {
      JsonNode parsed;
      try {
        parsed = new ObjectMapper().readTree(conf);
      } catch (IOException e) {
        root.err()
            .println(
                "error: Invalid --conf: not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        return WarehouseCommand.EXIT_USER_ERROR;
      }
      if (!(parsed instanceof ObjectNode object)) {
        root.err().println("error: Invalid --conf: must be a JSON object, found " + conf);
        return WarehouseCommand.EXIT_USER_ERROR;
      }
      body = Optional.of(object);
    }
    AirflowClient.DagRun run =
        client(root).trigger(dagId, logicalDate != null ? logicalDate : Instant.now(), body);
    root.err().printf("%s: run %s is %s%n", run.dagId(), run.runId(), run.state());
    root.out().println(run.runId());
    return 0;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "The latest runs of a DAG, or with --run one run and its tasks; exit 1 if that run"
              + " failed.")
  int status(
      @Parameters(paramLabel = "DAG", description = "DAG id, e.g. jiangyin_daily.") String dagId,
      @Option(names = "--run", paramLabel = "RUN_ID", description = "One run's id.") String runId,
      @Option(
              names = "--limit",
              paramLabel = "N",
              defaultValue = "10",
              description = "How many runs to list (default: ${DEFAULT-VALUE}).")
          int limit)
      throws IOException, InterruptedException {
    WarehouseCommand root = WarehouseCommand.of(spec);
    AirflowClient client = client(root);
    if (runId == null) {
      root.out().printf("%-40s  %-8s  %-26s  %s%n", "run_id", "state", "logical_date", "run_type");
      for (AirflowClient.DagRun run : client.dagRuns(dagId, limit)) {
        root.out()
            .printf(
                "%-40s  %-8s  %-26s  %s%n",
                run.runId(), run.state(), run.logicalDate().orElse("-"), run.runType());
      }
      return 0;
    }
    AirflowClient.DagRun run = client.dagRun(dagId, runId);
    root.err()
        .printf(
            "%s %s: %s (started %s, ended %s)%n",
            run.dagId(),
            run.runId(),
            run.state(),
            run.startDate().orElse("-"),
            run.endDate().orElse("-"));
    root.out().printf("%-20s  %-16s  %5s  %10s%n", "task", "state", "try", "duration");
    for (AirflowClient.TaskInstance task : client.taskInstances(dagId, runId)) {
      root.out()
          .printf(
              "%-20s  %-16s  %5d  %10s%n",
              task.taskId(),
              task.state().orElse("none"),
              task.tryNumber(),
              task.duration().map(seconds -> String.format("%.1f s", seconds)).orElse("-"));
    }
    return run.state().equals("failed") ? WarehouseCommand.EXIT_FAILURE : 0;
  }

  /** The client of the configured Airflow; the password is read from the environment now. */
  private static AirflowClient client(WarehouseCommand root) {
    Path file =
        root.configFile()
            .orElseThrow(
                () ->
                    new InvalidConfigException(
                        PlatformConfig.AIRFLOW_URL.key(),
                        "warehouse airflow needs a configuration file naming airflow.url,"
                            + " airflow.user and airflow.password (--config FILE)"));
    PlatformConfig config = PlatformConfig.load(file, root.environment());
    return new AirflowClient(
        URI.create(config.value(PlatformConfig.AIRFLOW_URL)),
        config.value(PlatformConfig.AIRFLOW_USER),
        config.secret(PlatformConfig.AIRFLOW_PASSWORD, root.environment()));
  }
}
