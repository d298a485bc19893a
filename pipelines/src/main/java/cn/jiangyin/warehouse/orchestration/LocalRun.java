package cn.jiangyin.warehouse.orchestration;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code warehouse run}: the steps of one schedule of the {@link Flow}, one after the other in
 * dependency order, as the Airflow DAG would run them. A failed step stops every step that depends
 * on it, directly or not; steps that do not depend on it still run. Each step is retried as its
 * definition says, without the delay (a local run is watched by someone).
 */
public final class LocalRun {
  /** Runs one step's command line; returns its exit code. */
  @FunctionalInterface
  public interface StepExecutor {
    int execute(Flow.Step step, List<String> commandLine) throws Exception;
  }

  /** What became of a step. */
  public enum Status {
    OK,
    FAILED,
    /** Not run: a step it depends on failed or was not run. */
    BLOCKED,
    /** {@code --dry-run}: shown, not run. */
    PLANNED
  }

  /** One step's outcome; {@code detail} says why it failed or was blocked. */
  public record Outcome(
      Flow.Step step, List<String> commandLine, Status status, Duration duration, String detail) {
    public Outcome {
      requireNonNull(step, "step is null");
      commandLine = List.copyOf(commandLine);
      requireNonNull(status, "status is null");
      requireNonNull(duration, "duration is null");
      requireNonNull(detail, "detail is null");
    }
  }

  private final StepExecutor executor;
  private final Consumer<String> progress;

  public LocalRun(StepExecutor executor, Consumer<String> progress) {
    this.executor = requireNonNull(executor, "executor is null");
    this.progress = requireNonNull(progress, "progress is null");
  }

  /** Runs (or with {@code dryRun}, lists) {@code steps}, which are in dependency order. */
  public List<Outcome> run(List<Flow.Step> steps, Map<String, String> values, Mode mode) {
    List<Outcome> outcomes = new ArrayList<>();
    Set<String> notDone = new HashSet<>();
    Set<String> selected = new HashSet<>();
    steps.forEach(step -> selected.add(step.id()));
    for (int i = 0; i < steps.size(); i++) {
      Flow.Step step = steps.get(i);
      String position = String.format("[%d/%d] %s", i + 1, steps.size(), step.id());
      List<String> commandLine = step.commandLine(values);
      Optional<String> blocker =
          step.dependsOn().stream()
              .filter(dependency -> selected.contains(dependency) && notDone.contains(dependency))
              .findFirst();
      if (blocker.isPresent()) {
        notDone.add(step.id());
        String detail = "blocked: " + blocker.get() + " did not succeed";
        progress.accept(position + ": " + detail);
        outcomes.add(new Outcome(step, commandLine, Status.BLOCKED, Duration.ZERO, detail));
        continue;
      }
      progress.accept(
          position + ": " + step.description() + " — warehouse " + String.join(" ", commandLine));
      if (mode == Mode.DRY_RUN) {
        outcomes.add(new Outcome(step, commandLine, Status.PLANNED, Duration.ZERO, ""));
        continue;
      }
      long start = System.nanoTime();
      String detail = "";
      boolean succeeded = false;
      for (int attempt = 1; attempt <= step.retries() + 1 && !succeeded; attempt++) {
        if (attempt > 1) {
          progress.accept(
              String.format("%s: attempt %d of %d", position, attempt, step.retries() + 1));
        }
        try {
          int code = executor.execute(step, commandLine);
          succeeded = code == 0;
          detail = succeeded ? "" : "exit code " + code;
        } catch (Exception e) {
          detail = e.toString();
        }
      }
      Duration duration = Duration.ofNanos(System.nanoTime() - start);
      if (!succeeded) {
        notDone.add(step.id());
      }
      progress.accept(
          String.format(
              "%s: %s in %.1f s%s",
              position,
              succeeded ? "done" : "FAILED",
              duration.toMillis() / 1000.0,
              detail.isEmpty() ? "" : " (" + detail + ")"));
      outcomes.add(
          new Outcome(step, commandLine, succeeded ? Status.OK : Status.FAILED, duration, detail));
    }
    return outcomes;
  }

  /** Whether to run the steps or only show them. */
  public enum Mode {
    RUN,
    DRY_RUN
  }

  /** The summary table: step, status, duration, detail. */
  public static String summary(List<Outcome> outcomes) {
    int width = "step".length();
    for (Outcome outcome : outcomes) {
      width = Math.max(width, outcome.step().id().length());
    }
    StringBuilder table = new StringBuilder();
    String format = "%-" + width + "s  %-7s  %10s  %s%n";
    table.append(String.format(format, "step", "status", "duration", "detail"));
    for (Outcome outcome : outcomes) {
      table.append(
          String.format(
              format,
              outcome.step().id(),
              outcome.status().name().toLowerCase(java.util.Locale.ROOT),
              String.format("%.1f s", outcome.duration().toMillis() / 1000.0),
              outcome.detail()));
    }
    return table.toString();
  }
}
