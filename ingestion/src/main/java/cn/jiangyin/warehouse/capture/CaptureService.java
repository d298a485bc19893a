package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows several sources until stopped (持续采集): one {@link CaptureEngine} per source, each
 * supervised by its own thread. A source whose engine fails (server restarted, network gone,
 * password changed) is logged and restarted after a back-off that doubles from {@link
 * #BACKOFF_INITIAL} up to {@link #BACKOFF_MAX}; the other sources go on. {@link #close} stops every
 * engine after its batch in hand is committed.
 */
public final class CaptureService implements AutoCloseable {
  public static final Duration BACKOFF_INITIAL = Duration.ofSeconds(1);
  public static final Duration BACKOFF_MAX = Duration.ofMinutes(2);
  private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);

  private final Function<SourceDefinition, CaptureEngine> engines;
  private final Map<String, Supervisor> supervisors = new LinkedHashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  /**
   * @param sources the sources to follow
   * @param engines makes a fresh engine for a source (called again after each failure)
   */
  public CaptureService(
      List<SourceDefinition> sources, Function<SourceDefinition, CaptureEngine> engines) {
    requireNonNull(sources, "sources is null");
    this.engines = requireNonNull(engines, "engines is null");
    for (SourceDefinition source : sources) {
      supervisors.put(source.name(), new Supervisor(source));
    }
  }

  /** Starts following every source in the background. */
  public void start() {
    supervisors.values().forEach(Supervisor::start);
  }

  /** Blocks until {@link #close} has stopped every engine. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }

  /** What each source counted so far, over all its engines (restarts included), by source name. */
  public Map<String, CaptureStatistics> statistics() {
    Map<String, CaptureStatistics> result = new LinkedHashMap<>();
    supervisors.forEach((name, supervisor) -> result.put(name, supervisor.total()));
    return result;
  }

  /** Whether each source's engine is running now (false while it waits to be retried). */
  public Map<String, Boolean> running() {
    Map<String, Boolean> result = new LinkedHashMap<>();
    supervisors.forEach((name, supervisor) -> result.put(name, supervisor.engine != null));
    return result;
  }

  /**
   * Follows until SIGTERM or SIGINT (Ctrl-C), then stops every engine after its batch in hand is
   * committed and returns, so that the process can exit 0. The signals are caught with {@code
   * sun.misc.Signal}; where that is unavailable, and for any other way the JVM ends (e.g. {@code
   * System.exit}), a shutdown hook closes the engines too (the JVM then exits with 128 + signal).
   */
  public void followUntilSignalled() throws InterruptedException {
    Thread hook = new Thread(this::close, "capture-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    for (String signal : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(signal),
            received -> {
              LOG.info("SIG{} received: committing the batches in hand", received.getName());
              Thread stopper = new Thread(this::close, "capture-stop");
              stopper.start();
            });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        LOG.warn("Cannot catch SIG{} ({}); the shutdown hook will stop capture", signal, e);
      }
    }
    start();
    awaitStopped();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running or has run
    }
  }

  /** Stops every engine after its batch in hand is committed; safe to call more than once. */
  @Override
  public void close() {
    if (stopping) {
      awaitQuietly();
      return;
    }
    stopping = true;
    LOG.info("Stopping capture of {} source(s)", supervisors.size());
    supervisors.values().forEach(Supervisor::interruptWait);
    for (Supervisor supervisor : supervisors.values()) {
      supervisor.stop();
    }
    LOG.info("Capture stopped; every batch in hand was committed");
    stopped.countDown();
  }

  private void awaitQuietly() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs one source's engine, restarting it after a failure. */
  private final class Supervisor {
    private final SourceDefinition source;
    private final CaptureStatistics finishedRuns = new CaptureStatistics();
    private final Thread thread;
    private volatile CaptureEngine engine;

    Supervisor(SourceDefinition source) {
      this.source = source;
      this.thread = new Thread(this::supervise, "follow-" + source.name());
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    CaptureStatistics total() {
      CaptureStatistics total = new CaptureStatistics();
      total.add(finishedRuns);
      total.restarts.set(finishedRuns.restarts());
      CaptureEngine running = engine;
      if (running != null) {
        total.add(running.statistics());
      }
      return total;
    }

    private void supervise() {
      Duration backoff = BACKOFF_INITIAL;
      while (!stopping) {
        CaptureEngine current = null;
        try {
          synchronized (this) {
            if (stopping) {
              return;
            }
            current = engines.apply(source);
            engine = current;
            current.start();
          }
          while (!current.awaitStopped(Duration.ofSeconds(1))) {
            if (current.statistics().batches() > 0) {
              backoff = BACKOFF_INITIAL; // it works again
            }
          }
          if (stopping) {
            return;
          }
          Throwable failure = current.failure().orElse(null);
          LOG.warn(
              "Capture of {} stopped ({}); retrying in {} s",
              source.name(),
              failure == null ? "no error given" : failure.getMessage(),
              backoff.toSeconds());
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          if (stopping) {
            return;
          }
          LOG.warn(
              "Capture of {} failed ({}); retrying in {} s",
              source.name(),
              e.getMessage(),
              backoff.toSeconds(),
              e);
        }
        synchronized (this) {
          if (current != null) {
            engine = null;
            closeQuietly(current);
            finishedRuns.add(current.statistics());
          }
          finishedRuns.restarts.incrementAndGet();
        }
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : doubled;
      }
    }

    void interruptWait() {
      // wakes a supervisor sleeping in its back-off; a running engine is stopped by stop()
      if (engine == null) {
        thread.interrupt();
      }
    }

    void stop() {
      synchronized (this) {
        CaptureEngine running = engine;
        if (running != null) {
          closeQuietly(running);
        }
      }
      try {
        thread.join(Duration.ofMinutes(3).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void closeQuietly(CaptureEngine current) {
      try {
        current.close();
      } catch (RuntimeException e) {
        LOG.warn("Cannot stop capture of {} cleanly: {}", source.name(), e.getMessage());
      }
    }
  }
}
