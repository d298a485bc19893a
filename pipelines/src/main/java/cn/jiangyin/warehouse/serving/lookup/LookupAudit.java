package cn.jiangyin.warehouse.serving.lookup;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * 查询日志 — every lookup, one JSON line appended to {@code <home>/serving/lookup-log.jsonl}: when, who
 * asked, through which channel, which subject (an ID number masked by {@link
 * cn.jiangyin.warehouse.standard.ResidentIdNumber#maskIfPersonal}), which matter, and the answer
 * (HTTP status and verdict status). A local file, not an Iceberg table: an append per request costs
 * microseconds where a commit costs tens of milliseconds; ship it with the host's log collector.
 * Lines are written whole under a lock, so concurrent requests never interleave; the file stays
 * open for the life of the process and is not synced per line (a crash of the host may lose the
 * last lines the system had not written out).
 */
public final class LookupAudit {
  /** Where the log lives, relative to the platform home. */
  public static final String FILE = "serving/lookup-log.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final FileChannel channel;

  private LookupAudit(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** The audit log under {@code home}; the folder is created if needed. */
  public static LookupAudit under(Path home) {
    Path file = home.resolve(FILE).toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
      // opened once, in append mode: each line is one write the system appends whole
      return new LookupAudit(
          file,
          FileChannel.open(
              file,
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND,
              StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new LookupException("Cannot open the lookup log " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  /** One logged lookup; {@code subject} is already masked. */
  public record Entry(
      Instant at,
      String caller,
      String channel,
      String subject,
      String matter,
      int httpStatus,
      String result) {
    public Entry {
      requireNonNull(at, "at is null");
      requireNonNull(caller, "caller is null");
      requireNonNull(channel, "channel is null");
      requireNonNull(subject, "subject is null");
      requireNonNull(result, "result is null");
    }
  }

  public synchronized void record(Entry entry) {
    ObjectNode line = JSON.createObjectNode();
    line.put("at", entry.at().toString());
    line.put("caller", entry.caller());
    line.put("channel", entry.channel());
    line.put("subject", entry.subject());
    line.put("matter", entry.matter());
    line.put("http_status", entry.httpStatus());
    line.put("result", entry.result());
    try {
      ByteBuffer bytes =
          ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      // an unlogged lookup must not be answered
      throw new LookupException("Cannot write the lookup log " + file, e);
    }
  }
}
