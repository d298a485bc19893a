package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.quality.QualityChecks;
import cn.jiangyin.warehouse.quality.QualityJob;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse quality}: runs the declared data-quality checks (quality/checks.yaml) into
 * dq.results.
 */
@Command(
    name = "quality",
    mixinStandardHelpOptions = true,
    description =
        "Run the data-quality checks (数据质量检查) and record them in dq.results; exit 1 if a"
            + " blocking check fails.")
final class QualityCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    QualityChecks checks = QualityChecks.load();
    try (Platform platform = root.openPlatform()) {
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-quality");
      try {
        QualityJob.Result result = new QualityJob(spark).run(checks);
        for (QualityJob.CheckResult check : result.results()) {
          root.out()
              .printf(
                  "%s %s %s: %d of %d rows failing%s%n",
                  check.passed() ? "passed" : "FAILED",
                  check.check().table(),
                  check.check().name(),
                  check.rowsFailing(),
                  check.rowsChecked(),
                  check.check().blocking() ? "" : " (not blocking)");
        }
        root.out().println("run " + result.runId() + " recorded in " + QualityJob.RESULTS);
      } finally {
        spark.stop();
      }
    }
    return 0;
  }
}
