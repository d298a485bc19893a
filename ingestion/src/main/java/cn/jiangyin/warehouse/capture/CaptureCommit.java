package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * What a capture commit records in its Iceberg snapshot summary, beside the data it commits: the
 * source, the batch, the source offset after the batch (and before it), the tables the batch
 * touched and the newest position written to this table. The offsets live in the same commit as the
 * data, so they can never disagree (no separate offset store: DESIGN.md, "Offsets live in the
 * Iceberg commit that holds the data").
 */
public record CaptureCommit(
    String source,
    long batch,
    Set<String> batchTables,
    String offsetPartition,
    String offset,
    Optional<String> previousOffset,
    String maxPosition) {

  static final String PREFIX = "jiangyin.capture.";
  static final String SOURCE = PREFIX + "source";
  static final String BATCH = PREFIX + "batch";
  static final String BATCH_TABLES = PREFIX + "batch-tables";
  static final String OFFSET_PARTITION = PREFIX + "offset-partition";
  static final String OFFSET = PREFIX + "offset";
  static final String PREVIOUS_OFFSET = PREFIX + "previous-offset";
  static final String MAX_POSITION = PREFIX + "max-position";

  /**
   * Marks a commit that discarded the rows of an initial snapshot which never completed: what lies
   * before it no longer counts for this source ({@link CaptureCheckpoint#recover}).
   */
  static final String RESET = PREFIX + "reset";

  public CaptureCommit {
    requireNonNull(source, "source is null");
    batchTables = Set.copyOf(batchTables);
    requireNonNull(offsetPartition, "offsetPartition is null");
    requireNonNull(offset, "offset is null");
    requireNonNull(previousOffset, "previousOffset is null");
    requireNonNull(maxPosition, "maxPosition is null");
  }

  Map<String, String> summary() {
    Map<String, String> summary = new HashMap<>();
    summary.put(SOURCE, source);
    summary.put(BATCH, Long.toString(batch));
    summary.put(BATCH_TABLES, String.join(",", batchTables.stream().sorted().toList()));
    summary.put(OFFSET_PARTITION, offsetPartition);
    summary.put(OFFSET, offset);
    previousOffset.ifPresent(value -> summary.put(PREVIOUS_OFFSET, value));
    summary.put(MAX_POSITION, maxPosition);
    return summary;
  }

  /**
   * The newest commit of {@code source} in a table, walking back from the current snapshot; none if
   * the newest one is a reset.
   */
  static Optional<CaptureCommit> latest(Table table, String source) {
    Snapshot snapshot = table.currentSnapshot();
    while (snapshot != null) {
      Map<String, String> summary = snapshot.summary();
      if (source.equals(summary.get(SOURCE))) {
        return summary.containsKey(RESET) ? Optional.empty() : Optional.of(fromSummary(summary));
      }
      snapshot = snapshot.parentId() == null ? null : table.snapshot(snapshot.parentId());
    }
    return Optional.empty();
  }

  static CaptureCommit fromSummary(Map<String, String> summary) {
    String tables = summary.getOrDefault(BATCH_TABLES, "");
    return new CaptureCommit(
        summary.get(SOURCE),
        Long.parseLong(summary.get(BATCH)),
        tables.isEmpty()
            ? Set.of()
            : Arrays.stream(tables.split(",")).collect(Collectors.toUnmodifiableSet()),
        summary.get(OFFSET_PARTITION),
        summary.get(OFFSET),
        Optional.ofNullable(summary.get(PREVIOUS_OFFSET)),
        summary.get(MAX_POSITION));
  }

  static List<String> keys() {
    return List.of(
        SOURCE,
        BATCH,
        BATCH_TABLES,
        OFFSET_PARTITION,
        OFFSET,
        PREVIOUS_OFFSET,
        MAX_POSITION,
        RESET);
  }
}
