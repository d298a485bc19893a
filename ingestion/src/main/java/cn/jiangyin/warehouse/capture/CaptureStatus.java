package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * Where capture of each source table stands (采集状态), read from the lake alone (and the source's log
 * head, when it can be reached): the batch and position last committed, when, how far behind the
 * source it is and how many of its changes are in quarantine. What {@code warehouse ingest status}
 * prints.
 *
 * @param source source name
 * @param rawTable raw table, {@code <source>__<table>}
 * @param batch the table's newest capture batch (0: nothing committed yet)
 * @param committedPosition {@code _position} of the newest committed change of this table
 * @param lastCommit when that batch was committed
 * @param newestSourceTimestamp source commit time of the newest change of that batch (from the data
 *     files' column bounds)
 * @param lagSeconds 0 if the source's committed offset has reached the log head; otherwise now
 *     minus the newest committed source time
 * @param behindBytes WAL or binlog bytes between the source's committed offset and the log head
 * @param quarantined changes of this table in {@code raw._quarantine}
 * @param head the source's log head when read, or why it could not be read
 */
public record CaptureStatus(
    String source,
    String rawTable,
    long batch,
    Optional<String> committedPosition,
    Optional<Instant> lastCommit,
    Optional<Instant> newestSourceTimestamp,
    Optional<Double> lagSeconds,
    Optional<Long> behindBytes,
    long quarantined,
    String head) {

  private static final String SOURCE_TIMESTAMP_COLUMN = "_source_ts";

  public CaptureStatus {
    requireNonNull(source, "source is null");
    requireNonNull(rawTable, "rawTable is null");
    requireNonNull(committedPosition, "committedPosition is null");
    requireNonNull(lastCommit, "lastCommit is null");
    requireNonNull(newestSourceTimestamp, "newestSourceTimestamp is null");
    requireNonNull(lagSeconds, "lagSeconds is null");
    requireNonNull(behindBytes, "behindBytes is null");
    requireNonNull(head, "head is null");
  }

  /**
   * The status of each captured table of {@code source}; {@code head} is the source's log head now,
   * if it could be read.
   */
  public static List<CaptureStatus> read(
      Catalog catalog, SourceDefinition source, Optional<SourceHead> head, Instant now) {
    Namespace raw = Namespace.of(CaptureCheckpoint.RAW_NAMESPACE);
    boolean lakeHasRaw =
        !(catalog instanceof SupportsNamespaces namespaces) || namespaces.namespaceExists(raw);
    CaptureCheckpoint checkpoint = CaptureCheckpoint.read(catalog, source.name());
    Optional<SourceHead> committed =
        checkpoint.resumeOffset().flatMap(o -> SourceHead.ofOffsetJson(source.kind(), o));
    boolean caughtUp =
        head.isPresent() && committed.isPresent() && head.get().reachedBy(committed.get());
    Optional<Long> behind =
        head.isPresent() && committed.isPresent()
            ? head.get().bytesAfter(committed.get())
            : Optional.empty();
    Map<String, Long> quarantine = lakeHasRaw ? quarantineCounts(catalog, source) : Map.of();
    List<CaptureStatus> result = new ArrayList<>();
    for (String sourceTable : source.tables()) {
      String rawTable = source.rawTableName(sourceTable);
      TableIdentifier id = TableIdentifier.of(raw, rawTable);
      Optional<Snapshot> commit =
          lakeHasRaw && catalog.tableExists(id)
              ? latestCommit(catalog.loadTable(id), source.name())
              : Optional.empty();
      Optional<CaptureCommit> summary = commit.map(s -> CaptureCommit.fromSummary(s.summary()));
      Optional<Instant> newest =
          commit.flatMap(s -> newestSourceTimestamp(catalog.loadTable(id), s));
      Optional<Double> lag =
          caughtUp
              ? Optional.of(0.0)
              : newest.map(t -> Math.max(0, now.toEpochMilli() - t.toEpochMilli()) / 1000.0);
      result.add(
          new CaptureStatus(
              source.name(),
              rawTable,
              summary.map(CaptureCommit::batch).orElse(0L),
              summary.map(CaptureCommit::maxPosition),
              commit.map(s -> Instant.ofEpochMilli(s.timestampMillis())),
              newest,
              lag,
              behind,
              quarantine.getOrDefault(sourceTable, 0L),
              head.map(SourceHead::toString).orElse("unreachable")));
    }
    return result;
  }

  /** The newest snapshot that carries a capture commit of {@code source}. */
  static Optional<Snapshot> latestCommit(Table table, String source) {
    Snapshot snapshot = table.currentSnapshot();
    while (snapshot != null) {
      if (source.equals(snapshot.summary().get(CaptureCommit.SOURCE))) {
        return Optional.of(snapshot);
      }
      snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
    return Optional.empty();
  }

  /** The upper bound of {@code _source_ts} over the data files the commit added. */
  private static Optional<Instant> newestSourceTimestamp(Table table, Snapshot snapshot) {
    Types.NestedField field = table.schema().findField(SOURCE_TIMESTAMP_COLUMN);
    if (field == null) {
      return Optional.empty();
    }
    Instant newest = null;
    for (DataFile file : snapshot.addedDataFiles(table.io())) {
      Map<Integer, ByteBuffer> upper = file.upperBounds();
      ByteBuffer bound = upper == null ? null : upper.get(field.fieldId());
      if (bound != null) {
        Object micros = Conversions.fromByteBuffer(field.type(), bound);
        if (micros instanceof Long value) {
          Instant instant =
              Instant.ofEpochSecond(
                  Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1000);
          newest = newest == null || instant.isAfter(newest) ? instant : newest;
        }
      }
    }
    return Optional.ofNullable(newest);
  }

  private static Map<String, Long> quarantineCounts(Catalog catalog, SourceDefinition source) {
    TableIdentifier id =
        TableIdentifier.of(CaptureCheckpoint.RAW_NAMESPACE, CaptureCheckpoint.QUARANTINE_TABLE);
    if (!catalog.tableExists(id)) {
      return Map.of();
    }
    Map<String, Long> counts = new HashMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(catalog.loadTable(id))
            .select("source", "source_table")
            .where(Expressions.equal("source", source.name()))
            .build()) {
      for (Record row : rows) {
        if (source.name().equals(row.getField("source"))) {
          counts.merge(String.valueOf(row.getField("source_table")), 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot count the quarantine of " + source.name(), e);
    }
    return counts;
  }
}
