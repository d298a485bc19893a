package cn.jiangyin.warehouse.export;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.List;

/**
 * Writes query results as CSV (RFC 4180): a field is quoted when it holds a comma, a double quote,
 * CR or LF, and a double quote inside is doubled. NULL is an empty field and the empty string is
 * {@code ""}, so the two stay apart (as in PostgreSQL's {@code COPY … CSV}). Records end with LF,
 * what Unix tools expect; the stream decides the encoding (UTF-8 on the command line).
 */
public final class CsvWriter {
  private final PrintStream out;

  public CsvWriter(PrintStream out) {
    this.out = requireNonNull(out, "out is null");
  }

  /** Writes one record; {@code null} values are NULLs. */
  public void write(List<String> values) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(field(values.get(i)));
    }
    out.print(line.append('\n'));
  }

  /** One field, quoted where needed; also used for the Excel-friendly export files. */
  public static String field(String value) {
    if (value == null) {
      return "";
    }
    if (value.isEmpty()) {
      return "\"\"";
    }
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
