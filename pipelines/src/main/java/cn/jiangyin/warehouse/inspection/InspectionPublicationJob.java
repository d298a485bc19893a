package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 一公开 — rebuilds {@code supervision.publication} from the recorded draws and the captured
 * inspection results ({@code ods.market_regulation__inspection_result}), in one commit. What is
 * left out is deliberate: the risk class (不评价、不惩戒、不公开、不免抽), the inspectors' ids and grids; the
 * inspectors' names stay, as on the results notice (抽查结果公示).
 */
public final class InspectionPublicationJob {
  public static final String PUBLICATION = "supervision.publication";
  public static final String RESULTS = "ods.market_regulation__inspection_result";

  private static final Logger LOG = LoggerFactory.getLogger(InspectionPublicationJob.class);

  private final SparkSession spark;

  public InspectionPublicationJob(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** Rebuilds the publication; returns its row count. */
  public long run() {
    String results =
        spark.catalog().tableExists(RESULTS)
            ? "SELECT plan_id, subject_uscc, subject_name, inspected_on, inspector_count, finding,"
                + " summary FROM "
                + RESULTS
            : "SELECT CAST(NULL AS STRING) AS plan_id, CAST(NULL AS STRING) AS subject_uscc,"
                + " CAST(NULL AS STRING) AS subject_name, CAST(NULL AS DATE) AS inspected_on,"
                + " CAST(NULL AS INT) AS inspector_count, CAST(NULL AS STRING) AS finding,"
                + " CAST(NULL AS STRING) AS summary WHERE false";
    if (!spark.catalog().tableExists(RESULTS)) {
      LOG.info("{} is not captured: publishing draws without results", RESULTS);
    }
    Dataset<Row> rows =
        spark
            .sql(
                "SELECT coalesce(a.plan_id, r.plan_id) AS plan_id, d.plan_name, d.department,"
                    + " d.item, d.reference_date, d.draw_id, d.public_value, d.plan_sha256,"
                    + " d.input_snapshots, d.seed,"
                    + " coalesce(a.subject_uscc, r.subject_uscc) AS subject_uscc,"
                    + " coalesce(a.subject_name, r.subject_name) AS subject_name,"
                    + " a.inspector_names, r.inspected_on, r.inspector_count, r.finding, r.summary"
                    + " FROM (SELECT draw_id, plan_id, subject_uscc, subject_name, inspector_names"
                    + " FROM "
                    + InspectionDrawJob.ASSIGNMENT
                    + ") a JOIN "
                    + InspectionDrawJob.DRAW
                    + " d ON d.draw_id = a.draw_id FULL OUTER JOIN ("
                    + results
                    + ") r ON r.plan_id = a.plan_id AND r.subject_uscc = a.subject_uscc")
            .withColumn("published_at", functions.current_timestamp());
    Dataset<Row> ordered = rows.selectExpr(spark.table(PUBLICATION).columns()).persist();
    try {
      ordered.writeTo(PUBLICATION).overwrite(functions.lit(true));
      long count = ordered.count();
      LOG.info("{}: {} rows published", PUBLICATION, count);
      return count;
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(
          "Cannot write " + PUBLICATION + ": run schemas migrate first", e);
    } finally {
      ordered.unpersist();
    }
  }
}
