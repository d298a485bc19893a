package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.export.CsvWriter;
import cn.jiangyin.warehouse.lake.SparkSessions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse sql "<statement>"}: one Spark SQL statement against the lake catalog, its result
 * as CSV on stdout. Values are formatted as Spark's {@code CAST(… AS STRING)} formats them
 * (timestamps in the session time zone, Asia/Shanghai), so what is printed is what SQL would
 * compare.
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = "Run one Spark SQL statement on the lake; print its result as CSV.",
    footer = {
      "",
      "Tables are named namespace.table (raw.*, ods.*, lib.*, credit.*). The result is CSV (RFC 4180):"
          + " a header line, then one line per row; NULL is an empty field. Statements that return no"
          + " columns (CREATE, INSERT, …) print nothing."
    })
final class SqlCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SqlCommand.class);

  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "STATEMENT", description = "The statement, quoted as one argument.")
  private String statement;

  @Override
  public Integer call() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform()) {
      LOG.info("Starting Spark ({})", platform.config().sparkMaster());
      SparkSession spark = SparkSessions.create(platform.config(), "warehouse sql");
      try {
        write(spark.sql(statement), new CsvWriter(root.out()));
      } finally {
        spark.stop();
      }
    }
    return 0;
  }

  /** Writes the rows as they arrive (one partition at a time), not all collected first. */
  static void write(Dataset<Row> result, CsvWriter csv) {
    String[] names = result.columns();
    if (names.length == 0) {
      return;
    }
    // positional names first: a result may repeat a column name (SELECT 1 AS a, 2 AS a)
    String[] positional = new String[names.length];
    Column[] asText = new Column[names.length];
    for (int i = 0; i < names.length; i++) {
      positional[i] = "c" + i;
      asText[i] = functions.col(positional[i]).cast("string");
    }
    Dataset<Row> text = result.toDF(positional).select(asText);
    csv.write(Arrays.asList(names));
    Iterator<Row> rows = text.toLocalIterator();
    while (rows.hasNext()) {
      Row row = rows.next();
      List<String> values = new ArrayList<>(names.length);
      for (int i = 0; i < names.length; i++) {
        values.add(row.isNullAt(i) ? null : row.getString(i));
      }
      csv.write(values);
    }
  }
}
