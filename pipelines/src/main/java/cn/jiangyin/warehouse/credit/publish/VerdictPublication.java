package cn.jiangyin.warehouse.credit.publish;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.evaluation.CreditEvaluationJob;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 结论发布 — publishes the verdicts of an as-of date ({@code credit.verdict}) into {@value #EXPORT},
 * the verdicts in force that other systems read, and records the publication in {@value #TABLE}.
 *
 * <p>By MERGE on (subject_type, subject_id): a row whose content ({@link #CONTENT}) is unchanged is
 * left untouched, a changed row is replaced, a subject no longer present is deleted; when nothing
 * changed nothing is written at all, so an incremental export ({@code warehouse export verdicts
 * --since}) carries only real changes. The {@link #BOOKKEEPING} columns (as_of, valid_from,
 * input_snapshots) are not content: they change with every evaluation, and are written only with a
 * content change (else a new as-of date alone would rewrite every row).
 */
public final class VerdictPublication {
  public static final String TABLE = "credit.publication";
  public static final String EXPORT = "export.verdict";

  /**
   * The columns of {@value #EXPORT} that make a verdict's content: compared to decide whether a row
   * changed, and compared when a publication is recomputed.
   */
  public static final List<String> CONTENT =
      List.of(
          "subject_type",
          "subject_id",
          "subject_name",
          "status",
          "grade",
          "measures",
          "reasons",
          "rule_version",
          "valid_to");

  /**
   * Columns that change with every evaluation date or input snapshot (as_of, valid_from,
   * input_snapshots): written with a content change only, so they tell the evaluation that last
   * changed the row (valid_from: since when the verdict holds), and a new date alone rewrites no
   * row.
   */
  public static final List<String> BOOKKEEPING = List.of("valid_from", "as_of", "input_snapshots");

  private static final List<String> WRITTEN =
      Stream.of(CONTENT, BOOKKEEPING, List.of("publication_id", "computed_at"))
          .flatMap(List::stream)
          .toList();

  private static final Logger LOG = LoggerFactory.getLogger(VerdictPublication.class);
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

  private final SparkSession spark;

  public VerdictPublication(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** One publication, as recorded in {@value #TABLE}. */
  public record Publication(
      String publicationId,
      LocalDate asOf,
      String ruleVersion,
      String ruleSetSha256,
      String inputSnapshots,
      long verdictSnapshotId,
      Optional<Long> exportSnapshotId,
      Instant publishedAt,
      long verdicts,
      long added,
      long changed,
      long removed,
      long unchanged) {}

  /** A publication that cannot be made; the message says why. */
  public static final class PublicationException extends IllegalStateException {
    public PublicationException(String message) {
      super(message);
    }
  }

  /**
   * Publishes the verdicts of {@code asOf} as {@code credit.verdict} holds them now.
   *
   * @throws PublicationException when there are no verdicts of that date, they mix rule versions or
   *     inputs, their rule version is not published, or a later date is already published
   */
  public Publication publish(LocalDate asOf) {
    requireNonNull(asOf, "asOf is null");
    long verdictSnapshot =
        Snapshots.current(spark, CreditEvaluationJob.VERDICT)
            .orElseThrow(
                () ->
                    new PublicationException(
                        "No verdicts to publish: " + CreditEvaluationJob.VERDICT + " is empty"));
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW publication_source AS SELECT "
            + String.join(", ", CONTENT)
            + ", "
            + String.join(", ", BOOKKEEPING)
            + ", computed_at FROM "
            + CreditEvaluationJob.VERDICT
            + " VERSION AS OF "
            + verdictSnapshot
            + " WHERE as_of = DATE '"
            + asOf
            + "'");
    // one full evaluation and the incremental ones after it (IncrementalEvaluation): one rule
    // version; the last run's inputs (recorded by its commit, or by the rows it re-evaluated) are
    // those from which a full evaluation gives every row, untouched ones included
    List<Row> runs =
        spark
            .sql(
                "SELECT rule_version, max_by(input_snapshots, computed_at), count(*) FROM"
                    + " publication_source GROUP BY rule_version")
            .collectAsList();
    if (runs.isEmpty()) {
      throw new PublicationException(
          "No verdicts as of " + asOf + " in " + CreditEvaluationJob.VERDICT + ": evaluate first");
    }
    if (runs.size() > 1) {
      throw new PublicationException(
          "The verdicts as of "
              + asOf
              + " come from "
              + runs.size()
              + " different rule versions: evaluate that date again");
    }
    String ruleVersion = runs.get(0).getString(0);
    // a last run that only removed rows left no row with its inputs: its commit recorded them
    String inputs =
        new CreditEvaluationJob(spark)
            .lastInputs(asOf, verdictSnapshot)
            .orElse(runs.get(0).getString(1));
    PublishedRuleSets.Published rules =
        new PublishedRuleSets(spark)
            .version(ruleVersion)
            .orElseThrow(
                () ->
                    new PublicationException(
                        "The verdicts as of "
                            + asOf
                            + " use rule set "
                            + ruleVersion
                            + ", which is not published: publish it first (warehouse rules"
                            + " publish DIR)"));
    Optional<LocalDate> latest = latestAsOf();
    if (latest.isPresent() && latest.get().isAfter(asOf)) {
      throw new PublicationException(
          "Verdicts as of "
              + latest.get()
              + " are already published: publishing the older date "
              + asOf
              + " would replace newer verdicts");
    }
    Counts counts = counts();
    String publicationId;
    Instant publishedAt;
    if (counts.added + counts.changed + counts.removed == 0) {
      LOG.info(
          "Publication as of {}: all {} verdicts unchanged, {} untouched",
          asOf,
          counts.unchanged,
          EXPORT);
      publishedAt = Instant.now();
      publicationId = id(asOf, publishedAt);
    } else {
      publishedAt = Instant.now();
      publicationId = id(asOf, publishedAt);
      merge(publicationId);
      publishedAt = Instant.now();
    }
    Optional<Long> exportSnapshot = Snapshots.current(spark, EXPORT);
    Publication publication =
        new Publication(
            publicationId,
            asOf,
            ruleVersion,
            rules.sha256(),
            inputs,
            verdictSnapshot,
            exportSnapshot,
            publishedAt,
            counts.added + counts.changed + counts.unchanged,
            counts.added,
            counts.changed,
            counts.removed,
            counts.unchanged);
    record(publication);
    LOG.info(
        "Published {} as of {}: {} verdicts ({} added, {} changed, {} removed, {} unchanged)",
        publicationId,
        asOf,
        publication.verdicts(),
        counts.added,
        counts.changed,
        counts.removed,
        counts.unchanged);
    return publication;
  }

  /** The publication in force at {@code at}: the latest published at or before it. */
  public Optional<Publication> inForce(Instant at) {
    return read(" WHERE published_at <= timestamp_millis(" + at.toEpochMilli() + ")");
  }

  /** The latest publication. */
  public Optional<Publication> latest() {
    return read("");
  }

  private Optional<Publication> read(String where) {
    List<Row> rows =
        spark
            .sql(
                "SELECT publication_id, as_of, rule_version, rule_set_sha256, input_snapshots,"
                    + " verdict_snapshot_id, export_snapshot_id, published_at, verdicts, added,"
                    + " changed, removed, unchanged FROM "
                    + TABLE
                    + where
                    + " ORDER BY published_at DESC, publication_id DESC LIMIT 1")
            .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row row = rows.get(0);
    return Optional.of(
        new Publication(
            row.getString(0),
            row.getDate(1).toLocalDate(),
            row.getString(2),
            row.getString(3),
            row.getString(4),
            row.getLong(5),
            row.isNullAt(6) ? Optional.empty() : Optional.of(row.getLong(6)),
            row.getTimestamp(7).toInstant(),
            row.getLong(8),
            row.getLong(9),
            row.getLong(10),
            row.getLong(11),
            row.getLong(12)));
  }

  private Optional<LocalDate> latestAsOf() {
    Row row = spark.sql("SELECT max(as_of) FROM " + TABLE).first();
    return row.isNullAt(0) ? Optional.empty() : Optional.of(row.getDate(0).toLocalDate());
  }

  private record Counts(long added, long changed, long removed, long unchanged) {}

  private Counts counts() {
    Row row =
        spark
            .sql(
                "SELECT count_if(t.subject_id IS NULL), count_if(t.subject_id IS NOT NULL AND"
                    + " s.subject_id IS NOT NULL AND NOT ("
                    + sameContent("s", "t")
                    + ")), count_if(s.subject_id IS NULL), count_if(s.subject_id IS NOT NULL AND"
                    + " t.subject_id IS NOT NULL AND "
                    + sameContent("s", "t")
                    + ") FROM publication_source s FULL OUTER JOIN "
                    + EXPORT
                    + " t ON s.subject_type = t.subject_type AND s.subject_id = t.subject_id")
            .first();
    return new Counts(row.getLong(0), row.getLong(1), row.getLong(2), row.getLong(3));
  }

  private void merge(String publicationId) {
    String columns = String.join(", ", WRITTEN);
    String values = WRITTEN.stream().map(column -> "s." + column).collect(Collectors.joining(", "));
    String updates =
        WRITTEN.stream().map(column -> column + " = s." + column).collect(Collectors.joining(", "));
    spark.sql(
        "MERGE INTO "
            + EXPORT
            + " t USING (SELECT *, '"
            + publicationId
            + "' AS publication_id FROM publication_source) s"
            + " ON t.subject_type = s.subject_type AND t.subject_id = s.subject_id"
            + " WHEN MATCHED AND NOT ("
            + sameContent("s", "t")
            + ") THEN UPDATE SET "
            + updates
            + " WHEN NOT MATCHED THEN INSERT ("
            + columns
            + ") VALUES ("
            + values
            + ") WHEN NOT MATCHED BY SOURCE THEN DELETE");
  }

  private void record(Publication publication) {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("publication_id", publication.publicationId());
    args.put("as_of", publication.asOf().toString());
    args.put("rule_version", publication.ruleVersion());
    args.put("sha256", publication.ruleSetSha256());
    args.put("inputs", publication.inputSnapshots());
    args.put("verdict_snapshot", publication.verdictSnapshotId());
    args.put("published_at", publication.publishedAt().toEpochMilli());
    args.put("verdicts", publication.verdicts());
    args.put("added", publication.added());
    args.put("changed", publication.changed());
    args.put("removed", publication.removed());
    args.put("unchanged", publication.unchanged());
    spark.sql(
        "INSERT INTO "
            + TABLE
            + " SELECT :publication_id, CAST(:as_of AS DATE), :rule_version, :sha256, :inputs,"
            + " :verdict_snapshot, "
            + publication.exportSnapshotId().map(String::valueOf).orElse("CAST(NULL AS BIGINT)")
            + ", timestamp_millis(:published_at), :verdicts, :added, :changed, :removed,"
            + " :unchanged",
        args);
  }

  /** Whether rows {@code a} and {@code b} have the same content (NULL equal to NULL). */
  static String sameContent(String a, String b) {
    return CONTENT.stream()
        .map(column -> a + "." + column + " <=> " + b + "." + column)
        .collect(Collectors.joining(" AND "));
  }

  private static String id(LocalDate asOf, Instant at) {
    return "pub-" + asOf + "-" + ID_TIME.format(at);
  }
}
