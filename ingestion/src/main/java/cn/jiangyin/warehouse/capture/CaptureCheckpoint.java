package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.formats.FormatModelRegistry;
import org.apache.iceberg.io.CloseableIterable;
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
  private static final String ABORTED_SNAPSHOT = "aborted-initial-snapshot";

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
      if (id.name().equals(QUARANTINE_TABLE)) {
        discardQuarantined(table, source);
      } else {
        table
            .newDelete()
            .deleteFromRowFilter(Expressions.alwaysTrue())
            .set(CaptureCommit.SOURCE, source)
            .set(CaptureCommit.RESET, ABORTED_SNAPSHOT)
            .commit();
      }
    }
    return empty();
  }

  /**
   * Removes the quarantined changes of {@code source} from the shared quarantine in one commit
   * marked {@code jiangyin.capture.reset}. A file may hold other sources' changes too — compaction
   * merges them — and Iceberg cannot tell from a file's statistics that it holds one source only
   * (string bounds are cut at 16 characters), so a filter delete would be refused. Instead every
   * file that may hold the source's changes is read: one holding only them is dropped, one holding
   * others too is rewritten with the others only.
   */
  static void discardQuarantined(Table quarantine, String source) {
    List<DataFile> dropped = new ArrayList<>();
    List<Record> kept = new ArrayList<>();
    long discarded = 0;
    try (CloseableIterable<FileScanTask> tasks =
        quarantine.newScan().filter(Expressions.equal("source", source)).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        if (!task.deletes().isEmpty()) {
          throw new IllegalStateException(
              "Cannot discard the quarantined changes of "
                  + source
                  + ": "
                  + file.location()
                  + " has delete files, but the quarantine is append-only");
        }
        List<Record> rows = readRows(quarantine, file);
        List<Record> others =
            rows.stream().filter(row -> !source.equals(row.getField("source"))).toList();
        if (others.size() < rows.size()) {
          dropped.add(file);
          kept.addAll(others);
          discarded += rows.size() - others.size();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan the quarantine of " + source, e);
    }
    OverwriteFiles overwrite = quarantine.newOverwrite();
    dropped.forEach(overwrite::deleteFile);
    LakeWriter.writeDataFiles(quarantine, kept, 0).forEach(overwrite::addFile);
    overwrite.set(CaptureCommit.SOURCE, source).set(CaptureCommit.RESET, ABORTED_SNAPSHOT).commit();
    LOG.info(
        "Discarded {} quarantined changes of {} ({} files dropped, {} changes of other sources"
            + " kept)",
        discarded,
        source,
        dropped.size(),
        kept.size());
  }

  private static List<Record> readRows(Table table, DataFile file) {
    // the format-neutral reader: Parquet's own types differ between the plain Iceberg jars and the
    // Spark runtime, which shades them
    try (CloseableIterable<Record> rows =
        FormatModelRegistry.<Record, Object>readBuilder(
                file.format(), Record.class, table.io().newInputFile(file.location()))
            .project(table.schema())
            .build()) {
      List<Record> copies = new ArrayList<>();
      rows.forEach(row -> copies.add(row.copy()));
      return copies;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file.location(), e);
    }
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
