package cn.jiangyin.warehouse.export;

import java.io.Closeable;
import java.io.IOException;
import org.apache.spark.sql.Row;

/** One delivered file being written, row by row, in the order given. */
interface RowFile extends Closeable {
  void write(Row row) throws IOException;

  /** The rows written so far. */
  long rows();
}
