package cn.jiangyin.warehouse.simulator;

import java.time.Duration;

/**
 * How a {@link ChangeStream} runs: its seed, its pace, when it stops, and how many changes go into
 * one transaction. At least one bound (a count or a duration) is required, so a stream always
 * stops.
 *
 * @param maxChanges stop after this many applied changes; 0 for no count bound
 * @param maxDuration stop after this long; {@link Duration#ZERO} for no time bound
 */
public record ChangeStreamSettings(
    long seed,
    double changesPerSecond,
    long maxChanges,
    Duration maxDuration,
    int changesPerTransaction) {
  public static final int CHANGES_PER_TRANSACTION_DEFAULT = 1;

  public ChangeStreamSettings {
    java.util.Objects.requireNonNull(maxDuration, "maxDuration is null");
    if (!(changesPerSecond > 0)) {
      throw new IllegalArgumentException("Invalid changesPerSecond: " + changesPerSecond);
    }
    if (maxChanges < 0 || maxDuration.isNegative()) {
      throw new IllegalArgumentException(
          "Invalid bound: maxChanges=" + maxChanges + ", maxDuration=" + maxDuration);
    }
    if (maxChanges == 0 && maxDuration.isZero()) {
      throw new IllegalArgumentException(
          "Cannot run a change stream without a count or a duration");
    }
    if (changesPerTransaction < 1) {
      throw new IllegalArgumentException("Invalid changesPerTransaction: " + changesPerTransaction);
    }
  }

  /** Applies {@code count} changes at {@code changesPerSecond}, one per transaction. */
  public static ChangeStreamSettings forCount(long seed, double changesPerSecond, long count) {
    if (count < 1) {
      throw new IllegalArgumentException("Invalid count: " + count);
    }
    return new ChangeStreamSettings(
        seed, changesPerSecond, count, Duration.ZERO, CHANGES_PER_TRANSACTION_DEFAULT);
  }

  /** Applies changes at {@code changesPerSecond} for {@code duration}, one per transaction. */
  public static ChangeStreamSettings forDuration(
      long seed, double changesPerSecond, Duration duration) {
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException("Invalid duration: " + duration);
    }
    return new ChangeStreamSettings(
        seed, changesPerSecond, 0, duration, CHANGES_PER_TRANSACTION_DEFAULT);
  }

  public ChangeStreamSettings withChangesPerTransaction(int count) {
    return new ChangeStreamSettings(seed, changesPerSecond, maxChanges, maxDuration, count);
  }
}
