package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.simulator.Department;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A source server restart mid-stream is survived without a person: MariaDB is shut down and started
 * again while capture follows it under load, and the capture process — never restarted by the test
 * — goes on committing; afterwards the lake holds every change exactly once. Restarts the machine's
 * shared MariaDB server (as {@code .ci/services} does), so it is one short test.
 */
class SourceRestartIT {
  private static final long SEED = 20260312L;

  @Test
  void captureFollowsMariadbThroughARestart() throws Exception {
    List<Department> departments = List.of(Department.TAXATION);
    try (CaptureHarness harness = CaptureHarness.create("restart", departments, SEED, 1)) {
      harness.startLoad(SEED, 60);
      harness.startCapture();
      awaitStreaming(harness, Duration.ofSeconds(120));
      Thread.sleep(3_000);
      long before = harness.progress().get("taxation").batch();
      long stopped = System.nanoTime();
      restartMariadb();
      System.out.printf(
          "MariaDB restarted in %.1f s; lake at batch %d before%n",
          (System.nanoTime() - stopped) / 1e9, before);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      long restartedAt = System.currentTimeMillis();
      while (harness.progress().get("taxation").committedAtMillis() < restartedAt + 3_000) {
        assertThat(System.nanoTime())
            .as("capture commits again after the restart")
            .isLessThan(deadline);
        Thread.sleep(200);
      }
      Thread.sleep(5_000);
      assertThat(harness.captureAlive()).as("the capture process survived").isTrue();
      long after = harness.progress().get("taxation").batch();
      harness.stopLoad();
      Thread.sleep(5_000);
      harness.killCapture();
      long caughtUp = harness.catchUp();
      CaptureHarness.Verdict verdict = harness.verify();
      long engineRestarts =
          Files.readAllLines(harness.log).stream()
              .filter(l -> l.contains("starting it again"))
              .count();
      System.out.printf(
          "batches %d before the restart, %d after; engine restarts by the supervisor loop: %d;"
              + " load applied %d changes (%d rounds failed during the restart); catch-up committed"
              + " %d; %d raw rows (%d streamed); %d differences%n",
          before,
          after,
          engineRestarts,
          harness.loadChanges.get(),
          harness.loadFailures.get(),
          caughtUp,
          verdict.rawRows(),
          verdict.streamedRows(),
          verdict.differences().size());
      assertThat(after).as("batches committed after the restart").isGreaterThan(before);
      assertThat(verdict.differences()).isEmpty();
    }
  }

  private static void awaitStreaming(CaptureHarness harness, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, CaptureHarness.Progress> progress = harness.progress();
      if (progress.values().stream().noneMatch(CaptureHarness.Progress::inSnapshot)) {
        return;
      }
      assertThat(System.nanoTime()).as("capture streams within " + timeout).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /**
   * As docs/operations/databases.md says: {@code mariadb-admin shutdown} returns before the process
   * has gone, so wait for it; then the machine's start command, and wait until it answers.
   */
  private static void restartMariadb() throws Exception {
    run("mariadb-admin", "-uroot", "shutdown");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (run("pidof", "mariadbd") == 0) {
      assertThat(System.nanoTime()).as("mariadbd exits").isLessThan(deadline);
      Thread.sleep(200);
    }
    run("start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/mariadbd");
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (var connection =
          DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "")) {
        return;
      } catch (SQLException e) {
        assertThat(System.nanoTime()).as("MariaDB answers again").isLessThan(deadline);
        Thread.sleep(300);
      }
    }
  }

  private static int run(String... command) throws Exception {
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }
}
