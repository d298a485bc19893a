package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.credit.evaluation.CreditEvaluationJob;
import cn.jiangyin.warehouse.credit.fact.CreditFactJob;
import cn.jiangyin.warehouse.credit.publish.FeedbackReport;
import cn.jiangyin.warehouse.credit.publish.PublishedRuleSets;
import cn.jiangyin.warehouse.credit.publish.VerdictPublication;
import cn.jiangyin.warehouse.credit.publish.VerdictReplay;
import cn.jiangyin.warehouse.export.CsvWriter;
import cn.jiangyin.warehouse.lake.SparkSessions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code warehouse credit …}: the published credit verdicts (信用结论), reproduced and followed up. */
@Command(
    name = "credit",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description =
        "Reproduce published credit verdicts, follow up their feedback, evaluate by hand.")
final class CreditCommand {
  /** Local times without an offset are China Standard Time. */
  static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  @Spec private CommandSpec spec;

  @Command(
      name = "verdicts",
      mixinStandardHelpOptions = true,
      description =
          "Recompute the verdicts in force at a moment and compare them, exactly, with what was"
              + " published then; print 'matches publication <id>: N verdicts', or every"
              + " difference and exit 1.",
      footer = {
        "",
        "The moment selects the publication in force (credit.publication: the latest published at"
            + " or before it). Its inputs are read at the Iceberg snapshot ids that publication"
            + " recorded - exactly what its evaluation read, by time travel, rather than whatever"
            + " was current at the moment (a snapshot committed between evaluation and publication"
            + " would otherwise count) - with the rule set version it recorded (credit.rule_set,"
            + " SHA-256 checked). The result goes to temporary views only, never to published"
            + " tables, and is compared with export.verdict as it was at the moment, subject by"
            + " subject on the verdict's content (status, grade, measures, reasons, rule version,"
            + " valid_to, name).",
        "Snapshots removed by 'maintain' (expired) cannot be read back."
      })
  int verdicts(
      @Option(
              names = "--as-of",
              required = true,
              paramLabel = "TIMESTAMP",
              description =
                  "The moment: 2026-12-01T09:00:00+08:00, 2026-12-01T01:00:00Z, or"
                      + " '2026-12-01 09:00[:00]' / 2026-12-01 (China time).")
          String asOf) {
    Instant at = moment(asOf);
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform()) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-credit-verdicts");
      try {
        root.err().println("Recomputing the verdicts in force at " + at + " …");
        VerdictReplay.Outcome outcome;
        try {
          outcome = new VerdictReplay(spark).replay(at);
        } catch (VerdictReplay.NothingPublishedException e) {
          root.err().println("error: " + e.getMessage());
          return WarehouseCommand.EXIT_USER_ERROR;
        }
        String id = outcome.publication().publicationId();
        if (outcome.matches()) {
          root.out().println("matches publication " + id + ": " + outcome.verdicts() + " verdicts");
          return 0;
        }
        for (VerdictReplay.Difference difference : outcome.differences()) {
          root.out().println("DIFFERENCE " + difference);
        }
        root.out()
            .println(
                outcome.differences().size()
                    + " differences from publication "
                    + id
                    + " (as of "
                    + outcome.publication().asOf()
                    + ", rule set "
                    + outcome.publication().ruleVersion()
                    + "): "
                    + outcome.verdicts()
                    + " verdicts recomputed");
        return WarehouseCommand.EXIT_FAILURE;
      } finally {
        spark.stop();
      }
    }
  }

  @Command(
      name = "feedback",
      mixinStandardHelpOptions = true,
      description =
          "List the measures of restricted verdicts in force that got no feedback (反馈) from their"
              + " implementing department within N days of publication.")
  int feedback(
      @Option(
              names = "--overdue-days",
              required = true,
              paramLabel = "N",
              description = "Days after publication by which feedback is due.")
          int days,
      @Option(
              names = "--format",
              paramLabel = "FORMAT",
              defaultValue = "table",
              description = "table (default) or csv.")
          String format,
      @Option(
              names = "--today",
              paramLabel = "DATE",
              description = "Count overdue days up to this date (default: today).")
          LocalDate today) {
    if (!format.equals("table") && !format.equals("csv")) {
      throw new ParameterException(
          spec.commandLine(), "Invalid --format " + format + ": table or csv");
    }
    if (days < 0) {
      throw new ParameterException(spec.commandLine(), "--overdue-days must be 0 or more");
    }
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform()) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-credit-feedback");
      try {
        List<FeedbackReport.Overdue> overdue =
            new FeedbackReport(spark)
                .overdue(days, Optional.ofNullable(today).orElse(LocalDate.now(CHINA)));
        if (format.equals("csv")) {
          CsvWriter csv = new CsvWriter(root.out());
          csv.write(FeedbackReport.HEADER);
          overdue.forEach(row -> csv.write(row.values()));
        } else {
          table(overdue, root);
        }
        root.err().println(overdue.size() + " measures without feedback after " + days + " days");
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  @Command(
      name = "evaluate",
      mixinStandardHelpOptions = true,
      description =
          "Run credit.fact, the evaluation with the rule set in effect (credit.rule_set) and the"
              + " publication into export.verdict, by hand.")
  int evaluate(
      @Option(
              names = "--as-of",
              paramLabel = "DATE",
              description = "Evaluation date (default: today, China time).")
          LocalDate asOf) {
    LocalDate date = Optional.ofNullable(asOf).orElse(LocalDate.now(CHINA));
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-credit-evaluate");
      try {
        PublishedRuleSets.Published rules = new PublishedRuleSets(spark).inForce(date);
        root.err().println("1/3 credit.fact …");
        CreditFactJob.Result facts =
            new CreditFactJob(spark, catalog).run(rules.rules().publicationPeriods());
        root.err().printf("    %d facts, %d rejected%n", facts.facts(), facts.rejected());
        root.err()
            .println("2/3 evaluation with rule set " + rules.version() + " as of " + date + " …");
        CreditEvaluationJob.Result result = new CreditEvaluationJob(spark).run(rules.rules(), date);
        root.err()
            .printf(
                "    %d scores, %d list entries, %d verdicts%n",
                result.scores(), result.listEntries(), result.verdicts());
        root.err().println("3/3 publication …");
        VerdictPublication.Publication publication = new VerdictPublication(spark).publish(date);
        root.out()
            .printf(
                "published %s: %d verdicts (%d added, %d changed, %d removed, %d unchanged)%n",
                publication.publicationId(),
                publication.verdicts(),
                publication.added(),
                publication.changed(),
                publication.removed(),
                publication.unchanged());
      } catch (VerdictPublication.PublicationException e) {
        root.err().println("error: " + e.getMessage());
        return WarehouseCommand.EXIT_FAILURE;
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  private static void table(List<FeedbackReport.Overdue> overdue, WarehouseCommand root) {
    List<List<String>> rows = new java.util.ArrayList<>();
    rows.add(FeedbackReport.HEADER);
    overdue.forEach(row -> rows.add(row.values()));
    int[] widths = new int[FeedbackReport.HEADER.size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], width(row.get(i)));
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(row.get(i)).append(" ".repeat(widths[i] - width(row.get(i)) + 2));
      }
      root.out().println(line.toString().stripTrailing());
    }
  }

  /** Display width: CJK characters take two columns. */
  private static int width(String text) {
    return text.codePoints().map(c -> c >= 0x1100 ? 2 : 1).sum();
  }

  /** A moment: an ISO instant or offset date-time, or a local date-time / date in China time. */
  private Instant moment(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      // try the local forms
    }
    String local = text.strip().replace(' ', 'T');
    try {
      return LocalDateTime.parse(local).atZone(CHINA).toInstant();
    } catch (DateTimeParseException notLocal) {
      // try a date
    }
    try {
      // a date alone: the end of that day
      return LocalDate.parse(local).plusDays(1).atStartOfDay(CHINA).toInstant().minusMillis(1);
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid --as-of "
              + text
              + ": expected e.g. 2026-12-01T09:00:00+08:00 or '2026-12-01 09:00'");
    }
  }
}
