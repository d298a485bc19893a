package cn.jiangyin.warehouse.credit.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.credit.evaluation.CreditEvaluationJob;
import cn.jiangyin.warehouse.credit.rule.InvalidRuleSetException;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.credit.rule.RuleSql;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publication, reproduction, backtest and feedback of credit verdicts on hand-made {@code
 * credit.fact}, {@code lib.person_role} and credit office rows ({@code
 * ods.credit_office__objection}, {@code __measure_feedback}) in a real JdbcCatalog on PostgreSQL
 * with local Spark. The tests run in order: each publication builds on the previous ones, as in
 * production.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CreditPublicationIT {
  private static final String DATABASE =
      "credit_pub_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final PersonKeys KEYS = new PersonKeys("credit-publication-it-secret-00");

  /** Serious penalty on 2026-03-02, no objection in the register that counts: restricted. */
  private static final String PENALISED = uscc("3000001");

  /** Serious penalty; objection 成立 decided 03-06: not listed. */
  private static final String OBJECTED = uscc("3000002");

  /** Serious penalty; objection 待处理: stays proposed. */
  private static final String PENDING = uscc("3000003");

  /** Serious penalty; objection 不成立 decided 03-05: listed on 03-07. */
  private static final String REJECTED = uscc("3000004");

  /** Two 较重 and one 一般 penalty: 68, grade C (warn). */
  private static final String MIXED = uscc("3000005");

  /** Only a warning: clear, until a serious penalty arrives later. */
  private static final String WARNED = uscc("3000006");

  private static final String BOSS = KEYS.key(idNumber("32028119800101123"));

  private static final LocalDate EFFECTIVE = LocalDate.of(2026, 3, 7);

  @TempDir static Path home;
  private static SparkSession spark;
  private static VerdictPublication.Publication unchanged;
  private static Instant afterUnchanged;

  @BeforeAll
  static void lake() throws SQLException {
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
    spark = SparkSessions.create(config, "credit-publication-it");
    spark.sql(
        "INSERT INTO credit.fact VALUES "
            + String.join(
                ", ",
                fact("penalty#P1", PENALISED, "严重", "吊销许可证件", "2026-03-02", true),
                fact("penalty#O1", OBJECTED, "严重", "责令停产停业", "2026-03-02", true),
                fact("penalty#Q1", PENDING, "严重", "责令停产停业", "2026-03-02", true),
                fact("penalty#R1", REJECTED, "严重", "吊销许可证件", "2026-03-02", true),
                fact("penalty#M1", MIXED, "较重", "罚款", "2025-05-01", true),
                fact("penalty#M2", MIXED, "较重", "罚款", "2025-09-01", true),
                fact("penalty#M3", MIXED, "一般", "罚款", "2025-12-01", true),
                fact("penalty#W1", WARNED, "一般", "警告", "2026-02-01", false)));
    spark.sql(
        "INSERT INTO lib.person_role VALUES ('"
            + BOSS
            + "', '法定代表人', NULL, '"
            + PENALISED
            + "', NULL, NULL, 'market_regulation.public.enterprise#1@1', current_timestamp(),"
            + " NULL)");
    spark.sql(
        "CREATE TABLE ods.credit_office__objection (id BIGINT, _position STRING,"
            + " objection_number STRING, subject_type STRING, subject_code STRING,"
            + " subject_code_key STRING, subject_name STRING, list_name STRING,"
            + " fact_department STRING, fact_number STRING, filed_on DATE, outcome STRING,"
            + " decided_on DATE) USING iceberg");
    String spoiled = PENDING.substring(0, 17) + (PENDING.endsWith("X") ? "Y" : "X");
    spark.sql(
        "INSERT INTO ods.credit_office__objection VALUES "
            + String.join(
                ", ",
                objection(1, "法人", OBJECTED, null, "严重失信主体名单", "成立", "2026-03-06"),
                objection(2, "法人", PENDING, null, "严重失信主体名单", "待处理", null),
                // as a clerk typed it: lower case, a trailing blank
                objection(
                    3, "法人", REJECTED.toLowerCase() + " ", null, "严重失信主体名单", "不成立", "2026-03-05"),
                // the court's list is not a list of the rule set: left out
                objection(4, "法人", PENALISED, null, "失信被执行人名单", "成立", "2026-03-05"),
                // an invalid USCC cannot name a subject: left out
                objection(5, "法人", spoiled, null, "严重失信主体名单", "成立", "2026-03-05"),
                objection(6, "自然人", "320281********1234", BOSS, "严重失信主体名单", "成立", "2026-03-06")));
    spark.sql(
        "CREATE TABLE ods.credit_office__measure_feedback (id BIGINT, _position STRING,"
            + " feedback_number STRING, implementing_department STRING, subject_code STRING,"
            + " subject_name STRING, measure_code STRING, measure_name STRING, action_taken"
            + " STRING, acted_on DATE) USING iceberg");
  }

  @AfterAll
  static void dropLake() throws SQLException {
    if (spark != null) {
      spark.stop();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  /** Bug caught: a rule set with errors published, or a published version silently replaced. */
  @Test
  @Order(1)
  void rulesPublishRefusesABrokenSetAndOtherContentUnderAPublishedVersion() throws IOException {
    PublishedRuleSets store = new PublishedRuleSets(spark);
    Path broken = defaultCopy("broken");
    Files.writeString(
        broken.resolve("ruleset.yaml"),
        Files.readString(broken.resolve("ruleset.yaml")) + "unknown-field: 1\n");
    assertThatThrownBy(() -> store.publish(broken))
        .isInstanceOf(InvalidRuleSetException.class)
        .hasMessageContaining("ruleset.yaml:");
    assertThat(count("credit.rule_set")).isZero();

    Path good = defaultCopy("good");
    PublishedRuleSets.Outcome first = store.publish(good);
    assertThat(first.alreadyPublished()).isFalse();
    assertThat(store.publish(good).alreadyPublished()).isTrue();

    Path edited = defaultCopy("edited");
    Files.writeString(
        edited.resolve("grades.yaml"),
        Files.readString(edited.resolve("grades.yaml"))
            .replace("min: 70", "min: 75")
            .replace("max: 69", "max: 74"));
    assertThatThrownBy(() -> store.publish(edited))
        .isInstanceOf(PublishedRuleSets.RefusedException.class)
        .hasMessageContaining("already published with other content");
    assertThat(rows("SELECT version, sha256 FROM credit.rule_set"))
        .containsExactly("[2026.11-1, " + first.published().sha256() + "]");
    // the stored files give back the same rule set
    assertThat(grades(store.inForce(EFFECTIVE).rules())).isEqualTo(grades(RuleSet.load()));
  }

  /**
   * Objections come from the credit office's register. Bug caught: 成立 / 不成立 / 待处理 mapped wrongly, a
   * person not found by person_key, a code typed in lower case lost, the court's list or an invalid
   * USCC taken for a subject.
   */
  @Test
  @Order(2)
  void objectionsAreReadFromTheCreditOfficeRegister() {
    CreditEvaluationJob job = new CreditEvaluationJob(spark);
    List<String> mapped =
        job.inViews(
            RuleSet.load(),
            EFFECTIVE,
            job.currentSnapshots(),
            inputs ->
                rows(
                    "SELECT list_code, subject_id, filed_on, decided_on, outcome FROM "
                        + RuleSql.OBJECTION_INPUT
                        + " ORDER BY subject_id"));
    assertThat(mapped)
        .containsExactlyInAnyOrder(
            "[serious_dishonesty, " + OBJECTED + ", 2026-03-04, 2026-03-06, upheld]",
            "[serious_dishonesty, " + PENDING + ", 2026-03-04, null, pending]",
            "[serious_dishonesty, " + REJECTED + ", 2026-03-04, 2026-03-05, rejected]",
            "[serious_dishonesty, " + BOSS + ", 2026-03-04, 2026-03-06, upheld]");
  }

  /**
   * Bug caught: a re-publication of unchanged verdicts rewriting export.verdict (a new snapshot,
   * new computed_at), so an incremental export would carry every row again.
   */
  @Test
  @Order(3)
  void unchangedRepublicationTouchesNoExportRow() {
    RuleSet rules = new PublishedRuleSets(spark).inForce(EFFECTIVE).rules();
    CreditEvaluationJob job = new CreditEvaluationJob(spark);
    job.run(rules, EFFECTIVE);
    VerdictPublication publication = new VerdictPublication(spark);
    VerdictPublication.Publication first = publication.publish(EFFECTIVE);
    assertThat(first.added()).isEqualTo(first.verdicts()).isPositive();
    assertThat(first.changed() + first.removed() + first.unchanged()).isZero();
    assertThat(contentOf("export.verdict"))
        .isEqualTo(contentOf("credit.verdict WHERE as_of = DATE '" + EFFECTIVE + "'"));
    long snapshot = Snapshots.current(spark, "export.verdict").orElseThrow();
    List<String> before = rows("SELECT * FROM export.verdict ORDER BY subject_id");

    job.run(rules, EFFECTIVE); // same verdicts, new computed_at
    unchanged = publication.publish(EFFECTIVE);
    afterUnchanged = Instant.now();

    assertThat(unchanged.unchanged()).isEqualTo(first.verdicts());
    assertThat(unchanged.added() + unchanged.changed() + unchanged.removed()).isZero();
    assertThat(Snapshots.current(spark, "export.verdict")).contains(snapshot);
    assertThat(rows("SELECT * FROM export.verdict ORDER BY subject_id")).isEqualTo(before);
    assertThat(count("credit.publication")).isEqualTo(2);
    // the register's objections decided the published verdicts
    assertThat(status(PENALISED)).isEqualTo("restricted");
    assertThat(status(OBJECTED)).isEqualTo("clear");
    assertThat(status(PENDING)).isEqualTo("warn");
    assertThat(status(REJECTED)).isEqualTo("restricted");
    assertThat(status(BOSS)).isEqualTo("restricted");
  }

  /** Bug caught: a published verdict that cannot be reproduced from its recorded inputs. */
  @Test
  @Order(4)
  void asOfRerunEqualsThePublishedVerdicts() {
    VerdictReplay.Outcome outcome = new VerdictReplay(spark).replay(Instant.now());
    assertThat(outcome.differences()).isEmpty();
    assertThat(outcome.publication().publicationId()).isEqualTo(unchanged.publicationId());
    assertThat(outcome.verdicts()).isEqualTo(unchanged.verdicts());
    assertThatThrownBy(() -> new VerdictReplay(spark).replay(Instant.parse("2020-01-01T00:00:00Z")))
        .isInstanceOf(VerdictReplay.NothingPublishedException.class);
  }

  /**
   * Bug caught: feedback matched on the subject only (not measure and implementing department), or
   * late feedback counted, or a measure reported before its N days have passed.
   */
  @Test
  @Order(5)
  void feedbackReportListsExactlyTheMeasuresWithoutTimelyFeedback() {
    LocalDate published =
        spark
            .sql("SELECT to_date(min(published_at)) FROM credit.publication")
            .first()
            .getDate(0)
            .toLocalDate();
    spark.sql(
        "INSERT INTO ods.credit_office__measure_feedback VALUES "
            + String.join(
                ", ",
                feedback(1, "市财政局", PENALISED, "M01", published.plusDays(10)),
                // the wrong department
                feedback(2, "市财政局", PENALISED, "M02", published.plusDays(10)),
                // too late
                feedback(3, "市市场监管局", PENALISED, "M03", published.plusDays(35)),
                feedback(4, "市发展改革委", REJECTED, "M02", published.plusDays(30))));
    FeedbackReport report = new FeedbackReport(spark);
    assertThat(report.overdue(30, published.plusDays(30))).isEmpty();
    List<String> overdue =
        report.overdue(30, published.plusDays(31)).stream()
            .map(row -> row.subjectId() + " " + row.measureCode() + " " + row.daysOverdue())
            .toList();
    assertThat(overdue)
        .containsExactlyInAnyOrder(
            PENALISED + " M02 1",
            PENALISED + " M03 1",
            PENALISED + " M04 1",
            REJECTED + " M01 1",
            REJECTED + " M03 1",
            REJECTED + " M04 1",
            BOSS + " M05 1");
  }

  /**
   * Bug caught: a backtest that publishes or writes tables, or reports subjects whose verdict does
   * not change.
   */
  @Test
  @Order(6)
  void backtestReportsTheSubjectsAThresholdChangeMovesAndWritesNothing() throws IOException {
    Path candidate = defaultCopy("candidate");
    Files.writeString(
        candidate.resolve("ruleset.yaml"),
        Files.readString(candidate.resolve("ruleset.yaml"))
            .replace("version: \"2026.11-1\"", "version: \"2026.12-candidate\""));
    Files.writeString(
        candidate.resolve("grades.yaml"),
        Files.readString(candidate.resolve("grades.yaml"))
            .replace("min: 70", "min: 65")
            .replace("max: 69", "max: 64"));
    Map<String, Optional<Long>> before = snapshots();
    Path csv = home.resolve("backtest/diff.csv");

    RuleBacktest.Summary summary =
        new RuleBacktest(spark).run(RuleSet.load(candidate), EFFECTIVE, csv);

    assertThat(snapshots()).isEqualTo(before);
    assertThat(summary.changedSubjects()).isEqualTo(1);
    assertThat(summary.kinds())
        .containsEntry("grade", 1L)
        .containsEntry("status", 1L)
        .containsEntry("measures", 0L)
        .containsEntry("lists", 0L)
        .containsEntry("added", 0L)
        .containsEntry("removed", 0L);
    byte[] bytes = Files.readAllBytes(csv);
    assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
    List<String> lines =
        List.of(new String(bytes, StandardCharsets.UTF_8).substring(1).split("\n"));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("主体类型,主体标识,主体名称,变化,原结论,新结论,原等级,新等级");
    assertThat(lines.get(1))
        .startsWith(
            "enterprise,"
                + MIXED
                + ",企业"
                + MIXED.substring(10, 16)
                + ",\"status,grade\",warn,clear,C,B,")
        .contains("信用等级 C级（一般）");
  }

  /**
   * Time travel. Bug caught: an old verdict recomputed from today's inputs (so it no longer matches
   * once new facts arrive), or a tampered published row going unnoticed.
   */
  @Test
  @Order(7)
  void earlierPublicationStillMatchesAfterNewFactsAndTamperingIsReported() {
    spark.sql(
        "INSERT INTO credit.fact VALUES "
            + fact("penalty#W2", WARNED, "严重", "吊销许可证件", "2026-03-01", true));
    RuleSet rules = new PublishedRuleSets(spark).inForce(EFFECTIVE).rules();
    new CreditEvaluationJob(spark).run(rules, EFFECTIVE);
    VerdictPublication.Publication later = new VerdictPublication(spark).publish(EFFECTIVE);
    assertThat(later.changed()).isEqualTo(1);
    assertThat(later.added() + later.removed()).isZero();
    // only the changed row is rewritten, although every input snapshot id is new
    assertThat(
            rows(
                "SELECT subject_id FROM export.verdict WHERE publication_id = '"
                    + later.publicationId()
                    + "'"))
        .containsExactly("[" + WARNED + "]");
    assertThat(status(WARNED)).isEqualTo("restricted");

    VerdictReplay replay = new VerdictReplay(spark);
    VerdictReplay.Outcome earlier = replay.replay(afterUnchanged);
    assertThat(earlier.differences()).isEmpty();
    assertThat(earlier.publication().publicationId()).isEqualTo(unchanged.publicationId());
    assertThat(replay.replay(Instant.now()).differences()).isEmpty();

    spark.sql("UPDATE export.verdict SET status = 'clear' WHERE subject_id = '" + PENALISED + "'");
    List<VerdictReplay.Difference> differences = replay.replay(Instant.now()).differences();
    assertThat(differences).hasSize(1);
    assertThat(differences.get(0).subjectId()).isEqualTo(PENALISED);
    assertThat(differences.get(0).what())
        .isEqualTo("status published clear, recomputed restricted");
    assertThat(replay.replay(afterUnchanged).differences()).isEmpty();
  }

  private static List<String> grades(RuleSet rules) {
    return rules.grades().stream()
        .map(
            grade ->
                grade.code() + " " + grade.minimum() + "–" + grade.maximum() + " " + grade.status())
        .toList();
  }

  private static Map<String, Optional<Long>> snapshots() {
    Map<String, Optional<Long>> snapshots = new TreeMap<>();
    for (String table :
        List.of(
            "credit.score",
            "credit.list_entry",
            "credit.verdict",
            "credit.publication",
            "credit.rule_set",
            "export.verdict")) {
      snapshots.put(table, Snapshots.current(spark, table));
    }
    return snapshots;
  }

  private static String status(String subject) {
    List<String> values =
        rows("SELECT status FROM export.verdict WHERE subject_id = '" + subject + "'");
    assertThat(values).as("published verdict of %s", subject).hasSize(1);
    return values.get(0).substring(1, values.get(0).length() - 1);
  }

  private static List<String> contentOf(String from) {
    return rows(
        "SELECT "
            + String.join(", ", VerdictPublication.CONTENT)
            + ", "
            + String.join(", ", VerdictPublication.BOOKKEEPING)
            + " FROM "
            + from
            + " ORDER BY subject_type, subject_id");
  }

  private static Path defaultCopy(String name) throws IOException {
    Path directory = Files.createDirectories(home.resolve("rules").resolve(name));
    for (String file : RuleSet.FILES) {
      try (InputStream stream =
          RuleSet.class.getClassLoader().getResourceAsStream(RuleSet.DEFAULT_RESOURCE + file)) {
        if (stream != null) {
          Files.write(directory.resolve(file), stream.readAllBytes());
        }
      }
    }
    return directory;
  }

  private static String fact(
      String id,
      String subject,
      String severity,
      String penaltyKind,
      String decidedOn,
      boolean published) {
    return "('"
        + id
        + "', 'administrative_penalty', '类别', NULL, 'negative', 'enterprise', '"
        + subject
        + "', '企业"
        + subject.substring(10, 16)
        + "', 'uscc', 1.0, '"
        + severity
        + "', '"
        + penaltyKind
        + "', NULL, NULL, NULL, '依据', '部门', DATE '"
        + decidedOn
        + "', NULL, "
        + published
        + ", "
        + (published ? "DATE '" + decidedOn + "'" : "NULL")
        + ", NULL, "
        + (published ? "add_months(DATE '" + decidedOn + "', 60)" : "NULL")
        + ", 'none', NULL, 'test', 'test', '"
        + id
        + "', '1', current_timestamp(), NULL, NULL)";
  }

  private static String objection(
      int id,
      String subjectType,
      String code,
      String key,
      String list,
      String outcome,
      String decidedOn) {
    return "("
        + id
        + ", '"
        + id
        + "', '澄信异〔2026〕"
        + id
        + "号', '"
        + subjectType
        + "', '"
        + code
        + "', "
        + (key == null ? "NULL" : "'" + key + "'")
        + ", '主体', '"
        + list
        + "', '综合执法局', NULL, DATE '2026-03-04', '"
        + outcome
        + "', "
        + (decidedOn == null ? "NULL" : "DATE '" + decidedOn + "'")
        + ")";
  }

  private static String feedback(
      int id, String department, String subject, String measure, LocalDate actedOn) {
    return "("
        + id
        + ", '"
        + id
        + "', 'FK"
        + id
        + "', '"
        + department
        + "', '"
        + subject
        + "', '企业', '"
        + measure
        + "', '措施', '已实施', DATE '"
        + actedOn
        + "')";
  }

  private static long count(String table) {
    return spark.table(table).count();
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(CreditPublicationIT::text).toList();
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
