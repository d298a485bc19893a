package cn.jiangyin.warehouse.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalRunTest {
  private final Flow flow = Flow.load();
  private final List<String> executed = new ArrayList<>();
  private final List<String> progress = new ArrayList<>();
  private final Map<String, Integer> exitCodes = new HashMap<>();

  private List<LocalRun.Outcome> run(String schedule, LocalRun.Mode mode) {
    LocalRun run =
        new LocalRun(
            (step, line) -> {
              executed.add(step.id() + ": " + String.join(" ", line));
              return exitCodes.getOrDefault(step.id(), 0);
            },
            progress::add);
    Map<String, String> values = new HashMap<>(flow.parameters());
    values.put(Flow.AS_OF, "2026-11-28");
    return run.run(flow.steps(schedule), values, mode);
  }

  @Test
  void runsTheStepsInDependencyOrderWithTheirCommandLines() {
    List<LocalRun.Outcome> outcomes = run("daily", LocalRun.Mode.RUN);

    assertThat(executed)
        .containsExactly(
            "capture_health: ingest status --sources sources.yaml --max-lag 900",
            "ods: build --stages ods --as-of 2026-11-28",
            "libraries: build --stages libraries --as-of 2026-11-28",
            "credit_facts: build --stages facts --as-of 2026-11-28",
            "quality: build --stages quality --as-of 2026-11-28",
            "credit: build --stages credit --as-of 2026-11-28",
            "export_verdicts: export verdicts --full",
            "trino_views: trino views",
            "catalogue: catalogue",
            "dashboards: dashboards build --out .warehouse/dashboards/jiangyin-dashboards.zip");
    assertThat(outcomes).allMatch(outcome -> outcome.status() == LocalRun.Status.OK);
    assertThat(progress.get(0)).startsWith("[1/10] capture_health: ");
    assertThat(progress)
        .anyMatch(line -> line.matches("\\[10/10] dashboards: done in \\d+\\.\\d s"));
  }

  @Test
  void aFailedStepBlocksItsDependantsOnlyAfterItsRetries() {
    exitCodes.put("credit", 1);

    List<LocalRun.Outcome> outcomes = run("daily", LocalRun.Mode.RUN);

    // credit has retries: 2, so three attempts; nothing that needs credit runs
    assertThat(executed.stream().filter(line -> line.startsWith("credit:"))).hasSize(3);
    assertThat(executed)
        .noneMatch(line -> line.startsWith("export_verdicts") || line.startsWith("dashboards"));
    assertThat(outcomes)
        .extracting(outcome -> outcome.step().id() + "=" + outcome.status())
        .containsExactly(
            "capture_health=OK",
            "ods=OK",
            "libraries=OK",
            "credit_facts=OK",
            "quality=OK",
            "credit=FAILED",
            "export_verdicts=BLOCKED",
            "trino_views=BLOCKED",
            "catalogue=BLOCKED",
            "dashboards=BLOCKED");
    // dashboards waits on trino_views, blocked in turn: the chain is followed, not only direct
    // edges
    assertThat(outcomes.get(9).detail()).isEqualTo("blocked: trino_views did not succeed");
    assertThat(outcomes.get(5).detail()).isEqualTo("exit code 1");
    String summary = LocalRun.summary(outcomes);
    assertThat(summary.lines().findFirst().orElseThrow()).matches("step +status +duration +detail");
    assertThat(summary).containsPattern("credit +failed +\\d+\\.\\d s +exit code 1");
  }

  @Test
  void aStepThatFailsOnceAndThenSucceedsIsDone() {
    int[] attempts = {0};
    LocalRun run =
        new LocalRun(
            (step, line) -> step.id().equals("ods") && attempts[0]++ == 0 ? 1 : 0, progress::add);
    Map<String, String> values = new HashMap<>(flow.parameters());
    values.put(Flow.AS_OF, "2026-11-28");

    List<LocalRun.Outcome> outcomes = run.run(flow.steps("hourly"), values, LocalRun.Mode.RUN);

    assertThat(outcomes).allMatch(outcome -> outcome.status() == LocalRun.Status.OK);
    assertThat(progress).contains("[2/5] ods: attempt 2 of 3");
  }

  @Test
  void dryRunRunsNothing() {
    List<LocalRun.Outcome> outcomes = run("hourly", LocalRun.Mode.DRY_RUN);

    assertThat(executed).isEmpty();
    assertThat(outcomes).allMatch(outcome -> outcome.status() == LocalRun.Status.PLANNED);
    assertThat(progress)
        .contains(
            "[2/5] ods: ods 当前状态 — current state of every raw table — warehouse build --stages ods --as-of 2026-11-28");
  }
}
