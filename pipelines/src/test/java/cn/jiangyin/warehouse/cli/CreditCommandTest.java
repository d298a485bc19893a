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
 * The credit commands refuse bad arguments and broken rule sets before touching the platform (the
 * lake parts are covered by {@code CreditPublicationIT}).
 */
class CreditCommandTest {
  private static final Path DEFAULT_RULES =
      Path.of("..", "credit-rules", "src", "main", "resources", "rules", "default");

  /** Bug caught: an unreadable moment silently read as "now". */
  @Test
  void verdictsRejectsAMomentItCannotRead() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(err, "credit", "verdicts", "--as-of", "yesterday");

    assertThat(code).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid --as-of yesterday");
  }

  /** Bug caught: an unknown format printed as a table. */
  @Test
  void feedbackRejectsAnUnknownFormat() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = run(err, "credit", "feedback", "--overdue-days", "30", "--format", "xml");

    assertThat(code).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid --format xml");
  }

  /** Bug caught: a rule set with problems published or backtested. */
  @Test
  void publishAndBacktestRefuseABrokenRuleSet(@TempDir Path directory) throws Exception {
    for (String file : cn.jiangyin.warehouse.credit.rule.RuleSet.FILES) {
      Files.copy(DEFAULT_RULES.resolve(file), directory.resolve(file));
    }
    Path grades = directory.resolve("grades.yaml");
    Files.writeString(
        grades,
        Files.readString(grades, StandardCharsets.UTF_8)
            .replace("min: 70, max: 89", "min: 75, max: 89"),
        StandardCharsets.UTF_8);
    for (String command : new String[] {"publish", "backtest"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = run(out, "rules", command, directory.toString());

      assertThat(code).as(command).isEqualTo(WarehouseCommand.EXIT_FAILURE);
      assertThat(out.toString(StandardCharsets.UTF_8))
          .as(command)
          .contains(grades + ":6: grades leave a gap");
    }
  }

  private static int run(ByteArrayOutputStream out, String... args) {
    return WarehouseCommand.execute(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        Map.<String, String>of()::get,
        args);
  }
}
