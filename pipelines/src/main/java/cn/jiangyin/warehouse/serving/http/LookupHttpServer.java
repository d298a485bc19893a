package cn.jiangyin.warehouse.serving.http;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.serving.lookup.LookupException;
import cn.jiangyin.warehouse.serving.lookup.VerdictLookup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lookup over HTTP: {@code GET /verdicts/{code}?matter=<matter code>} answers a {@link
 * VerdictLookup} as JSON (200, 400, 404; 405 for another method, 500 if the lookup cannot be
 * logged). The caller is the {@code X-Caller} header, else {@code X-User}, else {@code
 * unidentified@<address>}. {@code GET /health} answers 200 once the index is loaded. Requests are
 * served by a fixed pool of threads, answered from memory.
 */
public final class LookupHttpServer implements AutoCloseable {
  public static final String PATH = "/verdicts/";
  private static final Logger LOG = LoggerFactory.getLogger(LookupHttpServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private LookupHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving on {@code address} ({@code port} 0: any free port) with {@code threads}. */
  public static LookupHttpServer start(InetSocketAddress address, VerdictLookup lookup, int threads)
      throws IOException {
    requireNonNull(lookup, "lookup is null");
    HttpServer server = HttpServer.create(address, 256);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    server.setExecutor(executor);
    server.createContext(PATH, exchange -> handle(exchange, lookup));
    server.createContext(
        "/health", exchange -> respond(exchange, 200, "{\"status\":\"ok\"}".getBytes()));
    server.start();
    return new LookupHttpServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
  }

  private static void handle(HttpExchange exchange, VerdictLookup lookup) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, error("method_not_allowed", "Only GET is served"));
        return;
      }
      String code =
          URLDecoder.decode(
              exchange.getRequestURI().getRawPath().substring(PATH.length()),
              StandardCharsets.UTF_8);
      Optional<String> matter = parameter(exchange.getRequestURI().getRawQuery(), "matter");
      try {
        VerdictLookup.Answer answer = lookup.lookup(code, matter, caller(exchange), "http");
        respond(exchange, answer.status(), answer.compactJson());
      } catch (LookupException e) {
        // never the code in the log: the message of a LookupException names tables and files only
        LOG.error("Lookup failed: {}", e.getMessage());
        respond(exchange, 500, error("lookup_failed", e.getMessage()));
      }
    }
  }

  private static String caller(HttpExchange exchange) {
    for (String header : new String[] {"X-Caller", "X-User"}) {
      String value = exchange.getRequestHeaders().getFirst(header);
      if (value != null && !value.isBlank()) {
        return value.strip();
      }
    }
    return "unidentified@" + exchange.getRemoteAddress().getAddress().getHostAddress();
  }

  static Optional<String> parameter(String query, String name) {
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = equals < 0 ? pair : pair.substring(0, equals);
      if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name) && equals >= 0) {
        String value = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private static byte[] error(String error, String message) {
    return ("{\"error\":\""
            + error
            + "\",\"message\":\""
            + message.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
