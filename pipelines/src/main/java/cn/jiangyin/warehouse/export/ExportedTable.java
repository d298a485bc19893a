package cn.jiangyin.warehouse.export;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/**
 * An Iceberg table delivered to other systems (对外交换): its name, the columns that identify a row
 * (the key incremental exports compare by) and the name its exports carry.
 *
 * @param table the table, {@code namespace.name}
 * @param key the columns that identify a row; together they must be unique in the table
 * @param name the export's name, the prefix of export ids and file names
 */
public record ExportedTable(String table, List<String> key, String name) {
  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /** 信用结论 — the published credit verdicts in force, one per subject. */
  public static final ExportedTable VERDICTS =
      new ExportedTable("export.verdict", List.of("subject_type", "subject_id"), "verdicts");

  public ExportedTable {
    requireNonNull(table, "table is null");
    requireNonNull(name, "name is null");
    key = List.copyOf(requireNonNull(key, "key is null"));
    checkArgument(TABLE.matcher(table).matches(), "Invalid table name: %s", table);
    checkArgument(NAME.matcher(name).matches(), "Invalid export name: %s", name);
    checkArgument(!key.isEmpty(), "Invalid key for %s: no column", table);
    for (String column : key) {
      checkArgument(NAME.matcher(column).matches(), "Invalid key column of %s: %s", table, column);
    }
  }

  private static void checkArgument(boolean valid, String message, Object... values) {
    if (!valid) {
      throw new IllegalArgumentException(String.format(message, values));
    }
  }
}
