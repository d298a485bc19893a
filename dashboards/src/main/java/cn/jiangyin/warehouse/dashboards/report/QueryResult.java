package cn.jiangyin.warehouse.dashboards.report;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The rows a query returned, with values reduced to what a page can show and compare: {@link Long},
 * {@link Double}, {@link BigDecimal}, {@link Boolean}, {@link String} (dates as {@code yyyy-MM-dd},
 * timestamps as {@code yyyy-MM-dd HH:mm:ss}) or null.
 */
public record QueryResult(List<String> columns, List<List<Object>> rows) {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  public QueryResult {
    columns = List.copyOf(columns);
    // rows may hold nulls, so no List.copyOf
    rows = rows.stream().map(row -> Collections.unmodifiableList(new ArrayList<>(row))).toList();
  }

  /** Runs {@code sql} on {@code connection} (e.g. Trino's JDBC driver) and reads every row. */
  public static QueryResult run(Connection connection, String sql) throws SQLException {
    requireNonNull(connection, "connection is null");
    requireNonNull(sql, "sql is null");
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      ResultSetMetaData metadata = result.getMetaData();
      List<String> columns = new ArrayList<>();
      for (int i = 1; i <= metadata.getColumnCount(); i++) {
        columns.add(metadata.getColumnLabel(i).toLowerCase(Locale.ROOT));
      }
      List<List<Object>> rows = new ArrayList<>();
      while (result.next()) {
        List<Object> row = new ArrayList<>(columns.size());
        for (int i = 1; i <= columns.size(); i++) {
          row.add(value(result.getObject(i)));
        }
        rows.add(row);
      }
      return new QueryResult(columns, rows);
    }
  }

  static Object value(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Double
        || value instanceof BigDecimal
        || value instanceof Long) {
      return value;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float number) {
      return number.doubleValue();
    }
    if (value instanceof Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof Timestamp timestamp) {
      return TIMESTAMP.format(timestamp.toLocalDateTime());
    }
    return value.toString();
  }
}
