package cn.jiangyin.warehouse.credit.publish;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.evaluation.CreditEvaluationJob;
import cn.jiangyin.warehouse.credit.rule.RuleSql;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * 结论复现 — recomputes the verdicts in force at a moment and compares them, exactly, with what was
 * published then (行政复议: a verdict must be reproducible).
 *
 * <p>The moment selects the publication in force ({@code credit.publication}, the latest published
 * at or before it); the inputs are read at the Iceberg snapshot ids that publication recorded (the
 * exact inputs of that evaluation, by time travel), with the rule set version it recorded, read
 * back from {@code credit.rule_set} and checked against the recorded SHA-256. The recomputation
 * goes to temporary views only. It is compared with {@code export.verdict} as it was at that moment
 * (its snapshot current then), subject by subject on the verdict's content ({@link
 * VerdictPublication#CONTENT}: status, grade, measures, reasons, rule version, valid to, name).
 */
public final class VerdictReplay {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;

  public VerdictReplay(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** One subject whose recomputed verdict differs from the published one. */
  public record Difference(String subjectType, String subjectId, String what) {
    @Override
    public String toString() {
      return subjectType + " " + subjectId + ": " + what;
    }
  }

  /** The outcome: the publication compared, how many verdicts, and every difference. */
  public record Outcome(
      VerdictPublication.Publication publication, long verdicts, List<Difference> differences) {
    public boolean matches() {
      return differences.isEmpty();
    }
  }

  /** No publication was in force at the moment asked. */
  public static final class NothingPublishedException extends IllegalArgumentException {
    public NothingPublishedException(String message) {
      super(message);
    }
  }

  public Outcome replay(Instant at) {
    VerdictPublication.Publication publication =
        new VerdictPublication(spark)
            .inForce(at)
            .orElseThrow(
                () ->
                    new NothingPublishedException("No verdicts were published at or before " + at));
    PublishedRuleSets.Published rules =
        new PublishedRuleSets(spark)
            .version(publication.ruleVersion())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Rule set "
                            + publication.ruleVersion()
                            + " of publication "
                            + publication.publicationId()
                            + " is missing from "
                            + PublishedRuleSets.TABLE));
    if (!rules.sha256().equals(publication.ruleSetSha256())) {
      throw new IllegalStateException(
          "Rule set "
              + publication.ruleVersion()
              + " in "
              + PublishedRuleSets.TABLE
              + " has sha256 "
              + rules.sha256()
              + ", publication "
              + publication.publicationId()
              + " recorded "
              + publication.ruleSetSha256());
    }
    Map<String, Optional<Long>> snapshots = snapshots(publication.inputSnapshots());
    Optional<Long> exported = Snapshots.at(spark, VerdictPublication.EXPORT, at);
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW replay_published AS SELECT "
            + String.join(", ", VerdictPublication.CONTENT)
            + " FROM "
            + exported
                .map(id -> VerdictPublication.EXPORT + " VERSION AS OF " + id)
                .orElse("(SELECT * FROM " + VerdictPublication.EXPORT + " WHERE false)"));
    return new CreditEvaluationJob(spark)
        .inViews(
            rules.rules(),
            publication.asOf(),
            snapshots,
            inputs -> {
              spark.sql(
                  "CREATE OR REPLACE TEMPORARY VIEW replay_recomputed AS SELECT *, '"
                      + inputs.replace("'", "\\'")
                      + "' AS input_snapshots FROM "
                      + RuleSql.VERDICT);
              long verdicts = spark.table("replay_recomputed").count();
              return new Outcome(publication, verdicts, differences());
            });
  }

  private List<Difference> differences() {
    StringBuilder which = new StringBuilder("concat_ws('; '");
    for (String column : VerdictPublication.CONTENT) {
      which
          .append(", CASE WHEN NOT (r.")
          .append(column)
          .append(" <=> p.")
          .append(column)
          .append(") THEN concat('")
          .append(column)
          .append(" published ', coalesce(CAST(p.")
          .append(column)
          .append(" AS STRING), 'NULL'), ', recomputed ', coalesce(CAST(r.")
          .append(column)
          .append(" AS STRING), 'NULL')) END");
    }
    which.append(")");
    List<Difference> differences = new ArrayList<>();
    for (Row row :
        spark
            .sql(
                "SELECT coalesce(r.subject_type, p.subject_type) AS subject_type,"
                    + " coalesce(r.subject_id, p.subject_id) AS subject_id, CASE WHEN p.subject_id"
                    + " IS NULL THEN 'recomputed but not published' WHEN r.subject_id IS NULL THEN"
                    + " 'published but not recomputed' ELSE "
                    + which
                    + " END AS what FROM replay_recomputed r FULL OUTER JOIN replay_published p"
                    + " ON r.subject_type = p.subject_type AND r.subject_id = p.subject_id WHERE"
                    + " p.subject_id IS NULL OR r.subject_id IS NULL OR NOT ("
                    + VerdictPublication.sameContent("r", "p")
                    + ") ORDER BY subject_type, subject_id")
            .collectAsList()) {
      differences.add(new Difference(row.getString(0), row.getString(1), row.getString(2)));
    }
    return differences;
  }

  /** The input snapshots a publication recorded: JSON table → snapshot id or null. */
  static Map<String, Optional<Long>> snapshots(String json) {
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

  static String describe(List<Difference> differences, int limit) {
    return differences.stream()
        .limit(limit)
        .map(Difference::toString)
        .collect(Collectors.joining("\n"));
  }
}
