package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.credit.publish.PublishedRuleSets;
import cn.jiangyin.warehouse.credit.publish.RuleBacktest;
import cn.jiangyin.warehouse.credit.publish.VerdictPublication;
import cn.jiangyin.warehouse.credit.rule.InvalidRuleSetException;
import cn.jiangyin.warehouse.credit.rule.ListRule;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warehouse rules …}: the credit office's rule sets (信用规则集). */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description =
        "Check, backtest and publish credit rule sets (信用规则集); only a published rule set is"
            + " used.")
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

  @Command(
      name = "publish",
      mixinStandardHelpOptions = true,
      description =
          "Publish a checked rule set into credit.rule_set; from its effective date the evaluation"
              + " uses it. Refused (exit 1) when it has problems or its version is already"
              + " published with other content; publishing the same content again does nothing.")
  int publish(@Parameters(paramLabel = "DIR", description = "Rule set directory.") Path directory) {
    WarehouseCommand root = WarehouseCommand.of(spec);
    RuleSet rules = load(directory, root);
    if (rules == null) {
      return WarehouseCommand.EXIT_FAILURE;
    }
    try (Platform platform = root.openPlatform()) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-rules-publish");
      try {
        PublishedRuleSets.Outcome outcome = new PublishedRuleSets(spark).publish(directory);
        root.out()
            .printf(
                "%s rule set %s (effective from %s), sha256 %s%n",
                outcome.alreadyPublished() ? "already published:" : "published",
                rules.version(),
                rules.effectiveFrom(),
                outcome.published().sha256());
      } catch (PublishedRuleSets.RefusedException e) {
        root.err().println("error: " + e.getMessage());
        return WarehouseCommand.EXIT_FAILURE;
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  @Command(
      name = "backtest",
      mixinStandardHelpOptions = true,
      description =
          "Evaluate a candidate rule set on the current facts (temporary views only) and write"
              + " the subjects whose published verdict (export.verdict) would change - status,"
              + " grade, lists, measures, with the reasons before and after - as CSV; print the"
              + " counts per change kind. Publishes nothing.")
  int backtest(
      @Parameters(paramLabel = "DIR", description = "Candidate rule set directory.") Path directory,
      @Option(
              names = "--output",
              paramLabel = "FILE",
              defaultValue = "backtest.csv",
              description =
                  "CSV file to write (UTF-8 with BOM, for Excel; default: ${DEFAULT-VALUE}).")
          Path output,
      @Option(
              names = "--as-of",
              paramLabel = "DATE",
              description =
                  "Evaluation date (default: the as-of date of the latest publication, else"
                      + " today).")
          LocalDate asOf) {
    WarehouseCommand root = WarehouseCommand.of(spec);
    RuleSet rules = load(directory, root);
    if (rules == null) {
      return WarehouseCommand.EXIT_FAILURE;
    }
    try (Platform platform = root.openPlatform()) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-rules-backtest");
      try {
        LocalDate date =
            Optional.ofNullable(asOf)
                .or(
                    () ->
                        new VerdictPublication(spark)
                            .latest()
                            .map(VerdictPublication.Publication::asOf))
                .orElse(LocalDate.now(CreditCommand.CHINA));
        root.err().println("Backtesting rule set " + rules.version() + " as of " + date + " …");
        RuleBacktest.Summary summary = new RuleBacktest(spark).run(rules, date, output);
        root.out()
            .printf(
                "rule set %s as of %s: %d subjects evaluated, %d would change%n",
                summary.candidateVersion(),
                summary.asOf(),
                summary.subjects(),
                summary.changedSubjects());
        for (String kind : RuleBacktest.KINDS) {
          root.out().printf("  %-9s %d%n", kind, summary.kinds().getOrDefault(kind, 0L));
        }
        root.out().println("diff written to " + output);
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  /** The rule set, or null after printing its problems. */
  private static RuleSet load(Path directory, WarehouseCommand root) {
    try {
      return RuleSet.load(directory);
    } catch (InvalidRuleSetException e) {
      for (InvalidFileException problem : e.problems()) {
        root.out().println(problem.getMessage());
      }
      root.err().println(e.problems().size() + " problems: the rule set cannot be used");
      return null;
    }
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
