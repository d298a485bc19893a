package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.dashboards.BundleBuilder;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition;
import cn.jiangyin.warehouse.dashboards.DashboardDefinitions;
import cn.jiangyin.warehouse.dashboards.report.ChartQuery;
import cn.jiangyin.warehouse.dashboards.report.DashboardReport;
import cn.jiangyin.warehouse.dashboards.report.QueryResult;
import cn.jiangyin.warehouse.trino.TrinoAccess;
import cn.jiangyin.warehouse.trino.TrinoServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    description =
        "Build or validate the Superset dashboard bundle (ZIP for Superset's import); write the"
            + " dashboards as one static HTML report.")
final class DashboardsCommand {
  /** Environment variable holding the Trino password of {@code --trino-url}, if it needs one. */
  static final String TRINO_PASSWORD_VARIABLE = "TRINO_PASSWORD";

  private static final Logger LOG = LoggerFactory.getLogger(DashboardsCommand.class);

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

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description =
          "Run every chart's query through Trino and write one static HTML page ("
              + DashboardReport.FILE_NAME
              + ") with the charts and their numbers, Chinese labels, no network needed.",
      footer = {
        "",
        "Trino: --trino-url if given (password from $"
            + TRINO_PASSWORD_VARIABLE
            + " if set), else the server 'warehouse trino start' runs for this home, else a server"
            + " started for this command on the platform's catalog (it creates the views, as"
            + " 'trino start' does) and stopped after it.",
        "The charts read the datasets' views (schema dashboard) that 'warehouse trino views'"
            + " creates, as Superset does; with --definitions, the datasets' SQL itself."
      })
  int report(
      @Option(
              names = "--out",
              required = true,
              paramLabel = "DIR",
              description = "Folder to write " + DashboardReport.FILE_NAME + " into.")
          Path out,
      @Option(
              names = "--trino-url",
              paramLabel = "URL",
              description = "Trino JDBC URL, e.g. jdbc:trino://trino-host:8443/iceberg?SSL=true.")
          String trinoUrl,
      @Option(
              names = "--user",
              paramLabel = "NAME",
              description =
                  "Trino user the queries run as (default: dashboard, which reads the datasets'"
                      + " views that 'warehouse trino views' creates; with --definitions: analyst,"
                      + " which reads the tables the datasets' SQL reads).")
          String user,
      @Option(
              names = "--definitions",
              paramLabel = "DIR",
              description =
                  "Dashboard definitions to preview instead of the bundled ones: their datasets'"
                      + " SQL is run as written, not through views.")
          Path definitions)
      throws SQLException {
    WarehouseCommand root = WarehouseCommand.of(spec);
    List<DashboardDefinition> dashboards =
        definitions == null
            ? DashboardDefinitions.bundled()
            : DashboardDefinitions.read(definitions);
    ChartQuery.Source source =
        definitions == null ? ChartQuery.Source.VIEW : ChartQuery.Source.DEFINITION;
    if (user == null) {
      user =
          source == ChartQuery.Source.VIEW
              ? TrinoAccess.Role.DASHBOARD.group()
              : TrinoAccess.Role.ANALYST.group();
    }
    if (trinoUrl != null) {
      return report(root, dashboards, source, trinoUrl, user, out);
    }
    Path dataDirectory = root.home().toAbsolutePath().normalize().resolve("trino");
    Optional<TrinoServer> running = TrinoServer.running(dataDirectory);
    if (running.isPresent()) {
      return report(root, dashboards, source, running.get().jdbcUrl(), user, out);
    }
    try (Platform platform = root.openPlatform()) {
      LOG.info(
          "No Trino running for {}; starting one on the {} for this report",
          dataDirectory,
          platform.description());
      try (JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
        LOG.debug("Catalog {} initialised", catalog.name());
      }
      try (TrinoServer server =
          TrinoServer.start(TrinoCommand.settings(platform.config(), dataDirectory))) {
        // as 'trino start' does: the dataset views, from the definitions of this version
        TrinoCommand.createViews(server);
        return report(root, dashboards, source, server.jdbcUrl(), user, out);
      }
    }
  }

  private static int report(
      WarehouseCommand root,
      List<DashboardDefinition> dashboards,
      ChartQuery.Source source,
      String jdbcUrl,
      String user,
      Path out)
      throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    String password = root.environment().apply(TRINO_PASSWORD_VARIABLE);
    if (password != null && !password.isEmpty()) {
      properties.setProperty("password", password);
    }
    root.out().printf("Querying Trino at %s as %s%n", jdbcUrl, user);
    DashboardReport.Result result;
    try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
      result =
          DashboardReport.render(
              dashboards,
              source,
              sql -> QueryResult.run(connection, sql),
              line -> root.out().println("  " + line));
    }
    Path page = result.write(out);
    for (DashboardReport.ChartData empty : result.empty()) {
      root.err()
          .printf(
              "warning: chart %s shows no data: dataset %s returned no rows (reads %s)%n",
              empty.query().chart().name(),
              empty.dataset().name(),
              String.join(", ", empty.dataset().tables()));
    }
    root.out()
        .printf(
            "Wrote %s (%d dashboards, %d charts%s)%n",
            page.toAbsolutePath().normalize(),
            dashboards.size(),
            result.charts().size(),
            result.empty().isEmpty() ? "" : ", " + result.empty().size() + " without data");
    return 0;
  }
}
