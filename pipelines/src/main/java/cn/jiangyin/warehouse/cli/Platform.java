package cn.jiangyin.warehouse.cli;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.embedded.EmbeddedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform a command works on, chosen in one place: a real deployment (部署) described by a
 * configuration file — {@code --config FILE}, else {@code $WAREHOUSE_CONFIG}, else {@code
 * ./warehouse.yaml} if present — or, without one, the embedded default started under the home
 * folder and stopped when the command ends.
 */
final class Platform implements AutoCloseable {
  static final String CONFIG_VARIABLE = "WAREHOUSE_CONFIG";
  static final String CONFIG_FILE_NAME = "warehouse.yaml";
  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final PlatformConfig config;
  private final Optional<EmbeddedPlatform> embedded;
  private final String description;

  private Platform(PlatformConfig config, Optional<EmbeddedPlatform> embedded, String description) {
    this.config = config;
    this.embedded = embedded;
    this.description = description;
  }

  /** The configuration file in effect, if any, in order of precedence. */
  static Optional<Path> configFile(
      Optional<Path> option, Function<String, String> environment, Path workingDirectory) {
    if (option.isPresent()) {
      return option;
    }
    String variable = environment.apply(CONFIG_VARIABLE);
    if (variable != null && !variable.isBlank()) {
      return Optional.of(Path.of(variable));
    }
    Path local = workingDirectory.resolve(CONFIG_FILE_NAME);
    return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
  }

  /**
   * Loads the deployment's configuration, or starts the embedded platform under {@code home} (its
   * PostgreSQL keeps its data there between commands).
   */
  static Platform open(Optional<Path> configFile, Path home, Function<String, String> environment) {
    requireNonNull(configFile, "configFile is null");
    requireNonNull(home, "home is null");
    requireNonNull(environment, "environment is null");
    if (configFile.isPresent()) {
      Path file = configFile.get().toAbsolutePath().normalize();
      return new Platform(
          PlatformConfig.load(file, environment),
          Optional.empty(),
          "deployment configured by " + file);
    }
    EmbeddedPlatform platform = EmbeddedPlatform.start(home);
    LOG.info("Embedded platform ready in {}", platform.home());
    return new Platform(
        platform.config(), Optional.of(platform), "embedded platform in " + platform.home());
  }

  PlatformConfig config() {
    return config;
  }

  /** Whether the catalog lives in this process (the embedded PostgreSQL) and ends with it. */
  boolean embedded() {
    return embedded.isPresent();
  }

  /** Which platform this is, for messages: the configuration file or the embedded home. */
  String description() {
    return description;
  }

  @Override
  public void close() {
    embedded.ifPresent(EmbeddedPlatform::close);
  }
}
