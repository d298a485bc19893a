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
  final AtomicLong lastCommitMillis = new AtomicLong();
  final AtomicLong freshAsOfMillis = new AtomicLong();
  final AtomicLong restarts = new AtomicLong();

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

  /** When the last batch was committed (epoch milliseconds), 0 before the first. */
  public long lastCommitMillis() {
    return lastCommitMillis.get();
  }

  /**
   * How fresh the lake is for this source (epoch milliseconds): the source commit time of the
   * newest committed change, or, when a heartbeat was handled after it, the heartbeat's time (the
   * stream was read up to that moment and held nothing new). 0 before anything was seen.
   */
  public long freshAsOfMillis() {
    return freshAsOfMillis.get();
  }

  /** Seconds the lake is behind the source, {@code now} minus {@link #freshAsOfMillis()}. */
  public double lagSeconds(long nowMillis) {
    long fresh = freshAsOfMillis();
    return fresh == 0 ? Double.NaN : Math.max(0, nowMillis - fresh) / 1000.0;
  }

  /** Times the capture was restarted after a failure (following only). */
  public long restarts() {
    return restarts.get();
  }

  /** Adds what another run of the same source counted (a restarted engine). */
  void add(CaptureStatistics run) {
    eventsIn.addAndGet(run.eventsIn());
    committed.addAndGet(run.committed());
    quarantined.addAndGet(run.quarantined());
    duplicatesDropped.addAndGet(run.duplicatesDropped());
    skipped.addAndGet(run.skipped());
    batches.addAndGet(run.batches());
    lastCommitMillis.accumulateAndGet(run.lastCommitMillis(), Math::max);
    freshAsOfMillis.accumulateAndGet(run.freshAsOfMillis(), Math::max);
  }

  @Override
  public String toString() {
    return String.format(
        "%d events in: %d committed, %d quarantined, %d duplicates dropped, %d heartbeats in %d batches",
        eventsIn(), committed(), quarantined(), duplicatesDropped(), skipped(), batches());
  }
}
