package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.credit.rule.InvalidRuleSetException;
import cn.jiangyin.warehouse.credit.rule.ListRule;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warehouse rules …}: the credit office's rule sets (信用规则集). */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = "Check credit rule sets (信用规则集) before they are used.")
final class RulesCommand {
  @Spec private CommandSpec spec;

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Check a rule set directory; print every problem as file:line: what is wrong and exit 1,"
              + " or print a summary and exit 0.")
  int check(
      @Parameters(
              paramLabel = "DIR",
              description =
                  "Rule set directory (like credit-rules/src/main/resources/rules/default).")
          Path directory) {
    WarehouseCommand root = WarehouseCommand.of(spec);
    RuleSet rules;
    try {
      rules = RuleSet.load(directory);
    } catch (InvalidRuleSetException e) {
      for (InvalidFileException problem : e.problems()) {
        root.out().println(problem.getMessage());
      }
      root.err().println(e.problems().size() + " problems: the rule set cannot be used");
      return WarehouseCommand.EXIT_FAILURE;
    }
    summary(rules, root.out());
    return 0;
  }

  private static void summary(RuleSet rules, PrintStream out) {
    out.printf(
        "rule set %s (%s), effective from %s: no problems%n",
        rules.version(), rules.name(), rules.effectiveFrom());
    out.printf(
        "%d indicators, base score %d; grades %s; %d direct-grade conditions%n",
        rules.indicators().size(),
        rules.baseScore(),
        rules.grades().stream()
            .map(grade -> grade.code() + " " + grade.minimum() + "–" + grade.maximum())
            .collect(Collectors.joining(", ")),
        rules.directGrades().size());
    out.printf(
        "%d lists (%s); objection period %d days%n",
        rules.lists().size(),
        rules.lists().stream().map(ListRule::name).collect(Collectors.joining("、")),
        rules.objectionDays());
    out.printf(
        "%d publication periods, %d measures, %d propagation rules, %d risk classes%n",
        rules.publicationPeriods().size(),
        rules.measures().size(),
        rules.propagations().size(),
        rules.riskClasses().size());
  }
}
