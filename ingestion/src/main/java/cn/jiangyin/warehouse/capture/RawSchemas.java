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

  /**
   * Largest precision of an Iceberg decimal; a source decimal declared wider is stored as its exact
   * text.
   */
  public static final int MAX_DECIMAL_PRECISION = 38;

  /**
   * Connect schema parameters Debezium adds for the types named in {@code
   * datatype.propagate.source.type}: the source's own type name and length.
   */
  static final String SOURCE_TYPE_PARAMETER = "__debezium.source.column.type";

  static final String SOURCE_LENGTH_PARAMETER = "__debezium.source.column.length";

  private static final String VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";
  private static final String BITS = "io.debezium.data.Bits";

  /**
   * Iceberg type of a Debezium/Connect field; see the type table in docs/raw-contract.md. Throws
   * {@link UnsupportedColumnException} for a type with no exact counterpart (its events go to
   * quarantine).
   */
  public static Type icebergType(org.apache.kafka.connect.data.Schema schema) {
    String logical = schema.name();
    if (logical != null) {
      switch (logical) {
        case Decimal.LOGICAL_NAME -> {
          int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
          int precision = declaredPrecision(schema);
          if (precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
            // no Iceberg decimal holds every value of the column: keep the exact text
            return Types.StringType.get();
          }
          return Types.DecimalType.of(precision, scale);
        }
        case VARIABLE_SCALE_DECIMAL -> {
          // PostgreSQL numeric without precision: every value has its own scale, so no one
          // Iceberg decimal holds them all exactly; the exact plain text does
          return Types.StringType.get();
        }
        case BITS -> {
          return Types.LongType.get();
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
    if (isTinyIntOne(schema)) {
      return Types.BooleanType.get();
    }
    return switch (schema.type()) {
      case INT8, INT16, INT32 -> Types.IntegerType.get();
      case INT64 -> Types.LongType.get();
      case FLOAT32 -> Types.FloatType.get();
      case FLOAT64 -> Types.DoubleType.get();
      case BOOLEAN -> Types.BooleanType.get();
      case STRING -> Types.StringType.get();
      case BYTES -> Types.BinaryType.get();
      case ARRAY -> {
        org.apache.kafka.connect.data.Schema element = schema.valueSchema();
        if (element.type() == org.apache.kafka.connect.data.Schema.Type.ARRAY) {
          throw new UnsupportedColumnException(
              "Cannot map a nested array column (" + logical + ") to Iceberg");
        }
        yield Types.ListType.ofOptional(0, icebergType(element));
      }
      default ->
          throw new UnsupportedColumnException(
              "Cannot map column type " + schema.type() + " (" + logical + ") to Iceberg");
    };
  }

  private static int declaredPrecision(org.apache.kafka.connect.data.Schema schema) {
    String precision = schema.parameters().get("connect.decimal.precision");
    return precision == null ? MAX_DECIMAL_PRECISION : Integer.parseInt(precision);
  }

  /**
   * MySQL/MariaDB {@code tinyint(1)} (and its alias {@code boolean}): a flag by convention, stored
   * as boolean; recognised from the source type Debezium propagates.
   */
  private static boolean isTinyIntOne(org.apache.kafka.connect.data.Schema schema) {
    Map<String, String> parameters = schema.parameters();
    if (parameters == null || schema.type() != org.apache.kafka.connect.data.Schema.Type.INT16) {
      return false;
    }
    String type = parameters.get(SOURCE_TYPE_PARAMETER);
    return type != null
        && ((type.equalsIgnoreCase("TINYINT")
                && "1".equals(parameters.get(SOURCE_LENGTH_PARAMETER)))
            || type.equalsIgnoreCase("BOOLEAN")
            || type.equalsIgnoreCase("BOOL"));
  }

  /**
   * The Iceberg value of a field of a row, as Iceberg's generic records hold it. Throws {@link
   * UnconvertibleValueException} for a value its column type cannot hold exactly.
   */
  public static Object icebergValue(Struct row, Field field) {
    return icebergValue(field.schema(), row.getWithoutDefault(field.name()), field.name());
  }

  private static Object icebergValue(
      org.apache.kafka.connect.data.Schema schema, Object value, String column) {
    if (value == null) {
      return null;
    }
    String logical = schema.name();
    if (logical != null) {
      switch (logical) {
        case Decimal.LOGICAL_NAME -> {
          BigDecimal decimal = (BigDecimal) value;
          return icebergType(schema) instanceof Types.StringType
              ? decimal.toPlainString()
              : decimal;
        }
        case VARIABLE_SCALE_DECIMAL -> {
          return io.debezium.data.VariableScaleDecimal.toLogical((Struct) value)
              .getDecimalValue()
              // the number, without the display scale (snapshot and log disagree on it)
              .map(decimal -> decimal.stripTrailingZeros().toPlainString())
              .orElseThrow(
                  () ->
                      new UnconvertibleValueException(
                          "Cannot store "
                              + io.debezium.data.VariableScaleDecimal.toLogical((Struct) value)
                              + " of "
                              + column
                              + " as an exact decimal"));
        }
        case BITS -> {
          return bits(value, column);
        }
        case "io.debezium.time.Date" -> {
          return LocalDate.ofEpochDay(((Number) value).longValue());
        }
        case "org.apache.kafka.connect.data.Date" -> {
          return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC);
        }
        case "io.debezium.time.Time" -> {
          return timeOfDay(((Number) value).longValue() * 1_000_000L, column);
        }
        case "io.debezium.time.MicroTime" -> {
          return timeOfDay(((Number) value).longValue() * 1_000L, column);
        }
        case "io.debezium.time.NanoTime" -> {
          return timeOfDay(((Number) value).longValue(), column);
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
          try {
            return OffsetDateTime.parse((String) value);
          } catch (java.time.format.DateTimeParseException e) {
            // PostgreSQL 'infinity' and the like
            throw new UnconvertibleValueException(
                "Cannot store " + value + " of " + column + " as a timestamp with zone");
          }
        }
        default -> {
          // physical value below
        }
      }
    }
    if (isTinyIntOne(schema)) {
      short flag = ((Number) value).shortValue();
      if (flag != 0 && flag != 1) {
        throw new UnconvertibleValueException(
            "Cannot store tinyint(1) value " + flag + " of " + column + " as boolean exactly");
      }
      return flag == 1;
    }
    return switch (schema.type()) {
      case INT8 -> ((Byte) value).intValue();
      case INT16 -> ((Short) value).intValue();
      case BYTES -> {
        byte[] bytes;
        if (value instanceof byte[] array) {
          bytes = array.clone();
        } else {
          ByteBuffer buffer = ((ByteBuffer) value).duplicate();
          bytes = new byte[buffer.remaining()];
          buffer.get(bytes);
        }
        yield ByteBuffer.wrap(bytes);
      }
      case ARRAY -> {
        List<Object> elements = new ArrayList<>();
        for (Object element : (List<?>) value) {
          elements.add(icebergValue(schema.valueSchema(), element, column));
        }
        yield elements;
      }
      default -> value;
    };
  }

  /** A MySQL/MariaDB {@code bit(n)}: Debezium's little-endian bytes as the unsigned number. */
  private static long bits(Object value, String column) {
    byte[] littleEndian = (byte[]) value;
    byte[] bigEndian = new byte[littleEndian.length + 1];
    for (int i = 0; i < littleEndian.length; i++) {
      bigEndian[bigEndian.length - 1 - i] = littleEndian[i];
    }
    java.math.BigInteger number = new java.math.BigInteger(bigEndian);
    if (number.bitLength() > 63) {
      throw new UnconvertibleValueException(
          "Cannot store bit value " + number + " of " + column + " as a long exactly");
    }
    return number.longValue();
  }

  /**
   * Iceberg's time holds a time of day; MySQL/MariaDB {@code time} is a duration (-838:59:59 to
   * 838:59:59), and PostgreSQL allows 24:00:00.
   */
  private static LocalTime timeOfDay(long nanos, String column) {
    if (nanos < 0 || nanos >= 86_400_000_000_000L) {
      throw new UnconvertibleValueException(
          "Cannot store time "
              + java.time.Duration.ofNanos(nanos)
              + " of "
              + column
              + " as a time of day (00:00 to 23:59:59.999999)");
    }
    return LocalTime.ofNanoOfDay(nanos);
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

  /**
   * Assigns fresh field ids to fields built with id 0: 1..n to the columns, then ids after them to
   * the elements of list columns.
   */
  public static Schema schemaOf(List<Types.NestedField> fields) {
    List<Types.NestedField> numbered = new ArrayList<>();
    int id = 1;
    for (Types.NestedField field : fields) {
      numbered.add(Types.NestedField.optional(id++, field.name(), field.type(), field.doc()));
    }
    java.util.concurrent.atomic.AtomicInteger next =
        new java.util.concurrent.atomic.AtomicInteger();
    return new Schema(
        org.apache.iceberg.types.TypeUtil.assignFreshIds(
                Types.StructType.of(numbered), next::incrementAndGet)
            .asStructType()
            .fields());
  }

  /** Whether two types are the same, field ids of list elements aside. */
  static boolean sameType(Type left, Type right) {
    if (left instanceof Types.ListType leftList && right instanceof Types.ListType rightList) {
      return sameType(leftList.elementType(), rightList.elementType());
    }
    return left.equals(right);
  }
}
