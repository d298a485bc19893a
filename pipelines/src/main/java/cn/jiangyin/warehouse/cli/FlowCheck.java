package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.orchestration.Flow;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * Checks that a {@link Flow} names only what exists: every step's command line parses as a {@code
 * warehouse} command (subcommands and options, with the placeholders filled in), and the job class
 * of the DAG loads. {@code warehouse run} and {@code warehouse airflow dag} refuse a flow that
 * fails it, so a renamed command or option breaks the build, not the nightly run.
 */
final class FlowCheck {
  private FlowCheck() {}

  /** The problems of {@code flow}, one line each naming the step; empty when it is sound. */
  static List<String> problems(Flow flow) {
    List<String> problems = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>(flow.parameters());
    values.put(Flow.AS_OF, "2026-01-01");
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    for (Flow.Step step : flow.steps()) {
      List<String> line = step.commandLine(values);
      try {
        CommandLine.ParseResult parsed =
            WarehouseCommand.commandLine(discard, discard, name -> null)
                .parseArgs(line.toArray(String[]::new));
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
          leaf = leaf.subcommand();
        }
        Object command = leaf.commandSpec().userObject();
        // a group such as `export` only holds subcommands: picocli cannot run it
        if (!(command instanceof Runnable
            || command instanceof Callable
            || command instanceof Method)) {
          problems.add(
              "step "
                  + step.id()
                  + ": 'warehouse "
                  + String.join(" ", line)
                  + "' names no command that runs");
        }
      } catch (CommandLine.ParameterException e) {
        problems.add(
            "step "
                + step.id()
                + ": 'warehouse "
                + String.join(" ", line)
                + "': "
                + e.getMessage());
      }
    }
    try {
      Class.forName(flow.airflow().mainClass(), false, FlowCheck.class.getClassLoader())
          .getMethod("main", String[].class);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      problems.add(
          "airflow.main-class " + flow.airflow().mainClass() + ": no such class with main");
    }
    return problems;
  }
}
