package cn.jiangyin.warehouse.credit.evaluation;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.fact.CreditFactJob;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.credit.rule.RuleSql;
import cn.jiangyin.warehouse.ods.OdsChanges;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 增量评价 — re-evaluates only the subjects whose inputs changed since the last evaluation of the same
 * as-of date and rule version, and MERGEs their rows into {@code credit.list_entry}, {@code
 * credit.score} and {@code credit.verdict}; every other row stays as it is.
 *
 * <p>Why this gives the rows of a full evaluation: a subject's rows depend only on its own facts
 * and objections and, for a person, on the list entries of the enterprises it is linked to in
 * {@code lib.person_role} (关联惩戒). So the subjects to rewrite are those with a fact or an objection
 * added, changed or removed between the input snapshots the last run recorded and the current ones,
 * the persons whose links changed (a role, an enterprise or a shareholding's share added, changed
 * or removed), and the persons linked to a changed enterprise whose list entries changed with it
 * (found by evaluating the changed subjects first); they are evaluated from their own facts plus
 * those of the enterprises they are linked to. A subject left with no row loses its rows.
 *
 * <p>Where the last run is unknown, of another rule version, or its snapshots are gone (expired),
 * the evaluation is full ({@link CreditEvaluationJob#run(RuleSet, LocalDate, Map)}). A new as-of
 * date is always a full evaluation: every row of a date carries it, and the windows move with it.
 *
 * <p>Rows rewritten record the current input snapshots; rows left untouched keep those of the run
 * that wrote them, from which a full evaluation gives the same row. The latest run's snapshots are
 * the ones a full evaluation reproduces every row from; its commits record them in their summary
 * ({@link CreditEvaluationJob#lastInputs}), as a run that only removes rows has no row to hold
 * them.
 */
public final class IncrementalEvaluation {
  /** How a run evaluated. */
  public enum Mode {
    FULL,
    INCREMENTAL
  }

  /**
   * What a run did: the mode and why, the subjects re-evaluated (all of them when full) and the
   * rows written per table.
   */
  public record Outcome(
      Mode mode,
      String why,
      Map<String, Optional<Long>> inputSnapshots,
      long changedSubjects,
      long evaluatedSubjects,
      long scores,
      long listEntries,
      long verdicts) {}

  static final String CHANGED = "credit_incremental_changed";
  static final String PROPAGATING = "credit_incremental_propagating";
  static final String OUTPUT_SCOPE = "credit_incremental_output";
  static final String INPUT_SCOPE = "credit_incremental_input";

  /** The columns compared to tell a changed fact ({@code as_of} moves with every fact build). */
  private static final List<String> FACT_IGNORED = List.of("as_of");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(IncrementalEvaluation.class);

  private final SparkSession spark;
  private final CreditEvaluationJob job;

  /**
   * Below this many persons linked to the changed enterprises, they are all re-evaluated instead of
   * first finding the enterprises whose list entries changed: that first pass costs about one
   * evaluation, whose cost at such sizes is its fixed part (planning and running the rule SQL), not
   * the number of subjects.
   */
  public static final long NARROWING_MIN_LINKED = 10_000;

  private final long narrowingMinLinked;

  /** How the last run found the changed facts (for its outcome). */
  private String factChangesFrom = "unchanged";

  public IncrementalEvaluation(SparkSession spark) {
    this(spark, NARROWING_MIN_LINKED);
  }

  /**
   * With {@code narrowingMinLinked} persons linked to the changed enterprises or more, only those
   * linked to an enterprise whose list entries changed are re-evaluated (0: always).
   */
  public IncrementalEvaluation(SparkSession spark, long narrowingMinLinked) {
    this.spark = requireNonNull(spark, "spark is null");
    this.job = new CreditEvaluationJob(spark);
    if (narrowingMinLinked < 0) {
      throw new IllegalArgumentException("Invalid narrowingMinLinked: " + narrowingMinLinked);
    }
    this.narrowingMinLinked = narrowingMinLinked;
  }

  /**
   * Evaluates {@code rules} as of {@code asOf} on the current inputs, incrementally when it can.
   */
  public Outcome run(RuleSet rules, LocalDate asOf) {
    requireNonNull(rules, "rules is null");
    requireNonNull(asOf, "asOf is null");
    Map<String, Optional<Long>> current = job.currentSnapshots();
    Optional<Map<String, Optional<Long>>> base = lastRun(rules, asOf);
    if (base.isEmpty()) {
      return full(
          rules, asOf, current, "no earlier evaluation of " + asOf + " with " + rules.version());
    }
    Map<String, Optional<Long>> previous = base.get();
    if (!previous.keySet().equals(current.keySet())) {
      return full(
          rules, asOf, current, "the last evaluation read other inputs " + previous.keySet());
    }
    for (Map.Entry<String, Optional<Long>> input : previous.entrySet()) {
      if (input.getValue().isPresent() && !snapshotExists(input.getKey(), input.getValue().get())) {
        return full(
            rules,
            asOf,
            current,
            "snapshot " + input.getValue().get() + " of " + input.getKey() + " is gone (expired)");
      }
    }
    factChangesFrom = "unchanged";
    if (previous.equals(current)) {
      LOG.info("Credit evaluation as of {}: inputs unchanged since the last run", asOf);
      return new Outcome(Mode.INCREMENTAL, "inputs unchanged", current, 0, 0, 0, 0, 0);
    }
    long changed = changedSubjects(rules, previous, current);
    long propagating = propagatingEnterprises(rules, asOf, current);
    scopes();
    long evaluated = spark.table(OUTPUT_SCOPE).count();
    LOG.info(
        "Credit evaluation as of {}: {} subjects changed, {} of them propagating to linked"
            + " persons; {} to re-evaluate with the persons linked to those",
        asOf,
        changed,
        propagating,
        evaluated);
    long[] counts =
        job.inViews(
            rules,
            asOf,
            current,
            Optional.of(INPUT_SCOPE),
            inputs ->
                new long[] {
                  merge(
                      RuleSql.LIST_ENTRY,
                      CreditEvaluationJob.LIST_ENTRY,
                      List.of("entry_id"),
                      asOf,
                      inputs),
                  merge(
                      RuleSql.SCORE,
                      CreditEvaluationJob.SCORE,
                      List.of("subject_type", "subject_id"),
                      asOf,
                      inputs),
                  merge(
                      RuleSql.VERDICT,
                      CreditEvaluationJob.VERDICT,
                      List.of("subject_type", "subject_id"),
                      asOf,
                      inputs)
                });
    return new Outcome(
        Mode.INCREMENTAL,
        "inputs changed since the last evaluation (credit.fact: " + factChangesFrom + ")",
        current,
        changed,
        evaluated,
        counts[1],
        counts[0],
        counts[2]);
  }

  private Outcome full(
      RuleSet rules, LocalDate asOf, Map<String, Optional<Long>> current, String why) {
    LOG.info("Credit evaluation as of {} in full: {}", asOf, why);
    CreditEvaluationJob.Result result = job.run(rules, asOf, current);
    return new Outcome(
        Mode.FULL,
        why,
        current,
        result.verdicts(),
        result.verdicts(),
        result.scores(),
        result.listEntries(),
        result.verdicts());
  }

  /**
   * The input snapshots of the last evaluation of {@code asOf} (verdicts are written last), when
   * every verdict of that date has the rule version: those its verdict commit recorded, else those
   * of the verdict computed last.
   */
  private Optional<Map<String, Optional<Long>>> lastRun(RuleSet rules, LocalDate asOf) {
    List<Row> rows =
        spark
            .sql(
                "SELECT count(DISTINCT rule_version), max(rule_version),"
                    + " max_by(input_snapshots, computed_at) FROM "
                    + CreditEvaluationJob.VERDICT
                    + " WHERE as_of = DATE '"
                    + asOf
                    + "'")
            .collectAsList();
    Row row = rows.get(0);
    if (row.getLong(0) != 1 || !rules.version().equals(row.getString(1))) {
      return Optional.empty();
    }
    String recorded =
        job.currentSnapshots(List.of(CreditEvaluationJob.VERDICT))
            .get(CreditEvaluationJob.VERDICT)
            .flatMap(snapshot -> job.lastInputs(asOf, snapshot))
            .orElse(row.getString(2));
    return Optional.of(parseSnapshots(recorded));
  }

  private boolean snapshotExists(String table, long snapshot) {
    return !spark
        .sql("SELECT 1 FROM " + table + ".snapshots WHERE snapshot_id = " + snapshot)
        .isEmpty();
  }

  /** Registers {@value #CHANGED} (subject_id): subjects whose own inputs changed. */
  private long changedSubjects(
      RuleSet rules, Map<String, Optional<Long>> previous, Map<String, Optional<Long>> current) {
    StringBuilder parts =
        new StringBuilder("SELECT CAST(NULL AS STRING) AS subject_id WHERE false");
    String fact = CreditEvaluationJob.FACT;
    if (!previous.get(fact).equals(current.get(fact))) {
      parts.append(" UNION ALL ").append(changedFacts(previous.get(fact), current.get(fact)));
    }
    String role = CreditEvaluationJob.PERSON_ROLE;
    if (!previous.get(role).equals(current.get(role))) {
      // only the columns the rules read: a rebuild that moves as_of alone changes no link, a
      // changed share (another holder came or went) does (股东 propagation compares it)
      String columns = "person_key AS subject_id, role, enterprise_uscc, share";
      String before = "SELECT " + columns + " FROM " + job.roles(previous);
      String after = "SELECT " + columns + " FROM " + job.roles(current);
      parts.append(" UNION ALL SELECT subject_id FROM ((").append(before).append(" EXCEPT ");
      parts.append(after).append(") UNION ALL (").append(after).append(" EXCEPT ").append(before);
      parts.append("))");
    }
    if (!previous.get(Objections.TABLE).equals(current.get(Objections.TABLE))
        || !previous.get(Objections.SOURCE).equals(current.get(Objections.SOURCE))) {
      String before = objections(rules, previous);
      String after = objections(rules, current);
      parts.append(" UNION ALL SELECT subject_id FROM ((").append(before).append(" EXCEPT ");
      parts.append(after).append(") UNION ALL (").append(after).append(" EXCEPT ").append(before);
      parts.append("))");
    }
    materialise(
        CHANGED, "SELECT DISTINCT subject_id FROM (" + parts + ") WHERE subject_id IS NOT NULL");
    return spark.table(CHANGED).count();
  }

  /**
   * Subjects of facts added, changed or removed between two snapshots: when every commit between
   * them appended (as new facts written straight in do), the appended rows; otherwise (the fact
   * build rewrites the table) a row-by-row comparison of the two snapshots on fact id and a 64-bit
   * hash of the content.
   */
  private String changedFacts(Optional<Long> before, Optional<Long> after) {
    Optional<List<String>> builds =
        before.isPresent() && after.isPresent()
            ? loggedBuilds(before.get(), after.get())
            : Optional.empty();
    if (builds.isPresent()) {
      factChangesFrom = "the change log of " + builds.get().size() + " incremental builds";
      LOG.info(
          "credit.fact: {} incremental builds since snapshot {}, reading their logged changes",
          builds.get().size(),
          before.get());
      if (builds.get().isEmpty()) {
        return "SELECT CAST(NULL AS STRING) AS subject_id WHERE false";
      }
      String ids =
          builds.get().stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "));
      return "SELECT subject_before AS subject_id FROM "
          + CreditFactJob.CHANGE_LOG
          + " WHERE build_id IN ("
          + ids
          + ") UNION ALL SELECT subject_after FROM "
          + CreditFactJob.CHANGE_LOG
          + " WHERE build_id IN ("
          + ids
          + ")";
    }
    if (before.isPresent() && after.isPresent() && onlyAppends(before.get(), after.get())) {
      factChangesFrom = "the appended rows";
      LOG.info(
          "credit.fact: only appends since snapshot {}, reading the appended rows", before.get());
      spark
          .read()
          .format("iceberg")
          .option("start-snapshot-id", before.get())
          .option("end-snapshot-id", after.get())
          .load(CreditEvaluationJob.FACT)
          .select("subject_id")
          .createOrReplaceTempView("credit_incremental_appended");
      return "SELECT subject_id FROM credit_incremental_appended";
    }
    factChangesFrom = "a row-by-row comparison of two snapshots";
    String[] columns = spark.table(CreditEvaluationJob.FACT).columns();
    String content =
        Arrays.stream(columns)
            .filter(column -> !FACT_IGNORED.contains(column))
            .collect(Collectors.joining(", "));
    String old =
        "SELECT subject_id, fact_id, xxhash64("
            + content
            + ") AS h FROM "
            + job.reading(CreditEvaluationJob.FACT, Map.of(CreditEvaluationJob.FACT, before));
    String now =
        "SELECT subject_id, fact_id, xxhash64("
            + content
            + ") AS h FROM "
            + job.reading(CreditEvaluationJob.FACT, Map.of(CreditEvaluationJob.FACT, after));
    return OdsChanges.symmetricDifference("subject_id", old, now);
  }

  /**
   * The ids of the builds between two snapshots of credit.fact when every commit between them is an
   * incremental fact build (whose changes {@link CreditFactJob#CHANGE_LOG} holds) or a compaction
   * (same rows); empty otherwise.
   */
  private Optional<List<String>> loggedBuilds(long before, long after) {
    Table table = new OdsChanges(spark).load(CreditEvaluationJob.FACT);
    List<String> builds = new ArrayList<>();
    Snapshot at = table.snapshot(after);
    while (at != null && at.snapshotId() != before) {
      Map<String, String> summary = at.summary();
      if ("incremental".equals(summary.get(CreditFactJob.BUILD_MODE_PROPERTY))
          && summary.containsKey(CreditFactJob.BUILD_PROPERTY)) {
        builds.add(summary.get(CreditFactJob.BUILD_PROPERTY));
      } else if (!"replace".equals(at.operation())) {
        return Optional.empty();
      }
      at = at.parentId() == null ? null : table.snapshot(at.parentId());
    }
    return at == null ? Optional.empty() : Optional.of(builds);
  }

  /** Whether every snapshot after {@code before} up to {@code after} is an append. */
  private boolean onlyAppends(long before, long after) {
    Map<Long, Row> snapshots = new HashMap<>();
    for (Row row :
        spark
            .sql(
                "SELECT snapshot_id, parent_id, operation FROM "
                    + CreditEvaluationJob.FACT
                    + ".snapshots")
            .collectAsList()) {
      snapshots.put(row.getLong(0), row);
    }
    Long at = after;
    while (at != null && at != before) {
      Row row = snapshots.get(at);
      if (row == null || !"append".equals(row.getString(2))) {
        return false;
      }
      at = row.isNullAt(1) ? null : row.getLong(1);
    }
    return at != null;
  }

  private String objections(RuleSet rules, Map<String, Optional<Long>> snapshots) {
    Optional<Long> source = snapshots.get(Objections.SOURCE);
    return "SELECT subject_id, list_code, filed_on, decided_on, outcome FROM ("
        + Objections.query(
            rules,
            job.reading(Objections.TABLE, snapshots),
            source.map(id -> Objections.SOURCE + " VERSION AS OF " + id))
        + ")";
  }

  /**
   * Registers {@value #PROPAGATING} (subject_id): the changed enterprises whose list entries of the
   * date differ from those in {@code credit.list_entry}. A linked person's rows read an
   * enterprise's list entries only (关联惩戒), so the persons linked to an enterprise whose facts
   * changed but whose entries did not keep their rows. An enterprise's entries depend on its own
   * facts and objections only: evaluating the changed subjects alone gives them.
   */
  private long propagatingEnterprises(
      RuleSet rules, LocalDate asOf, Map<String, Optional<Long>> current) {
    if (rules.propagations().isEmpty()) {
      materialise(PROPAGATING, "SELECT CAST(NULL AS STRING) AS subject_id WHERE false");
      return 0;
    }
    long linked =
        spark
            .sql(
                "SELECT count(DISTINCT r.person_key) FROM "
                    + job.roles(current)
                    + " r LEFT SEMI JOIN "
                    + CHANGED
                    + " c ON c.subject_id = r.enterprise_uscc")
            .first()
            .getLong(0);
    if (linked < narrowingMinLinked) {
      LOG.info(
          "Credit evaluation as of {}: {} persons linked to the changed subjects, re-evaluated"
              + " all (fewer than {})",
          asOf,
          linked,
          narrowingMinLinked);
      materialise(PROPAGATING, "SELECT subject_id FROM " + CHANGED);
      return spark.table(PROPAGATING).count();
    }
    String table = CreditEvaluationJob.LIST_ENTRY;
    String content =
        Arrays.stream(spark.table(table).columns())
            .filter(c -> !c.equals("input_snapshots") && !c.equals("computed_at"))
            .collect(Collectors.joining(", "));
    String now =
        "SELECT " + content + " FROM " + RuleSql.LIST_ENTRY + " WHERE subject_type = 'enterprise'";
    String before =
        "SELECT "
            + content
            + " FROM "
            + table
            + " t LEFT SEMI JOIN "
            + CHANGED
            + " c ON c.subject_id = t.subject_id WHERE t.as_of = DATE '"
            + asOf
            + "' AND t.subject_type = 'enterprise'";
    job.inViews(
        rules,
        asOf,
        current,
        Optional.of(CHANGED),
        inputs -> {
          materialise(
              PROPAGATING,
              "SELECT DISTINCT subject_id FROM (("
                  + now
                  + " EXCEPT "
                  + before
                  + ") UNION ALL ("
                  + before
                  + " EXCEPT "
                  + now
                  + "))");
          return null;
        });
    return spark.table(PROPAGATING).count();
  }

  /**
   * {@value #OUTPUT_SCOPE}: the changed subjects and the persons linked to the enterprises among
   * them whose list entries changed; {@value #INPUT_SCOPE}: those and the enterprises those persons
   * are linked to (their entries propagate). Links at the current snapshot: a link that changed
   * made its person a changed subject.
   */
  private void scopes() {
    String roles = RuleSql.ROLE_INPUT;
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW "
            + roles
            + " AS SELECT * FROM "
            + job.roles(job.currentSnapshots()));
    materialise(
        OUTPUT_SCOPE,
        "SELECT subject_id FROM "
            + CHANGED
            + " UNION SELECT r.person_key FROM "
            + roles
            + " r LEFT SEMI JOIN "
            + PROPAGATING
            + " c ON c.subject_id = r.enterprise_uscc");
    materialise(
        INPUT_SCOPE,
        "SELECT subject_id FROM "
            + OUTPUT_SCOPE
            + " UNION SELECT r.enterprise_uscc FROM "
            + roles
            + " r LEFT SEMI JOIN "
            + OUTPUT_SCOPE
            + " o ON o.subject_id = r.person_key");
  }

  /**
   * Computes {@code query} once and registers it as {@code view} without its lineage: a cached view
   * would carry its whole plan into every plan reading it, and the evaluation's plans nest them
   * many times over (Spark then spends minutes printing plans).
   */
  private void materialise(String view, String query) {
    spark.sql(query).localCheckpoint().createOrReplaceTempView(view);
  }

  /**
   * MERGEs the view's rows of the subjects in {@value #OUTPUT_SCOPE} into the table's rows of the
   * as-of date, and deletes that date's rows of those subjects the view no longer has; one commit.
   * Returns the rows written.
   */
  private long merge(String view, String table, List<String> key, LocalDate asOf, String inputs) {
    String date = "DATE '" + asOf + "'";
    List<String> columns = List.of(spark.table(table).columns());
    String content =
        columns.stream()
            .filter(c -> !c.equals("input_snapshots") && !c.equals("computed_at"))
            .map(c -> "n." + c)
            .collect(Collectors.joining(", "));
    materialise(
        "credit_incremental_rows",
        "SELECT "
            + content
            + ", '"
            + inputs.replace("'", "\\'")
            + "' AS input_snapshots, current_timestamp() AS computed_at FROM "
            + view
            + " n LEFT SEMI JOIN "
            + OUTPUT_SCOPE
            + " o ON o.subject_id = n.subject_id");
    try {
      long rows = spark.table("credit_incremental_rows").count();
      String on =
          key.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
      String removed =
          "SELECT t.*, true AS removed_row FROM (SELECT * FROM "
              + table
              + " WHERE as_of = "
              + date
              + ") t LEFT SEMI JOIN "
              + OUTPUT_SCOPE
              + " o ON o.subject_id = t.subject_id LEFT ANTI JOIN credit_incremental_rows n ON "
              + key.stream().map(k -> "n." + k + " = t." + k).collect(Collectors.joining(" AND "));
      String source =
          "SELECT *, false AS removed_row FROM credit_incremental_rows UNION ALL " + removed;
      String merge =
          "MERGE INTO "
              + table
              + " t USING ("
              + source
              + ") s ON t.as_of = "
              + date
              + " AND "
              + on
              + " WHEN MATCHED AND s.removed_row THEN DELETE WHEN MATCHED THEN UPDATE SET "
              + columns.stream().map(c -> c + " = s." + c).collect(Collectors.joining(", "))
              + " WHEN NOT MATCHED AND NOT s.removed_row THEN INSERT ("
              + String.join(", ", columns)
              + ") VALUES ("
              + columns.stream().map(c -> "s." + c).collect(Collectors.joining(", "))
              + ")";
      // position deletes instead of rewriting the date's partition (warehouse maintain compacts)
      new OdsChanges(spark).mergeOnRead(table);
      // the commit records the inputs even when the run only deletes rows
      OdsChanges.withSummary(
          CreditEvaluationJob.runProperties(asOf, inputs), () -> spark.sql(merge));
      return rows;
    } finally {
      spark.catalog().dropTempView("credit_incremental_rows");
    }
  }

  /** Input snapshots as recorded in a row: JSON table → snapshot id or null. */
  static Map<String, Optional<Long>> parseSnapshots(String json) {
    Map<String, Optional<Long>> snapshots = new TreeMap<>();
    try {
      JsonNode node = JSON.readTree(json);
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        snapshots.put(
            field.getKey(),
            field.getValue().isNull() ? Optional.empty() : Optional.of(field.getValue().asLong()));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Recorded input snapshots are not JSON: " + json, e);
    }
    return snapshots;
  }
}
