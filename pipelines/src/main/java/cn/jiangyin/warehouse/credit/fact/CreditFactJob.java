package cn.jiangyin.warehouse.credit.fact;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.rule.PublicationPeriod;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
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
 * <p>Each run rebuilds the whole table, but only when an input changed: the Iceberg snapshot ids of
 * the inputs and a digest of the periods are recorded in the commit, and a run that finds them
 * unchanged writes nothing. {@code as_of} is the newest source commit time read, so even a forced
 * rebuild of the same inputs gives the same rows.
 */
public final class CreditFactJob {
  public static final String TABLE = "credit.fact";
  public static final String REPAIR_SOURCE = "ods.credit_office__repair_decision";
  public static final String REFERENCE_SOURCE = "lib.enterprise_reference";

  /** Commit property holding the digest of the inputs a build read. */
  public static final String INPUTS_PROPERTY = "jiangyin.credit-fact.inputs";

  /** Changes whenever the job's logic does, so that a new version rebuilds. */
  private static final String LOGIC_VERSION = "credit-fact-1";

  private static final Logger LOG = LoggerFactory.getLogger(CreditFactJob.class);

  private final SparkSession spark;
  private final Catalog catalog;

  public CreditFactJob(SparkSession spark, Catalog catalog) {
    this.spark = requireNonNull(spark, "spark is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** Counts of one source table: read = facts + rejected. */
  public record Counts(String sourceTable, long read, long facts, long rejected) {}

  /**
   * What a run did: counts per source table and per category, the ods tables skipped because they
   * are not captured, and whether the inputs were unchanged (nothing written).
   */
  public record Result(
      List<Counts> tables, Map<String, Long> categories, List<String> skipped, boolean upToDate) {
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
    boolean upToDate = inputs.equals(lastInputs().orElse(null));
    if (upToDate) {
      LOG.info("credit.fact: inputs unchanged since the last build, nothing to do");
    } else {
      build(present, periods, inputs);
    }
    return counts(present, skipped, upToDate);
  }

  private void build(List<FactSource> sources, List<PublicationPeriod> periods, String inputs) {
    spark
        .udf()
        .register(
            "is_valid_uscc",
            (UDF1<String, Boolean>) code -> code != null && UnifiedSocialCreditCode.isValid(code),
            DataTypes.BooleanType);
    if (sources.isEmpty()) {
      spark.sql("DELETE FROM quality.rejected_record WHERE job = '" + TABLE + "'");
      CommitMetadata.withCommitProperties(
          Map.of(INPUTS_PROPERTY, inputs),
          () -> spark.sql("DELETE FROM " + TABLE),
          RuntimeException.class);
      return;
    }
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_input AS "
            + sources.stream().map(this::inputSql).collect(Collectors.joining(" UNION ALL ")));
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_reference AS "
            + (hasRows(REFERENCE_SOURCE)
                ? "SELECT source, source_table, source_key, uscc, match_method, match_confidence"
                    + " FROM (SELECT *, row_number() OVER (PARTITION BY source, source_table,"
                    + " source_key ORDER BY match_confidence DESC, uscc) AS reference_rank FROM "
                    + REFERENCE_SOURCE
                    + " WHERE uscc IS NOT NULL) WHERE reference_rank = 1"
                : "SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS source_table,"
                    + " CAST(NULL AS STRING) AS source_key, CAST(NULL AS STRING) AS uscc,"
                    + " CAST(NULL AS STRING) AS match_method,"
                    + " CAST(NULL AS DOUBLE) AS match_confidence WHERE false"));
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
            + " FROM fact_input i LEFT JOIN fact_reference r ON r.source = i.source"
            + " AND r.source_table = i.source_table AND r.source_key = i.source_key");
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW fact_checked AS SELECT *,"
            + " CASE WHEN decided_on IS NULL THEN 'missing decision date'"
            + " WHEN person_subject AND person_key IS NULL THEN 'person without person_key'"
            + " WHEN subject_id IS NULL THEN 'unresolved subject' END AS rejection"
            + " FROM fact_subject");
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
    windows(periods);
    Object newest = spark.sql("SELECT unix_micros(max(_source_ts)) FROM fact_input").first().get(0);
    String asOfSql = newest == null ? "current_timestamp()" : "timestamp_micros(" + newest + ")";
    spark.sql("DELETE FROM quality.rejected_record WHERE job = '" + TABLE + "'");
    spark.sql(
        "INSERT INTO quality.rejected_record SELECT '"
            + TABLE
            + "', concat('ods.', source, '__', source_table), source_key, rejection,"
            + " concat('code=', coalesce(code_given, 'NULL'), ' name=', coalesce(name_given,"
            + " 'NULL'), ' decided_on=', coalesce(CAST(decided_on AS STRING), 'NULL')),"
            + " current_timestamp() FROM fact_checked WHERE rejection IS NOT NULL");
    Dataset<Row> facts =
        spark.sql(
            "SELECT concat(f.source, '.', f.source_table, '#', f.source_key) AS fact_id,"
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
                + " r.repaired_on, f.source, f.source_table, f.source_key, f.source_position, "
                + asOfSql
                + " AS as_of, f.decision_number, f.detail"
                + " FROM fact_checked f"
                + " LEFT JOIN fact_window w ON w.category = f.category"
                + " AND w.severity <=> f.severity AND w.penalty_kind <=> f.penalty_kind"
                + " LEFT JOIN fact_repair r ON r.fact_department = f.department"
                + " AND r.fact_number = f.decision_number"
                + " WHERE f.rejection IS NULL");
    CommitMetadata.withCommitProperties(
        Map.of(INPUTS_PROPERTY, inputs),
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

  private Result counts(List<FactSource> sources, List<String> skipped, boolean upToDate) {
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
    return new Result(counts, categories, skipped, upToDate);
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
    periods.forEach(period -> text.append(period).append('\n'));
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of()
          .formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot digest the inputs: no SHA-256", e);
    }
  }

  private String snapshotId(String table) {
    if (!exists(table)) {
      return "absent";
    }
    Snapshot snapshot = catalog.loadTable(TableIdentifier.parse(table)).currentSnapshot();
    return snapshot == null ? "empty" : Long.toString(snapshot.snapshotId());
  }

  private Optional<String> lastInputs() {
    Table table = catalog.loadTable(TableIdentifier.parse(TABLE));
    Snapshot snapshot = table.currentSnapshot();
    return snapshot == null
        ? Optional.empty()
        : Optional.ofNullable(snapshot.summary().get(INPUTS_PROPERTY));
  }

  private boolean exists(String table) {
    return catalog.tableExists(TableIdentifier.parse(table));
  }

  private boolean hasRows(String table) {
    return exists(table) && !spark.table(table).isEmpty();
  }
}
