package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link ChangeStream} applied (committed), per table keyed {@code "<database
 * name>.<table>"} with the department's default database name, e.g. {@code
 * "grid_center.grid_event"}.
 */
public record ChangeCounts(Map<String, TableChanges> tables, long transactions) {
  /** Changes applied to one table. */
  public record TableChanges(long inserts, long updates, long deletes) {
    public long total() {
      return inserts + updates + deletes;
    }
  }

  public ChangeCounts {
    requireNonNull(tables, "tables is null");
    tables = java.util.Collections.unmodifiableMap(new TreeMap<>(tables));
  }

  public TableChanges table(Department department, String table) {
    return tables.getOrDefault(department.databaseName() + "." + table, new TableChanges(0, 0, 0));
  }

  public long inserts() {
    return tables.values().stream().mapToLong(TableChanges::inserts).sum();
  }

  public long updates() {
    return tables.values().stream().mapToLong(TableChanges::updates).sum();
  }

  public long deletes() {
    return tables.values().stream().mapToLong(TableChanges::deletes).sum();
  }

  public long total() {
    return inserts() + updates() + deletes();
  }
}
