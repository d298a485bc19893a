package cn.jiangyin.warehouse.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One platform setting, declared once: its key, kind, default and description. The configuration
 * loader, the {@code --help} text and {@code docs/configuration.md} all come from these
 * declarations.
 */
public record ConfigOption(
    String key, Kind kind, Optional<String> defaultValue, String description) {
  public ConfigOption {
    requireNonNull(key, "key is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(defaultValue, "defaultValue is null");
    requireNonNull(description, "description is null");
  }

  static ConfigOption required(String key, Kind kind, String description) {
    return new ConfigOption(key, kind, Optional.empty(), description);
  }

  static ConfigOption withDefault(String key, Kind kind, String defaultValue, String description) {
    return new ConfigOption(key, kind, Optional.of(defaultValue), description);
  }

  /** What a value of the option must look like. */
  public enum Kind {
    TEXT,
    /** A name usable in SQL: lower-case letters, digits and underscores. */
    IDENTIFIER,
    /** A {@code jdbc:postgresql://} URL. */
    JDBC_URL,
    /**
     * A folder on local disk or an object-store URI; relative paths are taken from the config
     * file's folder.
     */
    LOCATION,
    /**
     * Never written in the file: the value must be {@code ${env:NAME}} and is read from the
     * environment, so a configuration file can be committed and shared.
     */
    SECRET,
    /**
     * A secret only one command needs (e.g. the Airflow password): written {@code ${env:NAME}} like
     * {@link #SECRET}, checked to be a reference on load, but read from the environment only by
     * that command ({@link PlatformConfig#secret}), so other commands run without the variable.
     */
    SECRET_ON_USE
  }
}
