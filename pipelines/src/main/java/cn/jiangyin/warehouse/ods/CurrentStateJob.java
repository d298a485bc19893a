package cn.jiangyin.warehouse.ods;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@code ods.<source>__<table>}, the current state of a source table, from its raw change
 * log with Spark MERGE: incrementally from the last raw snapshot processed (recorded in the ods
 * commit's summary), the newest change per key by {@code _position}, deletes applied, never
 * equality deletes. Re-running with nothing new changes nothing; re-applying an increment changes
 * nothing either (updates need a newer position).
 *
 * <p>The ods tables are merge-on-read ({@link #MERGE_ON_READ}): an increment of 1 % of a table's
 * rows spread over all of its data files would, copy-on-write, rewrite every one of those files;
 * merge-on-read writes the changed rows and a position-delete file per touched data file instead,
 * so the cost follows the changes, not the table. {@code warehouse maintain ods} folds the delete
 * files back into the data files ({@link OdsMaintenance}).
 */
public final class CurrentStateJob {
  public static final String RAW_SNAPSHOT_PROPERTY = "jiangyin.ods.raw-snapshot";
  private static final Logger LOG = LoggerFactory.getLogger(CurrentStateJob.class);
  private static final List<String> RAW_ONLY_COLUMNS = List.of("_op", "_tx_id", "_ingested_at");

  /** Row-level writes as position deletes plus new rows (format v2: never equality deletes). */
  public static final Map<String, String> MERGE_ON_READ =
      Map.of(
          TableProperties.MERGE_MODE, "merge-on-read",
          TableProperties.UPDATE_MODE, "merge-on-read",
          TableProperties.DELETE_MODE, "merge-on-read");

  private final SparkSession spark;
  private final Catalog catalog;

  public CurrentStateJob(SparkSession spark, Catalog catalog) {
    this.spark = requireNonNull(spark, "spark is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** What one run did to one table. */
  public record Result(String table, long changesRead, long rowsAfter, boolean upToDate) {}

  /** All raw change-log tables (not the quarantine). */
  public List<String> rawTables() {
    return catalog.listTables(Namespace.of("raw")).stream()
        .map(TableIdentifier::name)
        .filter(name -> !name.startsWith("_"))
        .sorted()
        .toList();
  }

  public Result run(String rawTableName) {
    Table raw = catalog.loadTable(TableIdentifier.of("raw", rawTableName));
    String primaryKeyProperty = raw.properties().get("jiangyin.primary-key");
    if (primaryKeyProperty == null || primaryKeyProperty.isBlank()) {
      throw new IllegalStateException(
          "Cannot build current state of raw."
              + rawTableName
              + ": the source table has no primary key");
    }
    List<String> key = Arrays.asList(primaryKeyProperty.split(","));
    TableIdentifier odsId = TableIdentifier.of("ods", rawTableName);
    Table ods = ensureOds(raw, odsId);
    Snapshot rawSnapshot = raw.currentSnapshot();
    if (rawSnapshot == null) {
      return new Result(rawTableName, 0, 0, true);
    }
    Optional<Long> processed = lastProcessed(ods);
    if (processed.isPresent() && processed.get() == rawSnapshot.snapshotId()) {
      return new Result(rawTableName, 0, count(odsId), true);
    }
    String rawName = qualified(TableIdentifier.of("raw", rawTableName));
    Dataset<Row> changes =
        processed.isPresent() && isAncestor(raw, processed.get())
            ? spark
                .read()
                .format("iceberg")
                .option("start-snapshot-id", processed.get())
                .option("end-snapshot-id", rawSnapshot.snapshotId())
                .load(rawName)
            : spark
                .read()
                .format("iceberg")
                .option("versionAsOf", rawSnapshot.snapshotId())
                .load(rawName);
    String view = "changes_" + rawTableName;
    changes.createOrReplaceTempView(view);
    long read = changes.count();
    List<String> columns =
        ods.schema().columns().stream().map(Types.NestedField::name).collect(Collectors.toList());
    String keyList = key.stream().map(CurrentStateJob::quote).collect(Collectors.joining(", "));
    String latest =
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY "
            + keyList
            + " ORDER BY _position DESC) AS _rank FROM "
            + view
            + ") WHERE _rank = 1";
    String on =
        key.stream()
            .map(column -> "t." + quote(column) + " = s." + quote(column))
            .collect(Collectors.joining(" AND "));
    String set =
        columns.stream()
            .map(column -> quote(column) + " = s." + quote(column))
            .collect(Collectors.joining(", "));
    String insertColumns =
        columns.stream().map(CurrentStateJob::quote).collect(Collectors.joining(", "));
    String insertValues =
        columns.stream().map(column -> "s." + quote(column)).collect(Collectors.joining(", "));
    String merge =
        "MERGE INTO "
            + qualified(odsId)
            + " t USING ("
            + latest
            + ") s ON "
            + on
            + " WHEN MATCHED AND s._op = 'd' AND s._position > t._position THEN DELETE"
            + " WHEN MATCHED AND s._position > t._position THEN UPDATE SET "
            + set
            + " WHEN NOT MATCHED AND s._op <> 'd' THEN INSERT ("
            + insertColumns
            + ") VALUES ("
            + insertValues
            + ")";
    CommitMetadata.withCommitProperties(
        Map.of(RAW_SNAPSHOT_PROPERTY, Long.toString(rawSnapshot.snapshotId())),
        () -> spark.sql(merge),
        RuntimeException.class);
    long rows = count(odsId);
    LOG.info("ods.{}: {} changes applied, {} rows", rawTableName, read, rows);
    return new Result(rawTableName, read, rows, false);
  }

  /** Creates the ods table, or adds the columns the raw table gained since. */
  private Table ensureOds(Table raw, TableIdentifier odsId) {
    List<Types.NestedField> fields = new ArrayList<>();
    for (Types.NestedField field : raw.schema().columns()) {
      if (!RAW_ONLY_COLUMNS.contains(field.name())) {
        fields.add(field);
      }
    }
    Schema schema = new Schema(fields);
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(odsId.namespace())) {
      namespaces.createNamespace(odsId.namespace());
    }
    if (!catalog.tableExists(odsId)) {
      return catalog
          .buildTable(odsId, schema)
          .withProperties(
              Map.of(
                  TableProperties.FORMAT_VERSION,
                  "2",
                  "comment",
                  "当前状态 — current state of "
                      + raw.properties().getOrDefault("jiangyin.source-table", raw.name()),
                  "jiangyin.primary-key",
                  raw.properties().get("jiangyin.primary-key")))
          .withProperties(MERGE_ON_READ)
          .create();
    }
    Table ods = catalog.loadTable(odsId);
    ods.updateSchema().unionByNameWith(schema).commit();
    // tables made before ods was merge-on-read
    if (MERGE_ON_READ.entrySet().stream()
        .anyMatch(entry -> !entry.getValue().equals(ods.properties().get(entry.getKey())))) {
      var properties = ods.updateProperties();
      MERGE_ON_READ.forEach(properties::set);
      properties.commit();
    }
    ods.refresh();
    return ods;
  }

  private static Optional<Long> lastProcessed(Table ods) {
    return rawSnapshotOf(ods, ods.currentSnapshot());
  }

  /**
   * The raw snapshot an ods snapshot had processed: recorded in its summary or in its nearest
   * ancestor's (a compaction commits a snapshot without one); empty when none is found.
   */
  public static Optional<Long> rawSnapshotOf(Table ods, Snapshot from) {
    Snapshot snapshot = from;
    while (snapshot != null) {
      String value = snapshot.summary().get(RAW_SNAPSHOT_PROPERTY);
      if (value != null) {
        return Optional.of(Long.parseLong(value));
      }
      snapshot = snapshot.parentId() == null ? null : ods.snapshot(snapshot.parentId());
    }
    return Optional.empty();
  }

  /**
   * Raw is append-only; if maintenance expired the processed snapshot, fall back to a full read.
   */
  private static boolean isAncestor(Table raw, long snapshotId) {
    return raw.snapshot(snapshotId) != null;
  }

  private long count(TableIdentifier id) {
    return spark.table(qualified(id)).count();
  }

  /**
   * catalog.namespace.table: a reader's {@code load} takes a bare {@code raw.x} for catalog {@code
   * raw}.
   */
  private String qualified(TableIdentifier id) {
    return quote(spark.conf().get("spark.sql.defaultCatalog"))
        + "."
        + quote(id.namespace().toString())
        + "."
        + quote(id.name());
  }

  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
