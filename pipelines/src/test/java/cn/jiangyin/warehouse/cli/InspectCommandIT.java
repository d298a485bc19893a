package cn.jiangyin.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code warehouse inspect draw|verify|publish} against a deployment configuration on a real
 * JdbcCatalog: exit codes, the draw id on stdout, verification by file and by id, an altered draw
 * file and a plan error reported as file:line.
 */
class InspectCommandIT {
  private static final String DATABASE =
      "inspect_cli_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "WAREHOUSE_DB_PASSWORD", "trust-authentication-ignores-it",
          "PERSON_KEY_SECRET", "inspect-command-it-secret-000000");

  @TempDir static Path home;
  private static Path config;

  @BeforeAll
  static void createLake() throws Exception {
    execute("CREATE DATABASE " + DATABASE);
    config = home.resolve("warehouse.yaml");
    Files.writeString(
        config,
        """
        catalog:
          jdbc-url: jdbc:postgresql://127.0.0.1:5432/%s
          user: postgres
        lake:
          location: %s
        """
            .formatted(DATABASE, home.resolve("lake")),
        StandardCharsets.UTF_8);
    PlatformConfig platform = PlatformConfig.load(config, ENVIRONMENT::get);
    try (JdbcCatalog catalog = CatalogFactory.open(platform)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    }
    SparkSession spark = SparkSessions.create(platform, "inspect-command-it");
    for (int i = 0; i < 10; i++) {
      insert(
          spark,
          "lib.enterprise",
          Map.of(
              "uscc", "'" + uscc(i) + "'",
              "name", "'企业" + i + "'",
              "status", "'存续'",
              "industry_code", "'F5221'",
              "town_code", "'320281001000'"));
      insert(
          spark,
          "lib.license",
          Map.of(
              "licence_number",
              "'JY" + i + "'",
              "licence_type",
              "'食品经营许可证'",
              "holder_uscc",
              "'" + uscc(i) + "'",
              "status",
              "'valid'"));
    }
    spark.stop();
  }

  @AfterAll
  static void dropLake() throws SQLException {
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void drawVerifyByFileAndIdDetectAnAlteredFileAndPublish() throws Exception {
    Path plan = home.resolve("plan.yaml");
    Files.writeString(
        plan,
        """
        id: CLI-1
        name: 命令行测试计划
        department: 市场监管局
        item: 食品安全检查
        reference-date: 2026-11-30
        subjects:
          licence-types: [食品经营许可证]
        shares: {A: 5, B: 15, C: 40, D: 80}
        unscored-class: B
        inspectors-per-inspection: 2
        exclusion-months: 12
        roster:
          - {id: I-1, name: 检查员一, department: 市场监管局, grid: G1}
          - {id: I-2, name: 检查员二, department: 市场监管局, grid: G2}
          - {id: I-3, name: 检查员三, department: 市场监管局, grid: G3}
        """,
        StandardCharsets.UTF_8);
    Path drawFile = home.resolve("draws").resolve("cli.json");

    Command draw =
        inspect(
            "draw",
            plan.toString(),
            "--seed-source",
            "2026-11-28 公开值",
            "--output",
            drawFile.toString());
    assertThat(draw.code()).as(draw.err()).isZero();
    String drawId = draw.out().strip();
    assertThat(drawId).matches("CLI-1-[0-9a-f]{12}");
    // ten unscored enterprises are class B: ⌈15 % · 10⌉ = 2 drawn
    assertThat(draw.err())
        .contains("candidates per class {A=0, B=10, C=0, D=0}", "2 subjects drawn");

    Command byFile = inspect("verify", drawFile.toString());
    assertThat(byFile.code()).as(byFile.out() + byFile.err()).isZero();
    assertThat(byFile.out())
        .startsWith("OK " + drawId + ": re-derived 2 subjects and 4 assignments");
    Command byId = inspect("verify", drawId);
    assertThat(byId.code()).as(byId.out() + byId.err()).isZero();

    Files.writeString(
        drawFile, Files.readString(drawFile).replace("公开值", "公开值2"), StandardCharsets.UTF_8);
    Command altered = inspect("verify", drawFile.toString());
    assertThat(altered.code()).isEqualTo(WarehouseCommand.EXIT_FAILURE);
    assertThat(altered.out()).contains("DIFFERENCE seed differs", "is NOT confirmed");

    Path badPlan = home.resolve("bad.yaml");
    Files.writeString(
        badPlan,
        Files.readString(plan).replace("A: 5, B: 15", "A: 6, B: 15"),
        StandardCharsets.UTF_8);
    Command rejected = inspect("draw", badPlan.toString(), "--seed-source", "x");
    assertThat(rejected.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(rejected.err()).contains(badPlan + ":8: share of class A is 6 %");

    Command publish = inspect("publish");
    assertThat(publish.code()).as(publish.err()).isZero();
    assertThat(publish.out().strip()).isEqualTo("2");
  }

  /** One row of column → SQL expression; other columns NULL, or a filler when required. */
  private static void insert(SparkSession spark, String table, Map<String, String> row) {
    List<String> values = new ArrayList<>();
    for (org.apache.spark.sql.types.StructField field : spark.table(table).schema().fields()) {
      String value = row.get(field.name());
      if (value == null) {
        value =
            field.nullable()
                ? "NULL"
                : switch (field.dataType().typeName()) {
                  case "string" -> "'-'";
                  case "boolean" -> "false";
                  case "date" -> "DATE '2026-01-01'";
                  case "timestamp", "timestamp_ntz" -> "current_timestamp()";
                  default -> "0";
                };
      }
      values.add("CAST(" + value + " AS " + field.dataType().sql() + ")");
    }
    spark.sql("INSERT INTO " + table + " SELECT " + String.join(", ", values));
  }

  private record Command(int code, String out, String err) {}

  private static Command inspect(String... arguments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("--config", config.toString(), "inspect"));
    all.addAll(List.of(arguments));
    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            ENVIRONMENT::get,
            all.toArray(String[]::new));
    return new Command(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String uscc(int index) {
    String first8 = "M" + "%07d".formatted(4_000_000 + index);
    String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
