package cn.jiangyin.warehouse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What every benchmark prints and cleans up the same way: load, durations, sizes, work folders. */
final class BenchSupport {
  private BenchSupport() {}

  /** The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return String.format(
          "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  /** Seconds below a minute with one decimal, else minutes and seconds. */
  static String duration(double seconds) {
    if (seconds < 60) {
      return String.format("%.1f s", seconds);
    }
    long rounded = Math.round(seconds);
    return String.format("%d min %02d s", rounded / 60, rounded % 60);
  }

  /** Whole megabytes with grouping; "?" where the size is unknown (negative). */
  static String megabytes(long bytes) {
    return bytes < 0 ? "?" : String.format("%,d MB", bytes / (1024 * 1024));
  }

  /** Deletes a folder and everything in it; nothing to do when it does not exist. */
  static void deleteRecursively(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
