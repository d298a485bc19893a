package cn.jiangyin.warehouse.simulator;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes rows with batched JDBC and logs how far it got (rows only, never their values). */
final class TableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TableWriter.class);
  private static final int BATCH = 1_000;
  private static final int COMMIT_EVERY = 10_000;

  /** The {@code updated_at} of every filled row, so that a fill does not depend on the clock. */
  static final LocalDateTime FILLED_AT = World.TODAY.atTime(18, 0);

  private TableWriter() {}

  static void recreate(Connection connection, DatabaseKind kind, Table table) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "DROP TABLE IF EXISTS "
              + table.name()
              + (kind == DatabaseKind.POSTGRESQL ? " CASCADE" : ""));
      for (String sql : table.createStatements(kind)) {
        statement.execute(sql);
      }
    }
  }

  static long write(
      Connection connection,
      DatabaseKind kind,
      Department department,
      Table table,
      List<Object[]> rows)
      throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    int width = table.columns().size();
    long written = 0;
    try (PreparedStatement insert = connection.prepareStatement(table.insertStatement(kind))) {
      for (Object[] row : rows) {
        if (row.length != width - 2) {
          throw new IllegalStateException(
              "Invalid row width for " + table.name() + ": " + row.length + " != " + (width - 2));
        }
        for (int i = 0; i < row.length; i++) {
          bind(insert, i + 1, table.columns().get(i).type(), kind, row[i]);
        }
        insert.setInt(width - 1, 1);
        insert.setObject(width, FILLED_AT);
        insert.addBatch();
        written++;
        if (written % BATCH == 0) {
          insert.executeBatch();
        }
        if (written % COMMIT_EVERY == 0 && written < rows.size()) {
          connection.commit();
          LOG.info(
              "{}.{}: {} of {} rows written",
              department.databaseName(),
              table.name(),
              written,
              rows.size());
        }
      }
      insert.executeBatch();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    LOG.info(
        "{}.{}: {} of {} rows written",
        department.databaseName(),
        table.name(),
        written,
        rows.size());
    return written;
  }

  static void bind(
      PreparedStatement statement, int index, ColumnType type, DatabaseKind kind, Object value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, sqlType(type));
      return;
    }
    switch (type) {
      case BIGINT -> statement.setLong(index, ((Number) value).longValue());
      case INT -> statement.setInt(index, ((Number) value).intValue());
      case DECIMAL -> statement.setBigDecimal(index, (java.math.BigDecimal) value);
      case BOOLEAN -> statement.setBoolean(index, (Boolean) value);
      case TIMESTAMPTZ -> {
        OffsetDateTime instant = (OffsetDateTime) value;
        if (kind == DatabaseKind.MARIADB) {
          statement.setObject(
              index, instant.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } else {
          statement.setObject(index, instant);
        }
      }
      case DATE, TIMESTAMP -> statement.setObject(index, value);
      case CODE, NAME, TEXT, JSON -> statement.setString(index, (String) value);
    }
  }

  private static int sqlType(ColumnType type) {
    return switch (type) {
      case BIGINT -> Types.BIGINT;
      case INT -> Types.INTEGER;
      case DECIMAL -> Types.NUMERIC;
      case DATE -> Types.DATE;
      case TIMESTAMP -> Types.TIMESTAMP;
      case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
      case BOOLEAN -> Types.BOOLEAN;
      case CODE, NAME, TEXT, JSON -> Types.VARCHAR;
    };
  }
}
