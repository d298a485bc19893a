package cn.jiangyin.warehouse.capture.metrics;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.capture.CaptureService;
import cn.jiangyin.warehouse.capture.CaptureStatistics;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.ToDoubleFunction;

/**
 * Capture metrics (采集监控指标) in the Prometheus text format on {@code http://127.0.0.1:<port>/metrics}
 * while following, so operators can alert on a stalled source: per source the events in, committed,
 * quarantined and replayed-dropped counts, batches, restarts, the time of the last commit and the
 * lag in seconds. Bound to the loopback address only: a Prometheus agent on the same host (or a
 * reverse proxy) exposes it further.
 */
public final class MetricsServer implements AutoCloseable {
  /** The content type of Prometheus' text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Serves the metrics of {@code service} on {@code port} (0: any free port). */
  public static MetricsServer start(int port, CaptureService service) {
    requireNonNull(service, "service is null");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid metrics port: " + port);
    }
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.createContext("/metrics", exchange -> respond(exchange, render(service)));
      server.setExecutor(
          Executors.newSingleThreadExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "capture-metrics");
                thread.setDaemon(true);
                return thread;
              }));
      server.start();
      return new MetricsServer(server);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot serve metrics on 127.0.0.1:" + port, e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The metrics page for {@code service} now. */
  public static String render(CaptureService service) {
    Map<String, CaptureStatistics> statistics = service.statistics();
    Map<String, Boolean> running = service.running();
    long now = System.currentTimeMillis();
    StringBuilder page = new StringBuilder();
    header(page, "jiangyin_capture_up", "gauge", "1 while the ingest process follows its sources.");
    page.append("jiangyin_capture_up 1\n");
    header(
        page,
        "jiangyin_capture_source_running",
        "gauge",
        "1 while the source's engine runs, 0 while it waits to be retried after a failure.");
    running.forEach(
        (source, up) -> sample(page, "jiangyin_capture_source_running", source, up ? 1 : 0));
    family(
        page,
        statistics,
        "jiangyin_capture_events_in_total",
        "counter",
        "Change events received from the source (heartbeats included).",
        CaptureStatistics::eventsIn);
    family(
        page,
        statistics,
        "jiangyin_capture_committed_total",
        "counter",
        "Changes committed to raw tables.",
        CaptureStatistics::committed);
    family(
        page,
        statistics,
        "jiangyin_capture_quarantined_total",
        "counter",
        "Changes that could not be converted, committed to raw._quarantine.",
        CaptureStatistics::quarantined);
    family(
        page,
        statistics,
        "jiangyin_capture_duplicates_dropped_total",
        "counter",
        "Replayed changes dropped because the lake already held them.",
        CaptureStatistics::duplicatesDropped);
    family(
        page,
        statistics,
        "jiangyin_capture_batches_total",
        "counter",
        "Batches committed.",
        CaptureStatistics::batches);
    family(
        page,
        statistics,
        "jiangyin_capture_restarts_total",
        "counter",
        "Times the source's engine was restarted after a failure.",
        CaptureStatistics::restarts);
    family(
        page,
        statistics,
        "jiangyin_capture_last_commit_timestamp_seconds",
        "gauge",
        "When the last batch was committed (Unix time; 0 before the first).",
        s -> s.lastCommitMillis() / 1000.0);
    family(
        page,
        statistics,
        "jiangyin_capture_lag_seconds",
        "gauge",
        "Now minus the source time of the newest committed change or later heartbeat (NaN before"
            + " any).",
        s -> s.lagSeconds(now));
    return page.toString();
  }

  private static void family(
      StringBuilder page,
      Map<String, CaptureStatistics> statistics,
      String name,
      String type,
      String help,
      ToDoubleFunction<CaptureStatistics> value) {
    header(page, name, type, help);
    statistics.forEach((source, counts) -> sample(page, name, source, value.applyAsDouble(counts)));
  }

  private static void header(StringBuilder page, String name, String type, String help) {
    page.append("# HELP ").append(name).append(' ').append(help).append('\n');
    page.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder page, String name, String source, double value) {
    page.append(name).append("{source=\"").append(escape(source)).append("\"} ");
    if (Double.isNaN(value)) {
      page.append("NaN");
    } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      page.append((long) value);
    } else {
      page.append(value);
    }
    page.append('\n');
  }

  private static String escape(String label) {
    return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
