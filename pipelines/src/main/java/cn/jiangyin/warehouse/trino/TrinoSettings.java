package cn.jiangyin.warehouse.trino;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a Trino server needs to know to serve the lake (数据湖): where the Iceberg JDBC catalog lives,
 * under which catalog name Spark and the Iceberg Java API registered the tables, where the
 * warehouse is, and where the server keeps its own configuration, logs and pid file.
 *
 * @param catalogUrl JDBC URL of the PostgreSQL database holding the Iceberg catalog tables ({@code
 *     jdbc:postgresql://host:port/db}); Trino's Iceberg plugin ships only the PostgreSQL driver
 * @param catalogUser user of the catalog database
 * @param catalogPassword password of the catalog database, may be empty (trust authentication);
 *     never written to disk or to logs — the server reads it from the environment variable {@link
 *     TrinoConfiguration#CATALOG_PASSWORD_VARIABLE}
 * @param catalogName the {@code catalog_name} under which the lake's tables are registered, shared
 *     with Spark
 * @param warehouseLocation warehouse root: {@code file:/abs/path} (an absolute path is accepted and
 *     turned into one) or {@code s3://bucket/prefix} in production
 * @param dataDirectory the server's own directory: {@code etc/}, {@code var/log/}, {@code var/run/}
 * @param httpPort HTTP port on 127.0.0.1; 0 picks a free one at start
 * @param maxHeap the JVM's maximum heap in {@code -Xmx} syntax, e.g. {@code 2G}
 */
public record TrinoSettings(
    String catalogUrl,
    String catalogUser,
    String catalogPassword,
    String catalogName,
    String warehouseLocation,
    Path dataDirectory,
    int httpPort,
    String maxHeap) {

  /** The catalog name Spark and the Iceberg Java API use for the lake (DESIGN.md "Catalog"). */
  public static final String CATALOG_NAME_DEFAULT = "lake";

  /** Pick a free port at start. */
  public static final int HTTP_PORT_DEFAULT = 0;

  /**
   * Sized for a 2-core/24 GiB development machine shared with Spark: the server stays under ~3 GB
   * RSS.
   */
  public static final String MAX_HEAP_DEFAULT = "2G";

  private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[MG]");
  private static final Pattern CATALOG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final Set<String> OBJECT_STORE_SCHEMES = Set.of("s3", "s3a");

  public TrinoSettings {
    requireNonNull(catalogUrl, "catalogUrl is null");
    requireNonNull(catalogUser, "catalogUser is null");
    requireNonNull(catalogPassword, "catalogPassword is null");
    requireNonNull(catalogName, "catalogName is null");
    requireNonNull(warehouseLocation, "warehouseLocation is null");
    requireNonNull(dataDirectory, "dataDirectory is null");
    requireNonNull(maxHeap, "maxHeap is null");
    if (!catalogUrl.startsWith("jdbc:postgresql://")) {
      // Only org.postgresql_postgresql-*.jar ships in plugin/iceberg of Trino 476.
      throw new IllegalArgumentException(
          "Invalid catalog URL, Trino's Iceberg plugin can reach only PostgreSQL (jdbc:postgresql://…): "
              + catalogUrl);
    }
    if (catalogUser.isBlank()) {
      throw new IllegalArgumentException("Invalid catalog user: '" + catalogUser + "'");
    }
    if (!CATALOG_NAME.matcher(catalogName).matches()) {
      throw new IllegalArgumentException("Invalid catalog name: " + catalogName);
    }
    warehouseLocation = normalizeWarehouse(warehouseLocation);
    dataDirectory = dataDirectory.toAbsolutePath().normalize();
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("Invalid HTTP port: " + httpPort);
    }
    maxHeap = maxHeap.toUpperCase(Locale.ROOT);
    if (!HEAP.matcher(maxHeap).matches()) {
      throw new IllegalArgumentException("Invalid max heap, expected e.g. 2G or 1536M: " + maxHeap);
    }
  }

  /**
   * Settings with the default catalog name {@value #CATALOG_NAME_DEFAULT}, a free port and a 2 GB
   * heap.
   */
  public static TrinoSettings of(
      String catalogUrl,
      String catalogUser,
      String catalogPassword,
      String warehouseLocation,
      Path dataDirectory) {
    return new TrinoSettings(
        catalogUrl,
        catalogUser,
        catalogPassword,
        CATALOG_NAME_DEFAULT,
        warehouseLocation,
        dataDirectory,
        HTTP_PORT_DEFAULT,
        MAX_HEAP_DEFAULT);
  }

  public TrinoSettings withCatalogName(String name) {
    return new TrinoSettings(
        catalogUrl,
        catalogUser,
        catalogPassword,
        name,
        warehouseLocation,
        dataDirectory,
        httpPort,
        maxHeap);
  }

  public TrinoSettings withHttpPort(int port) {
    return new TrinoSettings(
        catalogUrl,
        catalogUser,
        catalogPassword,
        catalogName,
        warehouseLocation,
        dataDirectory,
        port,
        maxHeap);
  }

  public TrinoSettings withMaxHeap(String heap) {
    return new TrinoSettings(
        catalogUrl,
        catalogUser,
        catalogPassword,
        catalogName,
        warehouseLocation,
        dataDirectory,
        httpPort,
        heap);
  }

  /** Whether the warehouse is on a (shared) local file system rather than object storage. */
  public boolean localWarehouse() {
    return warehouseLocation.startsWith("file:");
  }

  /** Never shows the password: settings end up in logs and exception messages. */
  @Override
  public String toString() {
    return "TrinoSettings[catalogUrl="
        + catalogUrl
        + ", catalogUser="
        + catalogUser
        + ", catalogPassword="
        + (catalogPassword.isEmpty() ? "(empty)" : "****")
        + ", catalogName="
        + catalogName
        + ", warehouseLocation="
        + warehouseLocation
        + ", dataDirectory="
        + dataDirectory
        + ", httpPort="
        + httpPort
        + ", maxHeap="
        + maxHeap
        + "]";
  }

  private static String normalizeWarehouse(String location) {
    if (location.startsWith("/")) {
      return "file:" + Path.of(location).normalize();
    }
    URI uri;
    try {
      uri = new URI(location);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid warehouse location: " + location, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      // Trino's local file system maps file:/a/b to <local.location>/a/b, so the path must be
      // absolute
      // and carry no host: file:/abs and file:///abs are both fine.
      if (uri.getPath() == null || !uri.getPath().startsWith("/") || uri.getHost() != null) {
        throw new IllegalArgumentException(
            "Invalid warehouse location, expected file:/absolute/path: " + location);
      }
      return location.endsWith("/") && location.length() > "file:/".length()
          ? location.substring(0, location.length() - 1)
          : location;
    }
    if (OBJECT_STORE_SCHEMES.contains(scheme) && uri.getHost() != null) {
      return location;
    }
    throw new IllegalArgumentException(
        "Invalid warehouse location, expected file:/absolute/path or s3://bucket/prefix: "
            + location);
  }
}
