package cn.jiangyin.warehouse.orchestration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowTest {
  /** A small valid flow; tests break one thing in it at a time. */
  static final String FLOW =
      """
      name: test
      parameters:
        sources: sources.yaml
      schedules:
        hourly:
          description: every hour
          cron: "0 * * * *"
          sla: 45m
        daily:
          description: every day
          cron: "30 2 * * *"
          sla: 4h
      airflow:
        job-jar: /opt/job.jar
        main-class: cn.jiangyin.warehouse.cli.WarehouseCommand
        spark-conn-id: spark_default
        launcher: /opt/warehouse
        config: /etc/warehouse.yaml
        pool: lake
        start-date: 2026-12-01
        timezone: Asia/Shanghai
      steps:
        report:
          description: report
          runs: cli
          command: [codes, check, "${as_of}"]
          depends-on: [build]
          schedules: [daily]
          retries: 0
          retry-delay: 1m
          timeout: 5m
        health:
          description: health
          runs: cli
          command: [ingest, status, --sources, "${sources}"]
          schedules: [hourly, daily]
          retries: 2
          retry-delay: 90s
          timeout: 5m
        build:
          description: build
          runs: spark
          command: [build, --stages, ods]
          depends-on: [health]
          schedules: [hourly, daily]
          retries: 1
          retry-delay: 5m
          timeout: 1h
      """;

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
