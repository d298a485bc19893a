package cn.jiangyin.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warehouse sql} on the embedded platform in a fresh home: each command starts the embedded
 * PostgreSQL and Spark and stops them, as on the command line, so state must survive between
 * commands.
 */
class SqlCommandIT {
  @TempDir Path home;

  @Test
  void createInsertSelectPrintsCsv() {
    assertThat(sql("CREATE TABLE lib.t (a string, b int)")).isEmpty();
    assertThat(sql("INSERT INTO lib.t VALUES ('江阴市, \"澄江\"\nline two', 1), (NULL, 2), ('', NULL)"))
        .isEmpty();

    String csv = sql("SELECT a, b, b * 10 AS b FROM lib.t ORDER BY b NULLS LAST");

    assertThat(csv)
        .isEqualTo("a,b,b\n" + "\"江阴市, \"\"澄江\"\"\nline two\",1,10\n" + ",2,20\n" + "\"\",,\n");
  }

  @Test
  void analysisErrorIsOneLineAndExitsTwo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "--home",
            home.toString(),
            "sql",
            "SELECT * FROM lib.no_such_table");

    assertThat(code).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("error: [TABLE_OR_VIEW_NOT_FOUND]")
        .doesNotContain("\tat ");
  }

  private String sql(String statement) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "--home",
            home.toString(),
            "sql",
            statement);
    assertThat(code).as("exit code of %s; stderr: %s", statement, err).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }
}
