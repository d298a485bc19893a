package cn.jiangyin.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warehouse rules check}: the shipped rule set is clean, a broken one fails with file:line.
 */
class RulesCommandTest {
  private static final Path DEFAULT_RULES =
      Path.of("..", "credit-rules", "src", "main", "resources", "rules", "default");

  @Test
  void shippedRuleSetChecksClean() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = run(out, "rules", "check", DEFAULT_RULES.toString());

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("rule set 2026.11-1", "no problems", "经营异常名录");
  }

  @Test
  void brokenRuleSetPrintsEveryProblemAndFails(@TempDir Path directory) throws Exception {
    for (String file : cn.jiangyin.warehouse.credit.rule.RuleSet.FILES) {
      Files.copy(DEFAULT_RULES.resolve(file), directory.resolve(file));
    }
    Path grades = directory.resolve("grades.yaml");
    Files.writeString(
        grades,
        Files.readString(grades, StandardCharsets.UTF_8)
            .replace("min: 70, max: 89", "min: 75, max: 89")
            .replace("status: clear}", "status: fine}"),
        StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code = run(out, "rules", "check", directory.toString());

    assertThat(code).isEqualTo(WarehouseCommand.EXIT_FAILURE);
    assertThat(out.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            grades + ":5: 'grades[0].status' must be one of clear, warn, found 'fine'",
            grades + ":6: 'grades[1].status' must be one of clear, warn, found 'fine'",
            grades
                + ":6: grades leave a gap: no grade for scores 70–74 between grade C and grade B");
  }

  private static int run(ByteArrayOutputStream out, String... args) {
    return WarehouseCommand.execute(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        Map.<String, String>of()::get,
        args);
  }
}
