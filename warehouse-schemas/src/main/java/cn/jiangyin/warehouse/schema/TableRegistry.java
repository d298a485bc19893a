package cn.jiangyin.warehouse.schema;

import static cn.jiangyin.warehouse.yaml.YamlDocument.optional;
import static cn.jiangyin.warehouse.yaml.YamlDocument.required;

import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Every declared table of the warehouse, read from the definition files that ship in this module
 * ({@code tables/<namespace>.yaml}, listed in {@code tables/index.txt}). All modules ask this
 * registry for tables; none declares columns in code.
 */
public final class TableRegistry {
  private static final String INDEX = "tables/index.txt";
  private static final Pattern NAME = Pattern.compile("_?[a-z][a-z0-9_]*");
  private static final Pattern PARTITION =
      Pattern.compile(
          "(identity|year|month|day|bucket|truncate)\\((?:(\\d+),\\s*)?([a-z][a-z0-9_]*)\\)");
  private static final Set<String> FILE_KEYS = Set.of("namespace", "doc", "tables");
  private static final Set<String> TABLE_KEYS =
      Set.of("name", "doc", "owner", "sharing", "update-frequency", "partition", "columns");
  private static final Set<String> COLUMN_KEYS = Set.of("name", "type", "required", "doc");

  private final Map<String, TableDefinition> tables;
  private final Map<String, String> namespaceDocs;

  private TableRegistry(Map<String, TableDefinition> tables, Map<String, String> namespaceDocs) {
    this.tables = Map.copyOf(tables);
    this.namespaceDocs = Map.copyOf(namespaceDocs);
  }

  /** The definitions shipped with this build. */
  public static TableRegistry load() {
    List<YamlDocument> documents = new ArrayList<>();
    for (String file : resource(INDEX).lines().map(String::trim).toList()) {
      if (!file.isEmpty() && !file.startsWith("#")) {
        documents.add(YamlDocument.parse("tables/" + file, resource("tables/" + file)));
      }
    }
    return of(documents);
  }

  /** Definitions from the given documents (tests, tools that check edited files). */
  public static TableRegistry of(List<YamlDocument> documents) {
    Map<String, TableDefinition> tables = new LinkedHashMap<>();
    Map<String, String> namespaceDocs = new LinkedHashMap<>();
    for (YamlDocument document : documents) {
      Map<String, Entry> file = document.root().mapping(FILE_KEYS);
      String namespace = name(required(document.root(), file, "namespace"));
      namespaceDocs.put(namespace, required(document.root(), file, "doc").text());
      for (Entry table : required(document.root(), file, "tables").sequence()) {
        TableDefinition definition = table(document.file(), namespace, table);
        if (tables.putIfAbsent(definition.qualifiedName(), definition) != null) {
          throw table.invalid("table %s is defined twice", definition.qualifiedName());
        }
      }
    }
    return new TableRegistry(tables, namespaceDocs);
  }

  public List<TableDefinition> tables() {
    return List.copyOf(tables.values());
  }

  public Optional<TableDefinition> find(String qualifiedName) {
    return Optional.ofNullable(tables.get(qualifiedName));
  }

  /**
   * The definition of a table the code relies on; a missing one is a build error, not a user error.
   */
  public TableDefinition table(String qualifiedName) {
    return find(qualifiedName)
        .orElseThrow(
            () -> new IllegalStateException("Cannot find table definition: " + qualifiedName));
  }

  public Map<String, String> namespaceDocs() {
    return namespaceDocs;
  }

  private static TableDefinition table(String file, String namespace, Entry entry) {
    Map<String, Entry> table = entry.mapping(TABLE_KEYS);
    String name = name(required(entry, table, "name"));
    Entry sharingEntry = required(entry, table, "sharing");
    SharingClass sharing =
        SharingClass.fromLabel(sharingEntry.text())
            .orElseThrow(
                () ->
                    sharingEntry.invalid(
                        "sharing must be one of 无条件, 有条件, 不予共享; found '%s'", sharingEntry.text()));
    List<ColumnDefinition> columns = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Entry columnEntry : required(entry, table, "columns").sequence()) {
      ColumnDefinition column = column(columnEntry);
      if (!names.add(column.name())) {
        throw columnEntry.invalid(
            "column %s appears twice in %s.%s", column.name(), namespace, name);
      }
      columns.add(column);
    }
    List<TableDefinition.PartitionField> partitioning = new ArrayList<>();
    Optional<Entry> partition = optional(table, "partition");
    if (partition.isPresent()) {
      for (Entry field : partition.get().sequence()) {
        partitioning.add(partitionField(field, names));
      }
    }
    return new TableDefinition(
        namespace,
        name,
        required(entry, table, "doc").text(),
        required(entry, table, "owner").text(),
        sharing,
        required(entry, table, "update-frequency").text(),
        columns,
        partitioning,
        file + ":" + entry.line());
  }

  private static ColumnDefinition column(Entry entry) {
    Map<String, Entry> column = entry.mapping(COLUMN_KEYS);
    String name = name(required(entry, column, "name"));
    Entry typeEntry = required(entry, column, "type");
    Type type;
    try {
      type = Types.fromPrimitiveString(typeEntry.text().trim());
    } catch (IllegalArgumentException e) {
      throw typeEntry.invalid(
          "unknown type '%s' for column %s (use string, int, long, double, boolean, date, timestamp,"
              + " timestamptz, decimal(P,S), binary)",
          typeEntry.text(), name);
    }
    boolean required = optional(column, "required").map(Entry::flag).orElse(false);
    return new ColumnDefinition(name, type, required, required(entry, column, "doc").text());
  }

  private static TableDefinition.PartitionField partitionField(Entry entry, Set<String> columns) {
    String text = entry.text().trim();
    Matcher matcher = PARTITION.matcher(text);
    TableDefinition.PartitionField field;
    if (NAME.matcher(text).matches()) {
      field =
          new TableDefinition.PartitionField(
              TableDefinition.PartitionField.Transform.IDENTITY, text, 0);
    } else if (matcher.matches()) {
      TableDefinition.PartitionField.Transform transform =
          TableDefinition.PartitionField.Transform.valueOf(matcher.group(1).toUpperCase());
      boolean takesArgument =
          transform == TableDefinition.PartitionField.Transform.BUCKET
              || transform == TableDefinition.PartitionField.Transform.TRUNCATE;
      if (takesArgument != (matcher.group(2) != null)) {
        throw entry.invalid(
            "partition '%s': bucket and truncate take a width, e.g. bucket(16, uscc); others do not",
            text);
      }
      field =
          new TableDefinition.PartitionField(
              transform, matcher.group(3), takesArgument ? Integer.parseInt(matcher.group(2)) : 0);
    } else {
      throw entry.invalid(
          "partition '%s' is not a column or a transform such as day(column), bucket(16, column)",
          text);
    }
    if (!columns.contains(field.column())) {
      throw entry.invalid("partition '%s' names unknown column %s", text, field.column());
    }
    return field;
  }

  private static String name(Entry entry) {
    String name = entry.text().trim();
    if (!NAME.matcher(name).matches()) {
      throw entry.invalid("'%s' is not a valid name (snake_case: a-z, 0-9, _)", name);
    }
    return name;
  }

  private static String resource(String name) {
    try (InputStream stream = TableRegistry.class.getClassLoader().getResourceAsStream(name)) {
      if (stream == null) {
        throw new IllegalStateException("Cannot find resource " + name + " on the classpath");
      }
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read resource " + name, e);
    }
  }
}
