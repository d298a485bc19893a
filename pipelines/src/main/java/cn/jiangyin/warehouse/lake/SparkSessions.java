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
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(application)
            .config(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
            .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
            .config("spark.sql.defaultCatalog", config.catalogName())
            .config("spark.sql.session.timeZone", "Asia/Shanghai")
            // a 2-core machine: a few shuffle partitions, no UI, no speculative work
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1");
    for (Map.Entry<String, String> property : CatalogFactory.catalogProperties(config).entrySet()) {
      builder.config(catalog + "." + property.getKey(), property.getValue());
    }
    if (System.getProperty("spark.master") == null) {
      builder.master(config.sparkMaster());
    }
    return builder.getOrCreate();
  }
}
