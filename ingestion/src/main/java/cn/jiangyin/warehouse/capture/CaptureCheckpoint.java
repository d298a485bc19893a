package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expressions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the lake holds of one source, read back from the capture commits: where to resume and, per
 * table, the newest position already committed.
 *
 * <p>A batch that touched several tables is committed table by table (Iceberg has no multi-table
 * commit here). If the process died between two of those commits, the batch is incomplete: capture
 * resumes from the offset before it and drops, per table, the replayed changes at or below that
 * table's committed position. Either way, each change lands exactly once.
 *
 * <p>An initial snapshot (全量快照) that a crash interrupted is not resumed but discarded ({@link
 * #recover}): Debezium cannot continue a snapshot, it takes a new one at a later point of the
 * source's log, and keeping the aborted rows beside it would resurrect every row deleted between
 * the two snapshots.
 */
public record CaptureCheckpoint(
    long lastBatch,
    Optional<String> offsetPartition,
    Optional<String> resumeOffset,
    Map<String, String> committedPositions) {

  public static final String RAW_NAMESPACE = "raw";
  public static final String QUARANTINE_TABLE = "_quarantine";

  private static final Logger LOG = LoggerFactory.getLogger(CaptureCheckpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  public CaptureCheckpoint {
    requireNonNull(offsetPartition, "offsetPartition is null");
    requireNonNull(resumeOffset, "resumeOffset is null");
    committedPositions = Map.copyOf(committedPositions);
  }

  public static CaptureCheckpoint empty() {
    return new CaptureCheckpoint(0, Optional.empty(), Optional.empty(), Map.of());
  }

  /**
   * The checkpoint to start capture from. If the lake holds part of an initial snapshot that never
   * completed (the resume offset was taken during the snapshot, or there is none although rows were
   * committed), those rows are discarded first — one Iceberg delete per table, marked {@code
   * jiangyin.capture.reset} — and capture starts afresh with a new snapshot. Until the snapshot
   * completes, every committed row of the source is a snapshot row, so nothing streamed is lost. A
   * crash during the discard leaves the same situation behind, and the next start discards the
   * rest.
   */
  public static CaptureCheckpoint recover(Catalog catalog, String source) {
    Map<String, CaptureCommit> latest = latestCommits(catalog, source);
    CaptureCheckpoint checkpoint = of(latest);
    if (latest.isEmpty() || !snapshotIncomplete(checkpoint, newest(latest))) {
      return checkpoint;
    }
    LOG.warn(
        "The initial snapshot of {} did not complete (lake batch {}): discarding its rows and"
            + " taking it again",
        source,
        checkpoint.lastBatch());
    for (TableIdentifier id : tables(catalog, source)) {
      Table table = catalog.loadTable(id);
      if (CaptureCommit.latest(table, source).isEmpty()) {
        continue;
      }
      // snapshot batches write files of their own, one source per file, so whole files match
      table
          .newDelete()
          .deleteFromRowFilter(
              id.name().equals(QUARANTINE_TABLE)
                  ? Expressions.equal("source", source)
                  : Expressions.alwaysTrue())
          .set(CaptureCommit.SOURCE, source)
          .set(CaptureCommit.RESET, "aborted-initial-snapshot")
          .commit();
    }
    return empty();
  }

  /**
   * Debezium would resume inside the snapshot (its resume offset was taken during the snapshot,
   * {@code "snapshot": true}), or from nothing although the newest batch was a snapshot batch (the
   * first batch did not complete). Debezium then takes a new snapshot; a batch that straddled the
   * snapshot's end and was cut by the crash is discarded with it, its streamed changes being part
   * of the new snapshot.
   */
  private static boolean snapshotIncomplete(CaptureCheckpoint checkpoint, CaptureCommit newest) {
    return checkpoint
        .resumeOffset()
        .map(CaptureCheckpoint::isSnapshotOffset)
        .orElseGet(() -> isSnapshotOffset(newest.offset()));
  }

  /**
   * An offset taken during a snapshot: PostgreSQL writes {@code "snapshot": true} (with {@code
   * last_snapshot_record}), MariaDB/MySQL {@code "snapshot": true} until the snapshot completed.
   * Even the last record of a snapshot counts: discarding a complete snapshot costs time, keeping
   * an aborted one costs correctness.
   */
  static boolean isSnapshotOffset(String offsetJson) {
    try {
      JsonNode snapshot = JSON.readTree(offsetJson).get("snapshot");
      return snapshot != null
          && !snapshot.isNull()
          && !(snapshot.isBoolean() && !snapshot.booleanValue())
          && !snapshot.asText().equalsIgnoreCase("false");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read a committed offset: " + offsetJson, e);
    }
  }

  /** Reads the checkpoint of {@code source} from its raw tables and the quarantine. */
  public static CaptureCheckpoint read(Catalog catalog, String source) {
    return of(latestCommits(catalog, source));
  }

  private static Map<String, CaptureCommit> latestCommits(Catalog catalog, String source) {
    Map<String, CaptureCommit> latest = new HashMap<>();
    for (TableIdentifier id : tables(catalog, source)) {
      Table table = catalog.loadTable(id);
      CaptureCommit.latest(table, source).ifPresent(commit -> latest.put(id.name(), commit));
    }
    return latest;
  }

  private static CaptureCommit newest(Map<String, CaptureCommit> latest) {
    return latest.values().stream()
        .max(java.util.Comparator.comparingLong(CaptureCommit::batch))
        .orElseThrow();
  }

  /** Per table, the newest commit of the source. */
  static CaptureCheckpoint of(Map<String, CaptureCommit> latest) {
    if (latest.isEmpty()) {
      return empty();
    }
    CaptureCommit newest = newest(latest);
    boolean complete =
        newest.batchTables().stream()
            .allMatch(
                table -> latest.containsKey(table) && latest.get(table).batch() == newest.batch());
    Optional<String> resume = complete ? Optional.of(newest.offset()) : newest.previousOffset();
    Map<String, String> positions = new HashMap<>();
    latest.forEach((table, commit) -> positions.put(table, commit.maxPosition()));
    return new CaptureCheckpoint(
        newest.batch(), Optional.of(newest.offsetPartition()), resume, positions);
  }

  private static List<TableIdentifier> tables(Catalog catalog, String source) {
    Namespace raw = Namespace.of(RAW_NAMESPACE);
    if (catalog instanceof org.apache.iceberg.catalog.SupportsNamespaces namespaces
        && !namespaces.namespaceExists(raw)) {
      return List.of();
    }
    return catalog.listTables(raw).stream()
        .filter(id -> id.name().startsWith(source + "__") || id.name().equals(QUARANTINE_TABLE))
        .toList();
  }

  /** True if a change at {@code position} for {@code rawTable} is already in the lake. */
  public boolean alreadyCommitted(String rawTable, String position) {
    String committed = committedPositions.get(rawTable);
    return committed != null && position != null && position.compareTo(committed) <= 0;
  }
}
