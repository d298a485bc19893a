package cn.jiangyin.warehouse.credit.fact;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.rule.PublicationPeriod;
import cn.jiangyin.warehouse.ods.OdsChanges;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 信用信息归集 — builds {@code credit.fact}, one row per source record of every departmental table that
 * carries public credit information ({@link FactSource#ALL}): the catalogue category, the subject
 * (USCC, or person_key for natural persons), the publication window by the credit office's {@link
 * PublicationPeriod}s, the repair status from the credit office's repair decisions (信用修复决定, {@code
 * 准予} only, joined by department and decision number) and the lineage to the source row.
 *
 * <p>Subjects: natural persons by the person_key capture put beside their ID number; enterprises by
 * {@code lib.enterprise_reference} (source, table, key) where it resolved the reference, otherwise
 * by the code itself when it is a valid USCC. A record whose subject cannot be resolved, or without
 * a decision date, goes to {@code quality.rejected_record} with the reason: per source table, read
 * = facts + rejected (checked; a mismatch fails the run).
 *
 * <p>Incremental: each build records in its commit the ods snapshots it read ({@link OdsChanges}),
 * the snapshot of {@value #REFERENCE_SOURCE} and a fingerprint of its configuration; the next build
 * recomputes only the records the changes since can touch — changed source rows, the facts a
 * changed repair decision names (before or after), those whose enterprise reference changed — and
 * MERGEs the facts that differ (merge-on-read), logging each with its subject before and after in
 * {@value #CHANGE_LOG} under the build's id ({@value #BUILD_PROPERTY}), from which the credit
 * evaluation takes the subjects to re-evaluate. Whole on the first build, with {@code full}, when
 * the sources, their columns or the periods changed, or when the history is gone; a run whose
 * inputs are the same snapshots writes nothing. {@code as_of} is the source commit time of each
 * record, so a fact recomputed from the same inputs is the same row, incremental or whole.
 */
public final class CreditFactJob {
  public static final String TABLE = "credit.fact";
  public static final String REPAIR_SOURCE = "ods.credit_office__repair_decision";
  public static final String REFERENCE_SOURCE = "lib.enterprise_reference";

  /** Commit property holding the digest of the inputs a build read. */
  public static final String INPUTS_PROPERTY = "jiangyin.credit-fact.inputs";

  /**
   * Commit property: an id of the build, under which it logs its changes in {@value #CHANGE_LOG}.
   */
  public static final String BUILD_PROPERTY = "jiangyin.credit-fact.build";

  /** Commit property: {@code full} or {@code incremental} (only these log their changes). */
  public static final String BUILD_MODE_PROPERTY = "jiangyin.credit-fact.build-mode";

  /** The facts each incremental build added, changed or removed, with their subjects. */
  public static final String CHANGE_LOG = "credit.fact_change";

  /** Commit property: what the build depends on besides the rows (see {@link #configuration}). */
  static final String CONFIGURATION = "jiangyin.lib.credit-fact.configuration";

  /** Commit property: the snapshot of {@value #REFERENCE_SOURCE} the build read (-1: none). */
  static final String REFERENCE_SNAPSHOT = "jiangyin.lib.credit-fact.reference-snapshot";

  private static final String AFFECTED = "fact_affected";

  private static final DateTimeFormatter BUILD_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Changes whenever the job's logic does, so that a new version rebuilds. */
  private static final String LOGIC_VERSION = "credit-fact-2";

  private static final Logger LOG = LoggerFactory.getLogger(CreditFactJob.class);

  private final SparkSession spark;
  private final Catalog catalog;
  private final boolean full;
  private final OdsChanges changes;

  public CreditFactJob(SparkSession spark, Catalog catalog) {
    this(spark, catalog, false);
  }

  /** With {@code full}, the table is built whole whatever the last build recorded. */
  public CreditFactJob(SparkSession spark, Catalog catalog, boolean full) {
    this.spark = requireNonNull(spark, "spark is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.full = full;
    this.changes = new OdsChanges(spark);
  }

  /** Counts of one source table: read = facts + rejected. */
  public record Counts(String sourceTable, long read, long facts, long rejected) {}

  /**
   * What a run did: counts per source table and per category, the ods tables skipped because they
   * are not captured, whether the inputs were unchanged (nothing written) and how it built.
   */
  public record Result(
      List<Counts> tables,
      Map<String, Long> categories,
      List<String> skipped,
      boolean upToDate,
      String how) {
    public Result {
      tables = List.copyOf(tables);
      categories = Map.copyOf(categories);
      skipped = List.copyOf(skipped);
    }

    public long facts() {
      return tables.stream().mapToLong(Counts::facts).sum();
    }

    public long rejected() {
      return tables.stream().mapToLong(Counts::rejected).sum();
    }
  }

  /** Builds {@code credit.fact} with the publication windows of {@code periods}. */
  public Result run(List<PublicationPeriod> periods) {
    requireNonNull(periods, "periods is null");
    List<FactSource> present = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (FactSource source : FactSource.ALL) {
      if (exists(source.odsTable())) {
        present.add(source);
      } else {
        skipped.add(source.odsTable());
        LOG.info("credit.fact: skipping {}, not captured", source.odsTable());
      }
    }
    String inputs = inputs(present, periods);
    boolean upToDate = !full && inputs.equals(lastInputs().orElse(null));
    String how = "inputs unchanged";
    if (upToDate) {
      LOG.info("credit.fact: inputs unchanged since the last build, nothing to do");
    } else {
      how = build(present, periods, inputs);
    }
    return counts(present, skipped, upToDate, how);
  }

  /** Builds the table; returns how (whole and why, or what the increment changed). */
  private String build(List<FactSource> sources, List<PublicationPeriod> periods, String inputs) {
    spark
        .udf()
        .register(
            "is_valid_uscc",
            (UDF1<String, Boolean>) code -> code != null && UnifiedSocialCreditCode.isValid(code),
            DataTypes.BooleanType);
    // time first: the log's files of one build have min = max build_id, so reading the builds
    // since an evaluation skips the older files
    String build =
        BUILD_ID_TIME.format(Instant.now()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    if (sources.isEmpty()) {
      spark.sql("DELETE FROM quality.rejected_record WHERE job = '" + TABLE + "'");
      CommitMetadata.withCommitProperties(
          Map.of(INPUTS_PROPERTY, inputs, BUILD_PROPERTY, build, BUILD_MODE_PROPERTY, "full"),
          () -> spark.sql("DELETE FROM " + TABLE),
          RuntimeException.class);
      return "full: no source captured";
    }
    List<String> odsInputs = new ArrayList<>();
    sources.forEach(source -> odsInputs.add(source.odsTable()));
    if (exists(REPAIR_SOURCE)) {
      odsInputs.add(REPAIR_SOURCE);
    }
    Map<String, Long> current = changes.current(odsInputs);
    long reference = exists(REFERENCE_SOURCE) ? snapshotOf(REFERENCE_SOURCE) : -1;
    String configuration = configuration(sources, periods);
    Map<String, String> recorded = changes.recorded(TABLE);
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_input AS "
            + sources.stream().map(this::inputSql).collect(Collectors.joining(" UNION ALL ")));
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_reference AS "
            + (hasRows(REFERENCE_SOURCE)
                ? referenceSql(REFERENCE_SOURCE)
                : "SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS source_table,"
                    + " CAST(NULL AS STRING) AS source_key, CAST(NULL AS STRING) AS uscc,"
                    + " CAST(NULL AS STRING) AS match_method,"
                    + " CAST(NULL AS DOUBLE) AS match_confidence WHERE false"));
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_repair AS "
            + (exists(REPAIR_SOURCE)
                ? "SELECT fact_department, fact_number, min(decided_on) AS repaired_on FROM "
                    + REPAIR_SOURCE
                    + " WHERE outcome = '准予' AND fact_number IS NOT NULL"
                    + " GROUP BY fact_department, fact_number"
                : "SELECT CAST(NULL AS STRING) AS fact_department,"
                    + " CAST(NULL AS STRING) AS fact_number, CAST(NULL AS DATE) AS repaired_on"
                    + " WHERE false"));
    Optional<String> notIncremental =
        full
            ? Optional.of("asked for: build --full")
            : affected(sources, current, reference, configuration, recorded);
    Map<String, String> summary = new HashMap<>();
    summary.put(INPUTS_PROPERTY, inputs);
    summary.put(BUILD_PROPERTY, build);
    summary.put(CONFIGURATION, configuration);
    summary.put(REFERENCE_SNAPSHOT, Long.toString(reference));
    if (notIncremental.isPresent()) {
      LOG.info("credit.fact: full build ({})", notIncremental.get());
      summary.put(BUILD_MODE_PROPERTY, "full");
      fullBuild(sources, periods, OdsChanges.record(current, summary));
      return "full: " + notIncremental.get();
    }
    summary.put(BUILD_MODE_PROPERTY, "incremental");
    long changed = incrementalBuild(sources, periods, build, OdsChanges.record(current, summary));
    return String.format(
        "incremental: %,d source records recomputed, %,d facts changed",
        spark.table(AFFECTED).count(), changed);
  }

  private void fullBuild(
      List<FactSource> sources, List<PublicationPeriod> periods, Map<String, String> summary) {
    checked("fact_input");
    windows(periods);
    spark.sql("DELETE FROM quality.rejected_record WHERE job = '" + TABLE + "'");
    spark.sql(rejectedInsert());
    Dataset<Row> facts = spark.sql(factsSql());
    CommitMetadata.withCommitProperties(
        summary,
        () -> {
          try {
            facts.writeTo(TABLE).overwrite(functions.lit(true));
          } catch (NoSuchTableException e) {
            throw new IllegalStateException("Cannot write " + TABLE + ": the table is missing", e);
          }
          return null;
        },
        RuntimeException.class);
  }

  /**
   * Recomputes the facts of the records in {@value #AFFECTED}, MERGEs those that differ from the
   * table's rows (merge-on-read) and logs them, with their subjects before and after, in {@value
   * #CHANGE_LOG} under {@code build}.
   */
  private long incrementalBuild(
      List<FactSource> sources,
      List<PublicationPeriod> periods,
      String build,
      Map<String, String> summary) {
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_input_affected AS "
            + sources.stream()
                .map(
                    source ->
                        inputSql(source)
                            + " WHERE CAST(id AS STRING) IN (SELECT source_key FROM "
                            + AFFECTED
                            + " WHERE source = '"
                            + source.source()
                            + "' AND source_table = '"
                            + source.table()
                            + "')")
                .collect(Collectors.joining(" UNION ALL ")));
    if (hasRows(REFERENCE_SOURCE)) {
      // the references of the affected records only: the ranking below is over what it reads
      spark.sql(
          "CREATE OR REPLACE TEMPORARY VIEW fact_reference AS "
              + referenceSql(
                  "(SELECT r.* FROM "
                      + REFERENCE_SOURCE
                      + " r LEFT SEMI JOIN "
                      + AFFECTED
                      + " a ON a.source = r.source AND a.source_table = r.source_table"
                      + " AND a.source_key = r.source_key) affected_reference"));
    }
    checked("fact_input_affected");
    windows(periods);
    materialise("fact_new", factsSql());
    String[] columns = spark.table(TABLE).columns();
    String all = String.join(", ", columns);
    String old =
        "SELECT "
            + all
            + " FROM "
            + TABLE
            + " WHERE fact_id IN (SELECT concat(source, '.', source_table, '#', source_key) FROM "
            + AFFECTED
            + ")";
    String now = "SELECT " + all + " FROM fact_new";
    materialise(
        "fact_changed",
        "SELECT coalesce(o.fact_id, n.fact_id) AS fact_id,"
            + " CASE WHEN o.fact_id IS NULL THEN 'added' WHEN n.fact_id IS NULL THEN 'removed'"
            + " ELSE 'changed' END AS change,"
            + " o.subject_type AS subject_type_before, o.subject_id AS subject_before,"
            + " n.subject_type AS subject_type_after, n.subject_id AS subject_after"
            + " FROM ("
            + old
            + " EXCEPT "
            + now
            + ") o FULL OUTER JOIN ("
            + now
            + " EXCEPT "
            + old
            + ") n ON o.fact_id = n.fact_id");
    long changed = spark.table("fact_changed").count();
    LOG.info("credit.fact: {} facts added, changed or removed", changed);
    spark.sql(
        "MERGE INTO quality.rejected_record t USING "
            + AFFECTED
            + " a ON t.job = '"
            + TABLE
            + "' AND t.source_table = concat('ods.', a.source, '__', a.source_table)"
            + " AND t.record_key = a.source_key WHEN MATCHED THEN DELETE");
    spark.sql(rejectedInsert());
    if (changed > 0) {
      spark.sql(
          "INSERT INTO "
              + CHANGE_LOG
              + " SELECT '"
              + build
              + "', fact_id, change, subject_type_before, subject_before, subject_type_after,"
              + " subject_after, current_timestamp() FROM fact_changed");
      spark
          .sql("SELECT fact_id AS _affected FROM fact_changed")
          .createOrReplaceTempView("fact_changed_ids");
      changes.mergeKeys(TABLE, "fact_new", "fact_changed_ids", "fact_id", "t.fact_id", summary);
    } else {
      changes.recordOnly(TABLE, summary);
    }
    return changed;
  }

  /**
   * Defines {@value #AFFECTED} (source, source_table, source_key): the records whose facts the
   * changes since the last build can have changed — the changed rows of the source tables, the
   * facts a changed repair decision names (by department and decision number, before or after the
   * change) and those whose enterprise reference changed. Empty with the reason when the build must
   * be whole.
   */
  private Optional<String> affected(
      List<FactSource> sources,
      Map<String, Long> current,
      long reference,
      String configuration,
      Map<String, String> recorded) {
    if (recorded.isEmpty()) {
      return Optional.of("no earlier build recorded its ods snapshots");
    }
    if (!configuration.equals(recorded.get(CONFIGURATION))) {
      return Optional.of(
          "changed since the last build: "
              + differences(recorded.get(CONFIGURATION), configuration)
              + " (sources, their columns, the publication periods or the job)");
    }
    Set<String> read =
        recorded.keySet().stream()
            .filter(key -> key.startsWith(OdsChanges.ODS_SNAPSHOT_PREFIX))
            .map(key -> key.substring(OdsChanges.ODS_SNAPSHOT_PREFIX.length()))
            .collect(Collectors.toSet());
    if (!read.equals(current.keySet())) {
      return Optional.of("the captured tables changed since the last build");
    }
    List<String> parts = new ArrayList<>();
    parts.add(
        "SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS source_table,"
            + " CAST(NULL AS STRING) AS source_key WHERE false");
    Map<String, OdsChanges.Increment> increments = new HashMap<>();
    for (String table : current.keySet()) {
      Optional<OdsChanges.Increment> increment = changes.since(table, recorded, current.get(table));
      if (increment.isEmpty() || !increment.get().key().equals(List.of("id"))) {
        return Optional.of("no change history of " + table + " since the last build");
      }
      increments.put(table, increment.get());
    }
    for (FactSource source : sources) {
      OdsChanges.Increment increment = increments.get(source.odsTable());
      if (increment.changes() > 0) {
        parts.add(
            "SELECT '"
                + source.source()
                + "', '"
                + source.table()
                + "', CAST(id AS STRING) FROM "
                + increment.keysView());
      }
    }
    OdsChanges.Increment repairs = increments.get(REPAIR_SOURCE);
    if (repairs != null && repairs.changes() > 0) {
      String pairs =
          "SELECT r.fact_department, r.fact_number FROM %s r LEFT SEMI JOIN "
              + repairs.keysView()
              + " k ON k.id = r.id";
      materialise(
          "fact_repair_changed",
          String.format(pairs, REPAIR_SOURCE + " VERSION AS OF " + repairs.previousSnapshot())
              + " UNION "
              + String.format(pairs, REPAIR_SOURCE));
      parts.add(
          "SELECT i.source, i.source_table, i.source_key FROM fact_input i LEFT SEMI JOIN"
              + " fact_repair_changed p ON p.fact_department = i.department"
              + " AND p.fact_number = i.decision_number");
    }
    String previousReference = recorded.get(REFERENCE_SNAPSHOT);
    if (previousReference == null) {
      return Optional.of("no earlier build recorded its reference snapshot");
    }
    long before = Long.parseLong(previousReference);
    if (before != reference) {
      // before = -1: the table had no snapshot then, so no rows
      if (reference < 0 || (before >= 0 && !snapshotExists(REFERENCE_SOURCE, before))) {
        return Optional.of("no history of " + REFERENCE_SOURCE + " since the last build");
      }
      String tables =
          sources.stream()
              .map(source -> "'" + source.table() + "'")
              .distinct()
              .collect(Collectors.joining(", "));
      String old =
          "SELECT source, source_table, source_key, uscc, match_method, match_confidence FROM "
              + REFERENCE_SOURCE
              + (before < 0 ? " WHERE false AND " : " VERSION AS OF " + before + " WHERE ")
              + "source_table IN ("
              + tables
              + ")";
      String now =
          "SELECT source, source_table, source_key, uscc, match_method, match_confidence FROM "
              + REFERENCE_SOURCE
              + " WHERE source_table IN ("
              + tables
              + ")";
      parts.add(OdsChanges.symmetricDifference("source, source_table, source_key", old, now));
    }
    materialise(AFFECTED, "SELECT DISTINCT * FROM (" + String.join(" UNION ALL ", parts) + ")");
    LOG.info(
        "credit.fact: incremental build, {} source records affected by the changes",
        spark.table(AFFECTED).count());
    return Optional.empty();
  }

  /** Defines {@code fact_checked}: the candidates of {@code inputView}, subject and rejection. */
  private void checked(String inputView) {
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_subject AS SELECT i.*,"
            + " CASE WHEN i.person_subject THEN i.person_key"
            + " WHEN r.uscc IS NOT NULL THEN r.uscc"
            + " WHEN is_valid_uscc(i.code_given) THEN i.code_given END AS subject_id,"
            + " CASE WHEN i.person_subject THEN 'person_key'"
            + " WHEN r.uscc IS NOT NULL THEN r.match_method"
            + " WHEN is_valid_uscc(i.code_given) THEN 'uscc' END AS match_method,"
            + " CASE WHEN i.person_subject THEN 1.0D"
            + " WHEN r.uscc IS NOT NULL THEN r.match_confidence"
            + " WHEN is_valid_uscc(i.code_given) THEN 1.0D END AS match_confidence"
            + " FROM "
            + inputView
            + " i LEFT JOIN fact_reference r ON r.source = i.source"
            + " AND r.source_table = i.source_table AND r.source_key = i.source_key");
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_checked AS SELECT *,"
            + " CASE WHEN decided_on IS NULL THEN 'missing decision date'"
            + " WHEN person_subject AND person_key IS NULL THEN 'person without person_key'"
            + " WHEN subject_id IS NULL THEN 'unresolved subject' END AS rejection"
            + " FROM fact_subject");
  }

  private static String referenceSql(String table) {
    return "SELECT source, source_table, source_key, uscc, match_method, match_confidence"
        + " FROM (SELECT *, row_number() OVER (PARTITION BY source, source_table,"
        + " source_key ORDER BY match_confidence DESC, uscc) AS reference_rank FROM "
        + table
        + " WHERE uscc IS NOT NULL) WHERE reference_rank = 1";
  }

  private static String rejectedInsert() {
    return "INSERT INTO quality.rejected_record SELECT '"
        + TABLE
        + "', concat('ods.', source, '__', source_table), source_key, rejection,"
        + " concat('code=', coalesce(code_given, 'NULL'), ' name=', coalesce(name_given,"
        + " 'NULL'), ' decided_on=', coalesce(CAST(decided_on AS STRING), 'NULL')),"
        + " current_timestamp() FROM fact_checked WHERE rejection IS NOT NULL";
  }

  /**
   * The facts of {@code fact_checked}; {@code as_of} is the source commit time of the record (so a
   * fact recomputed from the same record is the same row).
   */
  private static String factsSql() {
    return "SELECT concat(f.source, '.', f.source_table, '#', f.source_key) AS fact_id,"
        + " f.category, f.category_name, f.catalogue_item, f.polarity,"
        + " CASE WHEN f.person_subject THEN 'person' ELSE 'enterprise' END AS subject_type,"
        + " f.subject_id,"
        + " CASE WHEN f.person_subject THEN NULL ELSE trim(f.name_given) END AS subject_name,"
        + " f.match_method, f.match_confidence, f.severity, f.penalty_kind, f.amount,"
        + " f.grade, f.score, f.legal_basis, f.department, f.decided_on, f.ended_on,"
        + " coalesce(w.published, true) AS published,"
        + " CASE WHEN coalesce(w.published, true) THEN f.decided_on END AS publish_from,"
        + " CASE WHEN w.published THEN add_months(f.decided_on, w.minimum_months) END"
        + " AS publish_min_until,"
        + " CASE WHEN w.published THEN add_months(f.decided_on, w.maximum_months) END"
        + " AS publish_until,"
        + " CASE WHEN r.repaired_on IS NOT NULL THEN 'repaired' ELSE 'none' END"
        + " AS repair_status,"
        + " r.repaired_on, f.source, f.source_table, f.source_key, f.source_position,"
        + " coalesce(f._source_ts, current_timestamp()) AS as_of, f.decision_number, f.detail"
        + " FROM fact_checked f"
        + " LEFT JOIN fact_window w ON w.category = f.category"
        + " AND w.severity <=> f.severity AND w.penalty_kind <=> f.penalty_kind"
        + " LEFT JOIN fact_repair r ON r.fact_department = f.department"
        + " AND r.fact_number = f.decision_number"
        + " WHERE f.rejection IS NULL";
  }

  /** One source table as fact candidates, every column in the same shape. */
  private String inputSql(FactSource source) {
    List<String> columns = Arrays.asList(spark.table(source.odsTable()).columns());
    String personKey = source.subjectCode() + "_key";
    return "SELECT '"
        + source.source()
        + "' AS source, '"
        + source.table()
        + "' AS source_table, CAST(id AS STRING) AS source_key,"
        + " CAST(_position AS STRING) AS source_position, '"
        + source.category()
        + "' AS category, '"
        + source.categoryName()
        + "' AS category_name, "
        + literal(source.catalogueItem())
        + " AS catalogue_item, CAST("
        + source.polarity()
        + " AS STRING) AS polarity, CAST("
        + source.department()
        + " AS STRING) AS department, coalesce("
        + (source.personSubject() == null ? "false" : source.personSubject())
        + ", false) AS person_subject, trim(CAST("
        + source.subjectCode()
        + " AS STRING)) AS code_given, "
        + (columns.contains(personKey) ? personKey : "CAST(NULL AS STRING)")
        + " AS person_key, CAST("
        + source.subjectName()
        + " AS STRING) AS name_given, "
        + typed(source.decisionNumber(), "STRING")
        + " AS decision_number, "
        + typed(source.decidedOn(), "DATE")
        + " AS decided_on, "
        + typed(source.endedOn(), "DATE")
        + " AS ended_on, "
        + typed(source.severity(), "STRING")
        + " AS severity, "
        + typed(source.penaltyKind(), "STRING")
        + " AS penalty_kind, "
        + typed(source.amount(), "DECIMAL(18,2)")
        + " AS amount, "
        + typed(source.grade(), "STRING")
        + " AS grade, "
        + typed(source.score(), "INT")
        + " AS score, "
        + typed(source.legalBasis(), "STRING")
        + " AS legal_basis, "
        + typed(source.detail(), "STRING")
        + " AS detail, "
        + (columns.contains("_source_ts") ? "_source_ts" : "CAST(NULL AS TIMESTAMP)")
        + " AS _source_ts FROM "
        + source.odsTable();
  }

  private static String typed(String sql, String type) {
    return "CAST(" + (sql == null ? "NULL" : sql) + " AS " + type + ")";
  }

  private static String literal(String text) {
    return text == null ? "CAST(NULL AS STRING)" : "'" + text.replace("'", "''") + "'";
  }

  /** The window of each (category, severity, penalty kind) met, as a view {@code fact_window}. */
  private void windows(List<PublicationPeriod> periods) {
    StructType schema =
        new StructType()
            .add("category", DataTypes.StringType)
            .add("severity", DataTypes.StringType)
            .add("penalty_kind", DataTypes.StringType)
            .add("published", DataTypes.BooleanType)
            .add("minimum_months", DataTypes.IntegerType)
            .add("maximum_months", DataTypes.IntegerType);
    List<Row> rows = new ArrayList<>();
    Map<String, Long> unruled = new TreeMap<>();
    for (Row kind :
        spark
            .sql(
                "SELECT category, severity, penalty_kind, count(*) FROM fact_checked"
                    + " WHERE rejection IS NULL GROUP BY 1, 2, 3")
            .collectAsList()) {
      String category = kind.getString(0);
      String severity = kind.isNullAt(1) ? null : kind.getString(1);
      String penaltyKind = kind.isNullAt(2) ? null : kind.getString(2);
      Optional<PublicationWindow> window =
          PublicationWindow.of(periods, category, severity, penaltyKind);
      if (window.isPresent()) {
        rows.add(
            RowFactory.create(
                category,
                severity,
                penaltyKind,
                window.get().published(),
                window.get().minimumMonths(),
                window.get().maximumMonths()));
      } else {
        unruled.merge(category, kind.getLong(3), Long::sum);
      }
    }
    unruled.forEach(
        (category, count) ->
            LOG.info(
                "credit.fact: no publication period for {} facts of {}: published, no end",
                count,
                category));
    spark.createDataFrame(rows, schema).createOrReplaceTempView("fact_window");
  }

  private Result counts(
      List<FactSource> sources, List<String> skipped, boolean upToDate, String how) {
    Map<String, long[]> facts = new LinkedHashMap<>();
    for (Row row :
        spark
            .sql("SELECT source, source_table, count(*) FROM " + TABLE + " GROUP BY 1, 2")
            .collectAsList()) {
      facts.put("ods." + row.getString(0) + "__" + row.getString(1), new long[] {row.getLong(2)});
    }
    Map<String, Long> rejected = new LinkedHashMap<>();
    for (Row row :
        spark
            .sql(
                "SELECT source_table, count(*) FROM quality.rejected_record WHERE job = '"
                    + TABLE
                    + "' GROUP BY 1")
            .collectAsList()) {
      rejected.put(row.getString(0), row.getLong(1));
    }
    List<Counts> counts = new ArrayList<>();
    for (FactSource source : sources) {
      String table = source.odsTable();
      long read = spark.table(table).count();
      long accepted = facts.containsKey(table) ? facts.get(table)[0] : 0;
      long refused = rejected.getOrDefault(table, 0L);
      if (read != accepted + refused) {
        throw new IllegalStateException(
            "Cannot reconcile "
                + TABLE
                + " with "
                + table
                + ": read "
                + read
                + " != facts "
                + accepted
                + " + rejected "
                + refused);
      }
      counts.add(new Counts(table, read, accepted, refused));
    }
    Map<String, Long> categories = new TreeMap<>();
    for (Row row :
        spark
            .sql("SELECT category, count(*) FROM " + TABLE + " GROUP BY 1 ORDER BY 1")
            .collectAsList()) {
      categories.put(row.getString(0), row.getLong(1));
    }
    for (Counts count : counts) {
      LOG.info(
          "credit.fact: {}: {} read, {} facts, {} rejected",
          count.sourceTable(),
          count.read(),
          count.facts(),
          count.rejected());
    }
    categories.forEach((category, count) -> LOG.info("credit.fact: {} {} facts", count, category));
    return new Result(counts, categories, skipped, upToDate, how);
  }

  /** Digest of everything a build reads: input snapshots, the periods and the job's logic. */
  private String inputs(List<FactSource> sources, List<PublicationPeriod> periods) {
    StringBuilder text = new StringBuilder(LOGIC_VERSION).append('\n');
    List<String> tables = new ArrayList<>();
    sources.forEach(source -> tables.add(source.odsTable()));
    tables.add(REPAIR_SOURCE);
    tables.add(REFERENCE_SOURCE);
    for (String table : tables) {
      text.append(table).append('=').append(snapshotId(table)).append('\n');
    }
    periods.forEach(period -> text.append(windowOf(period)).append('\n'));
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot digest the inputs: no SHA-256", e);
    }
  }

  /**
   * What a build depends on besides the rows: the job's logic, the sources present and their
   * columns, whether repairs and references are there, and the publication periods. A build that
   * recorded another value is followed by a whole one.
   */
  private String configuration(List<FactSource> sources, List<PublicationPeriod> periods) {
    Map<String, String> parts = new TreeMap<>();
    parts.put("logic", LOGIC_VERSION);
    for (FactSource source : sources) {
      parts.put(source.odsTable(), spark.table(source.odsTable()).schema().toDDL());
    }
    parts.put(REPAIR_SOURCE, Boolean.toString(exists(REPAIR_SOURCE)));
    parts.put(REFERENCE_SOURCE, Boolean.toString(exists(REFERENCE_SOURCE)));
    parts.put(TABLE, spark.table(TABLE).schema().toDDL());
    parts.put(
        "periods", periods.stream().map(CreditFactJob::windowOf).sorted().toList().toString());
    return parts.entrySet().stream()
        .map(
            part -> {
              CRC32 crc = new CRC32();
              crc.update(part.getValue().getBytes(StandardCharsets.UTF_8));
              return part.getKey() + "=" + Long.toHexString(crc.getValue());
            })
        .collect(Collectors.joining(";"));
  }

  /** What of a period the facts depend on (not where it is written, nor its wording). */
  private static String windowOf(PublicationPeriod period) {
    return String.join(
        "|",
        period.category(),
        String.valueOf(period.severity()),
        String.valueOf(period.penaltyKind()),
        Boolean.toString(period.published()),
        Integer.toString(period.minimumMonths()),
        Integer.toString(period.maximumMonths()));
  }

  /** The parts of two configurations that differ, named (for the log). */
  private static String differences(String before, String now) {
    Set<String> old = before == null ? Set.of() : Set.of(before.split(";"));
    Set<String> current = Set.of(now.split(";"));
    return Stream.concat(
            current.stream().filter(part -> !old.contains(part)),
            old.stream().filter(part -> !current.contains(part)))
        .map(part -> part.contains("=") ? part.substring(0, part.indexOf('=')) : part)
        .distinct()
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private long snapshotOf(String table) {
    Snapshot snapshot = catalog.loadTable(TableIdentifier.parse(table)).currentSnapshot();
    return snapshot == null ? -1 : snapshot.snapshotId();
  }

  private boolean snapshotExists(String table, long snapshot) {
    return catalog.loadTable(TableIdentifier.parse(table)).snapshot(snapshot) != null;
  }

  /** Computes {@code query} once and registers it as {@code view} without its lineage. */
  private void materialise(String view, String query) {
    spark.sql(query).localCheckpoint().createOrReplaceTempView(view);
  }

  private String snapshotId(String table) {
    if (!exists(table)) {
      return "absent";
    }
    Snapshot snapshot = catalog.loadTable(TableIdentifier.parse(table)).currentSnapshot();
    return snapshot == null ? "empty" : Long.toString(snapshot.snapshotId());
  }

  /** The inputs the last build recorded (a compaction since records none: looked past). */
  private Optional<String> lastInputs() {
    Table table = catalog.loadTable(TableIdentifier.parse(TABLE));
    for (Snapshot snapshot = table.currentSnapshot();
        snapshot != null;
        snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
      if (snapshot.summary().containsKey(INPUTS_PROPERTY)) {
        return Optional.of(snapshot.summary().get(INPUTS_PROPERTY));
      }
      if (!"replace".equals(snapshot.operation())) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private boolean exists(String table) {
    return catalog.tableExists(TableIdentifier.parse(table));
  }

  private boolean hasRows(String table) {
    return exists(table) && !spark.table(table).isEmpty();
  }
}
