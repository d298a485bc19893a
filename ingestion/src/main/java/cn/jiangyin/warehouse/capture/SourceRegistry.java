package cn.jiangyin.warehouse.capture;

import static cn.jiangyin.warehouse.yaml.YamlDocument.optional;
import static cn.jiangyin.warehouse.yaml.YamlDocument.required;

import cn.jiangyin.warehouse.config.EnvironmentReference;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The source registry: which departmental databases are captured, where they are, which tables, and
 * which columns may hold ID numbers. A YAML file a data engineer edits; every problem is reported
 * as {@code file:line: what is wrong} before anything connects. Secrets are never in the file:
 * {@code password} must be {@code ${env:NAME}}; any other value may use {@code ${env:NAME}} too.
 */
public final class SourceRegistry {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?");

  /**
   * The Debezium option a {@code heartbeat-table} sets: the statement run at each heartbeat, so the
   * replication slot of a quiet database advances (see docs/operations/databases.md).
   */
  public static final String HEARTBEAT_ACTION_QUERY = "heartbeat.action.query";

  private static final Set<String> FILE_KEYS = Set.of("sources");
  private static final Set<String> SOURCE_KEYS =
      Set.of(
          "name",
          "kind",
          "host",
          "port",
          "database",
          "schema",
          "user",
          "password",
          "snapshot",
          "tables",
          "heartbeat-table",
          "debezium");
  private static final Set<String> TABLE_KEYS = Set.of("name", "personal");

  private final List<SourceDefinition> sources;

  private SourceRegistry(List<SourceDefinition> sources) {
    this.sources = List.copyOf(sources);
  }

  public static SourceRegistry read(YamlDocument document, Function<String, String> environment) {
    Map<String, Entry> file = document.root().mapping(FILE_KEYS);
    List<SourceDefinition> sources = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Entry entry : required(document.root(), file, "sources").sequence()) {
      SourceDefinition source = source(entry, environment);
      if (!names.add(source.name())) {
        throw entry.invalid("source name '%s' is used twice", source.name());
      }
      sources.add(source);
    }
    return new SourceRegistry(sources);
  }

  public List<SourceDefinition> sources() {
    return sources;
  }

  public Optional<SourceDefinition> source(String name) {
    return sources.stream().filter(source -> source.name().equals(name)).findFirst();
  }

  private static SourceDefinition source(Entry entry, Function<String, String> environment) {
    Map<String, Entry> source = entry.mapping(SOURCE_KEYS);
    Entry nameEntry = required(entry, source, "name");
    String name = nameEntry.text().trim();
    if (!NAME.matcher(name).matches()) {
      throw nameEntry.invalid("source name '%s' must be snake_case (a-z, 0-9, _)", name);
    }
    Entry kindEntry = required(entry, source, "kind");
    SourceKind kind =
        SourceKind.fromLabel(kindEntry.text().trim())
            .orElseThrow(
                () ->
                    kindEntry.invalid(
                        "kind must be postgresql, mariadb or mysql; found '%s'", kindEntry.text()));
    String host = value(required(entry, source, "host"), environment);
    int port =
        optional(source, "port")
            .map(
                portEntry -> {
                  String text = value(portEntry, environment);
                  try {
                    int number = Integer.parseInt(text);
                    if (number < 1 || number > 65535) {
                      throw portEntry.invalid("port must be 1-65535, found %d", number);
                    }
                    return number;
                  } catch (NumberFormatException e) {
                    throw portEntry.invalid("port must be a number, found '%s'", text);
                  }
                })
            .orElse(kind.defaultPort());
    String database = value(required(entry, source, "database"), environment);
    String schema =
        optional(source, "schema").map(value -> value(value, environment)).orElse("public");
    if (kind.readsBinlog() && source.containsKey("schema")) {
      throw source
          .get("schema")
          .invalid(
              "schema applies to postgresql sources only; %s tables are database.table",
              kind.label());
    }
    String user = value(required(entry, source, "user"), environment);
    Entry passwordEntry = required(entry, source, "password");
    if (!EnvironmentReference.isReference(passwordEntry.text())) {
      throw passwordEntry.invalid(
          "password must be ${env:VARIABLE}: secrets are taken from the environment, never written here");
    }
    String password = value(passwordEntry, environment);
    SourceDefinition.SnapshotMode snapshot = SourceDefinition.SnapshotMode.INITIAL;
    Optional<Entry> snapshotEntry = optional(source, "snapshot");
    if (snapshotEntry.isPresent()) {
      String text = snapshotEntry.get().text().trim();
      snapshot =
          switch (text) {
            case "initial" -> SourceDefinition.SnapshotMode.INITIAL;
            case "no_data" -> SourceDefinition.SnapshotMode.NO_DATA;
            default ->
                throw snapshotEntry
                    .get()
                    .invalid("snapshot must be initial or no_data; found '%s'", text);
          };
    }
    List<String> tables = new ArrayList<>();
    Map<String, Set<String>> personal = new LinkedHashMap<>();
    String container = kind.readsBinlog() ? database : schema;
    for (Entry tableEntry : required(entry, source, "tables").sequence()) {
      String table;
      Set<String> personalColumns = Set.of();
      if (tableEntry.isScalar()) {
        table = tableEntry.text().trim();
      } else {
        Map<String, Entry> tableMap = tableEntry.mapping(TABLE_KEYS);
        table = required(tableEntry, tableMap, "name").text().trim();
        Optional<Entry> columns = optional(tableMap, "personal");
        if (columns.isPresent()) {
          Set<String> names = new HashSet<>();
          for (Entry column : columns.get().sequence()) {
            names.add(column.text().trim());
          }
          personalColumns = Set.copyOf(names);
        }
      }
      if (!NAME.matcher(table).matches()) {
        throw tableEntry.invalid("table '%s' must be snake_case (a-z, 0-9, _)", table);
      }
      String qualified = container + "." + table;
      if (tables.contains(qualified)) {
        throw tableEntry.invalid("table '%s' is listed twice", table);
      }
      tables.add(qualified);
      if (!personalColumns.isEmpty()) {
        personal.put(qualified, personalColumns);
      }
    }
    Map<String, String> debezium = new LinkedHashMap<>();
    optional(source, "debezium")
        .ifPresent(
            options ->
                options
                    .mapping()
                    .forEach((key, value) -> debezium.put(key, value(value, environment))));
    Optional<Entry> heartbeat = optional(source, "heartbeat-table");
    if (heartbeat.isPresent()) {
      String table = heartbeat.get().text().trim();
      if (kind.readsBinlog()) {
        throw heartbeat
            .get()
            .invalid(
                "heartbeat-table applies to postgresql sources only (a binlog advances by itself)");
      }
      if (!QUALIFIED_NAME.matcher(table).matches()) {
        throw heartbeat
            .get()
            .invalid("heartbeat-table '%s' must be table or schema.table in snake_case", table);
      }
      debezium.putIfAbsent(HEARTBEAT_ACTION_QUERY, heartbeatQuery(table, name));
    }
    return new SourceDefinition(
        name, kind, host, port, database, user, password, tables, personal, snapshot, debezium);
  }

  /**
   * The heartbeat statement: one row per source in a table the DBA created ({@code source text
   * PRIMARY KEY, beat_at timestamptz}), upserted by the capture account.
   */
  public static String heartbeatQuery(String table, String sourceName) {
    return "INSERT INTO "
        + table
        + " (source, beat_at) VALUES ('"
        + sourceName
        + "', now()) ON CONFLICT (source) DO UPDATE SET beat_at = EXCLUDED.beat_at";
  }

  /**
   * The entry's text with {@code ${env:NAME}} references resolved; an unset variable is an error
   * here.
   */
  private static String value(Entry entry, Function<String, String> environment) {
    return EnvironmentReference.resolve(
        entry.text().trim(),
        environment,
        variable -> entry.invalid("environment variable %s is not set", variable));
  }
}
