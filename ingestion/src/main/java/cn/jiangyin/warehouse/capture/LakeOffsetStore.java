package cn.jiangyin.warehouse.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.MemoryOffsetBackingStore;
import org.apache.kafka.connect.util.Callback;

/**
 * Debezium's offset store, answered from the lake: on start the connector resumes from the offset
 * that the newest complete capture commit carries ({@link CaptureCheckpoint}). What Debezium writes
 * here afterwards is kept in memory only — the durable copy is the one {@link LakeWriter} put in
 * the Iceberg commit before the batch was marked processed, so a crash can only make capture
 * replay, never skip.
 */
public final class LakeOffsetStore extends MemoryOffsetBackingStore {
  /** Engine property naming the source whose checkpoint this store serves. */
  public static final String SOURCE_PROPERTY = "offset.storage.jiangyin.source";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, CaptureCheckpoint> CHECKPOINTS = new ConcurrentHashMap<>();

  private String source;

  /**
   * Called by the engine before it starts Debezium: the checkpoint read from the lake for {@code
   * source}.
   */
  static void register(String source, CaptureCheckpoint checkpoint) {
    CHECKPOINTS.put(source, checkpoint);
  }

  static void unregister(String source) {
    CHECKPOINTS.remove(source);
  }

  @Override
  public void configure(WorkerConfig config) {
    super.configure(config);
    Object value = config.originals().get(SOURCE_PROPERTY);
    if (value == null) {
      throw new IllegalStateException(
          "Cannot start LakeOffsetStore: " + SOURCE_PROPERTY + " is not set");
    }
    this.source = value.toString();
  }

  @Override
  public Future<Map<ByteBuffer, ByteBuffer>> get(Collection<ByteBuffer> keys) {
    Map<ByteBuffer, ByteBuffer> result = new HashMap<>();
    CaptureCheckpoint checkpoint = CHECKPOINTS.getOrDefault(source, CaptureCheckpoint.empty());
    for (ByteBuffer key : keys) {
      ByteBuffer inMemory = data.get(key);
      if (inMemory != null) {
        result.put(key, inMemory);
      } else if (checkpoint.resumeOffset().isPresent()
          && checkpoint.offsetPartition().isPresent()
          && samePartition(key, checkpoint.offsetPartition().get())) {
        result.put(
            key, ByteBuffer.wrap(checkpoint.resumeOffset().get().getBytes(StandardCharsets.UTF_8)));
      }
    }
    return CompletableFuture.completedFuture(result);
  }

  @Override
  public Future<Void> set(Map<ByteBuffer, ByteBuffer> values, Callback<Void> callback) {
    data.putAll(values);
    if (callback != null) {
      callback.onCompletion(null, null);
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Set<Map<String, Object>> connectorPartitions(String connectorName) {
    return Set.of();
  }

  /**
   * Keys are {@code ["<engine name>", {partition}]} as JSON; partitions are compared as JSON trees.
   */
  private static boolean samePartition(ByteBuffer key, String partitionJson) {
    try {
      byte[] bytes = new byte[key.remaining()];
      key.duplicate().get(bytes);
      JsonNode requested = JSON.readTree(bytes);
      return requested.isArray()
          && requested.size() == 2
          && requested.get(1).equals(JSON.readTree(partitionJson));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read an offset key", e);
    }
  }

  static String json(Map<String, ?> value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write an offset as JSON", e);
    }
  }
}
