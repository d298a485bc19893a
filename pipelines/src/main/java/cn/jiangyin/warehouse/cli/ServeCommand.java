package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.serving.http.LookupHttpServer;
import cn.jiangyin.warehouse.serving.lookup.LookupAudit;
import cn.jiangyin.warehouse.serving.lookup.RefreshingIndex;
import cn.jiangyin.warehouse.serving.lookup.VerdictLookup;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.jdbc.JdbcCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warehouse serve …}: long-running services for other systems. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    synopsisSubcommandLabel = "COMMAND",
    description = "Serve the verdict lookup over HTTP.")
final class ServeCommand {
  @Spec private CommandSpec spec;

  @Command(
      name = "lookup",
      mixinStandardHelpOptions = true,
      description =
          "Serve GET /verdicts/{USCC or ID number}?matter=<matter code> as JSON from an in-memory"
              + " index of export.verdict, reloaded when its snapshot changes; until SIGTERM/Ctrl-C.",
      footer = {
        "",
        "The caller is the X-Caller header (else X-User); every lookup is logged to <home>/"
            + LookupAudit.FILE
            + " with ID numbers masked. See docs/operations/lookup.md."
      })
  int lookup(
      @Option(
              names = "--port",
              defaultValue = "8086",
              description = "Port (default: ${DEFAULT-VALUE}).")
          int port,
      @Option(
              names = "--bind",
              defaultValue = "127.0.0.1",
              description = "Address to listen on (default: ${DEFAULT-VALUE}).")
          String bind,
      @Option(
              names = "--threads",
              defaultValue = "16",
              description = "Request threads (default: ${DEFAULT-VALUE}).")
          int threads,
      @Option(
              names = "--refresh-seconds",
              defaultValue = "60",
              description =
                  "How often to check export.verdict for a new snapshot (default: ${DEFAULT-VALUE}).")
          int refreshSeconds)
      throws Exception {
    WarehouseCommand root = WarehouseCommand.of(spec);
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    // SIGTERM: let the main thread stop the server and close the catalog (and an embedded
    // platform) before the JVM halts
    Thread hook =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                closed.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config());
        RefreshingIndex index =
            RefreshingIndex.start(
                catalog, Duration.ofSeconds(refreshSeconds), line -> root.err().println(line))) {
      VerdictLookup lookup =
          new VerdictLookup(
              subjectId -> index.current(),
              new PersonKeys(platform.config().personKeySecret()),
              LookupAudit.under(root.home()),
              Clock.systemUTC());
      try (LookupHttpServer server =
          LookupHttpServer.start(new InetSocketAddress(bind, port), lookup, threads)) {
        root.err()
            .printf(
                "Serving verdict lookups on http://%s:%d%s{code}; log %s%n",
                bind, server.port(), LookupHttpServer.PATH, LookupAudit.under(root.home()).file());
        stopped.await();
        root.err().println("Stopping the lookup service");
      }
    } finally {
      closed.countDown();
    }
    return 0;
  }
}
