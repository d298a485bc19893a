package cn.jiangyin.warehouse.grid;

import static java.util.Objects.requireNonNull;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 网格 — builds {@code lib.grid}, {@code lib.grid_event} and {@code lib.enterprise_grid} from the
 * grid-based governance centre (网格化治理中心).
 *
 * <p>An event passes three stages: 信息汇聚 (gathered: the source's {@code reported_at}), 派分处置
 * (dispatched: {@code dispatched_at}) and 跟踪监督 up to closure ({@code closed_at}); the time to
 * closure is counted from gathering, in hours.
 *
 * <p>The source does not say which grid an enterprise belongs to. The rule: the second-level grid
 * where most events naming the enterprise ({@code subject_code}) were reported, ties to the lowest
 * grid code; an enterprise no event names goes to the first (lowest-coded) second-level grid of its
 * town. Events are reported where the problem is, so they place an enterprise better than its town
 * alone; an enterprise of a town without grids is not placed. Runs after {@code lib.enterprise}.
 */
public final class GridLibraryJob {
  public static final String GRID = "ods.grid_center__grid";
  public static final String GRID_EVENT = "ods.grid_center__grid_event";

  /** 归属依据 — the basis of {@code lib.enterprise_grid}. */
  public static final String BY_EVENTS = "网格事件";

  public static final String BY_TOWN = "镇街首个二级网格";

  private static final Logger LOG = LoggerFactory.getLogger(GridLibraryJob.class);

  private final SparkSession spark;

  public GridLibraryJob(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** Counts of one run. */
  public record Result(long grids, long events, long placedEnterprises) {}

  public Result run() {
    spark.sql(
        "INSERT OVERWRITE lib.grid SELECT grid_code, grid_name, CAST(grid_level AS INT),"
            + " parent_code, town_code,"
            + " concat('grid_center.public.grid#', id, '@', _position), current_timestamp()"
            + " FROM "
            + GRID
            + " WHERE grid_code IS NOT NULL AND grid_level IS NOT NULL");
    spark.sql(
        "INSERT OVERWRITE lib.grid_event SELECT event_number, event_type, grid_code,"
            + " subject_code, status, reported_at, dispatched_at, closed_at,"
            + " CAST(unix_micros(closed_at) - unix_micros(reported_at) AS DOUBLE) / 3600000000,"
            + " concat('grid_center.public.grid_event#', id, '@', _position), current_timestamp()"
            + " FROM "
            + GRID_EVENT
            + " WHERE event_number IS NOT NULL AND reported_at IS NOT NULL");
    spark.sql(
        "INSERT OVERWRITE lib.enterprise_grid"
            + " WITH second_level AS (SELECT grid_code, town_code FROM lib.grid WHERE grid_level = 2),"
            + " named AS (SELECT e.subject_uscc AS uscc, e.grid_code, count(*) AS events"
            + " FROM lib.grid_event e JOIN second_level g ON e.grid_code = g.grid_code"
            + " WHERE e.subject_uscc IS NOT NULL GROUP BY e.subject_uscc, e.grid_code),"
            + " by_events AS (SELECT uscc, grid_code FROM (SELECT *, row_number() OVER"
            + " (PARTITION BY uscc ORDER BY events DESC, grid_code) AS rank FROM named)"
            + " WHERE rank = 1),"
            + " by_town AS (SELECT town_code, min(grid_code) AS grid_code FROM second_level"
            + " GROUP BY town_code)"
            + " SELECT e.uscc, coalesce(b.grid_code, t.grid_code),"
            + " CASE WHEN b.grid_code IS NOT NULL THEN '"
            + BY_EVENTS
            + "' ELSE '"
            + BY_TOWN
            + "' END, current_timestamp()"
            + " FROM lib.enterprise e LEFT JOIN by_events b ON e.uscc = b.uscc"
            + " LEFT JOIN by_town t ON e.town_code = t.town_code"
            + " WHERE coalesce(b.grid_code, t.grid_code) IS NOT NULL");
    long grids = spark.table("lib.grid").count();
    long events = spark.table("lib.grid_event").count();
    long placed = spark.table("lib.enterprise_grid").count();
    LOG.info("lib.grid: {} grids, {} events, {} enterprises placed", grids, events, placed);
    return new Result(grids, events, placed);
  }
}
