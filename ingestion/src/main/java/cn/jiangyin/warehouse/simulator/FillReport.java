package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/** How many rows a fill wrote, per department and table. */
public record FillReport(Map<Department, Map<String, Long>> rows) {
  public FillReport {
    requireNonNull(rows, "rows is null");
    Map<Department, Map<String, Long>> copy = new LinkedHashMap<>();
    rows.forEach((department, tables) -> copy.put(department, Map.copyOf(tables)));
    rows = java.util.Collections.unmodifiableMap(copy);
  }

  /** Rows written into one table, 0 if the department or table was not filled. */
  public long rows(Department department, String table) {
    return rows.getOrDefault(department, Map.of()).getOrDefault(table, 0L);
  }

  public long total() {
    return rows.values().stream()
        .flatMap(t -> t.values().stream())
        .mapToLong(Long::longValue)
        .sum();
  }
}
