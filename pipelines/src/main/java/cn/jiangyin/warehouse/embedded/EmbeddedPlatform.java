package cn.jiangyin.warehouse.embedded;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.config.PlatformConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: everything the platform needs on a machine with only a JDK and Maven. One
 * embedded PostgreSQL (binaries from Maven Central) holds the Iceberg catalog and the simulated
 * departmental databases, with logical decoding on so Debezium can capture from it; the lake is a
 * local folder. State persists under one home folder (default {@code .warehouse/}), so {@code
 * ./warehouse sql} can read what {@code demo} wrote.
 */
public final class EmbeddedPlatform implements AutoCloseable {
  public static final String CATALOG_DATABASE = "warehouse_catalog";
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);

  private final Path home;
  private final EmbeddedPostgres postgres;
  private final PlatformConfig config;

  private EmbeddedPlatform(Path home, EmbeddedPostgres postgres, PlatformConfig config) {
    this.home = home;
    this.postgres = postgres;
    this.config = config;
  }

  /** Starts (or restarts, keeping its data) the embedded PostgreSQL under {@code home}. */
  public static EmbeddedPlatform start(Path home) {
    requireNonNull(home, "home is null");
    Path absolute = home.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
      LOG.info("Starting embedded PostgreSQL in {}", absolute.resolve("postgres"));
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(absolute.resolve("postgres"))
              .setCleanDataDirectory(false)
              .setServerConfig("wal_level", "logical")
              .setServerConfig("max_replication_slots", "20")
              .setServerConfig("max_wal_senders", "20")
              .setServerConfig("max_connections", "200")
              .setServerConfig("listen_addresses", "127.0.0.1")
              .start();
      createDatabase(postgres, CATALOG_DATABASE);
      String secret = personKeySecret(absolute.resolve("secrets/person-key"));
      PlatformConfig config =
          PlatformConfig.of(
              Map.of(
                  PlatformConfig.CATALOG_JDBC_URL.key(),
                  postgres.getJdbcUrl("postgres", CATALOG_DATABASE),
                  PlatformConfig.CATALOG_USER.key(),
                  "postgres",
                  PlatformConfig.LAKE_LOCATION.key(),
                  absolute.resolve("lake").toString(),
                  PlatformConfig.EXPORT_LOCATION.key(),
                  absolute.resolve("export").toString(),
                  PlatformConfig.CAPTURE_STATE_LOCATION.key(),
                  absolute.resolve("capture-state").toString()),
              variable ->
                  switch (variable) {
                    case "PERSON_KEY_SECRET" -> secret;
                    // trust authentication on the embedded server; the value is not checked
                    case "WAREHOUSE_DB_PASSWORD" -> "embedded";
                    default -> System.getenv(variable);
                  },
              absolute);
      return new EmbeddedPlatform(absolute, postgres, config);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL under " + absolute, e);
    }
  }

  public PlatformConfig config() {
    return config;
  }

  public Path home() {
    return home;
  }

  public int postgresPort() {
    return postgres.getPort();
  }

  /** A JDBC URL to a database of the embedded server, as user {@code postgres}. */
  public String jdbcUrl(String database) {
    return postgres.getJdbcUrl("postgres", database);
  }

  public void createDatabase(String database) {
    createDatabase(postgres, database);
  }

  private static void createDatabase(EmbeddedPostgres postgres, String database) {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery(
              "SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'")) {
        if (exists.next()) {
          return;
        }
      }
      statement.execute("CREATE DATABASE \"" + database + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create database " + database, e);
    }
  }

  /**
   * The demo's person-key secret, made once and kept readable by the owner only. Production sets
   * {@code PERSON_KEY_SECRET} from its secret store instead.
   */
  private static String personKeySecret(Path file) throws IOException {
    String fromEnvironment = System.getenv("PERSON_KEY_SECRET");
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return fromEnvironment;
    }
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }
    Files.createDirectories(file.getParent());
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    String secret = HexFormat.of().formatHex(bytes);
    Files.writeString(file, secret, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return secret;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot stop the embedded PostgreSQL", e);
    }
  }
}
