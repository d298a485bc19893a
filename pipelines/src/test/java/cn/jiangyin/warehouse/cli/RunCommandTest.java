package cn.jiangyin.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.flow.LakeBuild;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warehouse run} for real: each step a child warehouse process. The steps are cheap commands
 * ({@code codes check}) so no platform is needed; one of them fails as a real command fails.
 */
class RunCommandTest {
  private static final String VALID_USCC = "91320281142232229Q";

  private static String flow(String secondCode) {
    return """
        name: test
        schedules:
          daily:
            description: every day
            cron: "30 2 * * *"
            sla: 1h
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
          first:
            description: a valid code
            runs: cli
            command: [codes, check, %s]
            schedules: [daily]
            retries: 0
            retry-delay: 1m
            timeout: 5m
          second:
            description: the second code
            runs: cli
            command: [codes, check, %s]
            depends-on: [first]
            schedules: [daily]
            retries: 1
            retry-delay: 1m
            timeout: 5m
          third:
            description: after the second
            runs: cli
            command: [codes, check, %s]
            depends-on: [second]
            schedules: [daily]
            retries: 0
            retry-delay: 1m
            timeout: 5m
        """
        .formatted(VALID_USCC, secondCode, VALID_USCC);
  }

  private record Run(int code, String out, String err) {}

  private static Run warehouse(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void stepsRunAsWarehouseProcessesAndAFailedStepStopsItsDependants(@TempDir Path directory)
      throws Exception {
    Path file = directory.resolve("flow.yaml");
    Files.writeString(file, flow("91320281142232229X")); // wrong check character

    Run run = warehouse("--home", directory.toString(), "run", "--flow", file.toString());

    assertThat(run.code()).as(run.err()).isEqualTo(WarehouseCommand.EXIT_FAILURE);
    assertThat(run.err())
        .contains("[1/3] first: a valid code — warehouse codes check " + VALID_USCC)
        .containsPattern("\\[1/3] first: done in \\d+\\.\\d s")
        // the child's own output, indented: the real command ran and judged the code
        .contains("    " + VALID_USCC)
        .contains("[2/3] second: attempt 2 of 2")
        .containsPattern("\\[2/3] second: FAILED in \\d+\\.\\d s \\(exit code 1\\)")
        .contains("[3/3] third: blocked: second did not succeed")
        .contains("error: step failed: second (exit code 1)");
    List<String> summary = run.out().lines().toList();
    assertThat(summary.get(0)).matches("step +status +duration +detail");
    assertThat(summary.get(1)).matches("first +ok +\\d+\\.\\d s +");
    assertThat(summary.get(2)).matches("second +failed +\\d+\\.\\d s +exit code 1");
    assertThat(summary.get(3)).matches("third +blocked +0\\.0 s +blocked: second did not succeed");
  }

  @Test
  void allStepsDoneExitsZero(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("flow.yaml");
    Files.writeString(file, flow(VALID_USCC));

    Run run = warehouse("--home", directory.toString(), "run", "--flow", file.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out().lines().skip(1)).hasSize(3).allMatch(line -> line.contains(" ok "));
  }

  @Test
  void unknownScheduleIsAMistakeToFix() {
    Run run = warehouse("run", "--schedule", "weekly", "--dry-run");

    assertThat(run.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(run.err()).contains("Invalid schedule 'weekly' (schedules: all, hourly, daily)");
  }

  @Test
  void buildStagesAreParsedInBuildOrderWhateverTheOrderGiven() {
    assertThat(BuildCommand.stages(List.of("quality", "ODS", " libraries")))
        .containsExactly(LakeBuild.Stage.ODS, LakeBuild.Stage.LIBRARIES, LakeBuild.Stage.QUALITY);
    assertThat(BuildCommand.stages(null)).isEqualTo(EnumSet.allOf(LakeBuild.Stage.class));
    Run run = warehouse("build", "--stages", "ods,librarys");
    assertThat(run.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(run.err())
        .contains(
            "Invalid stage 'librarys' (stages: ods, libraries, facts, quality, credit, export)");
  }
}
