package cn.jiangyin.warehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code schemas migrate} against a real JdbcCatalog on PostgreSQL: in place, idempotent, no data
 * lost.
 */
class SchemaMigratorIT {
  private static final String DATABASE =
      "schema_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  @TempDir static Path lake;
  private static JdbcCatalog catalog;

  @BeforeAll
  static void createCatalog() throws SQLException {
    execute("postgres", "CREATE DATABASE " + DATABASE);
    catalog =
        CatalogFactory.open(
            PlatformConfig.of(
                Map.of(
                    "catalog.jdbc-url",
                    "jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                    "catalog.user",
                    "postgres",
                    "lake.location",
                    lake.toString()),
                variable -> "trust-authentication-0000",
                lake));
  }

  @AfterAll
  static void dropCatalog() throws Exception {
    catalog.close();
    execute("postgres", "DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void evolvesInPlaceKeepsRowsAndIsIdempotent() throws Exception {
    SchemaMigrator migrator = new SchemaMigrator(catalog);
    assertThat(migrator.migrate(definition("{name: amount, type: int, doc: 金额}")))
        .contains("created table lib.t");
    assertThat(migrator.migrate(definition("{name: amount, type: int, doc: 金额}"))).isEmpty();
    Table table = catalog.loadTable(TableIdentifier.of("lib", "t"));
    Record row = GenericRecord.create(table.schema());
    row.setField("code", "91320281142232229Q");
    row.setField("amount", 7);
    var writer =
        new org.apache.iceberg.data.GenericFileWriterFactory.Builder(table)
            .dataFileFormat(org.apache.iceberg.FileFormat.PARQUET)
            .build()
            .newDataWriter(
                org.apache.iceberg.io.OutputFileFactory.builderFor(table, 1, 1)
                    .format(org.apache.iceberg.FileFormat.PARQUET)
                    .build()
                    .newOutputFile(),
                table.spec(),
                null);
    try (writer) {
      writer.write(row);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();

    List<String> changes =
        migrator.migrate(
            definition(
                "{name: amount, type: long, doc: 金额（元）}", "{name: note, type: string, doc: 备注}"));
    assertThat(changes)
        .containsExactly(
            "lib.t: widened amount int → long",
            "lib.t: documented amount",
            "lib.t: added column note string");
    table.refresh();
    assertThat(table.schema().findField("amount").type()).isEqualTo(Types.LongType.get());
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      Record kept = rows.iterator().next();
      assertThat(kept.getField("code")).isEqualTo("91320281142232229Q");
      assertThat(kept.getField("amount")).isEqualTo(7L);
      assertThat(kept.getField("note")).isNull();
    }

    assertThatThrownBy(
            () ->
                migrator.migrate(
                    definition(
                        "{name: amount, type: int, doc: 金额（元）}",
                        "{name: note, type: string, doc: 备注}")))
        .isInstanceOf(SchemaEvolutionException.class)
        .hasMessageContaining("Cannot change column lib.t.amount from long to int");
  }

  private static List<TableDefinition> definition(String... extraColumns) {
    StringBuilder text =
        new StringBuilder(
            """
            namespace: lib
            doc: 测试
            tables:
              - name: t
                doc: 测试表
                owner: 大数据中心
                sharing: 有条件
                update-frequency: daily
                columns:
                  - {name: code, type: string, required: true, doc: 代码}
            """);
    for (String column : extraColumns) {
      text.append("      - ").append(column).append('\n');
    }
    return TableRegistry.of(List.of(YamlDocument.parse("t.yaml", text.toString()))).tables();
  }

  private static void execute(String database, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/" + database, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
