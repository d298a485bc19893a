package cn.jiangyin.warehouse.bench;

import cn.jiangyin.warehouse.capture.CapturedChange;
import cn.jiangyin.warehouse.capture.ChangeSink;
import cn.jiangyin.warehouse.capture.PersonIdentity;
import cn.jiangyin.warehouse.capture.QuarantinedChange;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what a capture delivers, by operation, after it is durable: in front of a {@link
 * cn.jiangyin.warehouse.capture.LakeWriter} it counts committed changes; without one it is the
 * no-op consumer (空消费者) that measures capture alone — it keeps nothing.
 */
final class MeasuringSink implements ChangeSink {
  private final Optional<ChangeSink> delegate;
  private final AtomicLong snapshotRows = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final AtomicLong inserts = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong commitNanos = new AtomicLong();
  private volatile long lastChangeNanos;

  private MeasuringSink(Optional<ChangeSink> delegate) {
    this.delegate = delegate;
  }

  /** Counts and discards. */
  static MeasuringSink discarding() {
    return new MeasuringSink(Optional.empty());
  }

  /** Counts what {@code sink} committed. */
  static MeasuringSink counting(ChangeSink sink) {
    return new MeasuringSink(Optional.of(sink));
  }

  @Override
  public BatchResult commit(
      List<CapturedChange> changes,
      List<QuarantinedChange> quarantined,
      List<PersonIdentity> identities,
      String offsetPartition,
      String offset) {
    long start = System.nanoTime();
    BatchResult result =
        delegate.isPresent()
            ? delegate.get().commit(changes, quarantined, identities, offsetPartition, offset)
            : new BatchResult(batches.get() + 1, changes.size(), quarantined.size(), 0);
    long end = System.nanoTime();
    commitNanos.addAndGet(end - start);
    batches.incrementAndGet();
    long r = 0;
    long u = 0;
    long c = 0;
    for (CapturedChange change : changes) {
      switch (change.op()) {
        case "r" -> r++;
        case "u" -> u++;
        case "c" -> c++;
        default -> {}
      }
    }
    lastChangeNanos = end;
    snapshotRows.addAndGet(r);
    updates.addAndGet(u);
    inserts.addAndGet(c);
    return result;
  }

  long snapshotRows() {
    return snapshotRows.get();
  }

  long updates() {
    return updates.get();
  }

  long inserts() {
    return inserts.get();
  }

  long batches() {
    return batches.get();
  }

  /** Time spent inside the delegate's commits (Parquet writing and Iceberg commits). */
  long commitNanos() {
    return commitNanos.get();
  }

  /** When the last batch became durable ({@link System#nanoTime()}). */
  long lastChangeNanos() {
    return lastChangeNanos;
  }
}
