package cn.jiangyin.warehouse.simulator;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The machine's PostgreSQL and MariaDB servers, and fresh {@code sim_test_} databases on them. */
final class TestServers {
  static final JdbcTarget POSTGRESQL =
      JdbcTarget.postgresql("127.0.0.1", 5432, "postgres", "", "postgres");
  static final JdbcTarget MARIADB = JdbcTarget.mariadb("127.0.0.1", 3306, "root", "", "mysql");

  private TestServers() {}

  /** Targets for all departments under a fresh prefix {@code sim_test_<label>_<nonce>_}. */
  static Map<Department, JdbcTarget> freshTargets(String label) {
    String prefix = "sim_test_%s_%d_".formatted(label, System.nanoTime() % 1_000_000);
    return DepartmentalSimulator.targets(prefix, POSTGRESQL, MARIADB);
  }

  static void drop(Map<Department, JdbcTarget> targets) {
    if (targets != null) {
      targets.values().forEach(DepartmentalSimulator::dropDatabase);
    }
  }

  /** Every row of a table ordered by id, each column as its string form. */
  static List<List<String>> rows(JdbcTarget target, String table) throws SQLException {
    try (Connection connection = target.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
      int width = result.getMetaData().getColumnCount();
      List<List<String>> rows = new ArrayList<>();
      while (result.next()) {
        List<String> row = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          row.add(result.getString(i));
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static long scalar(JdbcTarget target, String sql) throws SQLException {
    try (Connection connection = target.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
