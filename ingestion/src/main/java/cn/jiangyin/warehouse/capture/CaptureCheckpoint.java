package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What the lake holds of one source, read back from the capture commits: where to resume and, per
 * table, the newest position already committed.
 *
 * <p>A batch that touched several tables is committed table by table (Iceberg has no multi-table
 * commit here). If the process died between two of those commits, the batch is incomplete: capture
 * resumes from the offset before it and drops, per table, the replayed changes at or below that
 * table's committed position. Either way, each change lands exactly once.
 */
public record CaptureCheckpoint(
    long lastBatch,
    Optional<String> offsetPartition,
    Optional<String> resumeOffset,
    Map<String, String> committedPositions) {

  public static final String RAW_NAMESPACE = "raw";
  public static final String QUARANTINE_TABLE = "_quarantine";

  public CaptureCheckpoint {
    requireNonNull(offsetPartition, "offsetPartition is null");
    requireNonNull(resumeOffset, "resumeOffset is null");
    committedPositions = Map.copyOf(committedPositions);
  }

  public static CaptureCheckpoint empty() {
    return new CaptureCheckpoint(0, Optional.empty(), Optional.empty(), Map.of());
  }

  /** Reads the checkpoint of {@code source} from its raw tables and the quarantine. */
  public static CaptureCheckpoint read(Catalog catalog, String source) {
    Namespace raw = Namespace.of(RAW_NAMESPACE);
    if (catalog instanceof org.apache.iceberg.catalog.SupportsNamespaces namespaces
        && !namespaces.namespaceExists(raw)) {
      return empty();
    }
    List<TableIdentifier> tables =
        catalog.listTables(raw).stream()
            .filter(id -> id.name().startsWith(source + "__") || id.name().equals(QUARANTINE_TABLE))
            .toList();
    Map<String, CaptureCommit> latest = new HashMap<>();
    for (TableIdentifier id : tables) {
      Table table = catalog.loadTable(id);
      CaptureCommit.latest(table, source).ifPresent(commit -> latest.put(id.name(), commit));
    }
    if (latest.isEmpty()) {
      return empty();
    }
    CaptureCommit newest =
        latest.values().stream()
            .max(java.util.Comparator.comparingLong(CaptureCommit::batch))
            .orElseThrow();
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

  /** True if a change at {@code position} for {@code rawTable} is already in the lake. */
  public boolean alreadyCommitted(String rawTable, String position) {
    String committed = committedPositions.get(rawTable);
    return committed != null && position != null && position.compareTo(committed) <= 0;
  }
}
