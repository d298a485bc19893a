package cn.jiangyin.warehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Peak memory of this process during one phase: the resident set's high-water mark (VmHWM, reset at
 * the start of the phase through {@code /proc/self/clear_refs} where Linux allows it) and the Java
 * heap in use, sampled every 20 ms.
 */
final class MemoryProbe implements AutoCloseable {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private final Thread sampler;
  private final boolean rssReset;
  private volatile long peakHeap;
  private volatile boolean running = true;

  private MemoryProbe() {
    rssReset = resetRssPeak();
    sampler = new Thread(this::sample, "bench-memory");
    sampler.setDaemon(true);
    sampler.start();
  }

  static MemoryProbe start() {
    return new MemoryProbe();
  }

  private void sample() {
    Runtime runtime = Runtime.getRuntime();
    while (running) {
      long used = runtime.totalMemory() - runtime.freeMemory();
      if (used > peakHeap) {
        peakHeap = used;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The largest heap in use seen during the phase, in bytes. */
  long peakHeap() {
    return peakHeap;
  }

  /**
   * The peak resident set of the phase (of the whole process so far where the reset is not
   * allowed), in bytes.
   */
  OptionalLong peakRss() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          String kilobytes = line.substring("VmHWM:".length()).replace("kB", "").strip();
          return OptionalLong.of(Long.parseLong(kilobytes) * 1024);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /** Whether {@link #peakRss()} covers this phase only. */
  boolean rssPerPhase() {
    return rssReset;
  }

  private static boolean resetRssPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}
