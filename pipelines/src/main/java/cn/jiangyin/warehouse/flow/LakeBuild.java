package cn.jiangyin.warehouse.flow;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.credit.evaluation.CreditEvaluationJob;
import cn.jiangyin.warehouse.credit.evaluation.IncrementalEvaluation;
import cn.jiangyin.warehouse.credit.fact.CreditFactJob;
import cn.jiangyin.warehouse.credit.publish.PublishedRuleSets;
import cn.jiangyin.warehouse.credit.publish.VerdictPublication;
import cn.jiangyin.warehouse.enterprise.EnterpriseLibraryJob;
import cn.jiangyin.warehouse.export.ExportedTable;
import cn.jiangyin.warehouse.export.TableExport;
import cn.jiangyin.warehouse.grid.GridLibraryJob;
import cn.jiangyin.warehouse.ods.CurrentStateJob;
import cn.jiangyin.warehouse.person.PersonLibraryJob;
import cn.jiangyin.warehouse.quality.QualityChecks;
import cn.jiangyin.warehouse.quality.QualityJob;
import cn.jiangyin.warehouse.service.ServiceLibrariesJob;
import cn.jiangyin.warehouse.standard.WorkingCalendar;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;

/**
 * Everything after capture, in order: current state of every raw table, the enterprise, person and
 * grid libraries, the matter, licence and handling libraries, credit facts, data-quality checks,
 * then as of a date the credit evaluation (scores, lists, verdicts) under the rule set published
 * for that date, the publication of the verdicts into {@code export.verdict}, and their export as
 * files. The one sequence the demo, {@code warehouse build} and the scheduler run (by stages).
 */
public final class LakeBuild {
  private final SparkSession spark;
  private final Catalog catalog;
  private final PlatformConfig config;
  private final boolean full;

  public LakeBuild(SparkSession spark, Catalog catalog, PlatformConfig config) {
    this(spark, catalog, config, false);
  }

  /**
   * With {@code full}, the libraries that are otherwise updated from the ods changes since their
   * last run (enterprises, persons and roles, licences, handling) are rebuilt whole, and the credit
   * evaluation, otherwise incremental ({@link IncrementalEvaluation}), is run in full ({@code
   * warehouse build --full}).
   */
  public LakeBuild(SparkSession spark, Catalog catalog, PlatformConfig config, boolean full) {
    this.spark = requireNonNull(spark, "spark is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.config = requireNonNull(config, "config is null");
    this.full = full;
  }

  /**
   * 构建阶段 — the parts of the build that can run alone, in the order they run. The scheduler runs
   * {@code ODS, LIBRARIES, FACTS, QUALITY} hourly and all of them daily (orchestration/flow.yaml);
   * a stage reads what the earlier stages last wrote, so running one alone is safe.
   */
  public enum Stage {
    /** Current state of every raw table (ods.*). */
    ODS,
    /** The enterprise, person, grid, matter, licence and handling libraries (lib.*). */
    LIBRARIES,
    /** credit.fact, before the quality checks, some of which check it. */
    FACTS,
    /** Data-quality checks (dq.results); a failing blocking check stops the build. */
    QUALITY,
    /**
     * Credit evaluation (scores, lists, verdicts) under the rule set published for the date, and
     * the publication of the verdicts into export.verdict.
     */
    CREDIT,
    /** The published verdicts as files (Parquet, CSV, JSON Lines with a manifest). */
    EXPORT
  }

  /**
   * Counts of one build; the enterprise library is absent where the market regulator is not
   * captured. Counts of a stage that was not run are null (zero for the raw tables).
   */
  public record Result(
      int rawTables,
      long currentStateRows,
      Optional<EnterpriseLibraryJob.Result> enterprises,
      Optional<ServiceLibrariesJob.Result> services,
      QualityJob.Result quality,
      CreditFactJob.Result facts,
      CreditEvaluationJob.Result credit,
      VerdictPublication.Publication publication,
      TableExport.Result export) {}

  /**
   * Runs the build; {@code progress} receives one line per step and table, each ending with the
   * seconds that step took.
   */
  public Result run(LocalDate asOf, Consumer<String> lines) {
    return run(asOf, EnumSet.allOf(Stage.class), lines);
  }

  /** Runs the given stages only, in their order; see {@link #run(LocalDate, Consumer)}. */
  public Result run(LocalDate asOf, Set<Stage> stages, Consumer<String> lines) {
    long[] stepStart = {System.nanoTime()};
    Consumer<String> progress =
        line -> {
          long now = System.nanoTime();
          lines.accept(String.format("%s [%.1f s]", line, (now - stepStart[0]) / 1e9));
          stepStart[0] = now;
        };
    CurrentStateJob currentState = new CurrentStateJob(spark, catalog);
    List<String> rawTables = stages.contains(Stage.ODS) ? currentState.rawTables() : List.of();
    long rows = 0;
    for (int i = 0; i < rawTables.size(); i++) {
      CurrentStateJob.Result result = currentState.run(rawTables.get(i));
      rows += result.rowsAfter();
      progress.accept(
          String.format(
              "(%d/%d) ods.%s: %,d changes → %,d rows%s",
              i + 1,
              rawTables.size(),
              result.table(),
              result.changesRead(),
              result.rowsAfter(),
              result.upToDate() ? " (up to date)" : ""));
    }
    Optional<EnterpriseLibraryJob.Result> enterprises = Optional.empty();
    Optional<ServiceLibrariesJob.Result> services = Optional.empty();
    if (stages.contains(Stage.LIBRARIES)) {
      if (catalog.tableExists(TableIdentifier.parse(EnterpriseLibraryJob.SOURCE))) {
        EnterpriseLibraryJob.Result library = new EnterpriseLibraryJob(spark, full).run();
        enterprises = Optional.of(library);
        progress.accept(
            String.format(
                "lib.enterprise (企业库): %,d registered records read, %,d accepted, %,d rejected"
                    + " (see quality.rejected_record); %,d enterprise references, %,d unmatched"
                    + " (lib.enterprise_reference); %,d rows changed%s",
                library.read(),
                library.accepted(),
                library.rejected(),
                library.references(),
                library.unmatchedReferences(),
                library.changedRows(),
                library.incremental()
                    ? String.format(
                        " (incremental: %,d references, %,d enterprises recomputed)",
                        library.affectedReferences(), library.affectedEnterprises())
                    : ""));
      } else {
        progress.accept(
            "lib.enterprise: skipped, " + EnterpriseLibraryJob.SOURCE + " is not captured");
      }
      if (captured(
          PersonLibraryJob.ENTERPRISE,
          PersonLibraryJob.SENIOR_MANAGER,
          PersonLibraryJob.SHAREHOLDER)) {
        PersonLibraryJob.Result persons = new PersonLibraryJob(spark, full).run();
        progress.accept(
            String.format(
                "lib.person (人员库): %,d persons (%,d without a valid ID number), %,d roles%s",
                persons.persons(),
                persons.invalidIds(),
                persons.roles(),
                persons.incremental()
                    ? String.format(
                        " (incremental: %,d persons, %,d role rows recomputed)",
                        persons.changedPersons(), persons.changedRoles())
                    : ""));
      } else {
        progress.accept(
            "lib.person: skipped, the market regulator's person tables are not captured");
      }
      if (captured(GridLibraryJob.GRID, GridLibraryJob.GRID_EVENT)) {
        GridLibraryJob.Result grids = new GridLibraryJob(spark).run();
        progress.accept(
            String.format(
                "lib.grid (网格): %,d grids, %,d events, %,d enterprises placed on a grid",
                grids.grids(), grids.events(), grids.placedEnterprises()));
        if (enterprises.isPresent()) {
          long changed = new EnterpriseLibraryJob(spark).refreshLibraryAttributes();
          progress.accept(
              String.format(
                  "lib.enterprise: grid codes from lib.enterprise_grid, %,d rows changed",
                  changed));
        }
      } else {
        progress.accept("lib.grid: skipped, the grid centre is not captured");
      }
      if (captured(
          ServiceLibrariesJob.MATTER_SOURCE,
          ServiceLibrariesJob.LICENCE_SOURCE,
          ServiceLibrariesJob.APPLICATION_SOURCE)) {
        ServiceLibrariesJob.Result result =
            new ServiceLibrariesJob(spark, WorkingCalendar.load(), full).run(asOf);
        services = Optional.of(result);
        for (ServiceLibrariesJob.Counts counts :
            List.of(result.matter(), result.licence(), result.handling())) {
          progress.accept(
              String.format(
                  "%s: %,d read, %,d accepted, %,d rejected%s",
                  counts.table(),
                  counts.read(),
                  counts.accepted(),
                  counts.rejected(),
                  counts.incremental()
                      ? String.format(" (incremental: %,d keys recomputed)", counts.changedKeys())
                      : ""));
        }
      } else {
        progress.accept("lib.matter, lib.license, lib.handling: skipped, 行政审批局 is not captured");
      }
    }
    // the rule set published for this date (the bundled default is published on first use)
    PublishedRuleSets.Published creditRules =
        stages.contains(Stage.FACTS) || stages.contains(Stage.CREDIT)
            ? new PublishedRuleSets(spark).inForce(asOf)
            : null;
    CreditFactJob.Result facts = null;
    if (stages.contains(Stage.FACTS)) {
      facts = new CreditFactJob(spark, catalog, full).run(creditRules.rules().publicationPeriods());
      facts
          .skipped()
          .forEach(table -> progress.accept("credit.fact: skipped " + table + ", not captured"));
      progress.accept(
          String.format(
              "credit.fact (信用事实): %,d facts, %,d rejected (see quality.rejected_record); %s",
              facts.facts(), facts.rejected(), facts.upToDate() ? "up to date" : facts.how()));
    }
    QualityJob.Result quality = null;
    if (stages.contains(Stage.QUALITY)) {
      // a failing blocking check stops the build here, after its results are written to dq.results
      quality = new QualityJob(spark).run(QualityChecks.load());
      long failing = quality.results().stream().filter(result -> !result.passed()).count();
      progress.accept(
          String.format(
              "dq.results: %d checks, %d failing (none blocking), run %s",
              quality.results().size(), failing, quality.runId()));
    }
    CreditEvaluationJob.Result credit = null;
    VerdictPublication.Publication publication = null;
    if (stages.contains(Stage.CREDIT)) {
      String how;
      if (full) {
        credit = new CreditEvaluationJob(spark).run(creditRules.rules(), asOf);
        how = "full: warehouse build --full";
      } else {
        IncrementalEvaluation.Outcome outcome =
            new IncrementalEvaluation(spark).run(creditRules.rules(), asOf);
        credit = totals(creditRules.rules().version(), asOf, outcome);
        how =
            outcome.mode() == IncrementalEvaluation.Mode.FULL
                ? "full: " + outcome.why()
                : String.format(
                    "incremental, %s: %,d subjects changed, %,d re-evaluated; %,d scores, %,d"
                        + " list entries, %,d verdicts rewritten",
                    outcome.why(),
                    outcome.changedSubjects(),
                    outcome.evaluatedSubjects(),
                    outcome.scores(),
                    outcome.listEntries(),
                    outcome.verdicts());
      }
      progress.accept(
          String.format(
              "credit as of %s (rules %s): %,d scores, %,d list entries, %,d verdicts (%s)",
              asOf,
              credit.ruleVersion(),
              credit.scores(),
              credit.listEntries(),
              credit.verdicts(),
              how));
      publication = new VerdictPublication(spark).publish(asOf);
      progress.accept(
          String.format(
              "export.verdict: publication %s, %,d verdicts in force (%,d added, %,d changed,"
                  + " %,d removed, %,d unchanged)",
              publication.publicationId(),
              publication.verdicts(),
              publication.added(),
              publication.changed(),
              publication.removed(),
              publication.unchanged()));
    }
    TableExport.Result export = null;
    if (stages.contains(Stage.EXPORT)) {
      export =
          new TableExport(spark, ExportedTable.VERDICTS, progress).full(config.exportLocation());
      progress.accept(
          String.format(
              "verdict export %s → %s%s",
              export.manifest().exportId(),
              export.directory(),
              export.outcome() == TableExport.Outcome.ALREADY_PRESENT ? " (already there)" : ""));
    }
    return new Result(
        rawTables.size(), rows, enterprises, services, quality, facts, credit, publication, export);
  }

  /**
   * The evaluation's counts of rows as of {@code asOf}: those a full evaluation wrote, or after an
   * incremental one (whose outcome counts only the rows it rewrote) the rows of that date in the
   * three tables.
   */
  private CreditEvaluationJob.Result totals(
      String ruleVersion, LocalDate asOf, IncrementalEvaluation.Outcome outcome) {
    if (outcome.mode() == IncrementalEvaluation.Mode.FULL) {
      return new CreditEvaluationJob.Result(
          ruleVersion,
          asOf,
          outcome.inputSnapshots(),
          outcome.scores(),
          outcome.listEntries(),
          outcome.verdicts());
    }
    return new CreditEvaluationJob.Result(
        ruleVersion,
        asOf,
        outcome.inputSnapshots(),
        rowsAsOf(CreditEvaluationJob.SCORE, asOf),
        rowsAsOf(CreditEvaluationJob.LIST_ENTRY, asOf),
        rowsAsOf(CreditEvaluationJob.VERDICT, asOf));
  }

  private long rowsAsOf(String table, LocalDate asOf) {
    return spark
        .sql("SELECT count(*) FROM " + table + " WHERE as_of = DATE '" + asOf + "'")
        .first()
        .getLong(0);
  }

  private boolean captured(String... tables) {
    for (String table : tables) {
      if (!catalog.tableExists(TableIdentifier.parse(table))) {
        return false;
      }
    }
    return true;
  }
}
