package cn.jiangyin.warehouse.trino;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trino 476 reads what the Iceberg Java API wrote into the lake: an Iceberg JDBC catalog on the
 * machine's PostgreSQL, data files under a {@code file:} warehouse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrinoServerIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  // Trust authentication ignores it; it is here to prove it reaches neither files nor logs.
  private static final String PASSWORD = "it-" + UUID.randomUUID();
  private static final Schema SCHEMA =
      new Schema(
          required(1, "id", Types.LongType.get()),
          optional(2, "name", Types.StringType.get()),
          optional(3, "amount", Types.DecimalType.of(12, 2)),
          optional(4, "registered_on", Types.DateType.get()),
          optional(5, "changed_at", Types.TimestampType.withZone()));

  @TempDir static Path temporary;

  private final String database = "trino_it_" + UUID.randomUUID().toString().replace("-", "");
  private List<Record> written;
  private TrinoServer server;
  private Duration startTime;

  @BeforeAll
  void writeTableAndStartTrino() throws Exception {
    execute(POSTGRES + "postgres", "CREATE DATABASE " + database);
    String catalogUrl = POSTGRES + database;
    String warehouse = "file:" + temporary.resolve("lake");

    JdbcCatalog catalog = new JdbcCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(
        TrinoSettings.CATALOG_NAME_DEFAULT,
        Map.of(
            CatalogProperties.URI,
            catalogUrl,
            CatalogProperties.WAREHOUSE_LOCATION,
            warehouse,
            "jdbc.user",
            "postgres",
            "jdbc.password",
            PASSWORD,
            "jdbc.schema-version",
            "V1"));
    try (catalog) {
      catalog.createNamespace(Namespace.of("raw"));
      Table table =
          catalog.createTable(
              TableIdentifier.of("raw", "t"),
              SCHEMA,
              PartitionSpec.unpartitioned(),
              Map.of(TableProperties.FORMAT_VERSION, "2"));
      written = records();
      append(table, written);
      assertThat(table.location()).startsWith("file:/");
    }

    TrinoSettings settings =
        TrinoSettings.of(catalogUrl, "postgres", PASSWORD, warehouse, temporary.resolve("trino"));
    TrinoDistribution distribution = TrinoDistribution.install();
    long started = System.nanoTime();
    server = TrinoServer.start(settings, distribution);
    startTime = Duration.ofNanos(System.nanoTime() - started);
  }

  @AfterAll
  void stopTrinoAndDropDatabase() throws SQLException {
    if (server != null) {
      server.stop();
    }
    execute(POSTGRES + "postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  @Test
  void readsRowsTheIcebergJavaApiWrote() throws SQLException {
    System.out.printf("Trino started in %d ms%n", startTime.toMillis());
    List<List<Object>> rows = new ArrayList<>();
    try (Connection connection = trino();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT id, name, amount, registered_on, changed_at FROM iceberg.raw.t ORDER BY id")) {
      while (result.next()) {
        rows.add(
            Arrays.asList(
                result.getLong("id"),
                result.getString("name"),
                result.getBigDecimal("amount"),
                result.getObject("registered_on", LocalDate.class),
                instant(result.getTimestamp("changed_at"))));
      }
    }
    List<List<Object>> expected = new ArrayList<>();
    for (Record record : written) {
      expected.add(
          Arrays.asList(
              record.getField("id"),
              record.getField("name"),
              record.getField("amount"),
              record.getField("registered_on"),
              ((OffsetDateTime) record.getField("changed_at")).toInstant()));
    }
    assertThat(rows).isEqualTo(expected);
  }

  @Test
  void filtersOnChineseText() throws SQLException {
    try (Connection connection = trino();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*), sum(amount) FROM iceberg.raw.t WHERE name LIKE '%澄江%'")) {
      assertThat(result.next()).isTrue();
      assertThat(result.getLong(1)).isEqualTo(2);
      assertThat(result.getBigDecimal(2)).isEqualByComparingTo("1234.56");
    }
  }

  @Test
  void anotherProcessFindsTheServerByItsDataDirectory() {
    assertThat(TrinoServer.running(server.dataDirectory()))
        .hasValueSatisfying(
            found -> {
              assertThat(found.pid()).isEqualTo(server.pid());
              assertThat(found.httpPort()).isEqualTo(server.httpPort());
              assertThat(found.jdbcUrl()).isEqualTo(server.jdbcUrl());
              assertThat(found.info().version()).isEqualTo(TrinoDistribution.VERSION);
              assertThat(found.info().starting()).isFalse();
              assertThat(found.ready()).isTrue();
            });
    assertThat(server.jdbcUrl())
        .isEqualTo("jdbc:trino://127.0.0.1:" + server.httpPort() + "/iceberg");
  }

  @Test
  void refusesASecondServerOnTheSameDataDirectory() {
    TrinoSettings same =
        TrinoSettings.of(
            POSTGRES + database, "postgres", "", "file:/unused", server.dataDirectory());
    assertThatThrownBy(() -> TrinoServer.start(same))
        .isInstanceOfSatisfying(
            TrinoServerException.class,
            e -> assertThat(e.code()).isEqualTo(TrinoServerException.Code.ALREADY_RUNNING));
  }

  @Test
  void logsAndConfigurationHoldNoPassword() throws IOException {
    try (var files = Files.walk(server.dataDirectory())) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file, UTF_8)).as(file.toString()).doesNotContain(PASSWORD);
      }
    }
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private Connection trino() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", "analyst");
    return DriverManager.getConnection(server.jdbcUrl(), properties);
  }

  private static List<Record> records() {
    OffsetDateTime base =
        OffsetDateTime.of(2024, 3, 1, 8, 30, 0, 123_456_000, ZoneOffset.ofHours(8));
    return List.of(
        record(1, "江阴澄江贸易有限公司", "1000.50", LocalDate.of(2019, 5, 20), base),
        record(2, "Jiangyin Test Works", "0.01", LocalDate.of(2020, 1, 1), base.plusHours(5)),
        record(3, "澄江街道网格 7 号", "234.06", LocalDate.of(2023, 12, 31), base.plusDays(1)),
        record(4, null, null, null, base.plusDays(2)));
  }

  private static Record record(
      long id, String name, String amount, LocalDate registeredOn, OffsetDateTime changedAt) {
    Record record = GenericRecord.create(SCHEMA);
    record.setField("id", id);
    record.setField("name", name);
    record.setField("amount", amount == null ? null : new BigDecimal(amount));
    record.setField("registered_on", registeredOn);
    // Iceberg keeps timestamptz as UTC; compare instants.
    record.setField("changed_at", changedAt.withOffsetSameInstant(ZoneOffset.UTC));
    return record;
  }

  private static void append(Table table, List<Record> records) throws IOException {
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = writers.newDataWriter(files.newOutputFile(), table.spec(), null);
    try (writer) {
      for (Record record : records) {
        writer.write(record);
      }
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
