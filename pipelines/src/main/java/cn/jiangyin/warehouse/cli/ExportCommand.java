package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.export.ExportException;
import cn.jiangyin.warehouse.export.ExportManifest;
import cn.jiangyin.warehouse.export.ExportVerifier;
import cn.jiangyin.warehouse.export.ExportedTable;
import cn.jiangyin.warehouse.export.TableExport;
import cn.jiangyin.warehouse.lake.SparkSessions;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse export …}: delivers the credit verdicts to other systems (信用结论对外交换) and checks a
 * delivered export. Exports go under the platform's {@code export.location}.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = "Export the credit verdicts for other systems, or verify a delivered export.")
final class ExportCommand {
  @Spec private CommandSpec spec;

  /** Exactly one of --full and --since. */
  static final class Kind {
    @Option(names = "--full", required = true, description = "Export every verdict.")
    boolean full;

    @Option(
        names = "--since",
        required = true,
        paramLabel = "EXPORT_ID",
        description = "Export what was added, changed or removed since that export.")
    String since;
  }

  @Command(
      name = "verdicts",
      mixinStandardHelpOptions = true,
      description =
          "Export export.verdict (the published verdicts) as Parquet, CSV (Excel) and JSON Lines with a manifest.json, into"
              + " <export.location>/<export id>; print the export folder.",
      footer = {
        "",
        "The export id derives from the table's snapshot (and the base export), so running the"
            + " same export again gives the same files; an existing export is kept as it is."
      })
  int verdicts(@ArgGroup(exclusive = true, multiplicity = "1") Kind kind) {
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform()) {
      Path exportRoot = platform.config().exportLocation();
      SparkSession spark = SparkSessions.create(platform.config(), "jiangyin-export");
      try {
        TableExport export =
            new TableExport(spark, ExportedTable.VERDICTS, line -> root.err().println(line));
        TableExport.Result result =
            kind.full ? export.full(exportRoot) : export.since(exportRoot, kind.since);
        ExportManifest manifest = result.manifest();
        for (ExportManifest.ExportedFile file : manifest.files()) {
          root.err().printf("  %s: %d rows, sha256 %s%n", file.name(), file.rows(), file.sha256());
        }
        root.out().println(result.directory());
      } finally {
        spark.stop();
      }
    } catch (ExportException e) {
      root.err().println("error: " + e.getMessage());
      return WarehouseCommand.EXIT_USER_ERROR;
    }
    return 0;
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description =
          "Check a delivered export against its manifest.json: every file present, unchanged"
              + " (SHA-256), with its row count, and no extra file; exit 1 on any problem.")
  int verify(@Parameters(paramLabel = "DIR", description = "The export folder.") Path folder) {
    WarehouseCommand root = WarehouseCommand.of(spec);
    List<ExportVerifier.Problem> problems = ExportVerifier.verify(folder);
    for (ExportVerifier.Problem problem : problems) {
      root.out().println("PROBLEM " + problem.file() + ": " + problem.message());
    }
    if (!problems.isEmpty()) {
      root.out().println(problems.size() + " problem(s) in " + folder);
      return WarehouseCommand.EXIT_FAILURE;
    }
    ExportManifest manifest = ExportManifest.read(folder);
    root.out()
        .println(
            "OK "
                + manifest.exportId()
                + ": "
                + manifest.files().size()
                + " files match the manifest");
    return 0;
  }
}
