package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.trino.TrinoServer;
import cn.jiangyin.warehouse.trino.TrinoSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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
    description = "Start, stop or look at the Trino server that serves the lake to analysts.")
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
      PlatformConfig config = platform.config();
      TrinoSettings settings =
          TrinoSettings.of(
                  config.catalogJdbcUrl(),
                  config.catalogUser(),
                  config.catalogPassword(),
                  config.lakeLocation(),
                  dataDirectory(root))
              .withCatalogName(config.catalogName());
      LOG.info(
          "Starting Trino on the {} (first start unpacks the server, about a minute)",
          platform.description());
      TrinoServer server = TrinoServer.start(settings);
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

  private static Path dataDirectory(WarehouseCommand root) {
    return root.home().toAbsolutePath().normalize().resolve("trino");
  }
}
