package cn.jiangyin.warehouse.trino;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns {@link TrinoSettings} into Trino's configuration files, for the local
 * single-node server and for a production cluster (生产集群), so both read the lake the same way.
 *
 * <p>What makes Trino 476 read the lake written by Spark and the Iceberg Java API:
 *
 * <ul>
 *   <li>{@code iceberg.catalog.type=jdbc} with {@code iceberg.jdbc-catalog.catalog-name} equal to
 *       Spark's catalog name and {@code iceberg.jdbc-catalog.schema-version=V1}; the PostgreSQL
 *       driver ships in {@code plugin/iceberg}. Trino does not create the catalog tables: the
 *       Iceberg Java API or Spark must have initialised the catalog first.
 *   <li>Table locations are {@code file:/abs/path}. The Maven {@code trino-iceberg} zip has no
 *       Hadoop file system ({@code fs.hadoop.enabled} would find no {@code hdfs/} directory), so
 *       the native local file system serves both {@code file:} and {@code local:} locations: {@code
 *       fs.native-local.enabled=true}. It resolves a location's path <em>relative to</em> {@code
 *       local.location} (default: {@code java.io.tmpdir}), so {@code local.location=/} is what maps
 *       {@code file:/abs/path} to {@code /abs/path}.
 *   <li>The catalog password is never written: the file says {@code ${ENV:LAKE_CATALOG_PASSWORD}}
 *       and the server process gets the variable.
 * </ul>
 */
public final class TrinoConfiguration {
  /** The environment variable the server reads the catalog password from. */
  public static final String CATALOG_PASSWORD_VARIABLE = "LAKE_CATALOG_PASSWORD";

  /** The Trino catalog analysts query: {@code iceberg.raw.t}. */
  public static final String TRINO_CATALOG = "iceberg";

  /** The {@code node.environment} of every node: lowercase letters, digits and underscores only. */
  public static final String ENVIRONMENT = "jiangyin";

  private TrinoConfiguration() {}

  /** {@code etc/catalog/iceberg.properties}. */
  public static Map<String, String> catalogProperties(TrinoSettings settings) {
    requireNonNull(settings, "settings is null");
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("connector.name", "iceberg");
    properties.put("iceberg.catalog.type", "jdbc");
    properties.put("iceberg.jdbc-catalog.catalog-name", settings.catalogName());
    properties.put("iceberg.jdbc-catalog.driver-class", "org.postgresql.Driver");
    properties.put("iceberg.jdbc-catalog.connection-url", settings.catalogUrl());
    properties.put("iceberg.jdbc-catalog.connection-user", settings.catalogUser());
    if (!settings.catalogPassword().isEmpty()) {
      properties.put(
          "iceberg.jdbc-catalog.connection-password", "${ENV:" + CATALOG_PASSWORD_VARIABLE + "}");
    }
    properties.put("iceberg.jdbc-catalog.schema-version", "V1");
    properties.put("iceberg.jdbc-catalog.default-warehouse-dir", settings.warehouseLocation());
    // DESIGN.md "Format": v2, Trino 476 predates v3 deletion vectors.
    properties.put("iceberg.format-version", "2");
    if (settings.localWarehouse()) {
      properties.put("fs.native-local.enabled", "true");
      properties.put("local.location", "/");
    } else {
      // Endpoint, region and credentials are the cluster's (s3.endpoint, s3.region, …), added by
      // operations.
      properties.put("fs.native-s3.enabled", "true");
    }
    return properties;
  }

  /** {@code etc/jvm.config} lines: Trino 476's recommended options, sized by {@code maxHeap}. */
  public static List<String> jvmOptions(String maxHeap) {
    requireNonNull(maxHeap, "maxHeap is null");
    return List.of(
        "-server",
        "-Xmx" + maxHeap,
        "-XX:G1HeapRegionSize=32M",
        "-XX:+ExplicitGCInvokesConcurrent",
        "-XX:+HeapDumpOnOutOfMemoryError",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:-OmitStackTraceInFastThrow",
        "-XX:ReservedCodeCacheSize=256M",
        "-XX:PerMethodRecompilationCutoff=10000",
        "-XX:PerBytecodeRecompilationCutoff=10000",
        "-Djdk.attach.allowAttachSelf=true",
        "-Djdk.nio.maxCachedBufferSize=2000000",
        "-XX:+EnableDynamicAgentLoading",
        "-XX:+UnlockDiagnosticVMOptions",
        // https://bugs.openjdk.org/browse/JDK-8329528
        "-XX:G1NumCollectionsKeepPinned=10000000",
        // JDK 24+: Trino's vectorised code, and no warnings for Unsafe and JNA.
        "--add-modules=jdk.incubator.vector",
        "--sun-misc-unsafe-memory-access=allow",
        "--enable-native-access=ALL-UNNAMED",
        "-Dfile.encoding=UTF-8");
  }

  /** Where a production node keeps its configuration ({@code /etc/trino}, as the RPM does). */
  public static final String PRODUCTION_ETC = "/etc/trino";

  /** Where a production node keeps its data directory. */
  public static final String PRODUCTION_DATA = "/var/lib/trino/data";

  /** HTTPS port of the production coordinator, where clients authenticate by password. */
  public static final int PRODUCTION_HTTPS_PORT_DEFAULT = 8443;

  /** The environment variables a production node needs; the files only refer to them. */
  public static final List<String> PRODUCTION_VARIABLES =
      List.of(
          CATALOG_PASSWORD_VARIABLE,
          "TRINO_NODE_ID",
          "TRINO_SHARED_SECRET",
          "TRINO_KEYSTORE_PASSWORD",
          "TRINO_LDAP_URL",
          "TRINO_LDAP_USER_BIND_PATTERN");

  /**
   * Writes a production configuration into {@code targetDirectory}, laid out as each node's {@code
   * /etc/trino}: {@code catalog/iceberg.properties} and {@code jvm.config} for every node; {@code
   * coordinator/} with {@code config.properties}, {@code node.properties}, {@code
   * access-control.properties}, {@code rules.json}, {@code group-provider.properties}, {@code
   * group.txt} and {@code password-authenticator.properties}; {@code worker/} with {@code
   * config.properties} and {@code node.properties}. No secret is written: the files say {@code
   * ${ENV:…}} and every node must have {@link #PRODUCTION_VARIABLES} in its environment.
   *
   * <p>The coordinator serves clients over HTTPS with password (LDAP) authentication, since without
   * authentication the client names its own user and the access rules would protect nothing; nodes
   * talk to each other with a shared secret.
   *
   * @param coordinatorUri the coordinator's address as workers reach it, e.g. {@code
   *     http://trino-1:8080}
   */
  public static void writeProduction(
      TrinoSettings settings, URI coordinatorUri, Path targetDirectory) {
    requireNonNull(settings, "settings is null");
    requireNonNull(coordinatorUri, "coordinatorUri is null");
    requireNonNull(targetDirectory, "targetDirectory is null");
    if (!"http".equals(coordinatorUri.getScheme()) && !"https".equals(coordinatorUri.getScheme())
        || coordinatorUri.getHost() == null
        || coordinatorUri.getPort() <= 0) {
      throw new IllegalArgumentException(
          "Invalid coordinator URI, expected http://host:port: " + coordinatorUri);
    }
    String port = Integer.toString(coordinatorUri.getPort());
    String discovery = coordinatorUri.toString();
    Path etc = Path.of(PRODUCTION_ETC);

    Map<String, String> coordinator = new LinkedHashMap<>();
    coordinator.put("coordinator", "true");
    coordinator.put("node-scheduler.include-coordinator", "false");
    coordinator.put("http-server.http.port", port);
    coordinator.put("discovery.uri", discovery);
    coordinator.put("internal-communication.shared-secret", "${ENV:TRINO_SHARED_SECRET}");
    coordinator.put("http-server.https.enabled", "true");
    coordinator.put("http-server.https.port", Integer.toString(PRODUCTION_HTTPS_PORT_DEFAULT));
    coordinator.put("http-server.https.keystore.path", etc.resolve("keystore.jks").toString());
    coordinator.put("http-server.https.keystore.key", "${ENV:TRINO_KEYSTORE_PASSWORD}");
    coordinator.put("http-server.authentication.type", "PASSWORD");

    Map<String, String> worker = new LinkedHashMap<>();
    worker.put("coordinator", "false");
    worker.put("http-server.http.port", port);
    worker.put("discovery.uri", discovery);
    worker.put("internal-communication.shared-secret", "${ENV:TRINO_SHARED_SECRET}");

    Map<String, String> node = new LinkedHashMap<>();
    node.put("node.environment", ENVIRONMENT);
    node.put("node.id", "${ENV:TRINO_NODE_ID}");
    node.put("node.data-dir", PRODUCTION_DATA);

    Map<String, String> ldap = new LinkedHashMap<>();
    ldap.put("password-authenticator.name", "ldap");
    ldap.put("ldap.url", "${ENV:TRINO_LDAP_URL}");
    ldap.put("ldap.user-bind-pattern", "${ENV:TRINO_LDAP_USER_BIND_PATTERN}");

    writeProperties(
        targetDirectory.resolve("catalog/iceberg.properties"), catalogProperties(settings));
    writeLines(targetDirectory.resolve("jvm.config"), jvmOptions(settings.maxHeap()));
    Path coordinatorDirectory = targetDirectory.resolve("coordinator");
    writeProperties(coordinatorDirectory.resolve("config.properties"), coordinator);
    writeProperties(coordinatorDirectory.resolve("node.properties"), node);
    writeLines(coordinatorDirectory.resolve("rules.json"), List.of(TrinoAccess.rules().strip()));
    writeProperties(
        coordinatorDirectory.resolve("access-control.properties"),
        TrinoAccess.accessControlProperties(etc.resolve("rules.json")));
    // group:user,user lines; operations replace the development accounts by the real ones
    writeLines(coordinatorDirectory.resolve("group.txt"), TrinoAccess.developmentGroups());
    writeProperties(
        coordinatorDirectory.resolve("group-provider.properties"),
        TrinoAccess.groupProviderProperties(etc.resolve("group.txt")));
    writeProperties(coordinatorDirectory.resolve("password-authenticator.properties"), ldap);
    Path workerDirectory = targetDirectory.resolve("worker");
    writeProperties(workerDirectory.resolve("config.properties"), worker);
    writeProperties(workerDirectory.resolve("node.properties"), node);
  }

  /**
   * {@code etc/config.properties} of the local single-node server: coordinator and worker in one.
   */
  static Map<String, String> localServerProperties(
      int httpPort, TrinoDistribution distribution, Path dataDirectory) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("coordinator", "true");
    properties.put("node-scheduler.include-coordinator", "true");
    properties.put("http-server.http.port", Integer.toString(httpPort));
    properties.put("discovery.uri", "http://127.0.0.1:" + httpPort);
    // Absolute paths, so the server does not depend on its working directory or on symbolic links.
    properties.put("plugin.dir", distribution.pluginDirectory().toString());
    properties.put("catalog.config-dir", dataDirectory.resolve("etc/catalog").toString());
    properties.put("log.path", dataDirectory.resolve("var/log/server.log").toString());
    return properties;
  }

  /** {@code etc/node.properties} of the local server, bound to the loopback interface only. */
  static Map<String, String> localNodeProperties(Path dataDirectory) {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("node.environment", ENVIRONMENT);
    properties.put("node.id", "local-coordinator");
    properties.put("node.data-dir", dataDirectory.toString());
    properties.put("node.bind-ip", "127.0.0.1");
    properties.put("node.internal-address", "127.0.0.1");
    return properties;
  }

  /** Writes {@code etc/} of the local server into the data directory. */
  static void writeLocal(TrinoSettings settings, int httpPort, TrinoDistribution distribution) {
    Path etc = settings.dataDirectory().resolve("etc");
    writeProperties(etc.resolve("node.properties"), localNodeProperties(settings.dataDirectory()));
    writeLines(etc.resolve("jvm.config"), jvmOptions(settings.maxHeap()));
    writeProperties(
        etc.resolve("config.properties"),
        localServerProperties(httpPort, distribution, settings.dataDirectory()));
    writeProperties(etc.resolve("catalog/iceberg.properties"), catalogProperties(settings));
    // Trino reads etc/access-control.properties and etc/group-provider.properties relative to its
    // working directory, the data directory (TrinoServer.start).
    writeLines(etc.resolve("rules.json"), List.of(TrinoAccess.rules().strip()));
    writeProperties(
        etc.resolve("access-control.properties"),
        TrinoAccess.accessControlProperties(etc.resolve("rules.json")));
    writeLines(etc.resolve("group.txt"), TrinoAccess.developmentGroups());
    writeProperties(
        etc.resolve("group-provider.properties"),
        TrinoAccess.groupProviderProperties(etc.resolve("group.txt")));
  }

  static void writeProperties(Path file, Map<String, String> properties) {
    List<String> lines = new ArrayList<>();
    properties.forEach((key, value) -> lines.add(key + "=" + escape(key, value)));
    writeLines(file, lines);
  }

  private static void writeLines(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, lines, UTF_8);
    } catch (IOException e) {
      throw new TrinoServerException(
          TrinoServerException.Code.CONFIGURATION_FAILED, "Cannot write " + file + ": " + e, e);
    }
  }

  /** Trino reads these files with {@link java.util.Properties#load}: backslashes escape. */
  private static String escape(String key, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("Invalid value of " + key + ", contains a line break");
    }
    return value.replace("\\", "\\\\");
  }
}
