package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.flow.LakeBuild;
import cn.jiangyin.warehouse.lake.SparkSessions;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warehouse build}: everything after capture, from the raw change logs to the export. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description =
        "From raw.*: current state, the libraries, credit facts, data-quality checks, the credit"
            + " evaluation as of a date, the publication of its verdicts and their export.")
final class BuildCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description =
          "Date the credit rules are evaluated at, yyyy-MM-dd (default: today in Jiangyin).")
  private LocalDate asOf;

  @Override
  public Integer call() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneId.of("Asia/Shanghai"));
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-build");
      try {
        new LakeBuild(spark, catalog, platform.config()).run(date, root.out()::println);
      } finally {
        spark.stop();
      }
    }
    return 0;
  }
}
