package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One simulated departmental table, described once and spelled per dialect. The first column is the
 * primary key ({@code id bigint}); every table has {@code row_version} (记录版本, 1 on insert, +1 per
 * update) so a reader can count the updates a change stream applied.
 */
record Table(String name, String doc, List<Column> columns) {
  Table {
    requireNonNull(name, "name is null");
    requireNonNull(doc, "doc is null");
    columns = List.copyOf(columns);
    if (columns.isEmpty() || !columns.get(0).name().equals("id")) {
      throw new IllegalArgumentException("Invalid table, first column must be id: " + name);
    }
  }

  static Builder named(String name, String doc) {
    return new Builder(name, doc);
  }

  int columnIndex(String column) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("Invalid column of " + name + ": " + column);
  }

  List<String> createStatements(DatabaseKind kind) {
    List<String> statements = new ArrayList<>();
    String body =
        columns.stream()
            .map(
                column ->
                    "  "
                        + column.name()
                        + " "
                        + column.type().sql(kind)
                        + (column.nullable() ? " NULL" : " NOT NULL")
                        + (kind == DatabaseKind.MARIADB ? " COMMENT '" + column.doc() + "'" : ""))
            .collect(Collectors.joining(",\n"));
    String suffix =
        kind == DatabaseKind.MARIADB
            ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='" + doc + "'"
            : "";
    statements.add("CREATE TABLE " + name + " (\n" + body + ",\n  PRIMARY KEY (id)\n)" + suffix);
    if (kind == DatabaseKind.POSTGRESQL) {
      statements.add("COMMENT ON TABLE " + name + " IS '" + doc + "'");
      for (Column column : columns) {
        statements.add(
            "COMMENT ON COLUMN " + name + "." + column.name() + " IS '" + column.doc() + "'");
      }
    }
    return statements;
  }

  String insertStatement(DatabaseKind kind) {
    String names = columns.stream().map(Column::name).collect(Collectors.joining(", "));
    String values =
        columns.stream()
            .map(
                column ->
                    column.type() == ColumnType.JSON && kind == DatabaseKind.POSTGRESQL
                        ? "CAST(? AS jsonb)"
                        : "?")
            .collect(Collectors.joining(", "));
    return "INSERT INTO " + name + " (" + names + ") VALUES (" + values + ")";
  }

  static final class Builder {
    private final String name;
    private final String doc;
    private final List<Column> columns = new ArrayList<>();

    private Builder(String name, String doc) {
      this.name = name;
      this.doc = doc;
      columns.add(new Column("id", ColumnType.BIGINT, false, "主键"));
    }

    Builder column(String column, ColumnType type, String columnDoc) {
      columns.add(new Column(column, type, false, columnDoc));
      return this;
    }

    Builder nullable(String column, ColumnType type, String columnDoc) {
      columns.add(new Column(column, type, true, columnDoc));
      return this;
    }

    Table build() {
      columns.add(new Column("row_version", ColumnType.INT, false, "记录版本"));
      columns.add(new Column("updated_at", ColumnType.TIMESTAMP, false, "最后更新时间"));
      return new Table(name, doc, columns);
    }
  }
}
