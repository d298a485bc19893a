package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.dashboards.BundleBuilder;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse dashboards …}: the leadership dashboards (领导驾驶舱) as a Superset import bundle,
 * built from the definitions in the {@code dashboards} module and checked against Superset's import
 * rules.
 */
@Command(
    name = "dashboards",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = "Build or validate the Superset dashboard bundle (ZIP for Superset's import).")
final class DashboardsCommand {
  @Spec private CommandSpec spec;

  @Command(
      name = "build",
      mixinStandardHelpOptions = true,
      description =
          "Build the bundle, validate it and write it; nothing is written if it has problems.")
  int build(
      @Option(
              names = "--out",
              required = true,
              paramLabel = "ZIP",
              description = "Bundle to write.")
          Path zip,
      @Option(
              names = "--trino-uri",
              paramLabel = "URI",
              description = "Superset's connection to Trino (default: ${DEFAULT-VALUE}).",
              defaultValue = BundleBuilder.TRINO_URI_DEFAULT)
          String trinoUri,
      @Option(
              names = "--definitions",
              paramLabel = "DIR",
              description = "Dashboard definitions to use instead of the bundled ones.")
          Path definitions) {
    WarehouseCommand command = WarehouseCommand.of(spec);
    return cn.jiangyin.warehouse.dashboards.DashboardsCommand.build(
        zip, trinoUri, definitions, Instant.now(), command.out(), command.err());
  }

  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = "Check a bundle against Superset's import rules; exit 1 on any problem.")
  int validate(@Parameters(paramLabel = "ZIP", description = "Bundle to check.") Path zip) {
    WarehouseCommand command = WarehouseCommand.of(spec);
    return cn.jiangyin.warehouse.dashboards.DashboardsCommand.validate(
        zip, command.out(), command.err());
  }
}
