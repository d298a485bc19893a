package cn.jiangyin.warehouse.credit.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default rule set evaluated on hand-made {@code credit.fact}, {@code lib.person_role} and
 * {@code credit.objection} rows whose outcome is known in advance, in a real JdbcCatalog on
 * PostgreSQL: lists (proposed → effective, objection upheld, repair, 3-year transfer), verdicts
 * with their measures and the legal representative's propagated measure, scores with reasons.
 */
class CreditEvaluationIT {
  private static final String DATABASE =
      "credit_eval_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final PersonKeys KEYS = new PersonKeys("credit-evaluation-it-secret-000");

  /** Serious penalty on 2026-03-02, repaired from 2026-09-01; its legal representative is BOSS. */
  private static final String PENALISED = uscc("2000001");

  /** On 经营异常名录 since 2022-06-01, never remedied. */
  private static final String ABNORMAL = uscc("2000002");

  /** On 经营异常名录 since 2022-06-01, remedied on 2023-01-10. */
  private static final String REMEDIED = uscc("2000003");

  /** Serious penalty on 2026-03-02, objection filed 03-04 and upheld 03-06. */
  private static final String OBJECTED = uscc("2000004");

  /** Two 较重 and one 一般 penalty, one honour, one penalty out of its window: 68, grade C. */
  private static final String MIXED = uscc("2000005");

  /** A major tax violation: direct grade D. */
  private static final String TAX = uscc("2000006");

  /** Only a warning, which is not published: untouched. */
  private static final String WARNED = uscc("2000007");

  private static final String BOSS = KEYS.key(idNumber("32028119800101123"));

  private static final LocalDate NOTIFIED = LocalDate.of(2026, 3, 4);
  private static final LocalDate EFFECTIVE = LocalDate.of(2026, 3, 7);
  private static final LocalDate BEFORE_REPAIR = LocalDate.of(2026, 8, 31);
  private static final LocalDate REPAIRED = LocalDate.of(2026, 9, 1);
  private static final LocalDate BEFORE_TRANSFER = LocalDate.of(2025, 5, 31);
  private static final LocalDate AFTER_TRANSFER = LocalDate.of(2025, 6, 10);

  @TempDir static Path home;
  private static SparkSession spark;
  private static RuleSet rules;
  private static final List<CreditEvaluationJob.Result> RUNS = new ArrayList<>();

  @BeforeAll
  static void evaluate() throws SQLException {
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
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    spark = SparkSessions.create(config, "credit-evaluation-it");
    insertFacts();
    spark.sql(
        "INSERT INTO lib.person_role VALUES ('"
            + BOSS
            + "', '法定代表人', NULL, '"
            + PENALISED
            + "', NULL, NULL, 'market_regulation.public.enterprise#1@1', current_timestamp(),"
            + " NULL)");
    spark.sql(
        "INSERT INTO credit.objection VALUES ('O1', 'serious_dishonesty', '"
            + OBJECTED
            + "', DATE '2026-03-04', DATE '2026-03-06', 'upheld', 'test')");
    rules = RuleSet.load();
    CreditEvaluationJob job = new CreditEvaluationJob(spark);
    for (LocalDate asOf :
        List.of(NOTIFIED, EFFECTIVE, BEFORE_REPAIR, REPAIRED, BEFORE_TRANSFER, AFTER_TRANSFER)) {
      RUNS.add(job.run(rules, asOf));
    }
  }

  @AfterAll
  static void dropLake() throws SQLException {
    if (spark != null) {
      spark.stop();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  /** Bug caught: a dishonesty entry effective at once, without notice or objection period. */
  @Test
  void seriousPenaltyIsProposedWithNoticeThenEffectiveAfterTheObjectionPeriod() {
    assertThat(
            rows(
                "SELECT list_code, status, proposed_on, start_on, planned_end FROM"
                    + " credit.list_entry WHERE subject_id = '"
                    + PENALISED
                    + "' AND as_of = DATE '"
                    + NOTIFIED
                    + "'"))
        .containsExactly("[serious_dishonesty, proposed, 2026-03-02, 2026-03-07, 2029-03-07]");
    String notice =
        spark
            .sql(
                "SELECT notice FROM credit.list_entry WHERE subject_id = '"
                    + PENALISED
                    + "' AND as_of = DATE '"
                    + NOTIFIED
                    + "'")
            .first()
            .getString(0);
    assertThat(notice).contains("受到较重行政处罚且情节严重", "第44号", "5 日内", "陈述、申辩或者异议", "penalty#P1");
    assertThat(verdict(PENALISED, NOTIFIED)).startsWith("[warn, []");

    assertThat(
            rows(
                "SELECT status FROM credit.list_entry WHERE subject_id = '"
                    + PENALISED
                    + "' AND as_of = DATE '"
                    + EFFECTIVE
                    + "'"))
        .containsExactly("[effective]");
  }

  /** Bug caught: a listed enterprise not restricted, or restricted with the wrong measures. */
  @Test
  void effectiveEntryRestrictsTheEnterpriseWithTheListMeasures() {
    assertThat(verdictStatus(PENALISED, EFFECTIVE)).isEqualTo("restricted");
    assertThat(measureCodes(PENALISED, EFFECTIVE)).containsExactly("M01", "M02", "M03", "M04");
    String measures = verdictColumn(PENALISED, EFFECTIVE, "measures");
    assertThat(measures).contains("市财政局", "政府采购", "全国失信惩戒措施基础清单（2024年版）");
    assertThat(verdictColumn(PENALISED, EFFECTIVE, "valid_to")).isEqualTo("2029-03-07");
  }

  /** Bug caught: the legal representative of a listed enterprise left unrestricted. */
  @Test
  void legalRepresentativeGetsThePropagatedMeasureWithTheLink() {
    assertThat(verdictStatus(BOSS, EFFECTIVE)).isEqualTo("restricted");
    assertThat(measureCodes(BOSS, EFFECTIVE)).containsExactly("M05");
    assertThat(verdictColumn(BOSS, EFFECTIVE, "reasons")).contains("法定代表人", PENALISED, "严重违法失信名单");
    // before the entry takes effect nothing propagates
    assertThat(
            rows(
                "SELECT * FROM credit.verdict WHERE subject_id = '"
                    + BOSS
                    + "' AND as_of = DATE '"
                    + NOTIFIED
                    + "'"))
        .isEmpty();
  }

  /** Bug caught: a repair ignored, or applied before its date. */
  @Test
  void repairRemovesTheRestrictionFromItsDateAndNotBefore() {
    assertThat(verdictStatus(PENALISED, BEFORE_REPAIR)).isEqualTo("restricted");
    assertThat(verdictStatus(BOSS, BEFORE_REPAIR)).isEqualTo("restricted");
    assertThat(
            rows(
                "SELECT status, removed_on, removal_reason FROM credit.list_entry WHERE"
                    + " subject_id = '"
                    + PENALISED
                    + "' AND as_of = DATE '"
                    + REPAIRED
                    + "'"))
        .containsExactly("[removed, 2026-09-01, 信用修复，移出名单]");
    assertThat(verdictStatus(PENALISED, REPAIRED)).isNotEqualTo("restricted");
    assertThat(measureCodes(PENALISED, REPAIRED)).isEmpty();
    assertThat(
            rows(
                "SELECT * FROM credit.verdict WHERE subject_id = '"
                    + BOSS
                    + "' AND as_of = DATE '"
                    + REPAIRED
                    + "'"))
        .isEmpty();
    // the repaired penalty no longer counts for the score
    assertThat(scoreAndGrade(PENALISED, REPAIRED)).isEqualTo("[100, A]");
    // while listed on the dishonesty list the grade is the direct grade, whatever the points
    assertThat(scoreAndGrade(PENALISED, BEFORE_REPAIR)).isEqualTo("[70, D]");
    assertThat(column("credit.score", PENALISED, BEFORE_REPAIR, "direct_grade_reason"))
        .contains("列入严重违法失信名单");
  }

  /** Bug caught: an upheld objection ignored. */
  @Test
  void upheldObjectionStopsTheProposedEntry() {
    assertThat(
            rows(
                "SELECT status, removed_on, removal_reason FROM credit.list_entry WHERE"
                    + " subject_id = '"
                    + OBJECTED
                    + "' AND as_of = DATE '"
                    + EFFECTIVE
                    + "'"))
        .containsExactly("[removed, 2026-03-06, 异议成立，不予列入]");
    assertThat(verdictStatus(OBJECTED, EFFECTIVE)).isNotEqualTo("restricted");
  }

  /**
   * SAMR Order No. 44, art. 13. Bug caught: no transfer, a transfer too early, or of a remedied
   * entry.
   */
  @Test
  void abnormalListOverThreeYearsTransfersToTheSeriousList() {
    assertThat(entries(ABNORMAL, BEFORE_TRANSFER))
        .containsExactly("[abnormal_operation, effective]");
    assertThat(entries(ABNORMAL, AFTER_TRANSFER))
        .containsExactly("[abnormal_operation, effective]", "[serious_dishonesty, effective]");
    assertThat(
            rows(
                "SELECT reason, proposed_on, start_on FROM credit.list_entry WHERE subject_id = '"
                    + ABNORMAL
                    + "' AND list_code = 'serious_dishonesty' AND as_of = DATE '"
                    + AFTER_TRANSFER
                    + "'"))
        .containsExactly("[列入经营异常名录届满 3 年仍未履行相关义务, 2025-06-01, 2025-06-06]");
    assertThat(verdictStatus(ABNORMAL, AFTER_TRANSFER)).isEqualTo("restricted");
    assertThat(verdictStatus(ABNORMAL, BEFORE_TRANSFER)).isEqualTo("warn");
    assertThat(entries(REMEDIED, AFTER_TRANSFER)).containsExactly("[abnormal_operation, removed]");
  }

  /** Bug caught: wrong points, caps, windows, direct grade or reasons out of order. */
  @Test
  void scoresGradesAndPrincipalReasons() {
    assertThat(scoreAndGrade(MIXED, EFFECTIVE)).isEqualTo("[68, C]");
    assertThat(column("credit.score", MIXED, EFFECTIVE, "reasons"))
        .isEqualTo(
            "[{\"indicator\":\"P02\",\"name\":\"受到情节较重的行政处罚\",\"points\":-30,"
                + "\"fact_ids\":[\"penalty#M1\",\"penalty#M2\"]},"
                + "{\"indicator\":\"P03\",\"name\":\"受到一般行政处罚（警告除外）\",\"points\":-5,"
                + "\"fact_ids\":[\"penalty#M3\"]},"
                + "{\"indicator\":\"H01\",\"name\":\"获得表彰荣誉\",\"points\":3,"
                + "\"fact_ids\":[\"honour#M5\"]}]");
    // 100 - 40 = 60 would be C; the major tax violation makes it D directly
    assertThat(scoreAndGrade(TAX, EFFECTIVE)).isEqualTo("[60, D]");
    assertThat(column("credit.score", TAX, EFFECTIVE, "direct_grade_reason"))
        .isEqualTo("{\"name\":\"存在重大税收违法失信信息\",\"fact_ids\":[\"tax#T1\"]}");
    assertThat(column("credit.score", PENALISED, EFFECTIVE, "risk_class")).isEqualTo("D");
    assertThat(column("credit.score", MIXED, EFFECTIVE, "risk_class")).isEqualTo("C");
  }

  /** NDRC Order No. 58: a warning alone is not published, so it neither scores nor lists. */
  @Test
  void warningAloneChangesNothing() {
    assertThat(scoreAndGrade(WARNED, EFFECTIVE)).isEqualTo("[100, A]");
    assertThat(column("credit.score", WARNED, EFFECTIVE, "reasons")).isEqualTo("[]");
    assertThat(verdictStatus(WARNED, EFFECTIVE)).isEqualTo("clear");
    assertThat(entries(WARNED, EFFECTIVE)).isEmpty();
  }

  /** Bug caught: anything but the snapshots, rule version and as-of date deciding the rows. */
  @Test
  void rerunOnTheRecordedSnapshotsGivesTheSameRows() {
    CreditEvaluationJob.Result first = RUNS.get(1);
    Map<String, List<String>> before = contents(EFFECTIVE);
    spark.sql(
        "INSERT INTO credit.fact VALUES "
            + fact(
                "penalty#LATE",
                "administrative_penalty",
                MIXED,
                "严重",
                "罚款",
                null,
                "2026-03-01",
                null,
                true,
                null));
    CreditEvaluationJob.Result rerun =
        new CreditEvaluationJob(spark).run(rules, EFFECTIVE, first.inputSnapshots());
    assertThat(rerun.inputSnapshots()).isEqualTo(first.inputSnapshots());
    assertThat(contents(EFFECTIVE)).isEqualTo(before);
  }

  private static Map<String, List<String>> contents(LocalDate asOf) {
    Map<String, List<String>> contents = new java.util.TreeMap<>();
    for (String table : List.of("credit.score", "credit.list_entry", "credit.verdict")) {
      contents.put(
          table,
          rows("SELECT * EXCEPT (computed_at) FROM " + table + " WHERE as_of = DATE '" + asOf + "'")
              .stream()
              .sorted()
              .toList());
    }
    return contents;
  }

  private static void insertFacts() {
    List<String> facts =
        List.of(
            fact(
                "penalty#P1",
                "administrative_penalty",
                PENALISED,
                "严重",
                "吊销许可证件",
                null,
                "2026-03-02",
                null,
                true,
                "2026-09-01"),
            fact(
                "abnormal#A1",
                "abnormal_list",
                ABNORMAL,
                null,
                null,
                null,
                "2022-06-01",
                null,
                true,
                null),
            fact(
                "abnormal#R1",
                "abnormal_list",
                REMEDIED,
                null,
                null,
                null,
                "2022-06-01",
                "2023-01-10",
                true,
                null),
            fact(
                "penalty#O1",
                "administrative_penalty",
                OBJECTED,
                "严重",
                "责令停产停业",
                null,
                "2026-03-02",
                null,
                true,
                null),
            fact(
                "penalty#M1",
                "administrative_penalty",
                MIXED,
                "较重",
                "罚款",
                null,
                "2025-05-01",
                null,
                true,
                null),
            fact(
                "penalty#M2",
                "administrative_penalty",
                MIXED,
                "较重",
                "罚款",
                null,
                "2025-09-01",
                null,
                true,
                null),
            fact(
                "penalty#M3",
                "administrative_penalty",
                MIXED,
                "一般",
                "罚款",
                null,
                "2025-12-01",
                null,
                true,
                null),
            // an ordinary penalty older than its 12-month window
            fact(
                "penalty#M4",
                "administrative_penalty",
                MIXED,
                "一般",
                "罚款",
                null,
                "2024-12-01",
                null,
                true,
                null),
            fact("honour#M5", "honour", MIXED, null, null, null, "2025-01-15", null, true, null),
            fact(
                "tax#T1",
                "major_tax_violation",
                TAX,
                null,
                null,
                null,
                "2025-11-01",
                null,
                true,
                null),
            fact(
                "penalty#W1",
                "administrative_penalty",
                WARNED,
                "一般",
                "警告",
                null,
                "2026-02-01",
                null,
                false,
                null));
    spark.sql("INSERT INTO credit.fact VALUES " + String.join(", ", facts));
  }

  private static String fact(
      String id,
      String category,
      String subject,
      String severity,
      String penaltyKind,
      String grade,
      String decidedOn,
      String endedOn,
      boolean published,
      String repairedOn) {
    String polarity = category.equals("honour") ? "positive" : "negative";
    return "('"
        + id
        + "', '"
        + category
        + "', '类别', NULL, '"
        + polarity
        + "', 'enterprise', '"
        + subject
        + "', '企业"
        + subject.substring(10, 16)
        + "', 'uscc', 1.0, "
        + text(severity)
        + ", "
        + text(penaltyKind)
        + ", NULL, "
        + text(grade)
        + ", NULL, '依据', '部门', DATE '"
        + decidedOn
        + "', "
        + date(endedOn)
        + ", "
        + published
        + ", "
        + (published ? "DATE '" + decidedOn + "'" : "NULL")
        + ", NULL, "
        + (published ? "add_months(DATE '" + decidedOn + "', 60)" : "NULL")
        + ", '"
        + (repairedOn == null ? "none" : "repaired")
        + "', "
        + date(repairedOn)
        + ", 'test', 'test', '"
        + id
        + "', '1', current_timestamp(), NULL, NULL)";
  }

  private static String text(String value) {
    return value == null ? "NULL" : "'" + value + "'";
  }

  private static String date(String value) {
    return value == null ? "NULL" : "DATE '" + value + "'";
  }

  private static List<String> entries(String subject, LocalDate asOf) {
    return rows(
        "SELECT list_code, status FROM credit.list_entry WHERE subject_id = '"
            + subject
            + "' AND as_of = DATE '"
            + asOf
            + "' ORDER BY list_code");
  }

  private static String verdict(String subject, LocalDate asOf) {
    return rows("SELECT status, measures FROM credit.verdict WHERE subject_id = '"
            + subject
            + "' AND as_of = DATE '"
            + asOf
            + "'")
        .get(0);
  }

  private static String verdictStatus(String subject, LocalDate asOf) {
    return verdictColumn(subject, asOf, "status");
  }

  private static String verdictColumn(String subject, LocalDate asOf, String column) {
    return column("credit.verdict", subject, asOf, column);
  }

  private static String column(String table, String subject, LocalDate asOf, String column) {
    List<String> values =
        rows(
            "SELECT CAST("
                + column
                + " AS STRING) FROM "
                + table
                + " WHERE subject_id = '"
                + subject
                + "' AND as_of = DATE '"
                + asOf
                + "'");
    assertThat(values).as("%s of %s as of %s", table, subject, asOf).hasSize(1);
    String value = values.get(0);
    return value.substring(1, value.length() - 1);
  }

  private static List<String> measureCodes(String subject, LocalDate asOf) {
    return rows(
            "SELECT m.code FROM credit.verdict LATERAL VIEW explode(from_json(measures,"
                + " 'array<struct<code:string>>')) t AS m WHERE subject_id = '"
                + subject
                + "' AND as_of = DATE '"
                + asOf
                + "' ORDER BY m.code")
        .stream()
        .map(row -> row.substring(1, row.length() - 1))
        .toList();
  }

  private static String scoreAndGrade(String subject, LocalDate asOf) {
    List<String> values =
        rows(
            "SELECT score, grade FROM credit.score WHERE subject_id = '"
                + subject
                + "' AND as_of = DATE '"
                + asOf
                + "'");
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(CreditEvaluationIT::text).toList();
  }

  private static String text(Row row) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.get(i);
      values.add(value instanceof java.sql.Date date ? date.toLocalDate() : value);
    }
    return values.toString();
  }

  private static String idNumber(String first17) {
    return first17 + ResidentIdNumber.checkCharacter(first17);
  }

  private static String uscc(String organizationPrefix) {
    String first8 = "M" + organizationPrefix;
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
