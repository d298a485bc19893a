package cn.jiangyin.warehouse.catalog;

import cn.jiangyin.warehouse.config.PlatformConfig;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * The one way to reach the lake's Iceberg catalog: a JdbcCatalog on PostgreSQL, under one name
 * shared by the Iceberg Java API (capture), Spark (jobs) and Trino (analysts). Spark is configured
 * from {@link #catalogProperties} too, so the three can never disagree.
 */
public final class CatalogFactory {
  private CatalogFactory() {}

  /** Iceberg catalog properties; Spark takes the same under {@code spark.sql.catalog.<name>.}. */
  public static Map<String, String> catalogProperties(PlatformConfig config) {
    return Map.of(
        CatalogProperties.CATALOG_IMPL,
        JdbcCatalog.class.getName(),
        CatalogProperties.URI,
        config.catalogJdbcUrl(),
        CatalogProperties.WAREHOUSE_LOCATION,
        config.lakeLocation(),
        JdbcCatalog.PROPERTY_PREFIX + "user",
        config.catalogUser(),
        JdbcCatalog.PROPERTY_PREFIX + "password",
        config.catalogPassword(),
        // V1 adds views and namespaces properties; Trino's JDBC catalog reads the same tables.
        JdbcCatalog.PROPERTY_PREFIX + "schema-version",
        "V1");
  }

  /** Opens the catalog; the caller closes it. */
  public static JdbcCatalog open(PlatformConfig config) {
    JdbcCatalog catalog = new JdbcCatalog();
    Configuration hadoop = new Configuration();
    // a lake on local disk: no chmod child process per file (see LocalLakeFileSystem); the first
    // file: file system a JVM creates is cached and shared, so this holds where the catalog is
    // first
    hadoop.set("fs.file.impl", LocalLakeFileSystem.class.getName());
    catalog.setConf(hadoop);
    catalog.initialize(config.catalogName(), catalogProperties(config));
    return catalog;
  }
}
