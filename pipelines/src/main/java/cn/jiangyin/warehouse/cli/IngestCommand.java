package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.CaptureService;
import cn.jiangyin.warehouse.capture.CaptureStatistics;
import cn.jiangyin.warehouse.capture.CaptureStatus;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.capture.SourceHead;
import cn.jiangyin.warehouse.capture.SourceKind;
import cn.jiangyin.warehouse.capture.SourceRegistry;
import cn.jiangyin.warehouse.capture.metrics.MetricsServer;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.export.CsvWriter;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse ingest}: capture the sources of a registry into the lake, once (catch up and
 * stop) or following them until stopped; {@code ingest status} says where each table stands.
 */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description = "Capture the departmental databases of a source registry into raw.*.",
    subcommands = {IngestCommand.Status.class, IngestCommand.DropSlot.class},
    footer = {
      "",
      "--once (the default) reads each source's log head (PostgreSQL pg_current_wal_lsn(),"
          + " MariaDB/MySQL SHOW MASTER STATUS) and stops once a streamed offset has reached it"
          + " and its batch is committed; a source whose stream carries no offset that far counts"
          + " as caught up after --quiet-seconds without a change.",
      "--follow runs every source at once, retrying a failed source with back-off, until SIGTERM"
          + " or Ctrl-C; it then commits the batches in hand and exits 0.",
      "Each source resumes from the offsets committed with its data in the lake; the first run"
          + " takes an initial snapshot. The registry format is in docs/sources.example.yaml."
    })
final class IngestCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(IngestCommand.class);

  @Spec private CommandSpec spec;

  @Option(names = "--sources", paramLabel = "FILE", description = "The source registry (YAML).")
  private Path sources;

  @ArgGroup(exclusive = true)
  private Mode mode = new Mode();

  static final class Mode {
    @Option(names = "--once", description = "Catch up and stop (the default).")
    boolean once;

    @Option(names = "--follow", description = "Run until stopped (SIGTERM, Ctrl-C).")
    boolean follow;
  }

  @Option(
      names = "--quiet-seconds",
      paramLabel = "N",
      description =
          "--once: a source whose stream has not reached the log head counts as caught up after"
              + " this long without a change (default: ${DEFAULT-VALUE}).")
  private int quietSeconds = 3;

  @Option(
      names = "--metrics-port",
      paramLabel = "N",
      description =
          "--follow: serve Prometheus metrics on http://127.0.0.1:N/metrics (default: off).")
  private Integer metricsPort;

  @Override
  public Integer call() throws InterruptedException {
    WarehouseCommand root = WarehouseCommand.of(spec);
    List<SourceDefinition> definitions = registry(spec, root, sources).sources();
    if (metricsPort != null && !mode.follow) {
      throw new ParameterException(spec.commandLine(), "--metrics-port needs --follow");
    }
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      PersonKeys keys = new PersonKeys(platform.config().personKeySecret());
      Path state = platform.config().captureStateLocation();
      if (mode.follow) {
        return follow(root, definitions, source -> new CaptureEngine(source, catalog, keys, state));
      }
      int failed = 0;
      for (int i = 0; i < definitions.size(); i++) {
        SourceDefinition source = definitions.get(i);
        root.err().printf("(%d/%d) capturing %s …%n", i + 1, definitions.size(), source.name());
        try (CaptureEngine engine = new CaptureEngine(source, catalog, keys, state)) {
          CaptureStatistics statistics =
              engine.runUntilCaughtUp(Duration.ofSeconds(quietSeconds), Duration.ofHours(6));
          root.out().println(source.name() + ": " + statistics);
        } catch (RuntimeException e) {
          // one bad source does not keep the others from catching up
          failed++;
          root.err().println("error: " + source.name() + ": " + e.getMessage());
          LOG.warn("Capture of {} failed", source.name(), e);
        }
      }
      return failed == 0 ? 0 : WarehouseCommand.EXIT_FAILURE;
    }
  }

  private int follow(
      WarehouseCommand root,
      List<SourceDefinition> definitions,
      java.util.function.Function<SourceDefinition, CaptureEngine> engines)
      throws InterruptedException {
    CaptureService service = new CaptureService(definitions, engines);
    MetricsServer metrics = null;
    try {
      if (metricsPort != null) {
        metrics = MetricsServer.start(metricsPort, service);
        root.err().println("metrics on http://127.0.0.1:" + metrics.port() + "/metrics");
      }
      root.err().printf("following %d source(s); SIGTERM or Ctrl-C stops%n", definitions.size());
      service.followUntilSignalled();
      root.err().println("stopped; the batches in hand were committed");
    } finally {
      service.close();
      if (metrics != null) {
        metrics.close();
      }
    }
    service
        .statistics()
        .forEach((name, statistics) -> root.out().println(name + ": " + statistics));
    return 0;
  }

  static SourceRegistry registry(CommandSpec spec, WarehouseCommand root, Path file) {
    if (file == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--sources=FILE'");
    }
    return SourceRegistry.read(YamlDocument.read(file), root.environment());
  }

  /** {@code warehouse ingest status}: per source and table, where capture stands. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description =
          "Per source and table: batch and position committed, last commit, lag in seconds and in"
              + " log bytes, quarantined changes.",
      footer = {
        "",
        "lag_s is 0 when the source's committed offset has reached its log head, else now minus"
            + " the source time of the newest committed change. behind_bytes is the WAL (PostgreSQL)"
            + " or binlog (same file only) between the committed offset and the head; change events"
            + " cannot be counted without reading the log. head 'unreachable': the source could"
            + " not be asked.",
        "With --max-lag SECONDS the command is a health check: it exits 3, after printing the"
            + " table and one line per problem, when a table's lag exceeds SECONDS, its lag is"
            + " unknown, or its source's head cannot be read (the scheduler's capture_health step)."
      })
  static final class Status implements Callable<Integer> {
    /** Exit code of a failed health check ({@code --max-lag}). */
    static final int UNHEALTHY = 3;

    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Asia/Shanghai"));
    private static final List<String> HEADER =
        List.of(
            "source",
            "table",
            "batch",
            "committed_position",
            "last_commit",
            "lag_s",
            "behind_bytes",
            "quarantined",
            "head");

    @Spec private CommandSpec spec;

    @Option(
        names = "--sources",
        required = true,
        paramLabel = "FILE",
        description = "The source registry (YAML).")
    private Path sources;

    @Option(
        names = "--format",
        paramLabel = "FORMAT",
        description = "table (aligned, the default) or csv.")
    private Format format = Format.table;

    @Option(
        names = "--max-lag",
        paramLabel = "SECONDS",
        description =
            "Health check: exit 3 when a table is more than SECONDS behind its source, its lag is"
                + " unknown, or its source cannot be reached.")
    private Double maxLagSeconds;

    enum Format {
      table,
      csv
    }

    @Override
    public Integer call() {
      WarehouseCommand root = WarehouseCommand.of(spec);
      List<SourceDefinition> definitions = registry(spec, root, sources).sources();
      List<List<String>> rows = new ArrayList<>();
      List<String> problems = new ArrayList<>();
      try (Platform platform = root.openPlatform();
          JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
        Instant now = Instant.now();
        for (SourceDefinition source : definitions) {
          Optional<SourceHead> head;
          try {
            head = Optional.of(SourceHead.read(source));
          } catch (RuntimeException e) {
            root.err().println("warning: " + e.getMessage());
            head = Optional.empty();
          }
          List<CaptureStatus> statuses = CaptureStatus.read(catalog, source, head, now);
          if (maxLagSeconds != null && head.isEmpty()) {
            problems.add(source.name() + ": its log head could not be read");
          } else if (maxLagSeconds != null && statuses.isEmpty()) {
            problems.add(source.name() + ": no table captured yet");
          }
          for (CaptureStatus status : statuses) {
            rows.add(
                List.of(
                    status.source(),
                    status.rawTable(),
                    Long.toString(status.batch()),
                    status.committedPosition().orElse("-"),
                    status.lastCommit().map(TIME::format).orElse("-"),
                    status.lagSeconds().map(lag -> String.format("%.1f", lag)).orElse("-"),
                    status.behindBytes().map(String::valueOf).orElse("-"),
                    Long.toString(status.quarantined()),
                    status.head()));
            if (maxLagSeconds != null) {
              unhealthy(status, maxLagSeconds).ifPresent(problems::add);
            }
          }
        }
      }
      if (format == Format.csv) {
        CsvWriter csv = new CsvWriter(root.out());
        csv.write(HEADER);
        rows.forEach(csv::write);
      } else {
        printAligned(root.out(), HEADER, rows);
      }
      if (maxLagSeconds == null) {
        return 0;
      }
      problems.forEach(problem -> root.err().println("unhealthy: " + problem));
      return problems.isEmpty() ? 0 : UNHEALTHY;
    }

    /**
     * What makes one table fail the health check, if anything: its lag is unknown (nothing
     * committed yet, or the source's head could not be read) or exceeds the limit.
     */
    static Optional<String> unhealthy(CaptureStatus status, double maxLag) {
      String table = status.source() + " " + status.rawTable();
      if (status.lagSeconds().isEmpty()) {
        return Optional.of(table + ": lag unknown (nothing committed yet)");
      }
      double lag = status.lagSeconds().get();
      if (lag > maxLag) {
        return Optional.of(
            String.format("%s: %.1f s behind its source (limit %.0f s)", table, lag, maxLag));
      }
      return Optional.empty();
    }

    static void printAligned(PrintStream out, List<String> header, List<List<String>> rows) {
      int[] widths = new int[header.size()];
      List<List<String>> all = new ArrayList<>();
      all.add(header);
      all.addAll(rows);
      for (List<String> row : all) {
        for (int i = 0; i < row.size(); i++) {
          widths[i] = Math.max(widths[i], row.get(i).length());
        }
      }
      for (List<String> row : all) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.size(); i++) {
          String cell = row.get(i);
          line.append(cell);
          if (i < row.size() - 1) {
            line.append(" ".repeat(widths[i] - cell.length() + 2));
          }
        }
        out.println(line);
      }
    }
  }

  /**
   * {@code warehouse ingest drop-slot SOURCE}: drops a retired PostgreSQL source's replication
   * slot, which otherwise pins WAL on the departmental server forever.
   */
  @Command(
      name = "drop-slot",
      mixinStandardHelpOptions = true,
      description =
          "Drop the replication slot of a retired PostgreSQL source (stop its capture first).")
  static final class DropSlot implements Callable<Integer> {
    @Spec private CommandSpec spec;

    @Option(
        names = "--sources",
        required = true,
        paramLabel = "FILE",
        description = "The source registry (YAML).")
    private Path sources;

    @Parameters(paramLabel = "SOURCE", description = "The source whose slot to drop.")
    private String sourceName;

    @Override
    public Integer call() throws SQLException {
      WarehouseCommand root = WarehouseCommand.of(spec);
      SourceDefinition source =
          registry(spec, root, sources)
              .source(sourceName)
              .orElseThrow(
                  () ->
                      new ParameterException(
                          spec.commandLine(), "Invalid source: " + sourceName + " is not listed"));
      if (source.kind() != SourceKind.POSTGRESQL) {
        throw new ParameterException(
            spec.commandLine(),
            "Cannot drop a slot of " + sourceName + ": only postgresql sources have one");
      }
      String slot = CaptureEngine.replicationSlot(source);
      String url =
          "jdbc:postgresql://" + source.host() + ":" + source.port() + "/" + source.database();
      try (Connection connection =
              DriverManager.getConnection(url, source.user(), source.password());
          PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                      + " WHERE slot_name = ?")) {
        statement.setString(1, slot);
        try (ResultSet result = statement.executeQuery()) {
          boolean dropped = result.next();
          root.out().println(dropped ? "dropped slot " + slot : "no slot " + slot);
        }
      }
      root.err()
          .println(
              "the publication stays (the DBA's): DROP PUBLICATION "
                  + slot
                  + " if it is no longer needed");
      return 0;
    }
  }
}
