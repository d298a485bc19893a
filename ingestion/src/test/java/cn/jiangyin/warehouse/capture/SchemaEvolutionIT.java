package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema changes while streaming, on the real PostgreSQL and MariaDB, follow the rule of
 * docs/raw-contract.md ("Schema evolution"): an added column appears (earlier rows NULL), widened
 * types are widened in place, a dropped column stays and reads NULL, a rename is a drop and an add,
 * a narrowed type keeps the raw type with exact values, a value that cannot be stored exactly goes
 * to quarantine — and capture never stops, also when restarted after DDL.
 */
class SchemaEvolutionIT {
  private static final String ID_NUMBER =
      "32028119900307231" + ResidentIdNumber.checkCharacter("32028119900307231");
  private static final String LONG_NAME = "江阴市澄江街道长名字有限公司".repeat(3) + "𠀀";

  @TempDir static Path lake;
  private static CaptureLake lakes;

  @BeforeAll
  static void openLake() throws Exception {
    lakes = new CaptureLake("evolve", lake);
  }

  @AfterAll
  static void closeLake() throws Exception {
    lakes.close();
  }

  @Test
  void postgresqlSchemaChangesWhileStreaming() throws Exception {
    SourceDefinition source =
        lakes.postgresql(
            "pg",
            List.of("evolving"),
            Map.of("public.evolving", Set.of("legal_id")),
            "CREATE TABLE evolving (id int PRIMARY KEY, amount numeric(10,2), small int,"
                + " name varchar(10), code text, legacy text, old_name text,"
                + " legal_id varchar(18))",
            "INSERT INTO evolving VALUES (1, 10.50, 1, 'a', '1', 'L1', 'O1', NULL)");
    evolve(
        source,
        column -> "ALTER TABLE evolving ADD COLUMN " + column,
        (column, type) -> "ALTER TABLE evolving ALTER COLUMN " + column + " TYPE " + type,
        "ALTER TABLE evolving RENAME COLUMN old_name TO new_name",
        Map.of("bigint", "bigint", "text", "text USING small::text", "int", "int"),
        "varchar(100)",
        "numeric(20,2)",
        "numeric(22,4)",
        "int USING code::int");
  }

  @Test
  void mariadbSchemaChangesWhileStreaming() throws Exception {
    SourceDefinition source =
        lakes.mariadb(
            "maria",
            List.of("evolving"),
            Map.of("evolving", Set.of("legal_id")),
            "CREATE TABLE evolving (id INT PRIMARY KEY, amount DECIMAL(10,2), small INT,"
                + " name VARCHAR(10), code TEXT, legacy TEXT, old_name TEXT,"
                + " legal_id VARCHAR(18))",
            "INSERT INTO evolving VALUES (1, 10.50, 1, 'a', '1', 'L1', 'O1', NULL)");
    evolve(
        source,
        column -> "ALTER TABLE evolving ADD COLUMN " + column,
        (column, type) -> "ALTER TABLE evolving MODIFY " + column + " " + type,
        "ALTER TABLE evolving RENAME COLUMN old_name TO new_name",
        Map.of("bigint", "BIGINT", "text", "TEXT", "int", "INT"),
        "VARCHAR(100)",
        "DECIMAL(20,2)",
        "DECIMAL(22,4)",
        "INT");
  }

  /**
   * Snapshot of one row; then, while capture is stopped (the changes stream on its next run), DDL
   * interleaved with inserts; then one more DDL and a restart.
   */
  private void evolve(
      SourceDefinition source,
      Function<String, String> addColumn,
      java.util.function.BiFunction<String, String, String> alterType,
      String rename,
      Map<String, String> smallTypes,
      String longerName,
      String widerAmount,
      String moreScale,
      String codeToInt)
      throws Exception {
    String table =
        source.kind() == SourceKind.POSTGRESQL
            ? "public.evolving"
            : source.database() + ".evolving";
    String insert = "INSERT INTO evolving (id, amount, small, name, code, legal_id) VALUES ";
    CaptureStatistics snapshot = lakes.capture(source);
    lakes.sql(
        source,
        insert + "(2, 20.00, 2, 'b', '2', NULL)",
        "UPDATE evolving SET legacy = 'L2', old_name = 'O2' WHERE id = 2",
        addColumn.apply("added_on date"),
        "INSERT INTO evolving (id, added_on) VALUES (3, '2026-05-01')",
        alterType.apply("small", smallTypes.get("bigint")),
        insert + "(4, NULL, 5000000000, NULL, NULL, NULL)",
        alterType.apply("name", longerName),
        insert + "(5, NULL, NULL, '" + LONG_NAME + "', NULL, NULL)",
        alterType.apply("amount", widerAmount),
        insert + "(6, 123456789012345678.90, NULL, NULL, NULL, NULL)",
        alterType.apply("amount", moreScale),
        insert + "(7, 1.5, NULL, NULL, NULL, NULL)",
        // more fraction digits than the raw column's scale: quarantined, ID number masked
        insert + "(8, 1.2345, NULL, NULL, NULL, '" + ID_NUMBER + "')",
        alterType.apply("code", codeToInt),
        insert + "(9, NULL, NULL, NULL, 42, NULL)",
        // narrowing needs the wide value gone
        "DELETE FROM evolving WHERE id = 4",
        alterType.apply("small", smallTypes.get("int")),
        insert + "(10, NULL, 7, NULL, NULL, NULL)",
        "ALTER TABLE evolving DROP COLUMN legacy",
        insert + "(11, NULL, NULL, NULL, NULL, NULL)",
        rename,
        "INSERT INTO evolving (id, new_name) VALUES (12, 'N12')",
        alterType.apply("small", smallTypes.get("text")),
        // text that names no number cannot go into the raw (long) column: quarantined
        insert + "(13, NULL, 'many', NULL, NULL, NULL)",
        insert + "(14, NULL, '15', NULL, NULL, NULL)");
    CaptureStatistics streamed = lakes.capture(source);
    // DDL while capture is stopped, then a restart (MariaDB: schema history from the state dir)
    lakes.sql(
        source, addColumn.apply("late int"), "INSERT INTO evolving (id, late) VALUES (15, 5)");
    CaptureStatistics restarted = lakes.capture(source);

    assertThat(snapshot.committed()).isEqualTo(1);
    assertThat(streamed.committed()).as("%s", streamed).isEqualTo(13);
    assertThat(streamed.quarantined()).isEqualTo(2);
    assertThat(restarted.committed()).isEqualTo(1);
    assertThat(restarted.quarantined()).isZero();

    Schema schema = lakes.table(source, table).schema();
    assertThat(schema.columns().stream().map(Types.NestedField::name).toList())
        .containsExactly(
            "id",
            "amount",
            "small",
            "name",
            "code",
            "legacy",
            "old_name",
            "legal_id",
            "legal_id_key",
            "added_on",
            "new_name",
            "late",
            RawSchemas.OP,
            RawSchemas.POSITION,
            RawSchemas.SOURCE_TS,
            RawSchemas.TX_ID,
            RawSchemas.INGESTED_AT);
    assertThat(schema.findField("small").type()).isEqualTo(Types.LongType.get());
    assertThat(schema.findField("amount").type()).isEqualTo(Types.DecimalType.of(20, 2));
    assertThat(schema.findField("code").type()).isEqualTo(Types.StringType.get());
    assertThat(schema.findField("added_on").type()).isEqualTo(Types.DateType.get());

    List<Record> rows = lakes.rows(source, table);
    assertThat(rows).hasSize(15);
    assertThat(rows.stream().map(row -> (String) row.getField(RawSchemas.POSITION)))
        .doesNotHaveDuplicates();
    assertThat(value(rows, 1, "added_on")).isNull();
    assertThat(value(rows, 3, "added_on")).isEqualTo(LocalDate.of(2026, 5, 1));
    assertThat(value(rows, 4, "small")).isEqualTo(5_000_000_000L);
    assertThat(value(rows, 5, "name")).isEqualTo(LONG_NAME);
    assertThat(value(rows, 6, "amount")).isEqualTo(new BigDecimal("123456789012345678.90"));
    assertThat(value(rows, 7, "amount")).isEqualTo(new BigDecimal("1.50"));
    assertThat(value(rows, 9, "code")).isEqualTo("42");
    assertThat(value(rows, 10, "small")).isEqualTo(7L);
    assertThat(value(rows, 11, "legacy")).isNull();
    assertThat(value(rows, 12, "new_name")).isEqualTo("N12");
    assertThat(value(rows, 12, "old_name")).isNull();
    assertThat(value(rows, 14, "small")).isEqualTo(15L);
    assertThat(value(rows, 15, "late")).isEqualTo(5);
    Record updated =
        rows.stream()
            .filter(row -> "u".equals(row.getField(RawSchemas.OP)))
            .findFirst()
            .orElseThrow();
    assertThat(updated.getField("legacy")).isEqualTo("L2");
    assertThat(updated.getField("old_name")).isEqualTo("O2");
    Record deleted =
        rows.stream()
            .filter(row -> "d".equals(row.getField(RawSchemas.OP)))
            .findFirst()
            .orElseThrow();
    assertThat(deleted.getField("id")).isEqualTo(4);
    assertThat(deleted.getField("small")).isEqualTo(5_000_000_000L);

    List<Record> quarantined = lakes.quarantine(source);
    assertThat(quarantined).hasSize(2);
    Record scale =
        quarantined.stream()
            .filter(row -> payload(row).contains("1.2345"))
            .findFirst()
            .orElseThrow();
    assertThat((String) scale.getField("reason")).contains("amount", "decimal(20, 2)");
    assertThat(payload(scale)).contains(PersonKeys.mask(ID_NUMBER)).doesNotContain(ID_NUMBER);
    assertThat((String) scale.getField("position")).hasSize(Position.LENGTH);
    Record text =
        quarantined.stream().filter(row -> payload(row).contains("many")).findFirst().orElseThrow();
    assertThat((String) text.getField("reason")).contains("small", "long");
    assertThat(quarantined)
        .allSatisfy(row -> assertThat(row.getField("source_table")).isEqualTo(table));
  }

  private static String payload(Record row) {
    return (String) row.getField("payload");
  }

  private static Object value(List<Record> rows, int id, String column) {
    return rows.stream()
        .filter(row -> Integer.valueOf(id).equals(row.getField("id")))
        .filter(row -> !"d".equals(row.getField(RawSchemas.OP)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + id))
        .getField(column);
  }
}
