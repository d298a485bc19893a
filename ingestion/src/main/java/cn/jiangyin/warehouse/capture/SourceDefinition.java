package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One departmental database captured into the lake: where it is, which tables, and which columns
 * hold ID numbers (masked and keyed on capture, so the clear value never reaches a raw table).
 *
 * @param name source name, the prefix of its raw tables ({@code raw.<name>__<table>})
 * @param tables captured tables as {@code schema.table} (PostgreSQL) or {@code database.table}
 *     (MariaDB/MySQL)
 * @param personalColumns per captured table, the columns holding ID numbers
 * @param connectorOptions Debezium options set for this source on top of ours (e.g. {@code
 *     publication.autocreate.mode: disabled} where the DBA created the publication)
 */
public record SourceDefinition(
    String name,
    SourceKind kind,
    String host,
    int port,
    String database,
    String user,
    String password,
    List<String> tables,
    Map<String, Set<String>> personalColumns,
    SnapshotMode snapshotMode,
    Map<String, String> connectorOptions) {

  public SourceDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(host, "host is null");
    requireNonNull(database, "database is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    tables = List.copyOf(tables);
    personalColumns = Map.copyOf(personalColumns);
    requireNonNull(snapshotMode, "snapshotMode is null");
    connectorOptions = Map.copyOf(connectorOptions);
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("Invalid source " + name + ": no tables to capture");
    }
  }

  /**
   * The raw table of a captured source table: {@code <source>__<table>} in namespace {@code raw}.
   */
  public String rawTableName(String sourceTable) {
    String table = sourceTable.substring(sourceTable.lastIndexOf('.') + 1);
    return name + "__" + table;
  }

  public Set<String> personalColumns(String sourceTable) {
    return personalColumns.getOrDefault(sourceTable, Set.of());
  }

  /** When to read the tables' existing rows. */
  public enum SnapshotMode {
    /** Read existing rows once, then stream changes (the default). */
    INITIAL("initial"),
    /** Stream changes only. */
    NO_DATA("no_data");

    private final String debeziumValue;

    SnapshotMode(String debeziumValue) {
      this.debeziumValue = debeziumValue;
    }

    public String debeziumValue() {
      return debeziumValue;
    }
  }
}
