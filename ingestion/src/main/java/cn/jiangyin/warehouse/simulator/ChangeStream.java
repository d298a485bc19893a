package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A steady stream of inserts, updates and deletes on filled departmental databases, for change
 * capture to follow: new penalties, status changes, events closed, annual reports filed, a few
 * deletes.
 *
 * <p>Which change comes next is deterministic from the seed; which row it hits depends on the
 * databases' state. Every change sets {@code row_version = row_version + 1} and {@code updated_at};
 * only rows never updated ({@code row_version = 1}) are deleted, so a reader can recount the
 * updates. The counts reported are of committed changes. The stream stops by itself at its count or
 * duration.
 */
public final class ChangeStream {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeStream.class);

  /** The kinds of change, each on one department's table, with its relative weight. */
  private enum Kind {
    NEW_PENALTY(Department.COMPREHENSIVE_ENFORCEMENT, DepartmentTables.PENALTY_DECISION, 12),
    REVOKE_PENALTY(Department.COMPREHENSIVE_ENFORCEMENT, DepartmentTables.PENALTY_DECISION, 2),
    ENTERPRISE_STATUS(Department.MARKET_REGULATION, DepartmentTables.ENTERPRISE, 8),
    ANNUAL_REPORT_FILED(Department.MARKET_REGULATION, DepartmentTables.ANNUAL_REPORT, 10),
    LICENCE_CANCELLED(Department.ADMINISTRATIVE_APPROVAL, DepartmentTables.LICENCE, 4),
    NEW_DEBTOR(Department.COURT, DepartmentTables.DISHONEST_DEBTOR, 3),
    NEW_TAX_ARREARS(Department.TAXATION, DepartmentTables.TAX_ARREARS, 6),
    TAX_ARREARS_CLEARED(Department.TAXATION, DepartmentTables.TAX_ARREARS, 5),
    NEW_SOCIAL_INSURANCE_ARREARS(
        Department.HUMAN_RESOURCES, DepartmentTables.SOCIAL_INSURANCE_ARREARS, 5),
    NEW_ENVIRONMENTAL_PENALTY(
        Department.ECOLOGY_ENVIRONMENT, DepartmentTables.ENVIRONMENTAL_PENALTY, 4),
    NEW_GRID_EVENT(Department.GRID_CENTER, DepartmentTables.GRID_EVENT, 20),
    GRID_EVENT_CLOSED(Department.GRID_CENTER, DepartmentTables.GRID_EVENT, 16),
    GRID_EVENT_WITHDRAWN(Department.GRID_CENTER, DepartmentTables.GRID_EVENT, 3);

    final Department department;
    final Table table;
    final int weight;

    Kind(Department department, Table table, int weight) {
      this.department = department;
      this.table = table;
      this.weight = weight;
    }
  }

  private enum Operation {
    INSERT,
    UPDATE,
    DELETE
  }

  private final Map<Department, JdbcTarget> targets;
  private final ChangeStreamSettings settings;
  private final World world;
  private final SimulationSettings simulation;

  /**
   * A stream over the departments in {@code targets} (others are left alone), as filled by {@code
   * simulator}: new rows refer to the simulator's enterprises and persons.
   */
  public ChangeStream(
      DepartmentalSimulator simulator,
      Map<Department, JdbcTarget> targets,
      ChangeStreamSettings settings) {
    requireNonNull(simulator, "simulator is null");
    this.targets = new EnumMap<>(requireNonNull(targets, "targets is null"));
    this.settings = requireNonNull(settings, "settings is null");
    if (this.targets.isEmpty()) {
      throw new IllegalArgumentException("Invalid targets: no department");
    }
    this.world = simulator.world();
    this.simulation = simulator.settings();
  }

  /** Runs the stream to its bound, blocking; returns what was applied. */
  public ChangeCounts run() {
    Random random = new Random(settings.seed() * 0x2545F4914F6CDD1DL + 11);
    References references = new References(random, simulation);
    DepartmentRows rows =
        new DepartmentRows(world, simulation, Department.COMPREHENSIVE_ENFORCEMENT);
    List<Kind> kinds = new ArrayList<>();
    int totalWeight = 0;
    for (Kind kind : Kind.values()) {
      if (targets.containsKey(kind.department)) {
        kinds.add(kind);
        totalWeight += kind.weight;
      }
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid targets, no department the stream changes: " + targets.keySet());
    }
    Map<Department, Connection> connections = new EnumMap<>(Department.class);
    Map<Kind, long[]> nextIds = new HashMap<>();
    Map<String, long[]> applied = new HashMap<>();
    long transactions = 0;
    long changes = 0;
    long start = System.nanoTime();
    long deadline =
        settings.maxDuration().isZero() ? Long.MAX_VALUE : start + settings.maxDuration().toNanos();
    long limit = settings.maxChanges() == 0 ? Long.MAX_VALUE : settings.maxChanges();
    double nanosPerChange = 1e9 / settings.changesPerSecond();
    try {
      while (changes < limit && System.nanoTime() < deadline) {
        Kind first = pick(random, kinds, totalWeight, null);
        Connection connection = connection(connections, first.department);
        Map<String, long[]> pending = new HashMap<>();
        int inTransaction = 0;
        int attempts = 0;
        while (inTransaction < settings.changesPerTransaction()
            && changes + inTransaction < limit
            && attempts++ < settings.changesPerTransaction() * 4) {
          long due = start + (long) ((changes + inTransaction) * nanosPerChange);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          if (System.nanoTime() >= deadline) {
            break;
          }
          Kind kind =
              inTransaction == 0 ? first : pick(random, kinds, totalWeight, first.department);
          Operation operation = apply(connection, kind, random, references, rows, nextIds);
          if (operation != null) {
            long[] counts =
                pending.computeIfAbsent(
                    kind.department.databaseName() + "." + kind.table.name(), key -> new long[3]);
            counts[operation.ordinal()]++;
            inTransaction++;
          }
        }
        connection.commit();
        if (inTransaction > 0) {
          transactions++;
          changes += inTransaction;
          pending.forEach(
              (table, counts) -> {
                long[] total = applied.computeIfAbsent(table, key -> new long[3]);
                for (int i = 0; i < 3; i++) {
                  total[i] += counts[i];
                }
              });
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      throw new SimulationException(
          targets.values().iterator().next(), "Cannot apply change stream", e);
    } finally {
      for (Connection connection : connections.values()) {
        try {
          connection.rollback();
          connection.close();
        } catch (SQLException e) {
          LOG.warn("Cannot close connection", e);
        }
      }
    }
    Map<String, ChangeCounts.TableChanges> tables = new HashMap<>();
    applied.forEach(
        (table, counts) ->
            tables.put(table, new ChangeCounts.TableChanges(counts[0], counts[1], counts[2])));
    ChangeCounts result = new ChangeCounts(tables, transactions);
    LOG.info(
        "Change stream applied {} inserts, {} updates, {} deletes in {} transactions",
        result.inserts(),
        result.updates(),
        result.deletes(),
        transactions);
    return result;
  }

  private Connection connection(Map<Department, Connection> connections, Department department)
      throws SQLException {
    Connection connection = connections.get(department);
    if (connection == null) {
      connection = targets.get(department).connect();
      connection.setAutoCommit(false);
      connections.put(department, connection);
    }
    return connection;
  }

  private static Kind pick(Random random, List<Kind> kinds, int totalWeight, Department only) {
    while (true) {
      int draw = random.nextInt(totalWeight);
      for (Kind kind : kinds) {
        draw -= kind.weight;
        if (draw < 0) {
          if (only == null || kind.department == only) {
            return kind;
          }
          break;
        }
      }
    }
  }

  /** Applies one change; null when no row qualified (nothing changed). */
  private Operation apply(
      Connection connection,
      Kind kind,
      Random random,
      References references,
      DepartmentRows rows,
      Map<Kind, long[]> nextIds)
      throws SQLException {
    DatabaseKind dialect = targets.get(kind.department).kind();
    World.Enterprise enterprise = Words.pick(random, world.enterprises);
    LocalDate today = LocalDate.now(DepartmentRows.CHINA);
    OffsetDateTime now = OffsetDateTime.now(DepartmentRows.CHINA);
    return switch (kind) {
      case NEW_PENALTY -> {
        Object[] row =
            rows.penalty(
                nextId(connection, kind, nextIds),
                "法人",
                references.subjectCode(enterprise),
                references.name(enterprise));
        row[9] = today;
        row[11] = now;
        yield insert(connection, dialect, kind.table, row);
      }
      case NEW_DEBTOR ->
          insert(
              connection,
              dialect,
              kind.table,
              new Object[] {
                nextId(connection, kind, nextIds),
                "(%d)苏0281执%d号".formatted(today.getYear(), 90_000 + random.nextInt(9_999)),
                "法人",
                references.subjectCode(enterprise),
                references.name(enterprise),
                today.minusDays(60),
                "支付货款人民币%d元".formatted(10_000 + random.nextInt(1_000_000)),
                "全部未履行",
                "在列",
                today,
                null
              });
      case NEW_TAX_ARREARS ->
          insert(
              connection,
              dialect,
              kind.table,
              new Object[] {
                nextId(connection, kind, nextIds),
                references.subjectCode(enterprise),
                references.name(enterprise),
                "增值税",
                BigDecimal.valueOf(100_000 + random.nextInt(50_000_000), 2),
                today.minusDays(30),
                false,
                null
              });
      case NEW_SOCIAL_INSURANCE_ARREARS ->
          insert(
              connection,
              dialect,
              kind.table,
              new Object[] {
                nextId(connection, kind, nextIds),
                references.subjectCode(enterprise),
                references.name(enterprise),
                "企业职工基本养老保险",
                1 + random.nextInt(6),
                BigDecimal.valueOf(500_000 + random.nextInt(9_000_000), 2),
                1 + random.nextInt(50),
                today,
                false
              });
      case NEW_ENVIRONMENTAL_PENALTY -> {
        long id = nextId(connection, kind, nextIds);
        yield insert(
            connection,
            dialect,
            kind.table,
            new Object[] {
              id,
              "澄环罚〔%d〕%d号".formatted(today.getYear(), id),
              references.subjectCode(enterprise),
              references.name(enterprise),
              "超标排放大气污染物",
              BigDecimal.valueOf(1_000_000 + random.nextInt(90_000_000), 2),
              today,
              false
            });
      }
      case NEW_GRID_EVENT -> {
        long id = nextId(connection, kind, nextIds);
        String grid = enterprise.town().code() + "01001";
        yield insert(
            connection,
            dialect,
            kind.table,
            new Object[] {
              id,
              "WG%s%06d".formatted(today.toString().replace("-", ""), id),
              "安全隐患",
              grid,
              random.nextBoolean() ? references.subjectCode(enterprise) : null,
              "网格员巡查发现安全隐患问题，已拍照上报。",
              now,
              null,
              null,
              "待派遣"
            });
      }
      case ENTERPRISE_STATUS ->
          update(
              connection,
              dialect,
              random,
              kind.table,
              "status = '存续'",
              "status = ?",
              random.nextInt(3) == 0 ? "吊销" : "注销");
      case ANNUAL_REPORT_FILED ->
          update(
              connection,
              dialect,
              random,
              kind.table,
              "filed = false",
              "filed = true, filed_on = ?",
              today);
      case LICENCE_CANCELLED ->
          update(connection, dialect, random, kind.table, "status = '有效'", "status = ?", "注销");
      case TAX_ARREARS_CLEARED ->
          update(
              connection,
              dialect,
              random,
              kind.table,
              "cleared = false",
              "cleared = true, cleared_on = ?",
              today);
      case GRID_EVENT_CLOSED ->
          update(
              connection,
              dialect,
              random,
              kind.table,
              "status <> '已办结'",
              "status = '已办结', dispatched_at = COALESCE(dispatched_at, ?), closed_at = ?",
              now,
              now);
      case REVOKE_PENALTY, GRID_EVENT_WITHDRAWN -> delete(connection, random, kind.table);
    };
  }

  private long nextId(Connection connection, Kind kind, Map<Kind, long[]> nextIds)
      throws SQLException {
    long[] next = null;
    for (Map.Entry<Kind, long[]> entry : nextIds.entrySet()) {
      if (entry.getKey().table == kind.table) {
        next = entry.getValue();
      }
    }
    if (next == null) {
      try (Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery("SELECT COALESCE(MAX(id), 0) FROM " + kind.table.name())) {
        result.next();
        next = new long[] {result.getLong(1) + 1};
      }
      nextIds.put(kind, next);
    }
    return next[0]++;
  }

  private static Operation insert(
      Connection connection, DatabaseKind dialect, Table table, Object[] row) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(table.insertStatement(dialect))) {
      int width = table.columns().size();
      for (int i = 0; i < row.length; i++) {
        TableWriter.bind(insert, i + 1, table.columns().get(i).type(), dialect, row[i]);
      }
      insert.setInt(width - 1, 1);
      insert.setObject(width, LocalDateTime.now(DepartmentRows.CHINA));
      insert.executeUpdate();
    }
    return Operation.INSERT;
  }

  /** Updates the first qualifying row at or after a random id (wrapping round once). */
  private static Operation update(
      Connection connection,
      DatabaseKind dialect,
      Random random,
      Table table,
      String condition,
      String assignments,
      Object... values)
      throws SQLException {
    Long id = findRow(connection, random, table, condition);
    if (id == null) {
      return null;
    }
    String sql =
        "UPDATE %s SET %s, row_version = row_version + 1, updated_at = ? WHERE id = ?"
            .formatted(table.name(), assignments);
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      int index = 1;
      for (Object value : values) {
        ColumnType type =
            value instanceof OffsetDateTime
                ? ColumnType.TIMESTAMPTZ
                : value instanceof LocalDate ? ColumnType.DATE : ColumnType.CODE;
        TableWriter.bind(update, index++, type, dialect, value);
      }
      update.setObject(index++, LocalDateTime.now(DepartmentRows.CHINA));
      update.setLong(index, id);
      return update.executeUpdate() == 1 ? Operation.UPDATE : null;
    }
  }

  private static Operation delete(Connection connection, Random random, Table table)
      throws SQLException {
    Long id = findRow(connection, random, table, "row_version = 1");
    if (id == null) {
      return null;
    }
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM " + table.name() + " WHERE id = ?")) {
      delete.setLong(1, id);
      return delete.executeUpdate() == 1 ? Operation.DELETE : null;
    }
  }

  private static Long findRow(Connection connection, Random random, Table table, String condition)
      throws SQLException {
    long max;
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT MAX(id) FROM " + table.name())) {
      result.next();
      max = result.getLong(1);
    }
    if (max == 0) {
      return null;
    }
    long from = 1 + (long) (random.nextDouble() * max);
    String sql =
        "SELECT id FROM %s WHERE %s AND id >= ? ORDER BY id LIMIT 1"
            .formatted(table.name(), condition);
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (long start : new long[] {from, 0}) {
        select.setLong(1, start);
        try (ResultSet result = select.executeQuery()) {
          if (result.next()) {
            return result.getLong(1);
          }
        }
      }
    }
    return null;
  }
}
