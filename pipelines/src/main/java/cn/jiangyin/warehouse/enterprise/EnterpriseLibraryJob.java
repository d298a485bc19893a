package cn.jiangyin.warehouse.enterprise;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 企业库 — builds {@code lib.enterprise} from the market regulator's register (市场监管局, the
 * authoritative source of registration attributes): one row per valid USCC, with lineage to the
 * source row. Records with an invalid code, or a second record for the same code, go to {@code
 * quality.rejected_record} with the reason: records read = accepted + rejected.
 *
 * <p>This is the walking skeleton's library: the full 一数一源 attribute map and the name matching of
 * records without codes come with the libraries issue.
 */
public final class EnterpriseLibraryJob {
  public static final String SOURCE = "ods.market_regulation__enterprise";
  private static final Logger LOG = LoggerFactory.getLogger(EnterpriseLibraryJob.class);

  private final SparkSession spark;

  public EnterpriseLibraryJob(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** Counts of one run. */
  public record Result(long read, long accepted, long rejected) {}

  public Result run() {
    spark
        .udf()
        .register(
            "is_valid_uscc",
            (UDF1<String, Boolean>) code -> code != null && UnifiedSocialCreditCode.isValid(code),
            DataTypes.BooleanType);
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW enterprise_candidates AS SELECT *,"
            + " is_valid_uscc(uscc) AS valid_code,"
            + " row_number() OVER (PARTITION BY uscc ORDER BY _position DESC) AS code_rank FROM "
            + SOURCE);
    spark.sql(
        "INSERT OVERWRITE lib.enterprise SELECT uscc, name, entity_type, status,"
            + " legal_representative_id_key, legal_representative_id,"
            + " CAST(registered_capital AS DECIMAL(18,2)), established_on, industry_code, town_code,"
            + " concat('market_regulation.public.enterprise#', id, '@', _position),"
            + " current_timestamp()"
            + " FROM enterprise_candidates WHERE valid_code AND code_rank = 1");
    spark.sql("DELETE FROM quality.rejected_record WHERE job = 'lib.enterprise'");
    spark.sql(
        "INSERT INTO quality.rejected_record SELECT 'lib.enterprise', '"
            + SOURCE
            + "', CAST(id AS STRING),"
            + " CASE WHEN NOT valid_code THEN 'invalid USCC' ELSE 'duplicate USCC' END,"
            + " CASE WHEN NOT valid_code THEN concat('uscc=', coalesce(uscc, 'NULL'))"
            + " ELSE concat('uscc=', uscc, ' kept a newer record') END,"
            + " current_timestamp() FROM enterprise_candidates WHERE NOT valid_code OR code_rank > 1");
    long read = spark.table(SOURCE).count();
    long accepted = spark.table("lib.enterprise").count();
    long rejected =
        spark
            .sql("SELECT count(*) FROM quality.rejected_record WHERE job = 'lib.enterprise'")
            .first()
            .getLong(0);
    if (read != accepted + rejected) {
      throw new IllegalStateException(
          "Cannot reconcile lib.enterprise: read "
              + read
              + " != accepted "
              + accepted
              + " + rejected "
              + rejected);
    }
    LOG.info("lib.enterprise: {} read, {} accepted, {} rejected", read, accepted, rejected);
    return new Result(read, accepted, rejected);
  }
}
