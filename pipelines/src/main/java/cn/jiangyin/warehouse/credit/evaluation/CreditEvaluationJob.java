package cn.jiangyin.warehouse.credit.evaluation;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.credit.rule.RuleSql;
import cn.jiangyin.warehouse.ods.OdsChanges;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 信用评价 — evaluates one rule set as of a date over {@code credit.fact} and writes {@code
 * credit.list_entry}, {@code credit.score} and {@code credit.verdict} for that date.
 *
 * <p>Reproducible: every input is read at one Iceberg snapshot ({@code VERSION AS OF}), whose id
 * each output row records; the rows depend only on those snapshots, the rule version and the as-of
 * date ({@code computed_at} is the one column that does not). Rerunning with the recorded snapshots
 * ({@link #run(RuleSet, LocalDate, Map)}) gives the same rows. Each output's rows of that as-of
 * date are replaced in one commit per table.
 */
public final class CreditEvaluationJob {
  public static final String FACT = "credit.fact";
  public static final String PERSON_ROLE = "lib.person_role";

  /**
   * Summary properties of every commit an evaluation makes to the credit tables: the as-of date and
   * the input snapshots (JSON) evaluated. A run that only removes rows leaves no row recording its
   * inputs; its commit does ({@link #lastInputs}).
   */
  public static final String AS_OF_PROPERTY = "jiangyin.credit.as-of";

  public static final String INPUTS_PROPERTY = "jiangyin.credit.input-snapshots";

  public static final String SCORE = "credit.score";
  public static final String LIST_ENTRY = "credit.list_entry";
  public static final String VERDICT = "credit.verdict";

  /** The tables an evaluation reads, each at one snapshot. */
  public static final List<String> INPUTS =
      List.of(FACT, PERSON_ROLE, Objections.TABLE, Objections.SOURCE);

  private static final Logger LOG = LoggerFactory.getLogger(CreditEvaluationJob.class);

  private final SparkSession spark;

  public CreditEvaluationJob(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** What a run produced. */
  public record Result(
      String ruleVersion,
      LocalDate asOf,
      Map<String, Optional<Long>> inputSnapshots,
      long scores,
      long listEntries,
      long verdicts) {}

  /** Evaluates on the current snapshot of each input. */
  public Result run(RuleSet rules, LocalDate asOf) {
    return run(rules, asOf, currentSnapshots());
  }

  /** The current snapshot of each input (empty for an input without one, or not captured). */
  public Map<String, Optional<Long>> currentSnapshots() {
    return currentSnapshots(INPUTS);
  }

  /** The current snapshot of each table (empty for a table without one, or missing). */
  Map<String, Optional<Long>> currentSnapshots(List<String> tables) {
    Map<String, Optional<Long>> snapshots = new TreeMap<>();
    for (String table : tables) {
      snapshots.put(table, currentSnapshot(table));
    }
    return snapshots;
  }

  /**
   * Evaluates on the given snapshot of each input; an input without a snapshot (empty) is read as
   * empty, whatever it holds now.
   */
  public Result run(RuleSet rules, LocalDate asOf, Map<String, Optional<Long>> snapshots) {
    long[] counts =
        inViews(
            rules,
            asOf,
            snapshots,
            inputs ->
                new long[] {
                  write(RuleSql.LIST_ENTRY, LIST_ENTRY, asOf, inputs),
                  write(RuleSql.SCORE, SCORE, asOf, inputs),
                  write(RuleSql.VERDICT, VERDICT, asOf, inputs)
                });
    long entries = counts[0];
    long scores = counts[1];
    long verdicts = counts[2];
    LOG.info(
        "Credit evaluation as of {}: {} scores, {} list entries, {} verdicts",
        asOf,
        scores,
        entries,
        verdicts);
    return new Result(
        rules.version(), asOf, Collections.unmodifiableMap(snapshots), scores, entries, verdicts);
  }

  /**
   * Evaluates into temporary views only ({@link RuleSql#LIST_ENTRY}, {@link RuleSql#SCORE}, {@link
   * RuleSql#VERDICT}, without input_snapshots and computed_at), applies {@code reader} to the JSON
   * of the input snapshots while the views exist, and returns its result; writes no table. The same
   * evaluation as {@link #run(RuleSet, LocalDate, Map)}, for recomputing and backtesting.
   */
  public <T> T inViews(
      RuleSet rules,
      LocalDate asOf,
      Map<String, Optional<Long>> snapshots,
      java.util.function.Function<String, T> reader) {
    return inViews(rules, asOf, snapshots, Optional.empty(), reader);
  }

  /**
   * As {@link #inViews(RuleSet, LocalDate, Map, java.util.function.Function)}, with the facts and
   * objections restricted to the subjects of the view {@code scope} (column subject_id) when
   * present: a subject's rows depend only on its own facts and objections and, through propagation,
   * on the entries of the enterprises it is linked to, so an evaluation restricted to a closed set
   * of subjects gives exactly their rows of the unrestricted one.
   */
  <T> T inViews(
      RuleSet rules,
      LocalDate asOf,
      Map<String, Optional<Long>> snapshots,
      Optional<String> scope,
      java.util.function.Function<String, T> reader) {
    requireNonNull(rules, "rules is null");
    requireNonNull(asOf, "asOf is null");
    LOG.info("Evaluating credit rules {} as of {} on {}", rules.version(), asOf, snapshots);
    if (asOf.isBefore(rules.effectiveFrom())) {
      LOG.warn(
          "Rule set {} is effective from {}: evaluating it as of {} is a backtest, not a verdict",
          rules.version(),
          rules.effectiveFrom(),
          asOf);
    }
    String inScope =
        scope
            .map(view -> " f LEFT SEMI JOIN " + view + " s ON f.subject_id = s.subject_id")
            .orElse("");
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW "
            + RuleSql.FACT_INPUT
            + " AS SELECT f.* FROM "
            + reading(FACT, snapshots)
            + (inScope.isEmpty() ? " f" : inScope));
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW "
            + RuleSql.ROLE_INPUT
            + " AS SELECT * FROM "
            + roles(snapshots));
    spark
        .udf()
        .register(
            Objections.VALID_USCC_FUNCTION,
            (UDF1<String, Boolean>) code -> code != null && UnifiedSocialCreditCode.isValid(code),
            DataTypes.BooleanType);
    Optional<Long> objectionSource = snapshots.getOrDefault(Objections.SOURCE, Optional.empty());
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW "
            + RuleSql.OBJECTION_INPUT
            + " AS SELECT f.* FROM ("
            + Objections.query(
                rules,
                reading(Objections.TABLE, snapshots),
                objectionSource.map(id -> Objections.SOURCE + " VERSION AS OF " + id))
            + ")"
            + (inScope.isEmpty() ? " f" : inScope));
    List<String> cached = new ArrayList<>();
    try {
      for (Map.Entry<String, String> view : new RuleSql(rules, asOf).views().entrySet()) {
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW " + view.getKey() + " AS " + view.getValue());
        if (RuleSql.REUSED.contains(view.getKey())) {
          // computed once, by the first query reading it, instead of once per later view that
          // reads it; lazily, so that a reader of the list entries alone computes no later view
          spark.sql("CACHE LAZY TABLE " + view.getKey());
          cached.add(view.getKey());
        }
      }
      return reader.apply(json(snapshots));
    } finally {
      for (String view : cached) {
        spark.sql("UNCACHE TABLE IF EXISTS " + view);
      }
    }
  }

  /** Replaces the table's rows of this as-of date with the view's, in one commit. */
  private long write(String view, String table, LocalDate asOf, String inputs) {
    Dataset<Row> rows =
        spark
            .table(view)
            .withColumn("input_snapshots", functions.lit(inputs))
            .withColumn("computed_at", functions.current_timestamp());
    List<String> columns = List.of(spark.table(table).columns());
    Dataset<Row> ordered = rows.selectExpr(columns.toArray(String[]::new)).persist();
    try {
      OdsChanges.withSummary(
          runProperties(asOf, inputs),
          () -> {
            try {
              ordered.writeTo(table).overwrite(functions.col("as_of").equalTo(functions.lit(asOf)));
            } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
              throw new IllegalStateException(
                  "Cannot write " + table + ": run schemas migrate first", e);
            }
          });
      return ordered.count();
    } finally {
      ordered.unpersist();
    }
  }

  static Map<String, String> runProperties(LocalDate asOf, String inputs) {
    return Map.of(AS_OF_PROPERTY, asOf.toString(), INPUTS_PROPERTY, inputs);
  }

  /**
   * The input snapshots (JSON) of the last evaluation of {@code asOf} that wrote {@value #VERDICT}
   * at or before its snapshot {@code verdictSnapshot}: those its commit recorded, from the newest
   * ancestor commit naming the date. Empty when none does (commits older than this record, or
   * expired): then the rows' own input_snapshots are all there is.
   */
  public Optional<String> lastInputs(LocalDate asOf, long verdictSnapshot) {
    Map<Long, Row> snapshots = new HashMap<>();
    for (Row row :
        spark
            .sql(
                "SELECT snapshot_id, parent_id, summary['"
                    + AS_OF_PROPERTY
                    + "'], summary['"
                    + INPUTS_PROPERTY
                    + "'] FROM "
                    + VERDICT
                    + ".snapshots")
            .collectAsList()) {
      snapshots.put(row.getLong(0), row);
    }
    Row at = snapshots.get(verdictSnapshot);
    while (at != null) {
      if (asOf.toString().equals(at.getString(2)) && !at.isNullAt(3)) {
        return Optional.of(at.getString(3));
      }
      at = at.isNullAt(1) ? null : snapshots.get(at.getLong(1));
    }
    return Optional.empty();
  }

  String reading(String table, Map<String, Optional<Long>> snapshots) {
    Optional<Long> snapshot = snapshots.getOrDefault(table, Optional.empty());
    return snapshot
        .map(id -> table + " VERSION AS OF " + id)
        .orElse("(SELECT * FROM " + table + " WHERE false)");
  }

  /**
   * {@value #PERSON_ROLE} as of the snapshots, always with a {@code share}: a snapshot written
   * before the table had the column (持股比例 came later) reads it as null, so no 股东 meets a min-share
   * there.
   */
  String roles(Map<String, Optional<Long>> snapshots) {
    String table = reading(PERSON_ROLE, snapshots);
    boolean hasShare =
        Arrays.asList(spark.sql("SELECT * FROM " + table).columns()).contains("share");
    return hasShare ? table : "(SELECT *, CAST(NULL AS DOUBLE) AS share FROM " + table + ")";
  }

  private Optional<Long> currentSnapshot(String table) {
    if (!spark.catalog().tableExists(table)) {
      // an ods source not captured (yet): read as empty
      return Optional.empty();
    }
    List<Row> rows =
        spark
            .sql(
                "SELECT snapshot_id FROM "
                    + table
                    + ".snapshots ORDER BY committed_at DESC, snapshot_id DESC LIMIT 1")
            .collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getLong(0));
  }

  static String json(Map<String, Optional<Long>> snapshots) {
    return snapshots.entrySet().stream()
        .map(
            entry ->
                "\""
                    + entry.getKey()
                    + "\": "
                    + entry.getValue().map(String::valueOf).orElse("null"))
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
