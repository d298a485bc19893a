package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.lake.RawMaintenance;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.ods.OdsMaintenance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code warehouse maintain}: upkeep of the lake's tables. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = "Upkeep of the lake: compaction and snapshot expiry.",
    subcommands = {MaintainCommand.Raw.class, MaintainCommand.Ods.class})
final class MaintainCommand {

  /** {@code warehouse maintain raw}: compact the raw change logs and expire old snapshots. */
  @Command(
      name = "raw",
      mixinStandardHelpOptions = true,
      description =
          "Compact small files of every raw.* table (rewrite_data_files) and expire snapshots older"
              + " than the retention.",
      footer = {
        "",
        "Never expires the snapshot holding a source's newest capture commit (its offsets) or the"
            + " raw snapshot an ods table last processed, nor anything after them. Safe while"
            + " capture runs."
      })
  static final class Raw implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--retain-days",
        paramLabel = "N",
        description = "Days of snapshots kept for time travel (default: ${DEFAULT-VALUE}).")
    private int retainDays = RawMaintenance.RETAIN_DAYS_DEFAULT;

    @Override
    public Integer call() {
      if (retainDays < 0) {
        throw new ParameterException(
            spec.commandLine(), "Invalid --retain-days: " + retainDays + " (must be 0 or more)");
      }
      WarehouseCommand root = WarehouseCommand.of(spec);
      try (Platform platform = root.openPlatform();
          JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
        SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-maintain-raw");
        try {
          List<List<String>> rows = new ArrayList<>();
          for (RawMaintenance.Result result :
              new RawMaintenance(spark, catalog).run(Duration.ofDays(retainDays))) {
            rows.add(
                List.of(
                    "raw." + result.table(),
                    Long.toString(result.filesRewritten()),
                    Long.toString(result.filesAdded()),
                    Integer.toString(result.snapshotsExpired()),
                    Integer.toString(result.snapshotsLeft()),
                    result.pinnedBy().isEmpty() ? "-" : String.join("; ", result.pinnedBy())));
          }
          IngestCommand.Status.printAligned(
              root.out(),
              List.of(
                  "table",
                  "files_rewritten",
                  "files_added",
                  "snapshots_expired",
                  "snapshots_left",
                  "history_kept_for"),
              rows);
        } finally {
          spark.stop();
        }
      }
      return 0;
    }
  }

  /** {@code warehouse maintain ods}: fold the merge-on-read delete files into the data files. */
  @Command(
      name = "ods",
      mixinStandardHelpOptions = true,
      description =
          "Compact every ods.* table (and the merge-on-read lib.* and credit.* tables): rewrite the data files that have position deletes (and small"
              + " files) with the deletes applied; snapshots are kept (the libraries read back).")
  static final class Ods implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Override
    public Integer call() {
      WarehouseCommand root = WarehouseCommand.of(spec);
      try (Platform platform = root.openPlatform();
          JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
        SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-maintain-ods");
        try {
          List<List<String>> rows = new ArrayList<>();
          for (OdsMaintenance.Result result : new OdsMaintenance(spark, catalog).run()) {
            rows.add(
                List.of(
                    result.table(),
                    Long.toString(result.dataFilesRewritten()),
                    Long.toString(result.dataFilesAdded()),
                    Long.toString(result.deleteFilesBefore()),
                    Long.toString(result.deleteFilesAfter())));
          }
          IngestCommand.Status.printAligned(
              root.out(),
              List.of(
                  "table",
                  "files_rewritten",
                  "files_added",
                  "delete_files_before",
                  "delete_files_after"),
              rows);
        } finally {
          spark.stop();
        }
      }
      return 0;
    }
  }
}
