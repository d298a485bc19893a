package cn.jiangyin.warehouse.capture;

import java.util.HexFormat;

/**
 * {@code _position}: where a change stands in its source's log, as 48 hex characters whose string
 * order is the source order — so Spark, Trino and SQL in general can order and compare changes
 * without parsing.
 *
 * <ul>
 *   <li>PostgreSQL: (last commit LSN, event LSN, 0). pgoutput delivers transactions in commit
 *       order, so the commit LSN preceding a transaction orders transactions, and the event LSN
 *       orders changes inside one; an event LSN alone is not monotonic across interleaved
 *       transactions.
 *   <li>MariaDB/MySQL: (binlog file number, position, event index &lt;&lt; 32 | row), each compared
 *       as a number (comparing {@code mysql-bin.000010} as text with {@code mysql-bin.000009} is
 *       the classic lost update).
 *   <li>Initial snapshot rows: (0, 0, ordinal) — they precede every streamed change of the same
 *       capture.
 * </ul>
 */
public final class Position {
  public static final int LENGTH = 48;
  private static final HexFormat HEX = HexFormat.of();

  private Position() {}

  public static String of(long major, long minor, long sequence) {
    return HEX.toHexDigits(major) + HEX.toHexDigits(minor) + HEX.toHexDigits(sequence);
  }

  /** A row of an initial snapshot taken at {@code epoch} (see {@link ChangeEventConverter}). */
  public static String snapshot(long epoch, long ordinal) {
    return of(0, epoch, ordinal);
  }

  /** The binlog file number of {@code mysql-bin.000123}: 123. */
  public static long binlogFileNumber(String file) {
    int dot = file.lastIndexOf('.');
    if (dot < 0 || dot == file.length() - 1) {
      throw new IllegalArgumentException("Invalid binlog file name: " + file);
    }
    return Long.parseLong(file.substring(dot + 1));
  }
}
