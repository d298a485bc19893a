package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.catalogue.ResourceCatalogue;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.TableRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warehouse catalogue}: publishes the data resource catalogue (政务数据资源目录). */
@Command(
    name = "catalogue",
    mixinStandardHelpOptions = true,
    description =
        "Publish the data resource catalogue (政务数据资源目录): a Markdown document and the tables"
            + " catalogue.resource, catalogue.resource_column.")
final class CatalogueCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Folder for " + ResourceCatalogue.DOCUMENT + " (default: <home>/catalogue).")
  private Path out;

  @Override
  public Integer call() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Path folder = out != null ? out : root.home().resolve("catalogue");
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-catalogue");
      try {
        ResourceCatalogue.Result result =
            new ResourceCatalogue(spark, catalog).publish(TableRegistry.load(), folder);
        root.out()
            .println(
                result.resources().size()
                    + " resources catalogued in "
                    + ResourceCatalogue.RESOURCES
                    + " and "
                    + result.document());
      } finally {
        spark.stop();
      }
    }
    return 0;
  }
}
