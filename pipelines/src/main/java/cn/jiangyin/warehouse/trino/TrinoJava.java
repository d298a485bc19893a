package cn.jiangyin.warehouse.trino;

import static java.nio.charset.StandardCharsets.UTF_8;

import cn.jiangyin.warehouse.trino.TrinoServerException.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the JDK that runs Trino: Trino 476 needs Java 24 or newer, while the warehouse itself
 * builds and runs on 17.
 */
final class TrinoJava {
  /** Environment variable naming the JDK for Trino; checked first. */
  static final String JAVA_HOME_VARIABLE = "TRINO_JAVA_HOME";

  static final int MINIMUM_FEATURE_VERSION = 24;

  private static final Path JVM_DIRECTORY = Path.of("/usr/lib/jvm");
  private static final Pattern JAVA_VERSION =
      Pattern.compile("^JAVA_VERSION=\"?(\\d+)", Pattern.MULTILINE);

  private TrinoJava() {}

  /** The {@code bin/java} executable of a suitable JDK. */
  static Path executable() {
    String configured = System.getenv(JAVA_HOME_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      Path home = Path.of(configured);
      OptionalInt version = featureVersion(home);
      if (version.isEmpty() || version.getAsInt() < MINIMUM_FEATURE_VERSION) {
        throw new TrinoServerException(
            Code.JAVA_UNAVAILABLE,
            "Invalid "
                + JAVA_HOME_VARIABLE
                + "="
                + configured
                + ": Trino "
                + TrinoDistribution.VERSION
                + " needs a JDK "
                + MINIMUM_FEATURE_VERSION
                + " or newer, found "
                + (version.isEmpty() ? "none" : version.getAsInt()));
      }
      return home.resolve("bin/java");
    }
    List<Path> candidates = new ArrayList<>(installedJdks());
    candidates.add(Path.of(System.getProperty("java.home")));
    Optional<String> javaHome = Optional.ofNullable(System.getenv("JAVA_HOME"));
    javaHome.filter(home -> !home.isBlank()).map(Path::of).ifPresent(candidates::add);
    return candidates.stream()
        .filter(home -> featureVersion(home).orElse(0) >= MINIMUM_FEATURE_VERSION)
        .filter(home -> Files.isExecutable(home.resolve("bin/java")))
        // Prefer 25, the JDK tried here; otherwise the oldest that is new enough.
        .min(Comparator.comparingInt(home -> preference(featureVersion(home).orElse(0))))
        .map(home -> home.resolve("bin/java"))
        .orElseThrow(
            () ->
                new TrinoServerException(
                    Code.JAVA_UNAVAILABLE,
                    "Cannot find a JDK "
                        + MINIMUM_FEATURE_VERSION
                        + " or newer for Trino "
                        + TrinoDistribution.VERSION
                        + " (looked in "
                        + JVM_DIRECTORY
                        + ", java.home and JAVA_HOME): install one, e.g. Temurin 25, and set "
                        + JAVA_HOME_VARIABLE));
  }

  /** The feature version from the JDK's {@code release} file. */
  static OptionalInt featureVersion(Path javaHome) {
    Path release = javaHome.resolve("release");
    if (!Files.isRegularFile(release)) {
      return OptionalInt.empty();
    }
    try {
      Matcher matcher = JAVA_VERSION.matcher(Files.readString(release, UTF_8));
      return matcher.find()
          ? OptionalInt.of(Integer.parseInt(matcher.group(1)))
          : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static int preference(int featureVersion) {
    return featureVersion == 25 ? 0 : featureVersion;
  }

  private static List<Path> installedJdks() {
    if (!Files.isDirectory(JVM_DIRECTORY)) {
      return List.of();
    }
    try (Stream<Path> homes = Files.list(JVM_DIRECTORY)) {
      return homes.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}
