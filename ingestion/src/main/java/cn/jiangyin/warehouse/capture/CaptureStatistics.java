package cn.jiangyin.warehouse.capture;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Running counts of one capture; events in = committed + quarantined + duplicates dropped +
 * skipped.
 */
public final class CaptureStatistics {
  final AtomicLong eventsIn = new AtomicLong();
  final AtomicLong committed = new AtomicLong();
  final AtomicLong quarantined = new AtomicLong();
  final AtomicLong duplicatesDropped = new AtomicLong();
  final AtomicLong skipped = new AtomicLong();
  final AtomicLong batches = new AtomicLong();

  /** Change events received from Debezium (heartbeats and tombstones included, as skipped). */
  public long eventsIn() {
    return eventsIn.get();
  }

  public long committed() {
    return committed.get();
  }

  public long quarantined() {
    return quarantined.get();
  }

  /** Replayed changes already in the lake (after a restart). */
  public long duplicatesDropped() {
    return duplicatesDropped.get();
  }

  /** Heartbeats and tombstones: no row to store. */
  public long skipped() {
    return skipped.get();
  }

  public long batches() {
    return batches.get();
  }

  @Override
  public String toString() {
    return String.format(
        "%d events in: %d committed, %d quarantined, %d duplicates dropped, %d heartbeats in %d batches",
        eventsIn(), committed(), quarantined(), duplicatesDropped(), skipped(), batches());
  }
}
