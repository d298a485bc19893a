package cn.jiangyin.warehouse.trino;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.trino.TrinoServerException.Code;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Trino server (查询服务) on 127.0.0.1 that analysts query the lake through: coordinator
 * and worker in one JVM, its catalog {@code iceberg} reading the Iceberg JDBC catalog of {@link
 * TrinoSettings}.
 *
 * <p>The server is an ordinary child process that outlives the JVM that started it, so a command
 * line can {@code start} it, exit, and later find it again with {@link #running(Path)} and {@link
 * #stop()} it: its pid is in {@code var/run/trino.pid} and its port in {@code
 * etc/config.properties} of the data directory.
 */
public final class TrinoServer implements AutoCloseable {
  private static final Duration NODE_REFRESH = Duration.ofSeconds(6);

  private static final Logger log = LoggerFactory.getLogger(TrinoServer.class);

  /**
   * How long a start may take before it is given up: ≈ 15–20 s here, slower when Spark shares the
   * cores.
   */
  public static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /** How long a stop waits after SIGTERM before it kills the process. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(30);

  static final String PID_FILE = "var/run/trino.pid";
  static final String SERVER_LOG = "var/log/server.log";
  static final String LAUNCHER_LOG = "var/log/launcher.log";
  private static final String MAIN_CLASS = "io.trino.server.TrinoServer";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final long pid;
  private final int httpPort;
  private final Path dataDirectory;
  private final HttpClient http;

  private TrinoServer(long pid, int httpPort, Path dataDirectory) {
    this.pid = pid;
    this.httpPort = httpPort;
    this.dataDirectory = dataDirectory;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * Installs the distribution if needed ({@link TrinoDistribution#install()}) and starts a server.
   */
  public static TrinoServer start(TrinoSettings settings) {
    return start(settings, TrinoDistribution.install());
  }

  /**
   * Writes {@code etc/} into the data directory, launches the server with a JDK 24+ and waits until
   * it accepts queries.
   *
   * @throws TrinoServerException if a server already runs there, no JDK fits, or the server does
   *     not come up
   */
  public static TrinoServer start(TrinoSettings settings, TrinoDistribution distribution) {
    requireNonNull(settings, "settings is null");
    requireNonNull(distribution, "distribution is null");
    Path dataDirectory = settings.dataDirectory();
    Optional<TrinoServer> existing = running(dataDirectory);
    if (existing.isPresent()) {
      throw new TrinoServerException(
          Code.ALREADY_RUNNING,
          "Cannot start Trino: already running in "
              + dataDirectory
              + " (pid "
              + existing.get().pid()
              + ", port "
              + existing.get().httpPort()
              + ")");
    }
    Path java = TrinoJava.executable();
    int port = settings.httpPort() == 0 ? freePort() : settings.httpPort();
    TrinoConfiguration.writeLocal(settings, port, distribution);
    Path launcherLog = dataDirectory.resolve(LAUNCHER_LOG);
    Process process;
    try {
      Files.createDirectories(launcherLog.getParent());
      Files.createDirectories(dataDirectory.resolve(PID_FILE).getParent());
      ProcessBuilder builder =
          new ProcessBuilder(command(java, distribution, dataDirectory))
              .directory(dataDirectory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(launcherLog.toFile()));
      Map<String, String> environment = builder.environment();
      environment.put(TrinoConfiguration.CATALOG_PASSWORD_VARIABLE, settings.catalogPassword());
      log.info(
          "Starting Trino {} on http://127.0.0.1:{} with {} (data {}, catalog {} as {})",
          distribution.version(),
          port,
          java,
          dataDirectory,
          settings.catalogName(),
          TrinoConfiguration.TRINO_CATALOG);
      process = builder.start();
      Files.writeString(dataDirectory.resolve(PID_FILE), process.pid() + "\n", UTF_8);
    } catch (IOException e) {
      throw new TrinoServerException(
          Code.START_FAILED, "Cannot launch Trino with " + java + ": " + e, e);
    }
    TrinoServer server = new TrinoServer(process.pid(), port, dataDirectory);
    server.awaitReady(process.toHandle(), START_TIMEOUT);
    return server;
  }

  /**
   * The server running on this data directory, perhaps started by another process: its pid file
   * names a live Trino process.
   */
  public static Optional<TrinoServer> running(Path dataDirectory) {
    Path directory =
        requireNonNull(dataDirectory, "dataDirectory is null").toAbsolutePath().normalize();
    Path pidFile = directory.resolve(PID_FILE);
    Path config = directory.resolve("etc/config.properties");
    if (!Files.isRegularFile(pidFile) || !Files.isRegularFile(config)) {
      return Optional.empty();
    }
    long pid;
    int port;
    try {
      pid = Long.parseLong(Files.readString(pidFile, UTF_8).strip());
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(config)) {
        properties.load(in);
      }
      port = Integer.parseInt(properties.getProperty("http-server.http.port", "").strip());
    } catch (IOException | NumberFormatException e) {
      log.warn(
          "Ignoring unreadable Trino pid file or configuration in {}: {}", directory, e.toString());
      return Optional.empty();
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    // A reused pid belongs to some other program: accept only a process whose command line we
    // cannot see or
    // that runs Trino.
    boolean trino =
        process
            .flatMap(handle -> handle.info().commandLine())
            .map(commandLine -> commandLine.contains(MAIN_CLASS))
            .orElse(process.isPresent());
    if (!trino) {
      return Optional.empty();
    }
    return Optional.of(new TrinoServer(pid, port, directory));
  }

  /**
   * {@code jdbc:trino://127.0.0.1:PORT/iceberg}; callers pass a user name, as with any Trino
   * server.
   */
  public String jdbcUrl() {
    return "jdbc:trino://127.0.0.1:" + httpPort + "/" + TrinoConfiguration.TRINO_CATALOG;
  }

  public URI httpUri() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  public int httpPort() {
    return httpPort;
  }

  public long pid() {
    return pid;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  public Path serverLog() {
    return dataDirectory.resolve(SERVER_LOG);
  }

  /** What the server says about itself ({@code GET /v1/info}). */
  public ServerInfo info() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(httpUri().resolve("/v1/info"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " from /v1/info");
      }
      JsonNode info = JSON.readTree(response.body());
      return new ServerInfo(
          info.path("nodeVersion").path("version").asText(),
          info.path("environment").asText(),
          info.path("coordinator").asBoolean(),
          info.path("starting").asBoolean(true),
          info.path("uptime").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + httpUri() + "/v1/info: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading /v1/info", e);
    }
  }

  /** Whether the process is alive and the server answers that it has finished starting. */
  public boolean ready() {
    if (!alive()) {
      return false;
    }
    try {
      return !info().starting();
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /**
   * Stops the server: SIGTERM, then after {@link #STOP_GRACE} SIGKILL. Does nothing if it is not
   * running.
   */
  public void stop() {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isPresent()) {
      ProcessHandle handle = process.get();
      log.info("Stopping Trino (pid {}, port {})", pid, httpPort);
      handle.destroy();
      if (!waitForExit(handle, STOP_GRACE)) {
        log.warn(
            "Trino (pid {}) did not stop within {} s, killing it", pid, STOP_GRACE.toSeconds());
        handle.destroyForcibly();
        waitForExit(handle, Duration.ofSeconds(10));
      }
    }
    try {
      Files.deleteIfExists(dataDirectory.resolve(PID_FILE));
    } catch (IOException e) {
      log.warn("Cannot delete {}: {}", dataDirectory.resolve(PID_FILE), e.toString());
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return "TrinoServer[pid=" + pid + ", port=" + httpPort + ", data=" + dataDirectory + "]";
  }

  /**
   * {@code GET /v1/info} of a running server.
   *
   * @param starting true until the server accepts queries
   */
  public record ServerInfo(
      String version, String environment, boolean coordinator, boolean starting, String uptime) {
    public ServerInfo {
      requireNonNull(version, "version is null");
      requireNonNull(environment, "environment is null");
      requireNonNull(uptime, "uptime is null");
    }
  }

  private boolean runsQueries() {
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(jdbcUrl(), "warehouse-launcher", null);
        java.sql.Statement statement = connection.createStatement();
        java.sql.ResultSet result = statement.executeQuery("SELECT 1")) {
      return result.next();
    } catch (java.sql.SQLException e) {
      log.debug("Trino not running queries yet: {}", e.getMessage());
      return false;
    }
  }

  private boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private void awaitReady(ProcessHandle process, Duration timeout) {
    long started = System.nanoTime();
    long startedAt = 0;
    long deadline = started + timeout.toNanos();
    long nextReport = started + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      if (!process.isAlive()) {
        cleanUpPidFile();
        throw new TrinoServerException(
            Code.START_FAILED, "Trino exited while starting; end of its logs:\n" + logTail());
      }
      try {
        // starting:false comes before the coordinator's node manager has listed itself as a node
        // with
        // the iceberg catalog (it refreshes every 5 s); until then scans fail with "No nodes
        // available
        // to run query" (trinodb/trino#2214), so wait one refresh more before saying ready
        if (startedAt == 0 && !info().starting()) {
          startedAt = System.nanoTime();
        }
        if (startedAt != 0
            && System.nanoTime() - startedAt > NODE_REFRESH.toNanos()
            && runsQueries()) {
          log.info(
              "Trino ready at {} in {} ms",
              jdbcUrl(),
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
          return;
        }
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof ConnectException)) {
          log.debug("Trino not answering yet: {}", e.getMessage());
        }
      }
      long now = System.nanoTime();
      if (now > deadline) {
        process.destroyForcibly();
        waitForExit(process, Duration.ofSeconds(10));
        cleanUpPidFile();
        throw new TrinoServerException(
            Code.START_TIMEOUT,
            "Trino did not start within "
                + timeout.toSeconds()
                + " s; end of its logs:\n"
                + logTail());
      }
      if (now > nextReport) {
        log.info(
            "Waiting for Trino to start ({} s so far)",
            TimeUnit.NANOSECONDS.toSeconds(now - started));
        nextReport = now + TimeUnit.SECONDS.toNanos(10);
      }
      sleep(Duration.ofMillis(250));
    }
  }

  private void cleanUpPidFile() {
    try {
      Files.deleteIfExists(dataDirectory.resolve(PID_FILE));
    } catch (IOException e) {
      log.warn("Cannot delete {}: {}", dataDirectory.resolve(PID_FILE), e.toString());
    }
  }

  private String logTail() {
    return "--- "
        + LAUNCHER_LOG
        + "\n"
        + tail(dataDirectory.resolve(LAUNCHER_LOG), 15)
        + "\n--- "
        + SERVER_LOG
        + "\n"
        + tail(dataDirectory.resolve(SERVER_LOG), 40);
  }

  /** The java command, as {@code bin/launcher run} builds it, with absolute paths. */
  static List<String> command(Path java, TrinoDistribution distribution, Path dataDirectory) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add("-cp");
    command.add(distribution.libDirectory().resolve("*").toString());
    try {
      for (String line : Files.readAllLines(dataDirectory.resolve("etc/jvm.config"), UTF_8)) {
        String option = line.strip();
        if (!option.isEmpty() && !option.startsWith("#")) {
          command.add(option);
        }
      }
    } catch (IOException e) {
      throw new TrinoServerException(
          Code.CONFIGURATION_FAILED, "Cannot read " + dataDirectory.resolve("etc/jvm.config"), e);
    }
    TrinoConfiguration.localNodeProperties(dataDirectory)
        .forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-Dconfig=" + dataDirectory.resolve("etc/config.properties"));
    command.add(MAIN_CLASS);
    return command;
  }

  /** The last {@code lines} lines of a file, or a note that it does not exist. */
  static String tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "(no " + file + ")";
    }
    try {
      List<String> all = Files.readAllLines(file, UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new TrinoServerException(Code.START_FAILED, "Cannot find a free port on 127.0.0.1", e);
    }
  }

  private static boolean waitForExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrinoServerException(Code.START_FAILED, "Interrupted while waiting for Trino", e);
    }
  }
}
