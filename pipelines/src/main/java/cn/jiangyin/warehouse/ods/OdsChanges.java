package cn.jiangyin.warehouse.ods;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * 增量依据 — what a library job needs to be incremental: which ods snapshots its last run read
 * (recorded in the library table's commit summary, {@value #ODS_SNAPSHOT_PREFIX}{@code <ods
 * table>}), and which source rows changed since.
 *
 * <p>The changed rows are found in the raw change log, which is append-only: each ods commit
 * records the raw snapshot it processed ({@link CurrentStateJob#RAW_SNAPSHOT_PROPERTY}), so the
 * rows changed between two ods snapshots are the keys of the raw rows appended between their two
 * raw snapshots — an incremental append read, as cheap as the change. Their old values are in the
 * ods table as of the earlier snapshot (time travel), their new values in the current one; a
 * library recomputes whatever either touches. When the history is not there (no record yet, an ods
 * table made without raw, an expired snapshot) there is no increment, and the job rebuilds the
 * library whole.
 */
public final class OdsChanges {
  public static final String ODS_SNAPSHOT_PREFIX = "jiangyin.lib.ods-snapshot.";

  private final SparkSession spark;

  public OdsChanges(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /**
   * The rows of one ods table changed between two of its snapshots.
   *
   * @param keysView a temporary view of the distinct primary keys of the changed rows
   * @param previousSnapshot the ods snapshot the library's last run read (for old values)
   */
  public record Increment(
      String odsTable, List<String> key, String keysView, long previousSnapshot, long changes) {}

  /** The current snapshot of each ods table ({@code ods.x}); -1 for a table without one. */
  public Map<String, Long> current(List<String> odsTables) {
    Map<String, Long> snapshots = new LinkedHashMap<>();
    for (String name : odsTables) {
      Snapshot snapshot = table(name).currentSnapshot();
      snapshots.put(name, snapshot == null ? -1L : snapshot.snapshotId());
    }
    return snapshots;
  }

  /**
   * The ods snapshots recorded by the newest commit of {@code libraryTable} that recorded any, with
   * the other properties of that commit under their own names.
   */
  public Map<String, String> recorded(String libraryTable) {
    Table library = table(libraryTable);
    for (Snapshot snapshot = library.currentSnapshot();
        snapshot != null;
        snapshot = snapshot.parentId() == null ? null : library.snapshot(snapshot.parentId())) {
      Map<String, String> found =
          snapshot.summary().entrySet().stream()
              .filter(entry -> entry.getKey().startsWith("jiangyin.lib."))
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      if (!found.isEmpty()) {
        return found;
      }
    }
    return Map.of();
  }

  /** The summary properties recording {@code snapshots} (and {@code extra}) in a library commit. */
  public static Map<String, String> record(Map<String, Long> snapshots, Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(extra);
    snapshots.forEach(
        (table, id) -> properties.put(ODS_SNAPSHOT_PREFIX + table, Long.toString(id)));
    return properties;
  }

  /** Runs {@code write} with {@code properties} in the summary of every commit it makes. */
  public static void withSummary(Map<String, String> properties, Runnable write) {
    Callable<Void> call =
        () -> {
          write.run();
          return null;
        };
    CommitMetadata.withCommitProperties(properties, call, RuntimeException.class);
  }

  /**
   * The rows of {@code odsTable} changed since the snapshot {@code recorded} holds for it, up to
   * {@code current}; empty when they cannot be known (then rebuild whole).
   */
  public Optional<Increment> since(String odsTable, Map<String, String> recorded, long current) {
    String previousValue = recorded.get(ODS_SNAPSHOT_PREFIX + odsTable);
    if (previousValue == null) {
      return Optional.empty();
    }
    long previous = Long.parseLong(previousValue);
    Table ods = table(odsTable);
    String keyProperty = ods.properties().get("jiangyin.primary-key");
    if (keyProperty == null || keyProperty.isBlank()) {
      return Optional.empty();
    }
    List<String> key = Arrays.asList(keyProperty.split(","));
    String view = "changed_" + odsTable.replace('.', '_');
    String keyList = key.stream().map(CurrentStateJob::quote).collect(Collectors.joining(", "));
    if (previous == current) {
      spark
          .sql("SELECT " + keyList + " FROM " + odsTable + " WHERE false")
          .createOrReplaceTempView(view);
      return Optional.of(new Increment(odsTable, key, view, previous, 0));
    }
    Snapshot previousSnapshot = ods.snapshot(previous);
    Snapshot currentSnapshot = ods.snapshot(current);
    if (previousSnapshot == null
        || currentSnapshot == null
        || !isAncestor(ods, previous, current)) {
      return Optional.empty();
    }
    Optional<Long> rawFrom = CurrentStateJob.rawSnapshotOf(ods, previousSnapshot);
    Optional<Long> rawTo = CurrentStateJob.rawSnapshotOf(ods, currentSnapshot);
    String rawName = "raw." + odsTable.substring(odsTable.indexOf('.') + 1);
    if (rawFrom.isEmpty() || rawTo.isEmpty() || !exists(rawName)) {
      return Optional.empty();
    }
    Table raw = table(rawName);
    if (raw.snapshot(rawFrom.get()) == null || raw.snapshot(rawTo.get()) == null) {
      return Optional.empty();
    }
    if (rawFrom.get().equals(rawTo.get())) {
      // a compaction only: same rows
      spark
          .sql("SELECT " + keyList + " FROM " + odsTable + " WHERE false")
          .createOrReplaceTempView(view);
      return Optional.of(new Increment(odsTable, key, view, previous, 0));
    }
    spark
        .read()
        .format("iceberg")
        .option("start-snapshot-id", rawFrom.get())
        .option("end-snapshot-id", rawTo.get())
        .load(qualified(rawName))
        .selectExpr(key.stream().map(CurrentStateJob::quote).toArray(String[]::new))
        .distinct()
        .localCheckpoint()
        .createOrReplaceTempView(view);
    long changes = spark.table(view).count();
    return Optional.of(new Increment(odsTable, key, view, previous, changes));
  }

  /**
   * Makes {@code table} merge-on-read (position deletes, never equality deletes), so a MERGE of a
   * few keys writes those rows and small delete files instead of rewriting every data file they
   * touch; {@link OdsMaintenance} compacts them.
   */
  public void mergeOnRead(String name) {
    Table table = table(name);
    if (CurrentStateJob.MERGE_ON_READ.entrySet().stream()
        .anyMatch(entry -> !entry.getValue().equals(table.properties().get(entry.getKey())))) {
      var properties = table.updateProperties();
      CurrentStateJob.MERGE_ON_READ.forEach(properties::set);
      properties.commit();
    }
  }

  /**
   * MERGEs the recomputed rows of some keys into {@code library}: the view {@code rows} holds the
   * new rows (columns named as the library's), {@code affected} one column {@code _affected} with
   * every key recomputed; {@code rowKey} gives a row's key (over the library's columns) and {@code
   * targetKey} the same over the target alias {@code t}. A key without a new row is deleted. The
   * commit records {@code summary}; the table becomes merge-on-read first.
   */
  public void mergeKeys(
      String library,
      String rows,
      String affected,
      String rowKey,
      String targetKey,
      Map<String, String> summary) {
    mergeOnRead(library);
    String[] columns = spark.table(library).columns();
    String set =
        Arrays.stream(columns)
            .map(column -> column + " = s." + column)
            .collect(Collectors.joining(", "));
    String values =
        Arrays.stream(columns).map(column -> "s." + column).collect(Collectors.joining(", "));
    // materialised (a few rows per change): a MERGE source of views over DataFrame reads of other
    // Iceberg tables fails to plan in Spark 4.1 ("No plan for TableReference")
    String source = "merge_source_" + library.replace('.', '_');
    spark
        .sql(
            "SELECT a._affected, n.* FROM "
                + affected
                + " a LEFT JOIN (SELECT *, "
                + rowKey
                + " AS _row_key, true AS _present FROM "
                + rows
                + ") n ON a._affected = n._row_key")
        .localCheckpoint()
        .createOrReplaceTempView(source);
    String merge =
        "MERGE INTO "
            + library
            + " t USING "
            + source
            + " s ON "
            + targetKey
            + " = s._affected"
            + " WHEN MATCHED AND s._present IS NULL THEN DELETE"
            + " WHEN MATCHED THEN UPDATE SET "
            + set
            + " WHEN NOT MATCHED AND s._present THEN INSERT ("
            + String.join(", ", columns)
            + ") VALUES ("
            + values
            + ")";
    withSummary(summary, () -> spark.sql(merge));
  }

  private static boolean isAncestor(Table table, long ancestor, long of) {
    for (Snapshot snapshot = table.snapshot(of);
        snapshot != null;
        snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId())) {
      if (snapshot.snapshotId() == ancestor) {
        return true;
      }
    }
    return false;
  }

  private boolean exists(String name) {
    return spark.catalog().tableExists(name);
  }

  /**
   * Commits nothing but {@code summary} to {@code name} (an empty append), so a run that changed no
   * row still records what it read.
   */
  public void recordOnly(String name, Map<String, String> summary) {
    var append = load(name).newFastAppend();
    summary.forEach(append::set);
    append.commit();
  }

  /**
   * The rows ({@code columns}) of {@code before} not in {@code after} and of {@code after} not in
   * {@code before}: what changed between two versions of a query.
   */
  public static String symmetricDifference(String columns, String before, String after) {
    return "SELECT "
        + columns
        + " FROM (("
        + before
        + " EXCEPT "
        + after
        + ") UNION ALL ("
        + after
        + " EXCEPT "
        + before
        + "))";
  }

  /** The Iceberg table {@code name} (namespace.table of the session's catalog), refreshed. */
  public Table load(String name) {
    return table(name);
  }

  private Table table(String name) {
    try {
      Table table = Spark3Util.loadIcebergTable(spark, qualified(name));
      table.refresh();
      return table;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load " + name + ": " + e.getMessage(), e);
    }
  }

  /** catalog.namespace.table, else Iceberg takes the namespace for a catalog. */
  private String qualified(String name) {
    return spark.conf().get("spark.sql.defaultCatalog") + "." + name;
  }
}
