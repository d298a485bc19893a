package cn.jiangyin.warehouse.inspection;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.credit.fact.CreditFactJob;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * 双随机 draws over hand-made lib and credit rows in a real JdbcCatalog on PostgreSQL with local
 * Spark: shares, conflicts, exclusions, recording, time-travel verification, and inspection results
 * becoming credit facts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InspectionDrawIT {
  private static final String DATABASE =
      "inspection_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final int ENTERPRISES = 60;
  private static final Map<String, Integer> SHARES = Map.of("A", 5, "B", 15, "C", 40, "D", 80);

  @TempDir static Path home;
  private static SparkSession spark;
  private static JdbcCatalog catalog;
  private static PlanFile plan;
  private static Draw firstDraw;

  @BeforeAll
  static void createLake() throws Exception {
    execute("CREATE DATABASE " + DATABASE);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/" + DATABASE,
                "catalog.user",
                "postgres",
                "lake.location",
                home.resolve("lake").toString()),
            variable -> "trust-authentication-ignores-it",
            home);
    catalog = CatalogFactory.open(config);
    new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    spark = SparkSessions.create(config, "inspection-draw-it");
    createLibraries();
    plan = planFile("P-1", "2026-11-30", 12);
  }

  @AfterAll
  static void dropLake() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    if (catalog != null) {
      catalog.close();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  /** 存续 enterprises holding a valid food licence, by the risk class they should get. */
  private static Map<String, List<String>> expectedCandidates() {
    Map<String, List<String>> byClass = new TreeMap<>();
    for (int i = 0; i < ENTERPRISES; i++) {
      if (i % 20 == 19 || i % 4 == 3) {
        continue; // 注销, or only an expired licence
      }
      String riskClass = new String[] {"A", "B", "C", "D", "B"}[i % 5]; // i % 5 == 4: unscored
      byClass.computeIfAbsent(riskClass, key -> new ArrayList<>()).add(uscc(i));
    }
    return byClass;
  }

  @Test
  @Order(1)
  void drawTakesEachClassShareAvoidsGridConflictsAndIsRecordedAndVerified() throws Exception {
    InspectionDrawJob job = new InspectionDrawJob(spark);
    firstDraw = job.draw(plan, "2026-11-28 体彩排列五 12345");

    Map<String, List<String>> expected = expectedCandidates();
    Map<String, Integer> counts = new TreeMap<>();
    expected.forEach((riskClass, members) -> counts.put(riskClass, members.size()));
    // enterprise 0 is A as of 2026-11-01 and D only after the reference date
    assertThat(expected.get("A")).contains(uscc(0));
    assertThat(firstDraw.candidates()).isEqualTo(counts);
    Map<String, Long> drawnPerClass = new TreeMap<>();
    for (Selection selection : firstDraw.selections()) {
      assertThat(expected.get(selection.riskClass())).contains(selection.subjectId());
      drawnPerClass.merge(selection.riskClass(), 1L, Long::sum);
      // 回避: never an inspector on the subject's own grid (grid of enterprise i is G(1 + i % 4))
      String grid = gridOf(selection.subjectId());
      assertThat(selection.inspectorIds())
          .hasSize(2)
          .doesNotContain("I-" + grid.substring(1))
          .doesNotHaveDuplicates();
    }
    counts.forEach(
        (riskClass, n) ->
            assertThat(drawnPerClass.getOrDefault(riskClass, 0L))
                .as("class %s of %d", riskClass, n)
                .isEqualTo((long) Math.ceil(SHARES.get(riskClass) * n / 100.0)));

    assertThat(job.record(plan, firstDraw)).isTrue();
    assertThat(job.record(plan, firstDraw)).as("a draw is recorded once").isFalse();
    String drawId = DrawFile.drawId(firstDraw);
    assertThat(job.read(drawId).orElseThrow().draw()).isEqualTo(firstDraw);
    assertThat(
            spark
                .sql(
                    "SELECT count(*) FROM supervision.draw_assignment WHERE draw_id = '"
                        + drawId
                        + "'")
                .first()
                .getLong(0))
        .isEqualTo(firstDraw.selections().size());

    Path file = home.resolve("draws").resolve(drawId + ".json");
    DrawFile.write(file, plan, firstDraw);
    assertThat(DrawFile.read(file).draw()).isEqualTo(firstDraw);

    // the lake moves on: verification still reads the recorded snapshots
    insert("lib.enterprise", List.of(enterprise(ENTERPRISES)));
    insert("lib.license", List.of(licence(ENTERPRISES, "valid")));
    assertThat(job.verify(firstDraw, plan)).isEmpty();
    assertThat(job.verify(DrawFile.read(file).draw(), plan)).isEmpty();
    assertThat(job.verify(job.read(drawId).orElseThrow().draw(), plan)).isEmpty();
    assertThat(job.draw(plan, "2026-11-28 体彩排列五 12345").selections())
        .as("a new draw sees the new enterprise")
        .isNotEqualTo(firstDraw.selections())
        .isNotNull();
  }

  @Test
  @Order(2)
  void verifyListsAChangedSubjectAssignmentSeedInputAndPlan() throws Exception {
    InspectionDrawJob job = new InspectionDrawJob(spark);
    List<Selection> selections = new ArrayList<>(firstDraw.selections());
    Selection first = selections.get(0);
    Selection swapped =
        new Selection(uscc(59), null, first.riskClass(), first.rank(), first.inspectorIds());
    selections.set(0, swapped);
    assertThat(job.verify(withSelections(selections), plan))
        .anyMatch(line -> line.contains(first.subjectId()) && line.contains("not recorded"))
        .anyMatch(line -> line.contains(uscc(59)) && line.contains("not drawn"));

    selections = new ArrayList<>(firstDraw.selections());
    String other =
        Set.of("I-1", "I-2", "I-3", "I-4", "I-5", "I-6").stream()
            .filter(id -> !first.inspectorIds().contains(id))
            .sorted()
            .findFirst()
            .orElseThrow();
    selections.set(
        0,
        new Selection(
            first.subjectId(),
            first.subjectName(),
            first.riskClass(),
            first.rank(),
            List.of(first.inspectorIds().get(0), other)));
    assertThat(job.verify(withSelections(selections), plan))
        .singleElement()
        .asString()
        .contains("subject " + first.subjectId(), other);

    // a changed public value in the draw file: the seed and the selection no longer follow
    Path file = home.resolve("altered.json");
    DrawFile.write(file, plan, firstDraw);
    Files.writeString(
        file, Files.readString(file).replace("体彩排列五 12345", "体彩排列五 12346"), StandardCharsets.UTF_8);
    assertThat(job.verify(DrawFile.read(file).draw(), plan))
        .anyMatch(line -> line.startsWith("seed differs"))
        .anyMatch(line -> line.contains("not recorded") || line.contains("recorded ["));

    // the plan edited after the draw
    PlanFile edited =
        PlanFile.parse(
            plan.file(),
            (Files.readString(Path.of(plan.file())) + "\n# edited\n")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(job.verify(firstDraw, edited))
        .anyMatch(line -> line.contains("the plan is not the one drawn"));
  }

  @Test
  @Order(3)
  void laterPlansOnTheSameItemExcludeRecentSubjectsAndAvoidTheirLastInspectors() throws Exception {
    InspectionDrawJob job = new InspectionDrawJob(spark);
    Map<String, Integer> drawnBefore = new TreeMap<>();
    Map<String, Selection> before = new HashMap<>();
    for (Selection selection : firstDraw.selections()) {
      drawnBefore.merge(selection.riskClass(), 1, Integer::sum);
      before.put(selection.subjectId(), selection);
    }
    Draw excluding = job.draw(planFile("P-2", "2027-02-28", 12), "public-2");
    // every subject drawn before is excluded; counted per its class as of this plan, which a newer
    // score may have changed since the first draw, so the totals are compared
    assertThat(excluding.excluded().values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(drawnBefore.values().stream().mapToInt(Integer::intValue).sum());
    assertThat(excluding.selections()).noneMatch(s -> before.containsKey(s.subjectId()));

    Draw again = job.draw(planFile("P-3", "2027-02-28", 0), "public-3");
    List<Selection> repeated =
        again.selections().stream().filter(s -> before.containsKey(s.subjectId())).toList();
    assertThat(repeated).as("80 %% of class D drawn twice must overlap").isNotEmpty();
    for (Selection selection : repeated) {
      assertThat(selection.inspectorIds())
          .as(selection.subjectId())
          .doesNotContainAnyElementsOf(before.get(selection.subjectId()).inspectorIds());
    }
  }

  @Test
  @Order(4)
  void inspectionResultsBecomeCreditFactsNegativeOnlyForProblemsFound() {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS ods");
    spark.sql(
        "CREATE TABLE ods.market_regulation__inspection_result (id BIGINT, _position STRING,"
            + " plan_id STRING, subject_uscc STRING, subject_name STRING, inspected_on DATE,"
            + " inspector_count INT, finding STRING, summary STRING) USING iceberg");
    String[] findings = {"未发现问题", "发现问题", "责令整改", "立案查处"};
    List<String> values = new ArrayList<>();
    for (int i = 0; i < findings.length; i++) {
      values.add(
          "(%d, '%04d', 'P-1', '%s', '企业%d', DATE '2026-12-0%d', 2, '%s', '说明%d')"
              .formatted(i + 1, i + 1, uscc(i), i, i + 1, findings[i], i));
    }
    spark.sql(
        "INSERT INTO ods.market_regulation__inspection_result VALUES " + String.join(", ", values));

    CreditFactJob.Result result = new CreditFactJob(spark, catalog).run(List.of());
    assertThat(result.categories()).containsEntry("inspection_finding", 4L);
    Map<String, String> polarity = new LinkedHashMap<>();
    spark
        .sql(
            "SELECT subject_id, polarity, catalogue_item, decided_on, department FROM credit.fact"
                + " WHERE category = 'inspection_finding' ORDER BY subject_id")
        .collectAsList()
        .forEach(
            row -> {
              assertThat(row.getString(2)).isEqualTo("行政管理信息—抽查检查结果信息");
              assertThat(row.getString(4)).isEqualTo("市场监管局");
              polarity.put(row.getString(0), row.getString(1));
            });
    assertThat(polarity)
        .containsOnly(
            Map.entry(uscc(0), "neutral"),
            Map.entry(uscc(1), "negative"),
            Map.entry(uscc(2), "neutral"),
            Map.entry(uscc(3), "negative"));
  }

  @Test
  @Order(5)
  void publicationJoinsDrawsAndResultsWithoutRiskClasses() {
    long rows = new InspectionPublicationJob(spark).run();
    Set<String> drawn =
        firstDraw.selections().stream().map(Selection::subjectId).collect(Collectors.toSet());
    long resultsOutsideTheDraw =
        java.util.stream.IntStream.range(0, 4).filter(i -> !drawn.contains(uscc(i))).count();
    assertThat(rows).isEqualTo(firstDraw.selections().size() + resultsOutsideTheDraw);
    assertThat(spark.table("supervision.publication").columns())
        .doesNotContain("risk_class", "inspector_ids", "rank");
    Selection first = firstDraw.selections().get(0);
    assertThat(
            spark
                .sql(
                    "SELECT draw_id, seed, inspector_names FROM supervision.publication WHERE"
                        + " subject_uscc = '"
                        + first.subjectId()
                        + "'")
                .first()
                .mkString("|"))
        .isEqualTo(
            DrawFile.drawId(firstDraw)
                + "|"
                + firstDraw.seed()
                + "|"
                + first.inspectorIds().stream()
                    .map(id -> "\"检查员" + id.substring(2) + "\"")
                    .collect(Collectors.joining(",", "[", "]")));
    // every result is published, with its finding, joined to its draw when drawn there
    for (int i = 0; i < 4; i++) {
      assertThat(
              spark
                  .sql(
                      "SELECT finding, draw_id IS NOT NULL FROM supervision.publication WHERE"
                          + " subject_uscc = '"
                          + uscc(i)
                          + "'")
                  .first()
                  .mkString("|"))
          .isEqualTo(
              new String[] {"未发现问题", "发现问题", "责令整改", "立案查处"}[i] + "|" + drawn.contains(uscc(i)));
    }
  }

  // ---- set-up ----

  private static Draw withSelections(List<Selection> selections) {
    return new Draw(
        firstDraw.planId(),
        firstDraw.inputs(),
        firstDraw.seed(),
        firstDraw.candidates(),
        firstDraw.excluded(),
        selections);
  }

  private static PlanFile planFile(String id, String referenceDate, int exclusionMonths)
      throws Exception {
    StringBuilder roster = new StringBuilder();
    for (int i = 1; i <= 6; i++) {
      roster.append(
          "  - {id: I-%d, name: 检查员%d, department: 市场监管局, grid: G%d}\n".formatted(i, i, i));
    }
    String text =
        """
        id: %s
        name: 测试抽查计划
        department: 市场监管局
        item: 食品安全检查
        reference-date: %s
        subjects:
          licence-types: [食品经营许可证]
        shares: {A: 5, B: 15, C: 40, D: 80}
        unscored-class: B
        inspectors-per-inspection: 2
        exclusion-months: %d
        roster:
        """
                .formatted(id, referenceDate, exclusionMonths)
            + roster;
    Path path = home.resolve(id + ".yaml");
    Files.writeString(path, text, StandardCharsets.UTF_8);
    return PlanFile.read(path);
  }

  private static void createLibraries() {
    List<Map<String, String>> enterprises = new ArrayList<>();
    List<Map<String, String>> licences = new ArrayList<>();
    List<Map<String, String>> grids = new ArrayList<>();
    List<Map<String, String>> scores = new ArrayList<>();
    for (int i = 0; i < ENTERPRISES; i++) {
      enterprises.add(enterprise(i));
      licences.add(licence(i, i % 4 == 3 ? "expired" : "valid"));
      grids.add(Map.of("uscc", text(uscc(i)), "grid_code", text(gridOf(uscc(i)))));
      if (i % 5 != 4) {
        scores.add(score(i, new String[] {"A", "B", "C", "D"}[i % 5], "2026-11-01"));
      }
    }
    scores.add(score(0, "D", "2026-12-15")); // after the reference date: not used
    insert("lib.enterprise", enterprises);
    insert("lib.license", licences);
    insert("lib.enterprise_grid", grids);
    insert("credit.score", scores);
  }

  private static Map<String, String> enterprise(int i) {
    return Map.of(
        "uscc", text(uscc(i)),
        "name", text("江阴市测试" + i + "食品有限公司"),
        "status", text(i % 20 == 19 ? "注销" : "存续"),
        "industry_code", text("F5221"),
        "town_code", text("320281001000"),
        "as_of", "current_timestamp()");
  }

  private static Map<String, String> licence(int i, String status) {
    return Map.of(
        "licence_number", text("JY" + i),
        "licence_type", text("食品经营许可证"),
        "holder_uscc", text(uscc(i)),
        "status", text(status),
        "as_of", "current_timestamp()");
  }

  private static Map<String, String> score(int i, String riskClass, String asOf) {
    return Map.of(
        "subject_id", text(uscc(i)),
        "subject_type", text("enterprise"),
        "score", "80",
        "grade", text(riskClass),
        "grade_name", text(riskClass),
        "risk_class", text(riskClass),
        "reasons", text("[]"),
        "rule_version", text("test"),
        "as_of", "DATE '" + asOf + "'",
        "input_snapshots", text("{}"));
  }

  /** Inserts rows given as column → SQL expression; other columns are NULL. */
  private static void insert(String table, List<Map<String, String>> rows) {
    StructField[] fields = spark.table(table).schema().fields();
    String select =
        rows.stream()
            .map(
                row ->
                    "SELECT "
                        + Arrays.stream(fields)
                            .map(
                                field ->
                                    "CAST("
                                        + row.getOrDefault(field.name(), filler(field))
                                        + " AS "
                                        + field.dataType().sql()
                                        + ") AS "
                                        + field.name())
                            .collect(Collectors.joining(", ")))
            .collect(Collectors.joining(" UNION ALL "));
    spark.sql("INSERT INTO " + table + " " + select);
  }

  /** NULL, or for a required column a value the draw does not read. */
  private static String filler(StructField field) {
    if (field.nullable()) {
      return "NULL";
    }
    return switch (field.dataType().typeName()) {
      case "string" -> "'-'";
      case "boolean" -> "false";
      case "date" -> "DATE '2026-01-01'";
      case "timestamp", "timestamp_ntz" -> "current_timestamp()";
      default -> "0";
    };
  }

  private static String text(String value) {
    return "'" + value.replace("'", "\\'") + "'";
  }

  private static String gridOf(String uscc) {
    for (int i = 0; i <= ENTERPRISES; i++) {
      if (uscc(i).equals(uscc)) {
        return "G" + (1 + i % 4);
      }
    }
    throw new IllegalArgumentException("Invalid test USCC: " + uscc);
  }

  private static String uscc(int index) {
    String first8 = "M" + "%07d".formatted(3_000_000 + index);
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
