package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.identity.PersonKeys;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.types.Types;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns Debezium {@link SourceRecord}s (taken directly, not as JSON) into {@link CapturedChange}s.
 * Not thread-safe: one converter per capture engine; it numbers the snapshot rows it sees.
 */
public final class ChangeEventConverter {
  private static final java.util.regex.Pattern ID_NUMBER_SHAPE =
      java.util.regex.Pattern.compile("\\d{17}[0-9Xx]");

  private final SourceDefinition source;
  private final PersonKeys personKeys;
  private long snapshotOrdinal;

  public ChangeEventConverter(SourceDefinition source, PersonKeys personKeys) {
    this.source = requireNonNull(source, "source is null");
    this.personKeys = requireNonNull(personKeys, "personKeys is null");
  }

  /** What a record became: a change, a quarantined change, or nothing (heartbeats, tombstones). */
  public sealed interface Result permits Converted, Quarantined, Skipped {}

  public record Converted(CapturedChange change, List<PersonIdentity> identities)
      implements Result {}

  public record Quarantined(QuarantinedChange change) implements Result {}

  public record Skipped() implements Result {}

  public Result convert(SourceRecord record) {
    if (!(record.value() instanceof Struct envelope)
        || envelope.schema().field("op") == null
        || envelope.schema().field("source") == null) {
      return new Skipped();
    }
    Struct sourceInfo = envelope.getStruct("source");
    String sourceTable = sourceTable(sourceInfo);
    String op = envelope.getString("op");
    Struct row = "d".equals(op) ? envelope.getStruct("before") : envelope.getStruct("after");
    String position = null;
    try {
      position = position(op, sourceInfo, record.sourceOffset());
      if (row == null) {
        throw new IllegalStateException(
            "change has no " + ("d".equals(op) ? "before" : "after") + " image");
      }
      Set<String> personal = source.personalColumns(sourceTable);
      List<PersonIdentity> identities = new ArrayList<>();
      Map<String, Object> values = new LinkedHashMap<>();
      for (Field field : row.schema().fields()) {
        if (personal.contains(field.name())) {
          Object clear = row.getWithoutDefault(field.name());
          if (clear == null || !looksLikeIdNumber(clear.toString())) {
            // a column that may hold ID numbers also holds codes of organisations: those stay as
            // they are
            values.put(field.name(), clear == null ? null : clear.toString());
            values.put(field.name() + RawSchemas.PERSON_KEY_SUFFIX, null);
          } else if (clear == null) {
            values.put(field.name(), null);
            values.put(field.name() + RawSchemas.PERSON_KEY_SUFFIX, null);
          } else {
            String idNumber = clear.toString();
            String key = personKeys.key(idNumber);
            values.put(field.name(), PersonKeys.mask(idNumber));
            values.put(field.name() + RawSchemas.PERSON_KEY_SUFFIX, key);
            identities.add(new PersonIdentity(key, idNumber, source.name() + "." + sourceTable));
          }
        } else {
          values.put(field.name(), RawSchemas.icebergValue(row, field));
        }
      }
      List<Types.NestedField> fields = RawSchemas.sourceFields(row.schema(), personal);
      Object tsMs = sourceInfo.getWithoutDefault("ts_ms");
      OffsetDateTime sourceTimestamp =
          tsMs == null
              ? null
              : OffsetDateTime.ofInstant(
                  Instant.ofEpochMilli(((Number) tsMs).longValue()), ZoneOffset.UTC);
      return new Converted(
          new CapturedChange(
              sourceTable,
              source.rawTableName(sourceTable),
              fields,
              record.keySchema() == null
                  ? List.of()
                  : record.keySchema().fields().stream().map(Field::name).toList(),
              values,
              op,
              position,
              sourceTimestamp,
              transactionId(sourceInfo)),
          identities);
    } catch (RuntimeException e) {
      return new Quarantined(
          new QuarantinedChange(
              sourceTable,
              position,
              payload(row, source.personalColumns(sourceTable)),
              e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  private String sourceTable(Struct sourceInfo) {
    String table = sourceInfo.getString("table");
    String container =
        source.kind().readsBinlog() ? sourceInfo.getString("db") : sourceInfo.getString("schema");
    return container + "." + table;
  }

  private String position(String op, Struct sourceInfo, Map<String, ?> offset) {
    if ("r".equals(op)) {
      return Position.snapshot(snapshotEpoch(sourceInfo), ++snapshotOrdinal);
    }
    if (source.kind().readsBinlog()) {
      long file = Position.binlogFileNumber(sourceInfo.getString("file"));
      long pos = ((Number) sourceInfo.get("pos")).longValue();
      long row =
          sourceInfo.getWithoutDefault("row") == null
              ? 0
              : ((Number) sourceInfo.get("row")).longValue();
      long event = offset.get("event") == null ? 0 : ((Number) offset.get("event")).longValue();
      return Position.of(file, pos, (event << 32) | row);
    }
    long lsn = ((Number) sourceInfo.get("lsn")).longValue();
    // Never 0: snapshot rows are (0, epoch, n). The first transaction streamed after the snapshot
    // has no
    // preceding commit yet; if it began before the snapshot point its event LSNs lie below the
    // epoch, and
    // (0, lsn, 0) would sort before the snapshot rows and be dropped as already committed.
    long lastCommit = Math.max(1L, lastCommitLsn(sourceInfo).orElse(0L));
    return Position.of(lastCommit, lsn, 0);
  }

  /**
   * Where the source stood when the snapshot was taken (PostgreSQL: its LSN; MariaDB/MySQL: binlog
   * file number and position). A snapshot restarted after a crash on a changed database stands
   * later, so its rows supersede those of the aborted one; restarted on an unchanged database it
   * stands at the same place, reads the same rows in the same order, and its re-read rows are
   * dropped as already committed.
   */
  private long snapshotEpoch(Struct sourceInfo) {
    if (source.kind().readsBinlog()) {
      long file = Position.binlogFileNumber(sourceInfo.getString("file"));
      long pos = ((Number) sourceInfo.get("pos")).longValue();
      return (file << 40) | pos;
    }
    return ((Number) sourceInfo.get("lsn")).longValue();
  }

  /** PostgreSQL's {@code sequence} is {@code ["<last commit LSN>","<event LSN>"]}. */
  private static Optional<Long> lastCommitLsn(Struct sourceInfo) {
    Object sequence =
        sourceInfo.schema().field("sequence") == null
            ? null
            : sourceInfo.getWithoutDefault("sequence");
    if (sequence == null) {
      return Optional.empty();
    }
    String text = sequence.toString().replace("[", "").replace("]", "").replace("\"", "");
    String first = text.split(",", -1)[0].trim();
    if (first.isEmpty() || first.equals("null")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(first));
  }

  private String transactionId(Struct sourceInfo) {
    for (String name : List.of("txId", "gtid", "xid")) {
      if (sourceInfo.schema().field(name) != null && sourceInfo.getWithoutDefault(name) != null) {
        return sourceInfo.getWithoutDefault(name).toString();
      }
    }
    return null;
  }

  /**
   * 18 characters of an ID number's shape (17 digits and a digit or X), valid or not — an invalid
   * number is still a person's number — unless it is a valid USCC, which can be all digits too; or
   * a valid 15-digit legacy number. In a column declared personal, privacy wins over readability: a
   * 15-digit 注册号 that also reads as a valid legacy ID number is masked too.
   */
  static boolean looksLikeIdNumber(String value) {
    String text = value.strip();
    return (ID_NUMBER_SHAPE.matcher(text).matches()
            && !cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode.isValid(text))
        || (text.length() == 15 && cn.jiangyin.warehouse.standard.ResidentIdNumber.isValid(text));
  }

  /** Bytes as hex, variable-scale decimals as numbers, the rest as Connect prints it. */
  private static String readable(Object value) {
    if (value instanceof byte[] bytes) {
      return "\\x" + java.util.HexFormat.of().formatHex(bytes);
    }
    if (value instanceof java.nio.ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return readable(bytes);
    }
    if (value instanceof Struct struct
        && "io.debezium.data.VariableScaleDecimal".equals(struct.schema().name())) {
      return io.debezium.data.VariableScaleDecimal.toLogical(struct).toString();
    }
    if (value instanceof Struct struct) {
      StringBuilder text = new StringBuilder("{");
      for (Field field : struct.schema().fields()) {
        Object part = struct.getWithoutDefault(field.name());
        text.append(text.length() > 1 ? ", " : "")
            .append(field.name())
            .append('=')
            .append(part == null ? "null" : readable(part));
      }
      return text.append('}').toString();
    }
    return value.toString();
  }

  /** A readable form of the row for quarantine, with ID numbers masked. */
  static String payload(Struct row, Set<String> personal) {
    if (row == null) {
      return "{}";
    }
    StringBuilder text = new StringBuilder("{");
    Schema schema = row.schema();
    for (Field field : schema.fields()) {
      if (text.length() > 1) {
        text.append(", ");
      }
      Object value = row.getWithoutDefault(field.name());
      String shown =
          value == null
              ? "null"
              : personal.contains(field.name())
                  ? PersonKeys.mask(value.toString())
                  : readable(value);
      text.append('"')
          .append(field.name())
          .append("\": \"")
          .append(shown.replace("\"", "\\\""))
          .append('"');
    }
    return text.append('}').toString();
  }
}
