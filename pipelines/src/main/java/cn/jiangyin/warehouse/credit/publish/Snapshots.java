package cn.jiangyin.warehouse.credit.publish;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Iceberg snapshots of a table, read from its metadata tables. */
final class Snapshots {
  private Snapshots() {}

  /** The table's current snapshot; empty when it has none (never written). */
  static Optional<Long> current(SparkSession spark, String table) {
    return first(
        spark,
        "SELECT snapshot_id FROM "
            + table
            + ".history WHERE is_current_ancestor ORDER BY made_current_at DESC LIMIT 1");
  }

  /** The snapshot that was current at {@code at}; empty when the table had none then. */
  static Optional<Long> at(SparkSession spark, String table, Instant at) {
    return first(
        spark,
        "SELECT snapshot_id FROM "
            + table
            + ".history WHERE is_current_ancestor AND made_current_at <= timestamp_millis("
            + at.toEpochMilli()
            + ") ORDER BY made_current_at DESC LIMIT 1");
  }

  private static Optional<Long> first(SparkSession spark, String sql) {
    List<Row> rows = spark.sql(sql).collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getLong(0));
  }
}
