package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.trino.TrinoAccess;
import cn.jiangyin.warehouse.trino.TrinoConfiguration;
import cn.jiangyin.warehouse.trino.TrinoServer;
import cn.jiangyin.warehouse.trino.TrinoSettings;
import cn.jiangyin.warehouse.trino.TrinoViews;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse trino …}: the single-node Trino server (查询服务) analysts query the lake through.
 * Its files live in {@code <home>/trino}; the server outlives the command that started it, and
 * {@code status} and {@code stop} find it again by its pid file.
 */
@Command(
    name = "trino",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description =
        "Start, stop or look at the Trino server that serves the lake to analysts; create its"
            + " analyst views; write a production cluster's configuration.")
final class TrinoCommand {
  private static final Logger LOG = LoggerFactory.getLogger(TrinoCommand.class);
  private static final Duration POLL = Duration.ofSeconds(2);

  @Spec private CommandSpec spec;

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start Trino on the platform's catalog and print its JDBC URL.",
      footer = {
        "",
        "With a configuration file the server keeps running after this command returns. On the"
            + " embedded platform the catalog's PostgreSQL lives in this process, so the command"
            + " stays in the foreground and stops both on Ctrl-C or 'warehouse trino stop'."
      })
  int start() throws InterruptedException {
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform()) {
      TrinoSettings settings = settings(platform.config(), dataDirectory(root));
      LOG.info(
          "Starting Trino on the {} (first start unpacks the server, about a minute)",
          platform.description());
      // Trino's Iceberg plugin does not create the JDBC catalog's own tables; the Iceberg Java API
      // does, on a fresh (embedded) platform too
      try (JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
        LOG.debug("Catalog {} initialised", catalog.name());
      }
      TrinoServer server = TrinoServer.start(settings);
      // views whose tables do not exist yet (ods before the first capture) are only warnings here
      try {
        createViews(server);
      } catch (RuntimeException e) {
        LOG.warn("Cannot create the views, run 'warehouse trino views' later: {}", e.getMessage());
      }
      root.out().println(server.jdbcUrl());
      if (platform.embedded()) {
        Thread stopTrino = new Thread(server::stop, "stop-trino");
        Runtime.getRuntime().addShutdownHook(stopTrino);
        LOG.info("Trino serves the embedded platform until Ctrl-C or 'warehouse trino stop'");
        while (TrinoServer.running(server.dataDirectory()).isPresent()) {
          Thread.sleep(POLL.toMillis());
        }
        Runtime.getRuntime().removeShutdownHook(stopTrino);
        LOG.info("Trino stopped; stopping the embedded platform");
      }
    }
    return 0;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Say whether Trino is running, with its JDBC URL; exit 1 if it is not.")
  int status() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Optional<TrinoServer> server = TrinoServer.running(dataDirectory(root));
    if (server.isEmpty()) {
      root.out().println("not running (" + dataDirectory(root) + ")");
      return WarehouseCommand.EXIT_FAILURE;
    }
    root.out()
        .println("running at " + server.get().jdbcUrl() + " (pid " + server.get().pid() + ")");
    return 0;
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop Trino.")
  int stop() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Optional<TrinoServer> server = TrinoServer.running(dataDirectory(root));
    if (server.isEmpty()) {
      root.out().println("not running (" + dataDirectory(root) + ")");
      return 0;
    }
    server.get().stop();
    root.out().println("stopped " + server.get().jdbcUrl() + " (pid " + server.get().pid() + ")");
    return 0;
  }

  @Command(
      name = "views",
      mixinStandardHelpOptions = true,
      description =
          "Create or replace the analyst and export views (trino/views/*.sql) on the running"
              + " server; exit 1 if one cannot be created.")
  int views() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Optional<TrinoServer> server = TrinoServer.running(dataDirectory(root));
    if (server.isEmpty()) {
      root.err().println("Cannot create views: Trino is not running (" + dataDirectory(root) + ")");
      return WarehouseCommand.EXIT_FAILURE;
    }
    List<TrinoViews.Outcome> outcomes = createViews(server.get());
    for (TrinoViews.Outcome outcome : outcomes) {
      root.out()
          .println(
              outcome.definition().name()
                  + ": "
                  + outcome.error().map(error -> "FAILED " + error).orElse("created"));
    }
    return outcomes.stream().allMatch(TrinoViews.Outcome::created)
        ? 0
        : WarehouseCommand.EXIT_FAILURE;
  }

  @Command(
      name = "config",
      mixinStandardHelpOptions = true,
      description =
          "Write a production cluster's configuration (catalog, access rules, coordinator and"
              + " worker settings) from the platform's settings; secrets stay ${ENV:…} references.")
  int config(
      @Option(
              names = "--out",
              required = true,
              paramLabel = "DIR",
              description = "Directory to write into (created if missing).")
          Path out,
      @Option(
              names = "--coordinator",
              defaultValue = "http://trino-coordinator:8080",
              paramLabel = "URI",
              description = "The coordinator as workers reach it (default: ${DEFAULT-VALUE}).")
          URI coordinator,
      @Option(
              names = "--max-heap",
              defaultValue = "16G",
              paramLabel = "SIZE",
              description = "Each node's -Xmx (default: ${DEFAULT-VALUE}).")
          String maxHeap) {
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform()) {
      TrinoSettings settings = settings(platform.config(), out).withMaxHeap(maxHeap);
      TrinoConfiguration.writeProduction(settings, coordinator, out);
    }
    root.out().println("wrote " + out.toAbsolutePath().normalize());
    root.out()
        .println(
            "each node needs in its environment: "
                + String.join(", ", TrinoConfiguration.PRODUCTION_VARIABLES));
    return 0;
  }

  static List<TrinoViews.Outcome> createViews(TrinoServer server) {
    try (Connection connection =
        DriverManager.getConnection(server.jdbcUrl(), TrinoAccess.ADMIN_USER, null)) {
      List<TrinoViews.Outcome> outcomes = TrinoViews.create(connection);
      LOG.info(
          "{} of {} views created",
          outcomes.stream().filter(TrinoViews.Outcome::created).count(),
          outcomes.size());
      return outcomes;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot connect to Trino at " + server.jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  static TrinoSettings settings(PlatformConfig config, Path dataDirectory) {
    return TrinoSettings.of(
            config.catalogJdbcUrl(),
            config.catalogUser(),
            config.catalogPassword(),
            config.lakeLocation(),
            dataDirectory)
        .withCatalogName(config.catalogName());
  }

  private static Path dataDirectory(WarehouseCommand root) {
    return root.home().toAbsolutePath().normalize().resolve("trino");
  }
}
