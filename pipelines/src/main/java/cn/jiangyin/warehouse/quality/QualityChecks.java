package cn.jiangyin.warehouse.quality;

import static cn.jiangyin.warehouse.yaml.YamlDocument.required;

import cn.jiangyin.warehouse.schema.TableDefinition;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.CodeKind;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The declared data-quality checks, read from {@code quality/checks.yaml} (warehouse-schemas).
 * Columns of declared tables are checked here against the {@link TableRegistry}; columns of source
 * tables ({@code ods.*}, not declared) are checked against the lake when the checks run. Every
 * complaint names {@code file:line}.
 */
public final class QualityChecks {
  /** The checks shipped with this build. */
  public static final String RESOURCE = "quality/checks.yaml";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern TABLE = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
  private static final Set<String> UNDECLARED_NAMESPACES = Set.of("ods", "raw");
  private static final Set<String> FILE_KEYS = Set.of("tables");
  private static final Set<String> TABLE_KEYS = Set.of("table", "key", "checks");
  private static final Map<String, Set<String>> CHECK_KEYS =
      Map.of(
          "valid_code", Set.of("name", "kind", "blocking", "column", "code"),
          "not_null", Set.of("name", "kind", "blocking", "columns"),
          "unique", Set.of("name", "kind", "blocking", "columns"),
          "reference", Set.of("name", "kind", "blocking", "column", "references"),
          "freshness", Set.of("name", "kind", "blocking", "column", "max-age-hours"));

  private final List<QualityCheck> checks;

  private QualityChecks(List<QualityCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** The checks shipped with this build, validated against the shipped table definitions. */
  public static QualityChecks load() {
    return of(YamlDocument.parse(RESOURCE, resource(RESOURCE)), TableRegistry.load());
  }

  /** The checks of one document (tests, tools that check an edited file). */
  public static QualityChecks of(YamlDocument document, TableRegistry registry) {
    List<QualityCheck> checks = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, Entry> file = document.root().mapping(FILE_KEYS);
    for (Entry tableEntry : required(document.root(), file, "tables").sequence()) {
      Map<String, Entry> table = tableEntry.mapping(TABLE_KEYS);
      Entry nameEntry = required(tableEntry, table, "table");
      String tableName = nameEntry.text().trim();
      if (!TABLE.matcher(tableName).matches()) {
        throw nameEntry.invalid("'%s' is not a table name (namespace.table)", tableName);
      }
      Optional<TableDefinition> definition = registry.find(tableName);
      if (definition.isEmpty() && !undeclaredAllowed(tableName)) {
        throw nameEntry.invalid(
            "unknown table %s (not declared in tables/*.yaml, and not ods.* or raw.*)", tableName);
      }
      List<String> key = columns(required(tableEntry, table, "key"), tableName, definition);
      for (Entry checkEntry : required(tableEntry, table, "checks").sequence()) {
        QualityCheck check =
            check(document.file(), tableName, definition, key, checkEntry, registry);
        if (!seen.add(tableName + "." + check.name())) {
          throw checkEntry.invalid("check %s on %s is defined twice", check.name(), tableName);
        }
        checks.add(check);
      }
    }
    return new QualityChecks(checks);
  }

  public List<QualityCheck> checks() {
    return checks;
  }

  private static QualityCheck check(
      String file,
      String table,
      Optional<TableDefinition> definition,
      List<String> key,
      Entry entry,
      TableRegistry registry) {
    Map<String, Entry> fields = entry.mapping();
    Entry kindEntry = required(entry, fields, "kind");
    String kind = kindEntry.text().trim();
    Set<String> allowed = CHECK_KEYS.get(kind);
    if (allowed == null) {
      throw kindEntry.invalid(
          "unknown check kind '%s' (use valid_code, not_null, unique, reference, freshness)", kind);
    }
    entry.mapping(allowed);
    Entry nameEntry = required(entry, fields, "name");
    String name = nameEntry.text().trim();
    if (!NAME.matcher(name).matches()) {
      throw nameEntry.invalid("'%s' is not a valid check name (snake_case: a-z, 0-9, _)", name);
    }
    boolean blocking = required(entry, fields, "blocking").flag();
    QualityCheck.Rule rule =
        switch (kind) {
          case "valid_code" ->
              new QualityCheck.ValidCode(
                  column(required(entry, fields, "column"), table, definition),
                  codeKind(required(entry, fields, "code")));
          case "not_null" ->
              new QualityCheck.NotNull(
                  columns(required(entry, fields, "columns"), table, definition));
          case "unique" ->
              new QualityCheck.Unique(
                  columns(required(entry, fields, "columns"), table, definition));
          case "reference" -> reference(entry, fields, table, definition, registry);
          case "freshness" -> {
            Entry age = required(entry, fields, "max-age-hours");
            if (age.integer() <= 0) {
              throw age.invalid("max-age-hours must be positive, found %d", age.integer());
            }
            yield new QualityCheck.Freshness(
                column(required(entry, fields, "column"), table, definition), age.integer());
          }
          default -> throw new IllegalStateException("Cannot read check kind " + kind);
        };
    return new QualityCheck(table, name, rule, blocking, key, file + ":" + entry.line());
  }

  private static QualityCheck.Reference reference(
      Entry entry,
      Map<String, Entry> fields,
      String table,
      Optional<TableDefinition> definition,
      TableRegistry registry) {
    String column = column(required(entry, fields, "column"), table, definition);
    Entry target = required(entry, fields, "references");
    String text = target.text().trim();
    int dot = text.lastIndexOf('.');
    if (dot < 0 || !TABLE.matcher(text.substring(0, dot)).matches()) {
      throw target.invalid("references must be namespace.table.column, found '%s'", text);
    }
    String targetTable = text.substring(0, dot);
    Optional<TableDefinition> targetDefinition = registry.find(targetTable);
    if (targetDefinition.isEmpty() && !undeclaredAllowed(targetTable)) {
      throw target.invalid("unknown table %s in references", targetTable);
    }
    String targetColumn = text.substring(dot + 1);
    if (targetDefinition.isPresent() && targetDefinition.get().column(targetColumn).isEmpty()) {
      throw target.invalid("unknown column %s in %s", targetColumn, targetTable);
    }
    return new QualityCheck.Reference(column, targetTable, targetColumn);
  }

  private static List<String> columns(
      Entry entry, String table, Optional<TableDefinition> definition) {
    List<String> columns = new ArrayList<>();
    for (Entry column : entry.sequence()) {
      columns.add(column(column, table, definition));
    }
    if (columns.isEmpty()) {
      throw entry.invalid("name at least one column");
    }
    return columns;
  }

  private static String column(Entry entry, String table, Optional<TableDefinition> definition) {
    String column = entry.text().trim();
    if (definition.isPresent() && definition.get().column(column).isEmpty()) {
      throw entry.invalid("unknown column %s in %s", column, table);
    }
    if (!NAME.matcher(column).matches() && !column.startsWith("_")) {
      throw entry.invalid("'%s' is not a valid column name", column);
    }
    return column;
  }

  private static CodeKind codeKind(Entry entry) {
    String label = entry.text().trim();
    return Arrays.stream(CodeKind.values())
        .filter(kind -> kind != CodeKind.UNRECOGNISED && kind.label().equals(label))
        .findFirst()
        .orElseThrow(
            () -> entry.invalid("unknown code kind '%s' (use uscc, id-number, org-code)", label));
  }

  private static boolean undeclaredAllowed(String table) {
    return UNDECLARED_NAMESPACES.contains(table.substring(0, table.indexOf('.')));
  }

  private static String resource(String name) {
    try (InputStream stream = QualityChecks.class.getClassLoader().getResourceAsStream(name)) {
      if (stream == null) {
        throw new IllegalStateException("Cannot find resource " + name + " on the classpath");
      }
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read resource " + name, e);
    }
  }
}
