package cn.jiangyin.warehouse.export;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.spark.sql.Row;
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
 * The Parquet file, written by one parquet-mr writer in row order (not by Spark, whose output is a
 * folder of part files with random names): one file whose bytes depend only on the rows, so a
 * re-run gives the same file. Strings are UTF-8, dates DATE, instants TIMESTAMP(MICROS, UTC),
 * decimals DECIMAL; compressed with Snappy.
 */
final class ParquetFile implements RowFile {
  private final ParquetWriter<Group> writer;
  private final SimpleGroupFactory groups;
  private final DataType[] types;
  private long rows;

  ParquetFile(Path file, StructType schema) throws IOException {
    MessageType message = messageType(schema);
    this.types = new DataType[schema.fields().length];
    for (int i = 0; i < types.length; i++) {
      types[i] = schema.fields()[i].dataType();
    }
    this.groups = new SimpleGroupFactory(message);
    this.writer =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withConf(new Configuration(false))
            .withType(message)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .build();
  }

  static MessageType messageType(StructType schema) {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    for (StructField field : schema.fields()) {
      DataType type = field.dataType();
      Types.PrimitiveBuilder<PrimitiveType> column;
      if (type instanceof StringType) {
        column = Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType());
      } else if (type instanceof IntegerType) {
        column = Types.optional(PrimitiveTypeName.INT32);
      } else if (type instanceof ShortType) {
        column =
            Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(16, true));
      } else if (type instanceof ByteType) {
        column = Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, true));
      } else if (type instanceof LongType) {
        column = Types.optional(PrimitiveTypeName.INT64);
      } else if (type instanceof BooleanType) {
        column = Types.optional(PrimitiveTypeName.BOOLEAN);
      } else if (type instanceof DoubleType) {
        column = Types.optional(PrimitiveTypeName.DOUBLE);
      } else if (type instanceof FloatType) {
        column = Types.optional(PrimitiveTypeName.FLOAT);
      } else if (type instanceof DecimalType decimal) {
        column =
            Types.optional(PrimitiveTypeName.BINARY)
                .as(LogicalTypeAnnotation.decimalType(decimal.scale(), decimal.precision()));
      } else if (type instanceof DateType) {
        column = Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType());
      } else if (type instanceof TimestampType) {
        column =
            Types.optional(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));
      } else if (type instanceof TimestampNTZType) {
        column =
            Types.optional(PrimitiveTypeName.INT64)
                .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS));
      } else if (type instanceof BinaryType) {
        column = Types.optional(PrimitiveTypeName.BINARY);
      } else {
        throw new ExportException(
            "Cannot write column " + field.name() + " of type " + type.simpleString());
      }
      builder.addField(column.named(field.name()));
    }
    return builder.named("row");
  }

  @Override
  public void write(Row row) throws IOException {
    Group group = groups.newGroup();
    for (int i = 0; i < types.length; i++) {
      Object value = row.get(i);
      if (value == null) {
        continue;
      }
      DataType type = types[i];
      if (type instanceof StringType) {
        group.add(i, Binary.fromString((String) value));
      } else if (type instanceof IntegerType
          || type instanceof ShortType
          || type instanceof ByteType) {
        group.add(i, ((Number) value).intValue());
      } else if (type instanceof LongType) {
        group.add(i, (Long) value);
      } else if (type instanceof BooleanType) {
        group.add(i, (Boolean) value);
      } else if (type instanceof DoubleType) {
        group.add(i, (Double) value);
      } else if (type instanceof FloatType) {
        group.add(i, (Float) value);
      } else if (type instanceof DecimalType decimal) {
        BigDecimal scaled = ((BigDecimal) value).setScale(decimal.scale());
        group.add(i, Binary.fromConstantByteArray(scaled.unscaledValue().toByteArray()));
      } else if (type instanceof DateType) {
        group.add(i, (int) ExportValues.date(value).toEpochDay());
      } else if (type instanceof TimestampType) {
        group.add(i, micros(ExportValues.instantOf(value)));
      } else if (type instanceof TimestampNTZType) {
        group.add(i, micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC)));
      } else {
        group.add(i, Binary.fromConstantByteArray((byte[]) value));
      }
    }
    writer.write(group);
    rows++;
  }

  private static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  /** The rows a Parquet file holds, from its footer. */
  static long countRows(Path file) throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      return reader.getRecordCount();
    }
  }
}
