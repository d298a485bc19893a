package cn.jiangyin.warehouse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Runs change streams on filled databases and recounts what they report. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChangeStreamIT {
  private DepartmentalSimulator simulator;
  private Map<Department, JdbcTarget> targets;

  @BeforeAll
  void fill() {
    simulator = new DepartmentalSimulator(SimulationSettings.of(7, 0.2));
    targets = TestServers.freshTargets("cs");
    simulator.fill(targets);
  }

  @AfterAll
  void dropDatabases() {
    TestServers.drop(targets);
  }

  @Test
  void appliesTheCountsItReportsOneChangePerTransaction() throws Exception {
    Map<String, long[]> before = state();
    ChangeCounts counts =
        new ChangeStream(simulator, targets, ChangeStreamSettings.forCount(1, 400, 300)).run();
    assertThat(counts.total()).isEqualTo(300);
    assertThat(counts.transactions()).isEqualTo(300);
    assertThat(counts.inserts()).isPositive();
    assertThat(counts.updates()).isPositive();
    assertThat(counts.deletes()).isPositive();
    assertRecount(before, counts);
  }

  @Test
  void groupsChangesIntoTransactionsAndStopsAtItsDuration() throws Exception {
    Map<String, long[]> before = state();
    long started = System.nanoTime();
    ChangeCounts counts =
        new ChangeStream(
                simulator,
                targets,
                ChangeStreamSettings.forDuration(2, 200, Duration.ofSeconds(2))
                    .withChangesPerTransaction(10))
            .run();
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(seconds).isBetween(1.9, 5.0);
    assertThat(counts.total()).isBetween(200L, 420L);
    assertThat(counts.transactions()).isLessThan(counts.total() / 5);
    assertRecount(before, counts);
  }

  private void assertRecount(Map<String, long[]> before, ChangeCounts counts) throws Exception {
    Map<String, long[]> after = state();
    for (Map.Entry<String, long[]> entry : after.entrySet()) {
      ChangeCounts.TableChanges changes =
          counts.tables().getOrDefault(entry.getKey(), new ChangeCounts.TableChanges(0, 0, 0));
      long[] was = before.get(entry.getKey());
      long[] now = entry.getValue();
      assertThat(now[0] - was[0])
          .as(entry.getKey() + " rows")
          .isEqualTo(changes.inserts() - changes.deletes());
      assertThat(now[1] - was[1]).as(entry.getKey() + " updates").isEqualTo(changes.updates());
    }
  }

  /** Per table: row count and the number of updates it has seen (sum of row_version - 1). */
  private Map<String, long[]> state() throws Exception {
    Map<String, long[]> state = new HashMap<>();
    for (Department department : Department.values()) {
      for (String table : DepartmentalSimulator.tableNames(department)) {
        JdbcTarget target = targets.get(department);
        state.put(
            department.databaseName() + "." + table,
            new long[] {
              TestServers.scalar(target, "SELECT COUNT(*) FROM " + table),
              TestServers.scalar(target, "SELECT COALESCE(SUM(row_version - 1), 0) FROM " + table)
            });
      }
    }
    return state;
  }
}
