package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in for the city's departmental databases (委办局业务库) in the demo, the tests and the
 * benchmarks: creates one real database per {@link Department} with real tables and primary keys,
 * and fills them with a simulated city.
 *
 * <p>Guarantees: the content is a function of the {@link SimulationSettings} alone (same seed and
 * scale, same rows, whichever departments are filled together); the same enterprise appears in
 * several departments, sometimes under a legacy code, a variant name or a spoiled check character.
 * Filling a department drops and recreates its tables, so a fill can be repeated; the database
 * itself is created when missing and kept otherwise (a replication slot or publication on it
 * survives).
 */
public final class DepartmentalSimulator {
  /**
   * The simulated "today": filled rows date from before it (decisions up to three years back, for
   * instance), so credit rules evaluated as of this date see a realistic spread.
   */
  public static final java.time.LocalDate REFERENCE_DATE = World.TODAY;

  private static final Logger LOG = LoggerFactory.getLogger(DepartmentalSimulator.class);

  private final SimulationSettings settings;
  private World world;

  public DepartmentalSimulator(SimulationSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
  }

  public SimulationSettings settings() {
    return settings;
  }

  /**
   * One target per department on the server of its default kind, database {@code prefix +
   * department.databaseName()}. Pass the same server twice to put every department on it (the demo
   * puts all on PostgreSQL).
   *
   * @param postgresql server for the departments that default to PostgreSQL (its database is
   *     ignored)
   * @param mariadb server for the departments that default to MariaDB (its database is ignored)
   */
  public static Map<Department, JdbcTarget> targets(
      String prefix, JdbcTarget postgresql, JdbcTarget mariadb) {
    requireNonNull(prefix, "prefix is null");
    requireNonNull(postgresql, "postgresql is null");
    requireNonNull(mariadb, "mariadb is null");
    Map<Department, JdbcTarget> targets = new EnumMap<>(Department.class);
    for (Department department : Department.values()) {
      JdbcTarget server =
          department.defaultKind() == DatabaseKind.POSTGRESQL ? postgresql : mariadb;
      targets.put(department, server.withDatabase(prefix + department.databaseName()));
    }
    return targets;
  }

  /** Names of the tables of a department, in creation order. */
  public static List<String> tableNames(Department department) {
    return DepartmentTables.of(department).stream().map(Table::name).toList();
  }

  /** Creates (if missing) and fills the database of each department in {@code targets}. */
  public FillReport fill(Map<Department, JdbcTarget> targets) {
    requireNonNull(targets, "targets is null");
    Map<Department, Map<String, Long>> report = new LinkedHashMap<>();
    for (Department department : Department.values()) {
      JdbcTarget target = targets.get(department);
      if (target != null) {
        report.putAll(fill(department, target).rows());
      }
    }
    return new FillReport(report);
  }

  /** Creates (if missing) and fills the database of one department. */
  public FillReport fill(Department department, JdbcTarget target) {
    requireNonNull(department, "department is null");
    requireNonNull(target, "target is null");
    createDatabase(target);
    Map<Table, List<Object[]>> rows =
        new DepartmentRows(world(), settings, department).generate(department);
    long total = rows.values().stream().mapToLong(List::size).sum();
    LOG.info(
        "Filling {} ({}) at {}: {} tables, {} rows",
        department.databaseName(),
        department.chineseName(),
        target,
        rows.size(),
        total);
    Map<String, Long> written = new LinkedHashMap<>();
    try (Connection connection = target.connect()) {
      for (Map.Entry<Table, List<Object[]>> entry : rows.entrySet()) {
        TableWriter.recreate(connection, target.kind(), entry.getKey());
        written.put(
            entry.getKey().name(),
            TableWriter.write(
                connection, target.kind(), department, entry.getKey(), entry.getValue()));
      }
    } catch (SQLException e) {
      throw new SimulationException(target, "Cannot fill " + department.databaseName(), e);
    }
    return new FillReport(Map.of(department, written));
  }

  /** Drops the database of the target if it exists (test clean-up). */
  public static void dropDatabase(JdbcTarget target) {
    requireNonNull(target, "target is null");
    try (Connection connection = target.connectToServer();
        Statement statement = connection.createStatement()) {
      statement.execute(
          switch (target.kind()) {
            case POSTGRESQL -> "DROP DATABASE IF EXISTS \"" + target.database() + "\" WITH (FORCE)";
            case MARIADB -> "DROP DATABASE IF EXISTS `" + target.database() + "`";
          });
    } catch (SQLException e) {
      throw new SimulationException(target, "Cannot drop database " + target.database(), e);
    }
  }

  static void createDatabase(JdbcTarget target) {
    try (Connection connection = target.connectToServer()) {
      switch (target.kind()) {
        case POSTGRESQL -> {
          try (PreparedStatement exists =
              connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, target.database());
            try (ResultSet result = exists.executeQuery()) {
              if (result.next()) {
                return;
              }
            }
          }
          try (Statement statement = connection.createStatement()) {
            statement.execute(
                "CREATE DATABASE \"" + target.database() + "\" ENCODING 'UTF8' TEMPLATE template0");
          }
        }
        case MARIADB -> {
          try (Statement statement = connection.createStatement()) {
            statement.execute(
                "CREATE DATABASE IF NOT EXISTS `"
                    + target.database()
                    + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
          }
        }
      }
    } catch (SQLException e) {
      throw new SimulationException(target, "Cannot create database " + target.database(), e);
    }
  }

  /** The simulated city, built once per simulator (it depends on the settings only). */
  synchronized World world() {
    if (world == null) {
      world = World.generate(settings);
    }
    return world;
  }
}
