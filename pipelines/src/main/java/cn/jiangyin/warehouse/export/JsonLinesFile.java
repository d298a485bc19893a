package cn.jiangyin.warehouse.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The JSON Lines file for programs: one JSON object per row and per line (LF), UTF-8 without BOM,
 * fields in column order; numbers and booleans as JSON numbers and booleans, NULL as {@code null},
 * everything else as the text {@link ExportValues#text} gives (JSON held in a string column stays a
 * string).
 */
final class JsonLinesFile implements RowFile {
  private static final JsonFactory JSON = new JsonFactory();
  private final OutputStream out;
  private final String[] names;
  private long rows;

  JsonLinesFile(Path file, StructType schema) throws IOException {
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW));
    this.names = schema.fieldNames();
  }

  @Override
  public void write(Row row) throws IOException {
    JsonGenerator json = JSON.createGenerator(out);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.writeStartObject();
    for (int i = 0; i < names.length; i++) {
      json.writeFieldName(names[i]);
      Object value = row.get(i);
      if (value == null) {
        json.writeNull();
      } else if (value instanceof Boolean bool) {
        json.writeBoolean(bool);
      } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
        json.writeNumber(((Number) value).intValue());
      } else if (value instanceof Long number) {
        json.writeNumber(number);
      } else if (value instanceof BigDecimal decimal) {
        json.writeNumber(decimal);
      } else if (value instanceof Double || value instanceof Float) {
        double number = ((Number) value).doubleValue();
        if (Double.isFinite(number)) {
          json.writeNumber(number);
        } else {
          json.writeString(Double.toString(number));
        }
      } else {
        json.writeString(ExportValues.text(value));
      }
    }
    json.writeEndObject();
    json.flush();
    out.write('\n');
    rows++;
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** The lines of a JSON Lines file (LF-terminated; a last line without LF counts). */
  static long countLines(Path file) throws IOException {
    long lines = 0;
    boolean pending = false;
    try (var in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          lines++;
          pending = false;
        } else {
          pending = true;
        }
      }
    }
    return pending ? lines + 1 : lines;
  }
}
