package cn.jiangyin.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.orchestration.Flow;
import cn.jiangyin.warehouse.orchestration.FlowTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FlowCheckTest {
  private static final String FLOW = FlowTest.smallFlow();

  /**
   * Reads the generated DAG file with Python's own parser and prints, per task, its operator and
   * the warehouse arguments it runs (application_args, or bash_command split as bash would).
   */
  private static final String TASKS_OF_DAG =
      """
      import ast, shlex, sys
      tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
      names = {}
      for node in tree.body:
          if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
              names[node.targets[0].id] = node.value.value
      def value(node):
          return node.value if isinstance(node, ast.Constant) else names[node.id]
      for node in ast.walk(tree):
          if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("SparkSubmitOperator", "BashOperator"):
              keywords = {k.arg: k.value for k in node.keywords}
              if node.func.id == "SparkSubmitOperator":
                  words = [value(e) for e in keywords["application_args"].elts]
                  print("\\t".join(["spark", value(keywords["task_id"]), value(keywords["java_class"])] + words))
              else:
                  words = shlex.split(value(keywords["bash_command"]))
                  print("\\t".join(["bash", value(keywords["task_id"]), words[0]] + words[1:]))
      """;

  @Test
  void bundledFlowNamesOnlyCommandsOptionsAndClassesThatExist() {
    assertThat(FlowCheck.problems(Flow.load())).isEmpty();
  }

  @Test
  void misspeltOptionMissingSubcommandAndUnknownClassAreProblemsNamingTheStep() {
    String flow =
        FLOW.replace("[build, --stages, ods]", "[build, --stage, ods]")
            .replace("[codes, check, \"${as_of}\"]", "[codes]")
            .replace(
                "main-class: cn.jiangyin.warehouse.cli.WarehouseCommand",
                "main-class: cn.jiangyin.warehouse.cli.NoSuchCommand");

    List<String> problems = FlowCheck.problems(Flow.parse("flow.yaml", flow));

    assertThat(problems)
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .startsWith("step build: 'warehouse build --stage ods':")
                    .contains("--stage"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .isEqualTo("step report: 'warehouse codes' names no command that runs"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .isEqualTo(
                        "airflow.main-class cn.jiangyin.warehouse.cli.NoSuchCommand: no such class with main"));
  }

  @Test
  void generatedDagIsValidPythonAndRunsOnlyWarehouseCommandsThatParse(@TempDir Path directory)
      throws Exception {
    assertThat(python3())
        .as("python3 must be on PATH to check the generated DAG (.ci/services installs it)")
        .isTrue();
    Path dag = directory.resolve("jiangyin.py");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "airflow",
            "dag",
            "--out",
            dag.toString());
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    Path script = directory.resolve("tasks.py");
    Files.writeString(script, TASKS_OF_DAG);

    List<String> tasks = python(script.toString(), dag.toString());

    Flow flow = Flow.load();
    // both DAGs: each hourly step once more in the daily DAG
    assertThat(tasks).hasSize(flow.steps("hourly").size() + flow.steps("daily").size());
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    for (String task : tasks) {
      List<String> fields = List.of(task.split("\t"));
      String runner = fields.get(0);
      List<String> arguments = new ArrayList<>(fields.subList(3, fields.size()));
      if (runner.equals("spark")) {
        assertThat(Class.forName(fields.get(2)).getMethod("main", String[].class)).isNotNull();
      } else {
        assertThat(fields.get(2)).isEqualTo(flow.airflow().launcher());
      }
      // the Airflow template of the date is rendered before the command runs
      arguments.replaceAll(argument -> argument.replace("{{ ds }}", "2026-11-28"));
      CommandLine.ParseResult parsed =
          WarehouseCommand.commandLine(discard, discard, name -> null)
              .parseArgs(arguments.toArray(String[]::new));
      assertThat(parsed.matchedOptionValue("--config", Path.of("")))
          .as(task)
          .isEqualTo(Path.of(flow.airflow().config()));
      assertThat(parsed.hasSubcommand()).as(task).isTrue();
    }
  }

  private static boolean python3() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static List<String> python(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output.lines().toList();
  }
}
