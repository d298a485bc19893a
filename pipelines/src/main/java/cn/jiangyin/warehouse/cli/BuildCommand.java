package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.flow.LakeBuild;
import cn.jiangyin.warehouse.lake.SparkSessions;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

  @Option(
      names = "--stages",
      paramLabel = "STAGE",
      split = ",",
      description =
          "Run only these stages, in build order: ods, libraries, facts, quality, credit, export"
              + " (default: all). The scheduler runs them as separate steps.")
  private List<String> stageNames;

  @Option(
      names = "--full",
      description =
          "Rebuild the incremental libraries whole instead of updating them from the ods changes"
              + " since their last run, and evaluate credit in full instead of re-evaluating only"
              + " the subjects whose facts, objections or links changed.")
  private boolean full;

  @Override
  public Integer call() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Set<LakeBuild.Stage> stages;
    try {
      stages = stages(stageNames);
    } catch (IllegalArgumentException e) {
      root.err().println("error: " + e.getMessage() + " (see 'warehouse build --help')");
      return WarehouseCommand.EXIT_USER_ERROR;
    }
    LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneId.of("Asia/Shanghai"));
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-build");
      try {
        new LakeBuild(spark, catalog, platform.config(), full)
            .run(date, stages, root.out()::println);
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  static Set<LakeBuild.Stage> stages(List<String> stageNames) {
    if (stageNames == null || stageNames.isEmpty()) {
      return EnumSet.allOf(LakeBuild.Stage.class);
    }
    Set<LakeBuild.Stage> stages = EnumSet.noneOf(LakeBuild.Stage.class);
    for (String name : stageNames) {
      try {
        stages.add(LakeBuild.Stage.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Invalid stage '" + name + "' (stages: ods, libraries, facts, quality, credit, export)",
            e);
      }
    }
    return stages;
  }
}
