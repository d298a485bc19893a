package cn.jiangyin.warehouse.dashboards;

import cn.jiangyin.warehouse.dashboards.ImportSchema.Field;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Applies the checks Superset's dashboard import ({@code ImportDashboardsCommand}) makes before it
 * writes anything, so a bundle can be judged where Superset cannot be installed: {@code
 * metadata.yaml} present with {@code version: 1.0.0} and {@code type: Dashboard}; every file under
 * {@code databases/}, {@code datasets/}, {@code charts/}, {@code dashboards/} loads under its
 * import schema (required keys, no unknown keys, value types, {@code query_context} a JSON string).
 * Messages are marshmallow's and Superset's own ("Missing data for required field.", "Unknown
 * field.", "Must be equal to 1.0.0.", "JSON not valid").
 *
 * <p>Beyond the schemas it checks what Superset silently skips instead of rejecting: a chart whose
 * dataset is not in the bundle, a dataset whose database is not, a dashboard position naming a
 * chart that is not — Superset imports the rest and shows an empty tile. Those problems carry
 * messages of our own.
 */
public final class BundleValidator {
  static final String METADATA_FILE = "metadata.yaml";
  static final String IMPORT_VERSION = "1.0.0";
  static final String MISSING = "Missing data for required field.";
  static final String UNKNOWN = "Unknown field.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Object> TRUTHY =
      Set.of(
          "t", "T", "true", "True", "TRUE", "on", "On", "ON", "y", "Y", "yes", "Yes", "YES", "1", 1,
          true);
  private static final Set<Object> FALSY =
      Set.of(
          "f", "F", "false", "False", "FALSE", "off", "Off", "OFF", "n", "N", "no", "No", "NO", "0",
          0, false);

  private BundleValidator() {}

  /** Every problem found, in file order; empty when Superset would import the bundle whole. */
  public static List<BundleProblem> validate(Bundle bundle) {
    List<BundleProblem> problems = new ArrayList<>();
    Map<String, String> contents = contents(bundle, problems);
    Map<String, String> fullNames = new HashMap<>();
    for (String name : bundle.files().keySet()) {
      fullNames.put(withoutRoot(name), name);
    }

    String metadataText = contents.get(METADATA_FILE);
    if (metadataText == null) {
      problems.add(new BundleProblem(METADATA_FILE, "", "Missing " + METADATA_FILE));
    } else {
      String file = fullNames.get(METADATA_FILE);
      Object metadata = load(file, metadataText, problems);
      if (metadata != null) {
        List<BundleProblem> metadataProblems = new ArrayList<>();
        check(file, "", metadata, ImportSchema.METADATA, metadataProblems);
        if (metadata instanceof Map<?, ?> map) {
          if (map.containsKey("version")
              && map.get("version") instanceof String version
              && !version.equals(IMPORT_VERSION)) {
            metadataProblems.add(
                new BundleProblem(file, "version", "Must be equal to " + IMPORT_VERSION + "."));
          }
          if (map.get("type") instanceof String type && !type.equals("Dashboard")) {
            metadataProblems.add(new BundleProblem(file, "type", "Must be equal to Dashboard."));
          }
        }
        problems.addAll(metadataProblems);
      }
    }

    Map<String, Map<String, Object>> loaded = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : contents.entrySet()) {
      String relative = entry.getKey();
      String folder = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : "";
      ImportSchema schema = ImportSchema.BY_FOLDER.get(folder);
      if (schema == null) {
        continue;
      }
      String file = fullNames.get(relative);
      Object config = load(file, entry.getValue(), problems);
      if (config == null) {
        continue;
      }
      if (schema == ImportSchema.DATABASE
          && config instanceof Map<?, ?> database
          && database.containsKey("allow_file_upload")) {
        // ImportV1DatabaseSchema.fix_allow_csv_upload: exports of some releases used this name
        @SuppressWarnings("unchecked")
        Map<Object, Object> renamed = new LinkedHashMap<>((Map<Object, Object>) database);
        renamed.put("allow_csv_upload", renamed.remove("allow_file_upload"));
        config = renamed;
      }
      check(file, "", config, schema, problems);
      // files with schema problems stay in the graph, so one bad key is reported once, not again
      // as a dangling reference in every file that points at it
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) config;
      loaded.put(file, typed);
    }
    checkGraph(loaded, problems);
    return List.copyOf(problems);
  }

  /**
   * Superset's {@code get_contents_from_bundle}: the files below the top folder, YAML only, names
   * starting with "." or "_" ignored. A bundle must hold its files in exactly one top folder.
   */
  private static Map<String, String> contents(Bundle bundle, List<BundleProblem> problems) {
    Map<String, String> contents = new LinkedHashMap<>();
    String top = null;
    for (Map.Entry<String, String> file : bundle.files().entrySet()) {
      String name = file.getKey();
      int slash = name.indexOf('/');
      if (slash <= 0) {
        problems.add(
            new BundleProblem(
                name,
                "",
                "File is not inside the bundle's top folder; Superset drops the first path part"));
        continue;
      }
      String folder = name.substring(0, slash);
      if (top == null) {
        top = folder;
      } else if (!top.equals(folder)) {
        problems.add(
            new BundleProblem(
                name,
                "",
                "Bundle must have one top folder; found " + top + "/ and " + folder + "/"));
        continue;
      }
      String relative = withoutRoot(name);
      String base = relative.substring(relative.lastIndexOf('/') + 1);
      String lower = base.toLowerCase();
      if (base.startsWith(".")
          || base.startsWith("_")
          || !(lower.endsWith(".yaml") || lower.endsWith(".yml"))) {
        continue;
      }
      contents.put(relative, file.getValue());
    }
    return contents;
  }

  private static String withoutRoot(String name) {
    int slash = name.indexOf('/');
    return slash < 0 ? name : name.substring(slash + 1);
  }

  private static Object load(String file, String text, List<BundleProblem> problems) {
    try {
      Object value = BundleYaml.read(text);
      if (!(value instanceof Map)) {
        problems.add(new BundleProblem(file, "_schema", "Invalid input type."));
        return null;
      }
      return value;
    } catch (YAMLException e) {
      problems.add(new BundleProblem(file, "", "Not a valid YAML file"));
      return null;
    }
  }

  /** Marshmallow's {@code Schema.load} with {@code unknown=RAISE}, reduced to its messages. */
  private static void check(
      String file, String prefix, Object value, ImportSchema schema, List<BundleProblem> problems) {
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(new BundleProblem(file, key(prefix, "_schema"), "Invalid input type."));
      return;
    }
    for (Map.Entry<String, Field> field : schema.fields().entrySet()) {
      String name = field.getKey();
      Field spec = field.getValue();
      if (!map.containsKey(name)) {
        if (spec.required()) {
          problems.add(new BundleProblem(file, key(prefix, name), MISSING));
        }
        continue;
      }
      Object fieldValue = map.get(name);
      if (fieldValue == null) {
        if (!spec.allowNone()) {
          problems.add(new BundleProblem(file, key(prefix, name), "Field may not be null."));
        }
        continue;
      }
      String error = typeError(spec, fieldValue);
      if (error != null) {
        problems.add(new BundleProblem(file, key(prefix, name), error));
        continue;
      }
      if (spec.type() == ImportSchema.Type.NESTED) {
        check(file, key(prefix, name), fieldValue, spec.nested(), problems);
      } else if (spec.type() == ImportSchema.Type.NESTED_LIST) {
        List<?> items = (List<?>) fieldValue;
        for (int i = 0; i < items.size(); i++) {
          String itemKey = key(key(prefix, name), String.valueOf(i));
          if (spec.nested() == null) {
            if (!(items.get(i) instanceof String)) {
              problems.add(new BundleProblem(file, itemKey, "Not a valid string."));
            }
          } else {
            check(file, itemKey, items.get(i), spec.nested(), problems);
          }
        }
      }
    }
    for (Object name : map.keySet()) {
      if (!(name instanceof String text) || !schema.fields().containsKey(text)) {
        problems.add(new BundleProblem(file, key(prefix, String.valueOf(name)), UNKNOWN));
      }
    }
  }

  private static String typeError(Field spec, Object value) {
    return switch (spec.type()) {
      case STRING -> value instanceof String ? null : "Not a valid string.";
      case UUID -> value instanceof String text && isUuid(text) ? null : "Not a valid UUID.";
      case DICT_OR_JSON ->
          value instanceof Map || isJsonObject(value) ? null : "Not a valid mapping type.";
      case DICT, NESTED ->
          value instanceof Map
              ? null
              : spec.type() == ImportSchema.Type.DICT
                  ? "Not a valid mapping type."
                  : "Invalid input type.";
      case BOOLEAN ->
          TRUTHY.contains(value) || FALSY.contains(value) ? null : "Not a valid boolean.";
      case INTEGER ->
          value instanceof Integer || value instanceof Long ? null : "Not a valid integer.";
      case DATETIME ->
          value instanceof String text && isDateTime(text) ? null : "Not a valid datetime.";
      case NESTED_LIST -> value instanceof List ? null : "Not a valid list.";
      case JSON_STRING -> {
        if (!(value instanceof String text)) {
          yield "Not a valid string.";
        }
        try {
          JsonNode node = JSON.readTree(text);
          if (node == null || node.isMissingNode()) {
            yield "JSON not valid";
          }
          if (!node.has("datasource") || !node.has("queries")) {
            yield "query_context must carry datasource and queries (Superset cannot rebuild the query otherwise)";
          }
          yield null;
        } catch (JsonProcessingException e) {
          yield "JSON not valid";
        }
      }
    };
  }

  private static boolean isJsonObject(Object value) {
    if (!(value instanceof String text)) {
      return false;
    }
    try {
      JsonNode node = JSON.readTree(text);
      return node != null && node.isObject();
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private static boolean isUuid(String text) {
    try {
      UUID.fromString(text);
      return text.length() == 36 || text.length() == 32;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isDateTime(String text) {
    try {
      OffsetDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      try {
        LocalDateTime.parse(text);
        return true;
      } catch (DateTimeParseException again) {
        return false;
      }
    }
  }

  private static String key(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  /** What Superset skips without a word: references to objects the bundle does not hold. */
  private static void checkGraph(
      Map<String, Map<String, Object>> loaded, List<BundleProblem> problems) {
    Map<String, String> databases = new HashMap<>();
    Map<String, String> datasets = new HashMap<>();
    Map<String, String> charts = new HashMap<>();
    Map<String, String> dashboards = new HashMap<>();
    for (Map.Entry<String, Map<String, Object>> entry : loaded.entrySet()) {
      String file = entry.getKey();
      String folder = withoutRoot(file).substring(0, withoutRoot(file).indexOf('/'));
      Map<String, String> byUuid =
          switch (folder) {
            case "databases" -> databases;
            case "datasets" -> datasets;
            case "charts" -> charts;
            default -> dashboards;
          };
      if (!(entry.getValue().get("uuid") instanceof String text) || !isUuid(text)) {
        continue;
      }
      String uuid = normalise(text);
      String previous = byUuid.putIfAbsent(uuid, file);
      if (previous != null) {
        problems.add(new BundleProblem(file, "uuid", "Same uuid " + uuid + " as " + previous));
      }
    }
    for (Map.Entry<String, Map<String, Object>> entry : loaded.entrySet()) {
      String file = entry.getKey();
      Map<String, Object> config = entry.getValue();
      String relative = withoutRoot(file);
      if (relative.startsWith("datasets/")) {
        reference(
            file, "database_uuid", config.get("database_uuid"), databases, "database", problems);
      } else if (relative.startsWith("charts/")) {
        reference(file, "dataset_uuid", config.get("dataset_uuid"), datasets, "dataset", problems);
      } else if (relative.startsWith("dashboards/")
          && config.get("position") instanceof Map<?, ?> position) {
        checkPosition(file, position, charts, problems);
      }
    }
  }

  private static void reference(
      String file,
      String key,
      Object uuid,
      Map<String, String> targets,
      String kind,
      List<BundleProblem> problems) {
    if (!(uuid instanceof String text) || !isUuid(text)) {
      return;
    }
    String target = normalise(text);
    if (!targets.containsKey(target)) {
      problems.add(
          new BundleProblem(
              file,
              key,
              "No "
                  + kind
                  + " in the bundle has uuid "
                  + target
                  + "; Superset would skip this file"));
    }
  }

  /**
   * The dashboard layout: every child named exists, and every CHART element carries {@code
   * meta.uuid} (how Superset finds the chart) and {@code meta.chartId} (how it rewrites ids), the
   * uuid being a chart of the bundle.
   */
  private static void checkPosition(
      String file, Map<?, ?> position, Map<String, String> charts, List<BundleProblem> problems) {
    for (String required : List.of("ROOT_ID", "GRID_ID")) {
      if (!position.containsKey(required)) {
        problems.add(new BundleProblem(file, "position." + required, MISSING));
      }
    }
    for (Map.Entry<?, ?> entry : position.entrySet()) {
      String id = String.valueOf(entry.getKey());
      if (!(entry.getValue() instanceof Map<?, ?> element)) {
        continue;
      }
      String prefix = "position." + id;
      if (element.get("children") instanceof List<?> children) {
        for (Object child : children) {
          if (!position.containsKey(child)) {
            problems.add(
                new BundleProblem(
                    file,
                    prefix + ".children",
                    "Names element " + child + ", which position does not hold"));
          }
        }
      }
      if (!"CHART".equals(element.get("type"))) {
        continue;
      }
      if (!(element.get("meta") instanceof Map<?, ?> meta)) {
        problems.add(new BundleProblem(file, prefix + ".meta", MISSING));
        continue;
      }
      if (!(meta.get("chartId") instanceof Integer)) {
        problems.add(
            new BundleProblem(
                file,
                prefix + ".meta.chartId",
                meta.containsKey("chartId") ? "Not a valid integer." : MISSING));
      }
      Object uuid = meta.get("uuid");
      if (uuid == null) {
        problems.add(new BundleProblem(file, prefix + ".meta.uuid", MISSING));
      } else if (!(uuid instanceof String text) || !isUuid(text)) {
        problems.add(new BundleProblem(file, prefix + ".meta.uuid", "Not a valid UUID."));
      } else if (!charts.containsKey(normalise(text))) {
        problems.add(
            new BundleProblem(
                file,
                prefix + ".meta.uuid",
                "No chart in the bundle has uuid "
                    + normalise(text)
                    + "; Superset would show an empty tile"));
      }
    }
  }

  private static String normalise(String uuid) {
    return UUID.fromString(uuid).toString();
  }
}
