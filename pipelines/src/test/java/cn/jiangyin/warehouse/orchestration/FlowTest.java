package cn.jiangyin.warehouse.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class FlowTest {
  /**
   * A small valid flow (test resource orchestration/small-flow.yaml); tests break one thing in it
   * at a time.
   */
  static final String FLOW = smallFlow();

  /** The text of the test resource {@code orchestration/small-flow.yaml}. */
  public static String smallFlow() {
    try (InputStream in = FlowTest.class.getResourceAsStream("/orchestration/small-flow.yaml")) {
      if (in == null) {
        throw new IllegalStateException("test resource orchestration/small-flow.yaml is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void stepsComeAfterTheStepsTheyDependOnWhateverTheFileOrder() {
    Flow flow = Flow.parse("flow.yaml", FLOW);

    // the file lists report first; it depends on build, which depends on health
    assertThat(flow.steps()).extracting(Flow.Step::id).containsExactly("health", "build", "report");
    assertThat(flow.steps("hourly")).extracting(Flow.Step::id).containsExactly("health", "build");
    assertThat(flow.steps("daily"))
        .extracting(Flow.Step::id)
        .containsExactly("health", "build", "report");
    Flow.Step health = flow.steps().get(0);
    assertThat(health.retries()).isEqualTo(2);
    assertThat(health.retryDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(health.runner()).isEqualTo(Flow.Runner.CLI);
    assertThat(flow.schedules().get("daily").sla()).isEqualTo(Duration.ofHours(4));
    assertThat(health.commandLine(Map.of("sources", "/etc/sources.yaml")))
        .containsExactly("ingest", "status", "--sources", "/etc/sources.yaml");
  }

  @Test
  void bundledFlowRunsEveryStageInOrderHourlyASubsetOfDaily() {
    Flow flow = Flow.load();

    assertThat(flow.steps("hourly"))
        .extracting(Flow.Step::id)
        .containsExactly("capture_health", "ods", "libraries", "credit_facts", "quality");
    assertThat(flow.steps("daily"))
        .extracting(Flow.Step::id)
        .containsExactly(
            "capture_health",
            "ods",
            "libraries",
            "credit_facts",
            "quality",
            "credit",
            "export_verdicts",
            "trino_views",
            "catalogue",
            "dashboards");
    // capture is a long-running service (ingest --follow), never a scheduled step
    assertThat(flow.steps())
        .noneMatch(
            step -> step.command().contains("--follow") || step.command().contains("--once"));
    // each Spark stage of LakeBuild is a step of its own, so credit can run daily and the rest
    // hourly
    assertThat(flow.steps())
        .filteredOn(step -> step.command().get(0).equals("build"))
        .extracting(step -> step.command().get(2))
        .containsExactly("ods", "libraries", "facts", "quality", "credit");
  }

  @Test
  void unknownDependencyIsReportedAtTheStep() {
    String broken = FLOW.replace("depends-on: [health]", "depends-on: [helth]");

    assertThatThrownBy(() -> Flow.parse("flow.yaml", broken))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageContaining("flow.yaml:" + lineOf(FLOW, "depends-on: [health]") + ":")
        .hasMessageContaining("no step 'helth'");
  }

  @Test
  void cycleIsRejected() {
    String broken =
        FLOW.replace(
                "schedules: [hourly, daily]\n    retries: 2",
                "depends-on: [report]\n    schedules: [hourly, daily]\n    retries: 2")
            .replace("schedules: [daily]", "schedules: [hourly, daily]");

    assertThatThrownBy(() -> Flow.parse("flow.yaml", broken))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void dependencyMissingFromASchedulesOfTheStepIsRejected() {
    // build would run hourly without its upstream health check
    String broken =
        FLOW.replace(
            "schedules: [hourly, daily]\n    retries: 2", "schedules: [daily]\n    retries: 2");

    assertThatThrownBy(() -> Flow.parse("flow.yaml", broken))
        .hasMessageContaining("health does not run on every schedule build runs on");
  }

  @Test
  void typosAndBadValuesNameFileAndLine() {
    assertThatThrownBy(
            () -> Flow.parse("flow.yaml", FLOW.replace("retry-delay: 5m", "retry-dely: 5m")))
        .hasMessageContaining("flow.yaml:")
        .hasMessageContaining("unknown key 'retry-dely'");
    assertThatThrownBy(
            () -> Flow.parse("flow.yaml", FLOW.replace("timeout: 1h", "timeout: 1 hour")))
        .hasMessageContaining("flow.yaml:" + lineOf(FLOW, "timeout: 1h") + ":")
        .hasMessageContaining("Invalid duration '1 hour'");
    assertThatThrownBy(() -> Flow.parse("flow.yaml", FLOW.replace("runs: spark", "runs: sparks")))
        .hasMessageContaining("Invalid runs 'sparks'");
    assertThatThrownBy(
            () -> Flow.parse("flow.yaml", FLOW.replace("\"${sources}\"", "\"${source}\"")))
        .hasMessageContaining("Invalid placeholder ${source}");
    assertThatThrownBy(
            () ->
                Flow.parse("flow.yaml", FLOW.replace("schedules: [daily]", "schedules: [weekly]")))
        .hasMessageContaining("Invalid schedule 'weekly'");
    assertThatThrownBy(() -> Flow.parse("flow.yaml", FLOW.replace("\"0 * * * *\"", "\"hourly\"")))
        .hasMessageContaining("Invalid cron 'hourly'");
  }

  @Test
  void unknownScheduleIsRefusedWithTheChoices() {
    assertThatThrownBy(() -> Flow.parse("flow.yaml", FLOW).steps("weekly"))
        .hasMessage("Invalid schedule 'weekly' (schedules: all, hourly, daily)");
    assertThat(Flow.parse("flow.yaml", FLOW).steps("all")).hasSize(3);
  }

  static int lineOf(String text, String fragment) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(fragment)) {
        return i + 1;
      }
    }
    throw new AssertionError("no line with " + fragment);
  }
}
