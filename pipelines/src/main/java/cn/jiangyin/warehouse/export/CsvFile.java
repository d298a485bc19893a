package cn.jiangyin.warehouse.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The CSV file for spreadsheet users: UTF-8 with a byte-order mark (Excel otherwise reads the
 * Chinese text as the local code page), a header of column names, CRLF record ends and RFC 4180
 * quoting ({@link CsvWriter#field}) — a comma, quote or line break inside a value stays inside its
 * cell.
 */
final class CsvFile implements RowFile {
  static final char BYTE_ORDER_MARK = '\uFEFF';
  private final BufferedWriter writer;
  private final int columns;
  private long rows;

  CsvFile(Path file, StructType schema) throws IOException {
    this.writer =
        new BufferedWriter(
            new OutputStreamWriter(
                Files.newOutputStream(file, StandardOpenOption.CREATE_NEW),
                StandardCharsets.UTF_8));
    this.columns = schema.fields().length;
    writer.write(BYTE_ORDER_MARK);
    writer.write(
        String.join(
            ",", java.util.Arrays.stream(schema.fieldNames()).map(CsvWriter::field).toList()));
    writer.write("\r\n");
  }

  @Override
  public void write(Row row) throws IOException {
    for (int i = 0; i < columns; i++) {
      if (i > 0) {
        writer.write(',');
      }
      writer.write(CsvWriter.field(ExportValues.text(row.get(i))));
    }
    writer.write("\r\n");
    rows++;
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  /**
   * The data records of a CSV file written this way: records end at CR LF or LF outside quotes, the
   * first is the header.
   */
  static long countRecords(Path file) throws IOException {
    long records = 0;
    boolean quoted = false;
    boolean pending = false;
    try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int c;
      while ((c = reader.read()) >= 0) {
        if (c == '"') {
          quoted = !quoted;
          pending = true;
        } else if (c == '\n' && !quoted) {
          records++;
          pending = false;
        } else if (c != '\r') {
          pending = true;
        }
      }
    }
    if (quoted) {
      throw new IOException("unterminated quoted field at the end of " + file.getFileName());
    }
    if (pending) {
      records++;
    }
    return Math.max(0, records - 1);
  }
}
