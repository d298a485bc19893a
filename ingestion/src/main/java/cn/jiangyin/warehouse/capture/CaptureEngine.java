package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.identity.PersonKeys;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.catalog.Catalog;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures one departmental database into its raw tables with the Debezium embedded engine. Each
 * batch Debezium hands over is converted, committed to Iceberg (offsets in the same commits), and
 * only then marked processed — so Debezium never believes in a change the lake does not hold.
 *
 * <p>Two ways to run: {@link #runUntilCaughtUp} (追平后停止 — catch up and stop) reads the source's log
 * head when it starts and returns once a streamed offset has reached it; {@link #start} and {@link
 * #close} follow the source until stopped. {@link #close} lets the batch in hand finish its commit
 * first; should it be cut short anyway, nothing is lost or repeated, since Debezium resumes from
 * what the lake committed.
 */
public final class CaptureEngine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaptureEngine.class);
  private static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

  private final SourceDefinition source;
  private final ChangeSink.Factory sinks;
  private final Catalog catalog;
  private final PersonKeys personKeys;
  private final Path stateDirectory;
  private final CaptureStatistics statistics = new CaptureStatistics();
  private final ExecutorService executor;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile long lastChangeNanos = System.nanoTime();
  private volatile boolean streaming;
  private volatile boolean closed;
  private final java.util.concurrent.locks.ReentrantLock batchLock =
      new java.util.concurrent.locks.ReentrantLock();
  private volatile SourceHead head;
  private volatile boolean reachedHead;
  private volatile SourceHead streamedPosition;
  private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

  public CaptureEngine(
      SourceDefinition source, Catalog catalog, PersonKeys personKeys, Path stateDirectory) {
    this(
        source,
        catalog,
        personKeys,
        stateDirectory,
        (definition, checkpoint) -> new LakeWriter(catalog, definition, checkpoint));
  }

  /**
   * A capture delivering to {@code sinks} instead of the lake (offsets are still read from the
   * lake).
   */
  public CaptureEngine(
      SourceDefinition source,
      Catalog catalog,
      PersonKeys personKeys,
      Path stateDirectory,
      ChangeSink.Factory sinks) {
    this.sinks = requireNonNull(sinks, "sinks is null");
    this.source = requireNonNull(source, "source is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.personKeys = requireNonNull(personKeys, "personKeys is null");
    this.stateDirectory = requireNonNull(stateDirectory, "stateDirectory is null");
    this.executor =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "capture-" + source.name());
              thread.setDaemon(true);
              return thread;
            });
  }

  public CaptureStatistics statistics() {
    return statistics;
  }

  /**
   * Starts capturing in the background: the initial snapshot if none was committed, then streaming.
   */
  public void start() {
    CaptureCheckpoint checkpoint = CaptureCheckpoint.recover(catalog, source.name());
    LakeOffsetStore.register(source.name(), checkpoint);
    ChangeSink writer = sinks.open(source, checkpoint);
    ChangeEventConverter converter = new ChangeEventConverter(source, personKeys);
    try {
      Files.createDirectories(stateDirectory);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot create capture state directory " + stateDirectory, e);
    }
    LOG.info(
        "Starting capture of {} ({}) {}",
        source.name(),
        source.kind().label(),
        checkpoint.resumeOffset().isPresent()
            ? "from the lake's batch " + checkpoint.lastBatch()
            : "with an initial snapshot");
    engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(DebeziumProperties.of(source, stateDirectory))
            .using(
                (success, message, error) -> {
                  if (!success && closed) {
                    // Stopping on our request: Debezium's executors may reject the tasks still
                    // queued (RejectedExecutionException). Every batch handed to us was either
                    // committed to the lake or is replayed from its offsets next time, so this is
                    // not a failure of the capture.
                    LOG.warn(
                        "Capture of {} reported while stopping (ignored, nothing is lost): {}",
                        source.name(),
                        error != null ? error.toString() : message);
                  } else if (!success) {
                    failure.compareAndSet(
                        null, error != null ? error : new IllegalStateException(message));
                    LOG.error("Capture of {} stopped: {}", source.name(), message, error);
                  }
                  finished.countDown();
                })
            .notifying((records, committer) -> handle(records, committer, converter, writer))
            .build();
    executor.execute(engine);
  }

  private void handle(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer,
      ChangeEventConverter converter,
      ChangeSink writer)
      throws InterruptedException {
    batchLock.lockInterruptibly();
    try {
      if (closed) {
        // stopping: leave the batch unmarked; it is replayed from the lake's offsets next time
        return;
      }
      handleBatch(events, committer, converter, writer);
    } finally {
      batchLock.unlock();
    }
  }

  private void handleBatch(
      List<RecordChangeEvent<SourceRecord>> events,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer,
      ChangeEventConverter converter,
      ChangeSink writer)
      throws InterruptedException {
    boolean streamed = false;
    List<CapturedChange> changes = new ArrayList<>();
    List<QuarantinedChange> quarantined = new ArrayList<>();
    List<PersonIdentity> identities = new ArrayList<>();
    SourceRecord lastWithOffset = null;
    long newestSourceMillis = 0;
    long heartbeatMillis = 0;
    for (RecordChangeEvent<SourceRecord> event : events) {
      SourceRecord record = event.record();
      statistics.eventsIn.incrementAndGet();
      if (record.sourceOffset() != null && record.sourcePartition() != null) {
        lastWithOffset = record;
      }
      if (record.topic() != null && record.topic().startsWith(HEARTBEAT_TOPIC_PREFIX)) {
        streamed = true;
        statistics.skipped.incrementAndGet();
        heartbeatMillis = heartbeatMillis(record);
        continue;
      }
      ChangeEventConverter.Result result = converter.convert(record);
      if (result instanceof ChangeEventConverter.Converted converted) {
        changes.add(converted.change());
        heartbeatMillis = 0;
        if (converted.change().sourceTimestamp() != null) {
          newestSourceMillis =
              Math.max(
                  newestSourceMillis,
                  converted.change().sourceTimestamp().toInstant().toEpochMilli());
        }
        identities.addAll(converted.identities());
        if (!"r".equals(converted.change().op())) {
          streamed = true;
        }
      } else if (result instanceof ChangeEventConverter.Quarantined bad) {
        quarantined.add(bad.change());
      } else {
        statistics.skipped.incrementAndGet();
      }
    }
    if (!changes.isEmpty() || !quarantined.isEmpty()) {
      lastChangeNanos = System.nanoTime();
      ChangeSink.BatchResult result =
          writer.commit(
              changes,
              quarantined,
              identities,
              LakeOffsetStore.json(lastWithOffset.sourcePartition()),
              LakeOffsetStore.json(lastWithOffset.sourceOffset()));
      statistics.committed.addAndGet(result.committed());
      statistics.quarantined.addAndGet(result.quarantined());
      statistics.duplicatesDropped.addAndGet(result.duplicatesDropped());
      statistics.batches.incrementAndGet();
      statistics.lastCommitMillis.set(System.currentTimeMillis());
      lastChangeNanos = System.nanoTime();
      LOG.info(
          "{}: batch {} committed {} changes ({} quarantined, {} replayed dropped); {} so far",
          source.name(),
          result.batch(),
          result.committed(),
          result.quarantined(),
          result.duplicatesDropped(),
          statistics.committed());
    }
    statistics.freshAsOfMillis.accumulateAndGet(
        Math.max(newestSourceMillis, heartbeatMillis), Math::max);
    for (RecordChangeEvent<SourceRecord> event : events) {
      committer.markProcessed(event);
    }
    committer.markBatchFinished();
    if (streamed) {
      streaming = true;
    }
    if (lastWithOffset != null) {
      SourceHead.ofOffset(source.kind(), lastWithOffset.sourceOffset())
          .ifPresent(
              position -> {
                streamedPosition = position;
                SourceHead target = head;
                if (target != null && target.reachedBy(position)) {
                  reachedHead = true;
                }
              });
    }
  }

  /** When Debezium emitted a heartbeat: its {@code ts_ms}, else now. */
  private static long heartbeatMillis(SourceRecord record) {
    if (record.value() instanceof org.apache.kafka.connect.data.Struct value
        && value.schema().field("ts_ms") != null
        && value.get("ts_ms") instanceof Long millis) {
      return millis;
    }
    return System.currentTimeMillis();
  }

  /** The newest streamed position handled (and committed, if it carried changes). */
  public java.util.Optional<SourceHead> streamedPosition() {
    return java.util.Optional.ofNullable(streamedPosition);
  }

  /**
   * Catches up and stops (追平后停止): reads the source's log head ({@link SourceHead}) first, then
   * returns once a streamed offset at or past it has been handled — every change committed before
   * the run began is then in the lake. A source whose stream never carries an offset that far (a
   * PostgreSQL database without heartbeat action, quiet while other databases of the server write
   * WAL) counts as caught up once streaming has begun and no change came for {@code quietPeriod}.
   * Fails after {@code timeout}.
   */
  public CaptureStatistics runUntilCaughtUp(Duration quietPeriod, Duration timeout)
      throws InterruptedException {
    head = SourceHead.read(source);
    LOG.info("{}: catching up to {}", source.name(), head);
    return run(quietPeriod, timeout);
  }

  /** True once {@link #close} was called or the engine stopped by itself. */
  public boolean awaitStopped(Duration wait) throws InterruptedException {
    return finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Why the engine stopped by itself, if it failed. */
  public java.util.Optional<Throwable> failure() {
    return java.util.Optional.ofNullable(failure.get());
  }

  /**
   * Catches up and stops: returns once streaming has begun and no change arrived for {@code
   * quietPeriod}, or fails after {@code timeout}.
   */
  public CaptureStatistics runUntilQuiet(Duration quietPeriod, Duration timeout)
      throws InterruptedException {
    return run(quietPeriod, timeout);
  }

  private CaptureStatistics run(Duration quietPeriod, Duration timeout)
      throws InterruptedException {
    start();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (finished.await(200, TimeUnit.MILLISECONDS)) {
        break;
      }
      rethrowFailure();
      boolean quiet =
          !batchLock.isLocked() && System.nanoTime() - lastChangeNanos > quietPeriod.toNanos();
      if (reachedHead) {
        LOG.info("{}: caught up with {}", source.name(), head);
        break;
      }
      if (streaming && quiet) {
        if (head != null) {
          LOG.info(
              "{}: quiet for {} s before the stream reached {}; counted as caught up",
              source.name(),
              quietPeriod.toSeconds(),
              head);
        }
        break;
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new CaptureException(
            source.name(),
            "Cannot catch up with "
                + source.name()
                + " within "
                + timeout.toSeconds()
                + " s ("
                + statistics
                + ")");
      }
    }
    close();
    rethrowFailure();
    return statistics;
  }

  private void rethrowFailure() {
    Throwable error = failure.get();
    if (error != null) {
      throw new CaptureException(
          source.name(), "Capture of " + source.name() + " failed: " + error.getMessage(), error);
    }
  }

  /** Stops Debezium after the batch in hand is committed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // wait for the batch in hand to be committed and marked; later batches see `closed`
    batchLock.lock();
    batchLock.unlock();
    try {
      if (engine != null && finished.getCount() > 0) {
        // an engine that stopped by itself (a failure, kept in `failure`) is already shut down:
        // closing it again would throw and hide the failure that stopped it
        try {
          engine.close();
        } catch (IllegalStateException alreadyShutDown) {
          LOG.debug("Capture of {} had already stopped", source.name(), alreadyShutDown);
        }
        finished.await(60, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      throw new CaptureException(source.name(), "Cannot stop capture of " + source.name(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      executor.shutdown();
      LakeOffsetStore.unregister(source.name());
    }
  }

  /**
   * The PostgreSQL replication slot a source's capture holds: {@code slot.name} from its Debezium
   * options, else {@code jy_<database>}.
   */
  public static String replicationSlot(SourceDefinition source) {
    return source
        .connectorOptions()
        .getOrDefault("slot.name", DebeziumProperties.replicationName(source));
  }

  /**
   * Debezium's settings for a source; see docs/operations/databases.md for what the servers need.
   */
  static final class DebeziumProperties {
    private DebeziumProperties() {}

    static Properties of(SourceDefinition source, Path stateDirectory) {
      Properties properties = new Properties();
      properties.setProperty("name", source.name());
      properties.setProperty("connector.class", source.kind().connectorClass());
      properties.setProperty("topic.prefix", source.name());
      properties.setProperty("offset.storage", LakeOffsetStore.class.getName());
      properties.setProperty(LakeOffsetStore.SOURCE_PROPERTY, source.name());
      properties.setProperty("offset.flush.interval.ms", "0");
      properties.setProperty("database.hostname", source.host());
      properties.setProperty("database.port", Integer.toString(source.port()));
      properties.setProperty("database.user", source.user());
      properties.setProperty("database.password", source.password());
      properties.setProperty("table.include.list", String.join(",", source.tables()));
      properties.setProperty("snapshot.mode", source.snapshotMode().debeziumValue());
      // exact decimals as BigDecimal, never doubles or base64 strings
      properties.setProperty("decimal.handling.mode", "precise");
      properties.setProperty("binary.handling.mode", "bytes");
      properties.setProperty("tombstones.on.delete", "false");
      properties.setProperty("heartbeat.interval.ms", "1000");
      properties.setProperty("max.batch.size", "8192");
      properties.setProperty("max.queue.size", "32768");
      properties.setProperty("poll.interval.ms", "100");
      // on close, let the batch in hand finish its Iceberg commit (a cut-short commit would be
      // replayed from the lake's offsets, but a clean stop should not need that)
      properties.setProperty("record.processing.shutdown.timeout.ms", "120000");
      properties.setProperty("task.management.timeout.ms", "180000");
      if (source.kind() == SourceKind.POSTGRESQL) {
        properties.setProperty("database.dbname", source.database());
        properties.setProperty("plugin.name", "pgoutput");
        // one capture per database: the slot and publication are named after it (unique on the
        // server)
        properties.setProperty("slot.name", replicationName(source));
        properties.setProperty("publication.name", replicationName(source));
        properties.setProperty("publication.autocreate.mode", "filtered");
      } else {
        properties.setProperty("database.include.list", source.database());
        properties.setProperty("database.server.id", Integer.toString(serverId(source)));
        properties.setProperty("database.ssl.mode", "disable");
        // notice a restarted server within seconds (the default, 60 s, left capture idle ~2 min)
        properties.setProperty("connect.keep.alive.interval.ms", "2000");
        properties.setProperty("include.schema.changes", "false");
        // bigint unsigned exceeds a long: exact as decimal(20,0); tinyint(1) becomes boolean only
        // when RawSchemas sees the source type (see docs/raw-contract.md)
        properties.setProperty("bigint.unsigned.handling.mode", "precise");
        properties.setProperty(
            "datatype.propagate.source.type", ".+\\.TINYINT,.+\\.BOOLEAN,.+\\.BOOL");
        properties.setProperty(
            "schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        properties.setProperty(
            "schema.history.internal.file.filename",
            stateDirectory.resolve(source.name() + ".schema-history.dat").toString());
      }
      source.connectorOptions().forEach(properties::setProperty);
      return properties;
    }

    /**
     * A stable replica id per source, away from the servers' own ids; the database is part of it so
     * two captures of different databases on one server never share an id.
     */
    static int serverId(SourceDefinition source) {
      return 100_000 + Math.floorMod((source.name() + "@" + source.database()).hashCode(), 800_000);
    }

    /**
     * {@code jy_<database>}: PostgreSQL slot and publication names allow a-z, 0-9 and _, 63 at
     * most.
     */
    static String replicationName(SourceDefinition source) {
      String name =
          "jy_"
              + source.database().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
      return name.length() <= 63 ? name : name.substring(0, 63);
    }
  }
}
