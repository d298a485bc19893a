package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * Where a source's change log stands now (日志头位置): PostgreSQL's {@code pg_current_wal_lsn()}, or the
 * binlog file and position of {@code SHOW MASTER STATUS}. "Caught up" means a streamed offset at or
 * past the head read when the run began; the distance between an offset and the head is the backlog
 * in bytes of WAL or binlog (events cannot be counted without reading the log).
 *
 * @param kind the source's kind
 * @param major PostgreSQL: the LSN; MariaDB/MySQL: the binlog file number
 * @param minor MariaDB/MySQL: the position in the binlog file; PostgreSQL: 0
 */
public record SourceHead(SourceKind kind, long major, long minor) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public SourceHead {
    requireNonNull(kind, "kind is null");
  }

  /** Reads the head with the source's own capture account. */
  public static SourceHead read(SourceDefinition source) {
    String url =
        source.kind().readsBinlog()
            ? "jdbc:mariadb://" + source.host() + ":" + source.port() + "/"
            : "jdbc:postgresql://" + source.host() + ":" + source.port() + "/" + source.database();
    try (Connection connection =
            DriverManager.getConnection(url, source.user(), source.password());
        Statement statement = connection.createStatement()) {
      if (!source.kind().readsBinlog()) {
        try (ResultSet result =
            statement.executeQuery(
                "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) { // the LSN as a number
          result.next();
          return new SourceHead(source.kind(), result.getBigDecimal(1).longValueExact(), 0);
        }
      }
      try {
        return binlogHead(source.kind(), statement, "SHOW MASTER STATUS");
      } catch (SQLException e) {
        // MySQL 8.4 removed SHOW MASTER STATUS
        return binlogHead(source.kind(), statement, "SHOW BINARY LOG STATUS");
      }
    } catch (SQLException e) {
      throw new CaptureException(
          source.name(),
          "Cannot read the log position of " + source.name() + ": " + e.getMessage(),
          e);
    }
  }

  private static SourceHead binlogHead(SourceKind kind, Statement statement, String sql)
      throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      if (!result.next()) {
        throw new SQLException("Cannot read the binlog position: the binlog is off (" + sql + ")");
      }
      return new SourceHead(
          kind, Position.binlogFileNumber(result.getString(1)), result.getLong(2));
    }
  }

  /**
   * The position a streamed Debezium offset stands at, in this head's terms; empty for snapshot
   * offsets (they stand where the snapshot began, which says nothing about streaming).
   */
  public static Optional<SourceHead> ofOffset(SourceKind kind, Map<String, ?> offset) {
    if (offset == null || isSnapshot(offset.get("snapshot"))) {
      return Optional.empty();
    }
    if (kind.readsBinlog()) {
      Object file = offset.get("file");
      Object position = offset.get("pos");
      if (file == null || position == null) {
        return Optional.empty();
      }
      return Optional.of(
          new SourceHead(
              kind,
              Position.binlogFileNumber(file.toString()),
              Long.parseLong(position.toString())));
    }
    Object lsn = offset.get("lsn");
    return lsn == null
        ? Optional.empty()
        : Optional.of(new SourceHead(kind, Long.parseLong(lsn.toString()), 0));
  }

  /** As {@link #ofOffset(SourceKind, Map)} for an offset stored as JSON in a capture commit. */
  public static Optional<SourceHead> ofOffsetJson(SourceKind kind, String offsetJson) {
    try {
      JsonNode node = JSON.readTree(offsetJson);
      @SuppressWarnings("unchecked")
      Map<String, Object> offset = JSON.convertValue(node, Map.class);
      return ofOffset(kind, offset);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean isSnapshot(Object flag) {
    return flag != null && !"false".equals(flag.toString());
  }

  /** True if {@code position} stands at or past this head. */
  public boolean reachedBy(SourceHead position) {
    return position.major > major || (position.major == major && position.minor >= minor);
  }

  /**
   * Bytes of WAL (PostgreSQL) or of the current binlog file (MariaDB/MySQL) between {@code
   * position} and this head; empty when the binlog file differs (its size is not known here).
   */
  public Optional<Long> bytesAfter(SourceHead position) {
    if (reachedBy(position)) {
      return Optional.of(0L);
    }
    if (!kind.readsBinlog()) {
      return Optional.of(major - position.major);
    }
    return position.major == major ? Optional.of(minor - position.minor) : Optional.empty();
  }

  @Override
  public String toString() {
    return kind.readsBinlog()
        ? "binlog %06d:%d".formatted(major, minor)
        : "LSN %X/%X".formatted(major >>> 32, major & 0xFFFFFFFFL);
  }
}
