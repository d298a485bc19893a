package cn.jiangyin.warehouse.capture;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The raw change-log contract: source columns mapped to exact Iceberg types, then the change
 * metadata. Decimals stay exact (never doubles, never base64), NULL stays NULL, time types keep
 * their zone semantics.
 */
public final class RawSchemas {
  /** r (snapshot read), c (insert), u (update), d (delete; the row holds the before-image). */
  public static final String OP = "_op";

  /** See {@link Position}. */
  public static final String POSITION = "_position";

  public static final String SOURCE_TS = "_source_ts";
  public static final String TX_ID = "_tx_id";
  public static final String INGESTED_AT = "_ingested_at";

  /** Suffix of the column holding the person_key of a personal column. */
  public static final String PERSON_KEY_SUFFIX = "_key";

  public static final String PRIMARY_KEY_PROPERTY = "jiangyin.primary-key";
  public static final String SOURCE_PROPERTY = "jiangyin.source";
  public static final String SOURCE_TABLE_PROPERTY = "jiangyin.source-table";

  private RawSchemas() {}

  /** The metadata columns every raw table ends with. */
  public static List<Types.NestedField> metadataFields() {
    return List.of(
        Types.NestedField.optional(0, OP, Types.StringType.get(), "变更类型 r/c/u/d"),
        Types.NestedField.optional(0, POSITION, Types.StringType.get(), "源库日志位置（字符串序即源库顺序）"),
        Types.NestedField.optional(0, SOURCE_TS, Types.TimestampType.withZone(), "源库提交时间"),
        Types.NestedField.optional(0, TX_ID, Types.StringType.get(), "源库事务号"),
        Types.NestedField.optional(0, INGESTED_AT, Types.TimestampType.withZone(), "入湖时间"));
  }

  /** Iceberg type of a Debezium/Connect field. */
  public static Type icebergType(org.apache.kafka.connect.data.Schema schema) {
    String logical = schema.name();
    if (logical != null) {
      switch (logical) {
        case Decimal.LOGICAL_NAME -> {
          Map<String, String> parameters = schema.parameters();
          int scale = Integer.parseInt(parameters.get(Decimal.SCALE_FIELD));
          String precision = parameters.get("connect.decimal.precision");
          int digits = precision == null ? 38 : Math.min(38, Integer.parseInt(precision));
          return Types.DecimalType.of(Math.max(digits, scale), scale);
        }
        case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date" -> {
          return Types.DateType.get();
        }
        case "io.debezium.time.Time",
            "io.debezium.time.MicroTime",
            "io.debezium.time.NanoTime",
            "org.apache.kafka.connect.data.Time" -> {
          return Types.TimeType.get();
        }
        case "io.debezium.time.Timestamp",
            "io.debezium.time.MicroTimestamp",
            "io.debezium.time.NanoTimestamp",
            "org.apache.kafka.connect.data.Timestamp" -> {
          return Types.TimestampType.withoutZone();
        }
        case "io.debezium.time.ZonedTimestamp" -> {
          return Types.TimestampType.withZone();
        }
        case "io.debezium.time.ZonedTime",
            "io.debezium.data.Json",
            "io.debezium.data.Enum",
            "io.debezium.data.EnumSet",
            "io.debezium.data.Uuid",
            "io.debezium.data.Xml" -> {
          return Types.StringType.get();
        }
        default -> {
          // fall through to the physical type
        }
      }
    }
    return switch (schema.type()) {
      case INT8, INT16, INT32 -> Types.IntegerType.get();
      case INT64 -> Types.LongType.get();
      case FLOAT32 -> Types.FloatType.get();
      case FLOAT64 -> Types.DoubleType.get();
      case BOOLEAN -> Types.BooleanType.get();
      case STRING -> Types.StringType.get();
      case BYTES -> Types.BinaryType.get();
      default ->
          throw new UnsupportedColumnException(
              "Cannot map column type " + schema.type() + " (" + logical + ") to Iceberg");
    };
  }

  /** The Iceberg value of a field of a row, as Iceberg's generic records hold it. */
  public static Object icebergValue(Struct row, Field field) {
    Object value = row.getWithoutDefault(field.name());
    if (value == null) {
      return null;
    }
    org.apache.kafka.connect.data.Schema schema = field.schema();
    String logical = schema.name();
    if (logical != null) {
      switch (logical) {
        case Decimal.LOGICAL_NAME -> {
          return (BigDecimal) value;
        }
        case "io.debezium.time.Date" -> {
          return LocalDate.ofEpochDay(((Number) value).longValue());
        }
        case "org.apache.kafka.connect.data.Date" -> {
          return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC);
        }
        case "io.debezium.time.Time" -> {
          return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L);
        }
        case "io.debezium.time.MicroTime" -> {
          return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L);
        }
        case "io.debezium.time.NanoTime" -> {
          return LocalTime.ofNanoOfDay(((Number) value).longValue());
        }
        case "io.debezium.time.Timestamp" -> {
          return localDateTime(Instant.ofEpochMilli(((Number) value).longValue()));
        }
        case "io.debezium.time.MicroTimestamp" -> {
          long micros = ((Number) value).longValue();
          return localDateTime(
              Instant.ofEpochSecond(
                  Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L));
        }
        case "io.debezium.time.NanoTimestamp" -> {
          long nanos = ((Number) value).longValue();
          return localDateTime(
              Instant.ofEpochSecond(
                  Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
        }
        case "io.debezium.time.ZonedTimestamp" -> {
          return OffsetDateTime.parse((String) value);
        }
        default -> {
          // physical value below
        }
      }
    }
    return switch (schema.type()) {
      case INT8 -> ((Byte) value).intValue();
      case INT16 -> ((Short) value).intValue();
      case BYTES ->
          value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : ((ByteBuffer) value).duplicate();
      default -> value;
    };
  }

  private static LocalDateTime localDateTime(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /**
   * The source columns of a Connect row schema, in source order, as Iceberg fields (ids assigned
   * later).
   */
  public static List<Types.NestedField> sourceFields(
      org.apache.kafka.connect.data.Schema rowSchema, java.util.Set<String> personalColumns) {
    List<Types.NestedField> fields = new ArrayList<>();
    for (Field field : rowSchema.fields()) {
      if (personalColumns.contains(field.name())) {
        fields.add(Types.NestedField.optional(0, field.name(), Types.StringType.get(), "身份证号（脱敏）"));
        fields.add(
            Types.NestedField.optional(
                0, field.name() + PERSON_KEY_SUFFIX, Types.StringType.get(), "person_key"));
      } else {
        fields.add(Types.NestedField.optional(0, field.name(), icebergType(field.schema())));
      }
    }
    return fields;
  }

  /** Assigns fresh field ids 1..n to fields built with id 0. */
  public static Schema schemaOf(List<Types.NestedField> fields) {
    List<Types.NestedField> numbered = new ArrayList<>();
    int id = 1;
    for (Types.NestedField field : fields) {
      numbered.add(Types.NestedField.optional(id++, field.name(), field.type(), field.doc()));
    }
    return new Schema(numbered);
  }
}
