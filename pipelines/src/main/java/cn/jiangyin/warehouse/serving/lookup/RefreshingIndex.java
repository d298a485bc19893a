package cn.jiangyin.warehouse.serving.lookup;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.iceberg.catalog.Catalog;

/**
 * The service's index, reloaded in the background when a table it reads has a new snapshot (checked
 * every {@code interval}); requests keep being answered from the previous index while the next one
 * loads, and a failed reload keeps the previous index (and says so).
 */
public final class RefreshingIndex implements AutoCloseable {
  private final Catalog catalog;
  private final Consumer<String> progress;
  private final ScheduledExecutorService scheduler;
  private volatile VerdictIndex current;

  private RefreshingIndex(Catalog catalog, Consumer<String> progress, VerdictIndex first) {
    this.catalog = catalog;
    this.progress = progress;
    this.current = first;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "verdict-index-refresh");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Loads the index now and checks for new snapshots every {@code interval}. */
  public static RefreshingIndex start(
      Catalog catalog, Duration interval, Consumer<String> progress) {
    requireNonNull(catalog, "catalog is null");
    RefreshingIndex index =
        new RefreshingIndex(catalog, progress, VerdictIndex.load(catalog, progress));
    long millis = interval.toMillis();
    index.scheduler.scheduleWithFixedDelay(
        index::refreshIfChanged, millis, millis, TimeUnit.MILLISECONDS);
    return index;
  }

  public VerdictIndex current() {
    return current;
  }

  /** Reloads if a table's snapshot changed; returns whether it did. */
  public synchronized boolean refreshIfChanged() {
    try {
      if (VerdictIndex.snapshots(catalog).equals(current.loadedSnapshots())) {
        return false;
      }
      current = VerdictIndex.load(catalog, progress);
      return true;
    } catch (RuntimeException e) {
      progress.accept("Cannot reload the verdict index, still serving the previous one: " + e);
      return false;
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
