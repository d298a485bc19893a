package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.simulator.Department;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Exactly once through {@code kill -9}: capture runs in a child JVM ({@link CaptureProcess}) over
 * two PostgreSQL sources and one MariaDB source under a steady change stream, and is killed at
 * random moments — during the initial snapshot and mid-stream — and restarted, at least 20 times.
 * Afterwards the current state rebuilt from the raw tables must equal the source tables row by row
 * and column by column, and no change may be in the lake twice.
 *
 * <p>Tunable with {@code -Dcrash.seed}, {@code -Dcrash.kills}, {@code -Dcrash.scale}, {@code
 * -Dcrash.rate}.
 */
class CrashRecoveryIT {
  private static final long SEED = Long.getLong("crash.seed", 20260311L);
  private static final int KILLS = Integer.getInteger("crash.kills", 20);
  private static final int SNAPSHOT_KILLS = 5;
  private static final double SCALE = Double.parseDouble(System.getProperty("crash.scale", "10"));
  private static final double RATE = Double.parseDouble(System.getProperty("crash.rate", "150"));

  @Test
  void twentyKillsLoseNothingAndRepeatNothing() throws Exception {
    List<Department> departments =
        List.of(Department.COMPREHENSIVE_ENFORCEMENT, Department.GRID_CENTER, Department.TAXATION);
    try (CaptureHarness harness = CaptureHarness.create("crash", departments, SEED, SCALE)) {
      Random random = new Random(SEED);
      long started = System.nanoTime();
      harness.startLoad(SEED, RATE);
      harness.startCapture();
      int snapshotKills = 0;
      long restartedAt = System.currentTimeMillis();
      Map<String, CaptureHarness.Progress> before = harness.progress();
      for (int kill = 1; kill <= KILLS; kill++) {
        long since = restartedAt;
        Map<String, CaptureHarness.Progress> was = before;
        if (kill <= SNAPSHOT_KILLS) {
          // this process committed a batch of the snapshot: kill somewhere in the rest of it; if
          // the
          // snapshot completed before the previous kill, there is none to interrupt: kill
          // mid-stream
          awaitProgress(
              harness,
              now ->
                  now.values().stream()
                          .anyMatch(
                              p -> p.inSnapshot() && p.batch() > 0 && p.committedAtMillis() > since)
                      || (now.values().stream().noneMatch(CaptureHarness.Progress::inSnapshot)
                          && now.entrySet().stream()
                              .anyMatch(e -> e.getValue().batch() > was.get(e.getKey()).batch())),
              Duration.ofSeconds(120));
          Thread.sleep(random.nextInt(300));
        } else {
          // streaming, and this process committed a batch: kill at a random moment after
          awaitProgress(
              harness,
              now ->
                  now.values().stream().noneMatch(CaptureHarness.Progress::inSnapshot)
                      && now.entrySet().stream()
                          .anyMatch(e -> e.getValue().batch() > was.get(e.getKey()).batch()),
              Duration.ofSeconds(120));
          Thread.sleep(random.nextInt(3_000));
        }
        assertThat(harness.captureAlive()).as("capture process alive before kill " + kill).isTrue();
        harness.killCapture();
        Map<String, CaptureHarness.Progress> at = harness.progress();
        boolean duringSnapshot = at.values().stream().anyMatch(CaptureHarness.Progress::inSnapshot);
        if (duringSnapshot) {
          snapshotKills++;
        }
        System.out.printf(
            "kill %2d at %5.1f s (%s): %s%n",
            kill,
            (System.nanoTime() - started) / 1e9,
            duringSnapshot ? "during the snapshot" : "streaming",
            at.entrySet().stream()
                .map(
                    e ->
                        e.getKey()
                            + " batch "
                            + e.getValue().batch()
                            + (e.getValue().inSnapshot() ? " (snapshot)" : "")
                            + ", last commit "
                            + e.getValue().millisSinceCommit()
                            + " ms before")
                .collect(Collectors.joining("; ")));
        before = at;
        restartedAt = System.currentTimeMillis();
        harness.startCapture();
      }
      Thread.sleep(2_000);
      harness.stopLoad();
      harness.killCapture();
      long caughtUp = harness.catchUp();
      CaptureHarness.Verdict verdict = harness.verify();
      System.out.printf(
          "%d kills (%d during the snapshot) in %.0f s; load applied %d changes (%d load restarts);"
              + " catch-up committed %d; lake holds %d raw rows (%d snapshot, %d streamed);"
              + " %d source rows compared; %d differences%n",
          KILLS,
          snapshotKills,
          (System.nanoTime() - started) / 1e9,
          harness.loadChanges.get(),
          harness.loadFailures.get(),
          caughtUp,
          verdict.rawRows(),
          verdict.snapshotRows(),
          verdict.streamedRows(),
          verdict.sourceRows(),
          verdict.differences().size());
      assertThat(verdict.differences()).isEmpty();
      assertThat(snapshotKills).as("kills during the initial snapshot").isPositive();
      assertThat(verdict.streamedRows()).isPositive();
    }
  }

  private static void awaitProgress(
      CaptureHarness harness,
      java.util.function.Predicate<Map<String, CaptureHarness.Progress>> condition,
      Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(harness.progress())) {
      assertThat(System.nanoTime()).as("capture progressed within " + timeout).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
