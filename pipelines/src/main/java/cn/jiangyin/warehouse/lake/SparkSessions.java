package cn.jiangyin.warehouse.lake;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session factory: Iceberg's SQL extensions and the lake catalog under its shared
 * name, made the default catalog so that SQL reads {@code raw.x}, {@code lib.enterprise}. The
 * catalog is configured from {@link CatalogFactory#catalogProperties}, the same properties capture
 * and Trino use. On a cluster the same jobs run through {@code spark-submit}, which supplies the
 * master.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(PlatformConfig config, String application) {
    String catalog = "spark.sql.catalog." + config.catalogName();
    // spark-submit passes the master and any --conf as system properties; they win over the
    // local defaults below, which suit one small machine, not a cluster
    boolean submitted = System.getProperty("spark.master") != null;
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(application)
            .config(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
            // capture commits to the same tables from outside Spark (and in the demo and tests from
            // the same JVM): a cached table would not know their snapshots ("Cannot find the end
            // snapshot"), so every query loads the table's current metadata from the catalog
            .config(catalog + ".cache-enabled", "false")
            .config("spark.sql.defaultCatalog", config.catalogName())
            .config("spark.sql.session.timeZone", "Asia/Shanghai");
    Map<String, String> localDefaults =
        Map.of(
            // a 2-core machine: a few shuffle partitions, no UI, no speculative work
            "spark.sql.shuffle.partitions", "4",
            "spark.default.parallelism", "4",
            "spark.ui.enabled", "false",
            "spark.sql.adaptive.enabled", "true",
            "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1");
    for (Map.Entry<String, String> setting : localDefaults.entrySet()) {
      boolean clusterSetting = setting.getKey().startsWith("spark.driver.");
      if (System.getProperty(setting.getKey()) == null && !(submitted && clusterSetting)) {
        builder.config(setting.getKey(), setting.getValue());
      }
    }
    for (Map.Entry<String, String> property : CatalogFactory.catalogProperties(config).entrySet()) {
      builder.config(catalog + "." + property.getKey(), property.getValue());
    }
    if (!submitted) {
      builder.master(config.sparkMaster());
    }
    return builder.getOrCreate();
  }
}
