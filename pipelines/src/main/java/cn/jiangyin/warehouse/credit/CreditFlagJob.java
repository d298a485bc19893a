package cn.jiangyin.warehouse.credit;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.rule.FlagRules;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes {@code credit.flag} from the credit office's flag rules, as of a date. Each row records
 * the rule version and the Iceberg snapshot ids of the tables it read, so the same flags can be
 * recomputed "as of" those snapshots in a review.
 */
public final class CreditFlagJob {
  private static final Logger LOG = LoggerFactory.getLogger(CreditFlagJob.class);

  private final SparkSession spark;

  public CreditFlagJob(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** What a run produced. */
  public record Result(long flags, String ruleVersion, Map<String, Long> inputSnapshots) {}

  public Result run(FlagRules rules, LocalDate asOf) {
    Map<String, Long> snapshots = new TreeMap<>();
    for (String source : rules.sources()) {
      snapshots.put(
          source,
          spark
              .sql(
                  "SELECT snapshot_id FROM "
                      + source
                      + ".snapshots ORDER BY committed_at DESC LIMIT 1")
              .first()
              .getLong(0));
    }
    String inputs =
        snapshots.entrySet().stream()
            .map(entry -> "\"" + entry.getKey() + "\": " + entry.getValue())
            .collect(java.util.stream.Collectors.joining(", ", "{", "}"));
    spark.sql(
        "INSERT OVERWRITE credit.flag SELECT subject_id, subject_name, flag, reason, evidence, decided_on,"
            + " rule_version, '"
            + inputs
            + "', current_timestamp() FROM ("
            + rules.sql(asOf, snapshots)
            + ")");
    long flags = spark.table("credit.flag").count();
    LOG.info("credit.flag: {} flags as of {} (rules {})", flags, asOf, rules.version());
    return new Result(flags, rules.version(), snapshots);
  }
}
