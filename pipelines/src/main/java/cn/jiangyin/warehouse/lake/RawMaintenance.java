package cn.jiangyin.warehouse.lake;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.ods.CurrentStateJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upkeep of the raw change logs (原始层维护): compaction of the small files that one commit per capture
 * batch leaves ({@code rewrite_data_files}), then expiry of snapshots older than the retention.
 *
 * <p>Expiry never removes what readers resume from. Capture finds its offsets by walking back from
 * a table's current snapshot to the newest snapshot carrying the source's capture commit, and a
 * compaction puts a snapshot without one on top; the current state job reads raw incrementally from
 * the snapshot recorded in its last ods commit ({@value CurrentStateJob#RAW_SNAPSHOT_PROPERTY}). So
 * per table the expiry cut-off is the older of "now minus retention" and the timestamps of those
 * snapshots: they and every snapshot after them stay, and the walk back from the current snapshot
 * still reaches them. (The quarantine table is shared: it keeps history back to the oldest source's
 * newest commit there.)
 */
public final class RawMaintenance {
  /** Days of raw snapshots kept for time travel, unless a reader still needs older ones. */
  public static final int RETAIN_DAYS_DEFAULT = 7;

  static final String CAPTURE_SOURCE = "jiangyin.capture.source";
  private static final Logger LOG = LoggerFactory.getLogger(RawMaintenance.class);

  private final SparkSession spark;
  private final Catalog catalog;

  public RawMaintenance(SparkSession spark, Catalog catalog) {
    this.spark = requireNonNull(spark, "spark is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /**
   * What maintenance did to one table.
   *
   * @param keptFrom the oldest snapshot time kept (the expiry cut-off)
   * @param pinnedBy readers that pinned older history than the retention, e.g. {@code capture
   *     source x}, {@code ods}
   */
  public record Result(
      String table,
      long filesRewritten,
      long filesAdded,
      int snapshotsExpired,
      int snapshotsLeft,
      Instant keptFrom,
      List<String> pinnedBy) {
    public Result {
      requireNonNull(table, "table is null");
      requireNonNull(keptFrom, "keptFrom is null");
      pinnedBy = List.copyOf(pinnedBy);
    }
  }

  /** Compacts and expires every raw table, keeping {@code retention} of history at least. */
  public List<Result> run(Duration retention) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("Invalid retention: " + retention);
    }
    Namespace raw = Namespace.of("raw");
    if (catalog instanceof SupportsNamespaces namespaces && !namespaces.namespaceExists(raw)) {
      return List.of();
    }
    List<Result> results = new ArrayList<>();
    for (TableIdentifier id : catalog.listTables(raw)) {
      results.add(maintain(id, retention));
    }
    return results;
  }

  private Result maintain(TableIdentifier id, Duration retention) {
    long[] rewritten = compact(id);
    Table table = catalog.loadTable(id);
    table.refresh();
    if (table.currentSnapshot() == null) {
      return new Result(id.name(), 0, 0, 0, 0, Instant.now(), List.of());
    }
    long cutoff = Instant.now().minus(retention).toEpochMilli();
    List<String> pinnedBy = new ArrayList<>();
    for (Map.Entry<String, Snapshot> pin : pins(table, id).entrySet()) {
      long pinned = pin.getValue().timestampMillis();
      if (pinned < cutoff) {
        cutoff = pinned;
        pinnedBy.add(pin.getKey());
      }
    }
    int before = size(table.snapshots());
    // snapshots strictly older than the cut-off go; the current one always stays
    table.expireSnapshots().expireOlderThan(cutoff).retainLast(1).commit();
    table.refresh();
    int after = size(table.snapshots());
    LOG.info(
        "raw.{}: {} files rewritten into {}; {} snapshots expired, {} left",
        id.name(),
        rewritten[0],
        rewritten[1],
        before - after,
        after);
    return new Result(
        id.name(),
        rewritten[0],
        rewritten[1],
        before - after,
        after,
        Instant.ofEpochMilli(cutoff),
        pinnedBy);
  }

  /** {@code rewrite_data_files}: small files of one partition into fewer, larger ones. */
  private long[] compact(TableIdentifier id) {
    String catalogName = spark.conf().get("spark.sql.defaultCatalog");
    List<Row> rows =
        spark
            .sql(
                "CALL "
                    + catalogName
                    + ".system.rewrite_data_files(table => '"
                    + id.namespace()
                    + "."
                    + id.name()
                    + "', options => map('min-input-files', '2'))")
            .collectAsList();
    if (rows.isEmpty()) {
      return new long[] {0, 0};
    }
    Row row = rows.get(0);
    return new long[] {((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue()};
  }

  /**
   * The snapshots readers resume from: per capture source, its newest capture commit; and the raw
   * snapshot the ods table of the same name last processed.
   */
  private Map<String, Snapshot> pins(Table table, TableIdentifier id) {
    Map<String, Snapshot> pins = new LinkedHashMap<>();
    for (Snapshot snapshot = table.currentSnapshot();
        snapshot != null;
        snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
      String source = snapshot.summary().get(CAPTURE_SOURCE);
      if (source != null) {
        pins.putIfAbsent("capture source " + source, snapshot);
      }
    }
    odsProcessed(id)
        .map(table::snapshot)
        .ifPresent(snapshot -> pins.put("ods." + id.name(), snapshot));
    return pins;
  }

  private Optional<Long> odsProcessed(TableIdentifier rawId) {
    TableIdentifier odsId = TableIdentifier.of("ods", rawId.name());
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(odsId.namespace())) {
      return Optional.empty();
    }
    if (!catalog.tableExists(odsId)) {
      return Optional.empty();
    }
    Table ods = catalog.loadTable(odsId);
    for (Snapshot snapshot = ods.currentSnapshot();
        snapshot != null;
        snapshot = snapshot.parentId() == null ? null : ods.snapshot(snapshot.parentId())) {
      String value = snapshot.summary().get(CurrentStateJob.RAW_SNAPSHOT_PROPERTY);
      if (value != null) {
        return Optional.of(Long.parseLong(value));
      }
    }
    return Optional.empty();
  }

  private static int size(Iterable<?> items) {
    int count = 0;
    for (Object ignored : items) {
      count++;
    }
    return count;
  }
}
