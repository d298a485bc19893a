package cn.jiangyin.warehouse.export;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * How column values read as text in the CSV and JSON Lines files, the same in both: dates ISO-8601
 * ({@code 2026-11-28}), instants with the China Standard Time offset ({@code
 * 2026-11-28T12:00:00.123+08:00}), decimals in plain notation, binary as Base64. Only flat columns
 * can be exported.
 */
final class ExportValues {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private ExportValues() {}

  /** Checks every column has a type the three formats carry. */
  static void checkSupported(String table, StructType schema) {
    for (StructField field : schema.fields()) {
      if (!supported(field.dataType())) {
        throw new ExportException(
            "Cannot export column "
                + field.name()
                + " of "
                + table
                + ": type "
                + field.dataType().simpleString()
                + " is not supported (only flat columns can be exported)");
      }
    }
  }

  private static boolean supported(DataType type) {
    return type instanceof StringType
        || type instanceof IntegerType
        || type instanceof LongType
        || type instanceof ShortType
        || type instanceof ByteType
        || type instanceof BooleanType
        || type instanceof DoubleType
        || type instanceof FloatType
        || type instanceof DecimalType
        || type instanceof DateType
        || type instanceof TimestampType
        || type instanceof TimestampNTZType
        || type instanceof BinaryType;
  }

  /** The value as text; {@code null} for NULL. */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp timestamp) {
      return instant(timestamp.toInstant());
    }
    if (value instanceof Instant instant) {
      return instant(instant);
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate().toString();
    }
    if (value instanceof LocalDate || value instanceof LocalDateTime) {
      return value.toString();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof byte[] bytes) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    return value.toString();
  }

  static String instant(Instant instant) {
    return instant.atZone(ZONE).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }

  static LocalDate date(Object value) {
    return value instanceof java.sql.Date date ? date.toLocalDate() : (LocalDate) value;
  }

  static Instant instantOf(Object value) {
    return value instanceof Timestamp timestamp ? timestamp.toInstant() : (Instant) value;
  }
}
