package cn.jiangyin.warehouse.config;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one platform configuration file ({@code warehouse.yaml}): where the Iceberg catalog and the
 * lake are, and the secrets the platform needs (taken from the environment, never from the file).
 * Validated on load; every error names the key.
 */
public final class PlatformConfig {
  public static final ConfigOption CATALOG_NAME =
      ConfigOption.withDefault(
          "catalog.name",
          ConfigOption.Kind.IDENTIFIER,
          "lake",
          "Iceberg catalog name shared by Spark, the Iceberg Java API and Trino"
              + " (Trino: iceberg.jdbc-catalog.catalog-name).");
  public static final ConfigOption CATALOG_JDBC_URL =
      ConfigOption.required(
          "catalog.jdbc-url",
          ConfigOption.Kind.JDBC_URL,
          "PostgreSQL database holding the Iceberg JdbcCatalog, e.g."
              + " jdbc:postgresql://127.0.0.1:5432/warehouse_catalog.");
  public static final ConfigOption CATALOG_USER =
      ConfigOption.withDefault(
          "catalog.user", ConfigOption.Kind.TEXT, "warehouse", "User of the catalog database.");
  public static final ConfigOption CATALOG_PASSWORD =
      ConfigOption.withDefault(
          "catalog.password",
          ConfigOption.Kind.SECRET,
          "${env:WAREHOUSE_DB_PASSWORD}",
          "Password of the catalog database, from the environment.");
  public static final ConfigOption LAKE_LOCATION =
      ConfigOption.withDefault(
          "lake.location",
          ConfigOption.Kind.LOCATION,
          ".warehouse/lake",
          "Warehouse root of the Iceberg tables: a local folder here, s3:// in production.");
  public static final ConfigOption EXPORT_LOCATION =
      ConfigOption.withDefault(
          "export.location",
          ConfigOption.Kind.LOCATION,
          ".warehouse/export",
          "Folder the verdict exports are delivered to.");
  public static final ConfigOption CAPTURE_STATE_LOCATION =
      ConfigOption.withDefault(
          "capture.state-location",
          ConfigOption.Kind.LOCATION,
          ".warehouse/capture-state",
          "Local folder for capture's working files (MariaDB/MySQL schema history); offsets live in"
              + " the lake, not here.");
  public static final ConfigOption PERSON_KEY_SECRET =
      ConfigOption.withDefault(
          "identity.person-key-secret",
          ConfigOption.Kind.SECRET,
          "${env:PERSON_KEY_SECRET}",
          "HMAC-SHA256 key of person_key (the keyed hash of a normalised ID number).");
  public static final ConfigOption SPARK_MASTER =
      ConfigOption.withDefault(
          "spark.master", ConfigOption.Kind.TEXT, "local[*]", "Spark master for the jobs.");

  public static final ConfigOption AIRFLOW_URL =
      ConfigOption.withDefault(
          "airflow.url",
          ConfigOption.Kind.TEXT,
          "http://127.0.0.1:8080",
          "Base URL of the Airflow 3 API server (warehouse airflow trigger|status).");
  public static final ConfigOption AIRFLOW_USER =
      ConfigOption.withDefault(
          "airflow.user",
          ConfigOption.Kind.TEXT,
          "warehouse",
          "Airflow user the warehouse logs in as.");
  public static final ConfigOption AIRFLOW_PASSWORD =
      ConfigOption.withDefault(
          "airflow.password",
          ConfigOption.Kind.SECRET_ON_USE,
          "${env:AIRFLOW_PASSWORD}",
          "Password of the Airflow user, from the environment; only warehouse airflow reads it.");

  public static final List<ConfigOption> OPTIONS =
      List.of(
          CATALOG_NAME,
          CATALOG_JDBC_URL,
          CATALOG_USER,
          CATALOG_PASSWORD,
          LAKE_LOCATION,
          EXPORT_LOCATION,
          CAPTURE_STATE_LOCATION,
          PERSON_KEY_SECRET,
          SPARK_MASTER,
          AIRFLOW_URL,
          AIRFLOW_USER,
          AIRFLOW_PASSWORD);

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]*");

  private final Map<String, String> values;

  private PlatformConfig(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /** Reads {@code warehouse.yaml}; nested mappings are flattened to dotted keys. */
  public static PlatformConfig load(Path file, Function<String, String> environment) {
    YamlDocument document = YamlDocument.read(file);
    Map<String, String> raw = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    flatten(document.root(), raw, lines);
    Path base = file.toAbsolutePath().getParent();
    try {
      return resolve(raw, environment, base);
    } catch (InvalidConfigException e) {
      int line = lines.getOrDefault(e.key(), 1);
      throw new InvalidConfigException(e.key(), file + ":" + line + ": " + e.getMessage());
    }
  }

  /**
   * Builds a configuration from key/values (tests, the embedded demo); relative locations from
   * {@code base}.
   */
  public static PlatformConfig of(
      Map<String, String> settings, Function<String, String> environment, Path base) {
    return resolve(settings, environment, base);
  }

  private static void flatten(
      YamlDocument.Entry entry, Map<String, String> values, Map<String, Integer> lines) {
    for (Map.Entry<String, YamlDocument.Entry> child : entry.mapping().entrySet()) {
      YamlDocument.Entry value = child.getValue();
      if (value.isMapping()) {
        flatten(value, values, lines);
      } else {
        values.put(value.path(), value.text());
        lines.put(value.path(), value.line());
      }
    }
  }

  private static PlatformConfig resolve(
      Map<String, String> settings, Function<String, String> environment, Path base) {
    Map<String, ConfigOption> known =
        OPTIONS.stream().collect(Collectors.toMap(ConfigOption::key, option -> option));
    for (String key : settings.keySet()) {
      if (!known.containsKey(key)) {
        throw new InvalidConfigException(
            key, "unknown key '" + key + "' (known: " + String.join(", ", known.keySet()) + ")");
      }
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (ConfigOption option : OPTIONS) {
      Optional<String> given =
          Optional.ofNullable(settings.get(option.key())).or(option::defaultValue);
      if (given.isEmpty()) {
        throw new InvalidConfigException(
            option.key(), "missing required key '" + option.key() + "'");
      }
      values.put(option.key(), validate(option, given.get().trim(), environment, base));
    }
    return new PlatformConfig(values);
  }

  private static String validate(
      ConfigOption option, String value, Function<String, String> environment, Path base) {
    String key = option.key();
    return switch (option.kind()) {
      case TEXT -> {
        if (value.isEmpty()) {
          throw new InvalidConfigException(key, "'" + key + "' is empty");
        }
        yield value;
      }
      case IDENTIFIER -> {
        if (!IDENTIFIER.matcher(value).matches()) {
          throw new InvalidConfigException(
              key, "'" + key + "' must be lower-case letters, digits and _, found '" + value + "'");
        }
        yield value;
      }
      case JDBC_URL -> {
        if (!value.startsWith("jdbc:postgresql://")) {
          throw new InvalidConfigException(
              key, "'" + key + "' must be a jdbc:postgresql:// URL, found '" + value + "'");
        }
        yield value;
      }
      case LOCATION -> {
        if (value.contains("://")) {
          yield value;
        }
        Path path = Path.of(value.startsWith("file:") ? value.substring("file:".length()) : value);
        yield (path.isAbsolute() ? path : base.resolve(path)).normalize().toString();
      }
      case SECRET -> {
        if (!EnvironmentReference.isReference(value)) {
          throw new InvalidConfigException(
              key,
              "'"
                  + key
                  + "' is a secret: write ${env:VARIABLE} and set the variable, not the value itself");
        }
        String secret =
            EnvironmentReference.resolve(
                value,
                environment,
                variable ->
                    new InvalidConfigException(
                        key,
                        "'"
                            + key
                            + "' reads environment variable "
                            + variable
                            + ", which is not set"));
        yield secret;
      }
      case SECRET_ON_USE -> {
        if (!EnvironmentReference.isReference(value)) {
          throw new InvalidConfigException(
              key,
              "'"
                  + key
                  + "' is a secret: write ${env:VARIABLE} and set the variable, not the value itself");
        }
        yield value;
      }
    };
  }

  public String value(ConfigOption option) {
    return requireNonNull(values.get(option.key()), option.key());
  }

  public String catalogName() {
    return value(CATALOG_NAME);
  }

  public String catalogJdbcUrl() {
    return value(CATALOG_JDBC_URL);
  }

  public String catalogUser() {
    return value(CATALOG_USER);
  }

  public String catalogPassword() {
    return value(CATALOG_PASSWORD);
  }

  /** The lake root as a URI-style location Iceberg accepts ({@code file:/…} for local folders). */
  public String lakeLocation() {
    String location = value(LAKE_LOCATION);
    return location.contains("://") ? location : "file:" + location;
  }

  public Path exportLocation() {
    return Path.of(value(EXPORT_LOCATION));
  }

  public Path captureStateLocation() {
    return Path.of(value(CAPTURE_STATE_LOCATION));
  }

  public String personKeySecret() {
    return value(PERSON_KEY_SECRET);
  }

  public String sparkMaster() {
    return value(SPARK_MASTER);
  }

  /**
   * The value of a {@link ConfigOption.Kind#SECRET_ON_USE} option, read from {@code environment}
   * now.
   */
  public String secret(ConfigOption option, Function<String, String> environment) {
    if (option.kind() != ConfigOption.Kind.SECRET_ON_USE) {
      throw new IllegalArgumentException("Invalid option " + option.key() + ": not read on use");
    }
    return EnvironmentReference.resolve(
        value(option),
        environment,
        variable ->
            new InvalidConfigException(
                option.key(),
                "'"
                    + option.key()
                    + "' reads environment variable "
                    + variable
                    + ", which is not set"));
  }

  /** Key/values with secrets hidden, for logs and {@code --help}. */
  @Override
  public String toString() {
    return OPTIONS.stream()
        .map(
            option ->
                option.key()
                    + "="
                    + (option.kind() == ConfigOption.Kind.SECRET
                        ? "****"
                        : values.get(option.key())))
        .collect(Collectors.joining(", ", "PlatformConfig{", "}"));
  }
}
