package cn.jiangyin.warehouse.trino;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.trino.TrinoServerException.Code;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An unpacked Trino server (查询引擎) made of two Maven Central artifacts: {@code
 * io.trino:trino-server-core} (a tar.gz with no connectors) and the Iceberg connector {@code
 * io.trino:trino-iceberg} (a zip), which goes into {@code plugin/iceberg}.
 *
 * <p>Installation is idempotent and safe between processes: artifacts already in the local Maven
 * repository are used without any network access, otherwise the {@code mvn} on the PATH fetches
 * them; they are unpacked next to the target under a file lock and moved into place only when
 * complete, marked by {@value #MARKER}.
 */
public final class TrinoDistribution {
  private static final Logger log = LoggerFactory.getLogger(TrinoDistribution.class);

  /** The newest server tarball served on Maven Central (DESIGN.md "Versions"). */
  public static final String VERSION = "476";

  /** System property that overrides the installation directory. */
  public static final String DIRECTORY_PROPERTY = "jiangyin.trino.home";

  /** Environment variable that overrides the installation directory, below the system property. */
  public static final String DIRECTORY_VARIABLE = "JIANGYIN_TRINO_HOME";

  static final String MARKER = ".installed";
  private static final String GROUP = "io.trino";
  private static final String SERVER_ARTIFACT = "trino-server-core";
  private static final String ICEBERG_ARTIFACT = "trino-iceberg";
  private static final long MAVEN_TIMEOUT_MINUTES = 30;

  private final Path home;

  private TrinoDistribution(Path home) {
    this.home = home;
  }

  /**
   * {@code ~/.cache/jiangyin-warehouse/trino-server-476}, unless {@value #DIRECTORY_PROPERTY} or
   * {@value #DIRECTORY_VARIABLE} names another directory.
   */
  public static Path defaultDirectory() {
    String configured = System.getProperty(DIRECTORY_PROPERTY);
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(DIRECTORY_VARIABLE);
    }
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".cache", "jiangyin-warehouse")
        .resolve("trino-server-" + VERSION);
  }

  /** Installs into {@link #defaultDirectory()} unless already there. */
  public static TrinoDistribution install() {
    return install(defaultDirectory());
  }

  /** Installs into {@code directory} unless already there. */
  public static TrinoDistribution install(Path directory) {
    Path home = requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
    if (isInstalled(home)) {
      log.debug("Trino {} already installed in {}", VERSION, home);
      return new TrinoDistribution(home);
    }
    try {
      Files.createDirectories(home.getParent());
      Path lockFile = home.resolveSibling(home.getFileName() + ".lock");
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!isInstalled(home)) {
          unpack(home);
        }
      }
    } catch (IOException e) {
      throw new TrinoServerException(
          Code.DISTRIBUTION_UNAVAILABLE,
          "Cannot install Trino " + VERSION + " into " + home + ": " + e,
          e);
    }
    return new TrinoDistribution(home);
  }

  /**
   * A distribution assumed to be unpacked in {@code home} already; nothing is checked or fetched.
   */
  static TrinoDistribution at(Path home) {
    return new TrinoDistribution(requireNonNull(home, "home is null").toAbsolutePath().normalize());
  }

  public String version() {
    return VERSION;
  }

  public Path home() {
    return home;
  }

  public Path libDirectory() {
    return home.resolve("lib");
  }

  public Path pluginDirectory() {
    return home.resolve("plugin");
  }

  @Override
  public String toString() {
    return "Trino " + VERSION + " in " + home;
  }

  private static boolean isInstalled(Path home) {
    try {
      return Files.isRegularFile(home.resolve(MARKER))
          && Files.readString(home.resolve(MARKER), UTF_8).strip().equals(VERSION)
          && Files.isDirectory(home.resolve("lib"))
          && Files.isDirectory(home.resolve("plugin/iceberg"));
    } catch (IOException e) {
      return false;
    }
  }

  private static void unpack(Path home) throws IOException {
    Path server = resolve(SERVER_ARTIFACT, "tar.gz");
    Path iceberg = resolve(ICEBERG_ARTIFACT, "zip");
    Path staging = home.resolveSibling(home.getFileName() + ".partial-" + UUID.randomUUID());
    long started = System.nanoTime();
    try {
      Files.createDirectories(staging);
      log.info("Unpacking {} ({} MiB) into {}", server.getFileName(), mebibytes(server), home);
      run(
          List.of(
              "tar", "-xzf", server.toString(), "-C", staging.toString(), "--strip-components=1"),
          TimeUnit.MINUTES.toSeconds(10));
      log.info(
          "Unpacking {} ({} MiB) into {}",
          iceberg.getFileName(),
          mebibytes(iceberg),
          "plugin/iceberg");
      unzipStrippingTopDirectory(iceberg, staging.resolve("plugin/iceberg"));
      Files.writeString(staging.resolve(MARKER), VERSION + "\n", UTF_8);
      if (Files.exists(home)) {
        log.info("Replacing incomplete installation in {}", home);
        deleteRecursively(home);
      }
      Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
      log.info(
          "Trino {} installed in {} ({} s)",
          VERSION,
          home,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    } finally {
      if (Files.exists(staging)) {
        deleteRecursively(staging);
      }
    }
  }

  /** The artifact in the local repository, fetched by {@code mvn dependency:get} when missing. */
  private static Path resolve(String artifact, String type) throws IOException {
    Path file =
        localRepository()
            .resolve(GROUP.replace('.', '/'))
            .resolve(artifact)
            .resolve(VERSION)
            .resolve(artifact + "-" + VERSION + "." + type);
    if (Files.isRegularFile(file)) {
      log.info("Using {} from the local Maven repository", file);
      return file;
    }
    String coordinates = GROUP + ":" + artifact + ":" + VERSION + ":" + type;
    log.info(
        "Downloading {} from Maven Central with mvn (a few hundred MiB, may take minutes)",
        coordinates);
    List<String> command =
        List.of(
            "mvn",
            "--batch-mode",
            "--no-transfer-progress",
            "dependency:get",
            "-Dartifact=" + coordinates,
            "-Dtransitive=false",
            "-Dmaven.repo.local=" + localRepository());
    run(command, TimeUnit.MINUTES.toSeconds(MAVEN_TIMEOUT_MINUTES));
    if (!Files.isRegularFile(file)) {
      throw new TrinoServerException(
          Code.DISTRIBUTION_UNAVAILABLE,
          "Cannot find " + file + " after mvn resolved " + coordinates);
    }
    return file;
  }

  private static Path localRepository() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  private static void run(List<String> command, long timeoutSeconds) throws IOException {
    Path output = Files.createTempFile("trino-distribution", ".log");
    try {
      Process process =
          new ProcessBuilder(command)
              // Not the caller's directory: mvn would read whatever pom.xml lies there.
              .directory(output.getParent().toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly();
      }
      if (!finished || process.exitValue() != 0) {
        throw new TrinoServerException(
            Code.DISTRIBUTION_UNAVAILABLE,
            "Cannot run "
                + String.join(" ", command)
                + (finished ? " (exit " + process.exitValue() + ")" : " (timed out)")
                + ":\n"
                + TrinoServer.tail(output, 30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrinoServerException(
          Code.DISTRIBUTION_UNAVAILABLE, "Interrupted while running " + command.get(0), e);
    } catch (IOException e) {
      throw new TrinoServerException(
          Code.DISTRIBUTION_UNAVAILABLE,
          "Cannot run " + command.get(0) + " (is it on the PATH?): " + e.getMessage(),
          e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static void unzipStrippingTopDirectory(Path zip, Path target) throws IOException {
    Files.createDirectories(target);
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream entries = new ZipInputStream(in)) {
      for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
        String name = entry.getName();
        int slash = name.indexOf('/');
        String relative = slash < 0 ? "" : name.substring(slash + 1);
        if (relative.isEmpty()) {
          continue;
        }
        Path destination = target.resolve(relative).normalize();
        if (!destination.startsWith(target)) {
          throw new IOException("Invalid zip entry outside the target: " + name);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(destination);
        } else {
          Files.createDirectories(destination.getParent());
          Files.copy(entries, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static long mebibytes(Path file) throws IOException {
    return Files.size(file) / (1024 * 1024);
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
