package cn.jiangyin.warehouse.credit.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.bench.CreditBenchmarkData;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.credit.publish.PublishedRuleSets;
import cn.jiangyin.warehouse.credit.publish.VerdictPublication;
import cn.jiangyin.warehouse.credit.publish.VerdictReplay;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental evaluation gives, row for row, what a fresh full evaluation of the same inputs
 * gives: after new facts appended (one of them listing an enterprise, whose legal representative
 * gets the propagated measure), after the fact table rewritten with a repair and a fact removed (as
 * the fact build does), and after a new legal-representative link. Inputs from the credit
 * benchmark's generator, small, in a real JdbcCatalog on PostgreSQL.
 */
class IncrementalEvaluationIT {
  private static final String DATABASE =
      "credit_incr_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 1);

  /** The date the shareholder rule set is evaluated as of: its rows apart from the default's. */
  private static final LocalDate SHAREHOLDER_AS_OF = LocalDate.of(2026, 11, 2);

  private static final CreditBenchmarkData.Sizes SIZES =
      new CreditBenchmarkData.Sizes(3_000, 200, 800);
  private static final List<String> TABLES =
      List.of(
          CreditEvaluationJob.LIST_ENTRY, CreditEvaluationJob.SCORE, CreditEvaluationJob.VERDICT);

  @TempDir static Path home;
  private static SparkSession spark;
  private static RuleSet rules;
  private static CreditBenchmarkData data;

  @BeforeAll
  static void generate() throws SQLException {
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
    spark = cn.jiangyin.warehouse.lake.SparkSessions.create(config, "incremental-evaluation-it");
    rules = RuleSet.load();
    data = new CreditBenchmarkData(spark, SIZES, 11, AS_OF);
    data.writeSubjects();
    data.writeFacts(0, SIZES.facts());
  }

  @AfterAll
  static void dropLake() throws SQLException {
    if (spark != null) {
      spark.stop();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  /**
   * Bug caught: subjects left out of the re-evaluation (a legal representative of a newly listed
   * enterprise without its measure), stale rows kept, windows or entries computed from a partial
   * set of facts, a rewrite of the fact table not noticed.
   */
  @Test
  void incrementalEqualsFullAfterEachKindOfChange() throws Exception {
    // narrowed to the enterprises whose list entries changed however few persons are linked
    IncrementalEvaluation incremental = new IncrementalEvaluation(spark, 0);
    IncrementalEvaluation.Outcome first = incremental.run(rules, AS_OF);
    assertThat(first.mode()).isEqualTo(IncrementalEvaluation.Mode.FULL);
    long subjects = first.verdicts();
    assertThat(incremental.run(rules, AS_OF).evaluatedSubjects()).isZero();

    // 1. appended facts, one of them a serious penalty listing an enterprise not listed before
    String enterprise = unlistedEnterpriseWithLegalRepresentative();
    String person = legalRepresentative(enterprise);
    assertThat(measures(person)).doesNotContain("M05");
    data.writeFacts(SIZES.facts(), SIZES.facts() + 30);
    spark.sql(
        "INSERT INTO credit.fact SELECT 'it.penalty#LISTED', 'administrative_penalty', '行政处罚',"
            + " NULL, 'negative', 'enterprise', '"
            + enterprise
            + "', '新列入企业', 'uscc', 1.0D, '严重', '吊销许可证件', 50000, NULL, NULL, '依据',"
            + " '部门', DATE '2026-09-01', NULL, true, DATE '2026-09-01', DATE '2027-09-01', DATE"
            + " '2029-09-01', 'none', NULL, 'it', 'penalty', 'LISTED', '1', current_timestamp(),"
            + " '江阴罚〔2026〕1号', NULL");
    IncrementalEvaluation.Outcome appended = incremental.run(rules, AS_OF);
    assertThat(appended.mode()).isEqualTo(IncrementalEvaluation.Mode.INCREMENTAL);
    assertThat(appended.evaluatedSubjects()).isPositive().isLessThan(subjects / 2);
    assertThat(measures(enterprise)).contains("M01");
    assertThat(measures(person)).contains("M05");
    assertThat(reasons(person)).contains(enterprise, "法定代表人");
    assertSameAsFull();

    // 1b. a minor penalty of an enterprise leaves its list entries as they were: its legal
    // representative's rows cannot change and are not re-evaluated
    String fined = unlistedEnterpriseWithLegalRepresentative();
    String finedRepresentative = legalRepresentative(fined);
    spark.sql(
        "INSERT INTO credit.fact SELECT 'it.penalty#FINED', 'administrative_penalty', '行政处罚',"
            + " NULL, 'negative', 'enterprise', '"
            + fined
            + "', '罚款企业', 'uscc', 1.0D, '一般', '罚款', 2000, NULL, NULL, '依据', '部门',"
            + " DATE '2026-09-01', NULL, true, DATE '2026-09-01', DATE '2026-12-01', DATE"
            + " '2027-09-01', 'none', NULL, 'it', 'penalty', 'FINED', '1', current_timestamp(),"
            + " '江阴罚〔2026〕3号', NULL");
    String representativeVerdict = verdictRow(finedRepresentative);
    IncrementalEvaluation.Outcome fine = incremental.run(rules, AS_OF);
    assertThat(fine.changedSubjects()).isEqualTo(1);
    assertThat(fine.evaluatedSubjects()).isEqualTo(1);
    assertThat(measures(fined)).doesNotContain("M01");
    assertThat(verdictRow(finedRepresentative)).isEqualTo(representativeVerdict);
    assertSameAsFull();
    // with the default threshold, so few linked persons are re-evaluated without the first pass
    spark.sql(
        "INSERT INTO credit.fact SELECT 'it.penalty#FINED2', 'administrative_penalty', '行政处罚',"
            + " NULL, 'negative', 'enterprise', '"
            + fined
            + "', '罚款企业', 'uscc', 1.0D, '一般', '罚款', 1000, NULL, NULL, '依据', '部门',"
            + " DATE '2026-09-02', NULL, true, DATE '2026-09-02', DATE '2026-12-02', DATE"
            + " '2027-09-02', 'none', NULL, 'it', 'penalty', 'FINED2', '1', current_timestamp(),"
            + " '江阴罚〔2026〕4号', NULL");
    IncrementalEvaluation.Outcome fineAgain = new IncrementalEvaluation(spark).run(rules, AS_OF);
    assertThat(fineAgain.changedSubjects()).isEqualTo(1);
    assertThat(fineAgain.evaluatedSubjects()).isGreaterThan(1);
    assertSameAsFull();

    // 2. the fact table rewritten (as the fact build does): the penalty repaired, a fact gone
    String gone = spark.sql("SELECT min(fact_id) FROM credit.fact").first().getString(0);
    spark
        .table("credit.fact")
        .where(functions.col("fact_id").notEqual(gone))
        .withColumn(
            "repair_status",
            functions
                .when(functions.col("fact_id").equalTo("it.penalty#LISTED"), "repaired")
                .otherwise(functions.col("repair_status")))
        .withColumn(
            "repaired_on",
            functions
                .when(
                    functions.col("fact_id").equalTo("it.penalty#LISTED"),
                    functions.to_date(functions.lit("2026-10-01")))
                .otherwise(functions.col("repaired_on")))
        .withColumn("as_of", functions.current_timestamp())
        .localCheckpoint()
        .writeTo("credit.fact")
        .overwrite(functions.lit(true));
    IncrementalEvaluation.Outcome rewritten = incremental.run(rules, AS_OF);
    assertThat(rewritten.mode()).isEqualTo(IncrementalEvaluation.Mode.INCREMENTAL);
    assertThat(rewritten.changedSubjects()).isEqualTo(2);
    assertThat(measures(person)).doesNotContain("M05");
    assertSameAsFull();

    // 3. a new link: a person becomes legal representative of a listed enterprise
    String listed =
        spark
            .sql(
                "SELECT min(subject_id) FROM credit.list_entry WHERE status = 'effective' AND"
                    + " list_code = 'serious_dishonesty' AND as_of = DATE '"
                    + AS_OF
                    + "'")
            .first()
            .getString(0);
    assertThat(listed).isNotNull();
    String newcomer =
        spark
            .sql(
                "SELECT min(person_key) FROM lib.person WHERE person_key NOT IN (SELECT"
                    + " person_key FROM lib.person_role)")
            .first()
            .getString(0);
    spark.sql(
        "INSERT INTO lib.person_role VALUES ('"
            + newcomer
            + "', '法定代表人', NULL, '"
            + listed
            + "', NULL, NULL, 'it', current_timestamp(), NULL)");
    IncrementalEvaluation.Outcome linked = incremental.run(rules, AS_OF);
    assertThat(linked.mode()).isEqualTo(IncrementalEvaluation.Mode.INCREMENTAL);
    assertThat(measures(newcomer)).contains("M05");
    assertSameAsFull();

    // the published verdicts of an incremental evaluation are reproduced from what it recorded
    new PublishedRuleSets(spark).publishDefault();
    data.writeFacts(SIZES.facts() + 30, SIZES.facts() + 60);
    assertThat(incremental.run(rules, AS_OF).mode())
        .isEqualTo(IncrementalEvaluation.Mode.INCREMENTAL);
    new VerdictPublication(spark).publish(AS_OF);
    VerdictReplay.Outcome replay = new VerdictReplay(spark).replay(Instant.now());
    assertThat(replay.differences()).isEmpty();
    assertThat(replay.verdicts()).isGreaterThanOrEqualTo(subjects);

    // 4. a run that only removes rows (a lone person's only fact withdrawn) records its inputs all
    // the same: a replay of what it published does not bring the removed verdict back
    String lone =
        spark
            .sql(
                "SELECT min(person_key) FROM lib.person WHERE person_key NOT IN (SELECT person_key"
                    + " FROM lib.person_role) AND person_key NOT IN (SELECT subject_id FROM"
                    + " credit.fact)")
            .first()
            .getString(0);
    spark.sql(
        "INSERT INTO credit.fact SELECT 'it.penalty#LONE', 'administrative_penalty', '行政处罚',"
            + " NULL, 'negative', 'person', '"
            + lone
            + "', NULL, 'person_key', 1.0D, '一般', '罚款', 2000, NULL, NULL, '依据', '部门', DATE"
            + " '2026-09-01', NULL, true, DATE '2026-09-01', DATE '2026-12-01', DATE '2027-09-01',"
            + " 'none', NULL, 'it', 'penalty', 'LONE', '1', current_timestamp(), '江阴罚〔2026〕2号',"
            + " NULL");
    assertThat(incremental.run(rules, AS_OF).evaluatedSubjects()).isEqualTo(1);
    assertThat(verdicts(lone)).isEqualTo(1);
    new VerdictPublication(spark).publish(AS_OF);
    spark.sql("DELETE FROM credit.fact WHERE fact_id = 'it.penalty#LONE'");
    IncrementalEvaluation.Outcome removed = incremental.run(rules, AS_OF);
    assertThat(removed.mode()).isEqualTo(IncrementalEvaluation.Mode.INCREMENTAL);
    assertThat(List.of(removed.scores(), removed.listEntries(), removed.verdicts()))
        .containsOnly(0L);
    assertThat(verdicts(lone)).isZero();
    VerdictPublication.Publication withdrawn = new VerdictPublication(spark).publish(AS_OF);
    assertThat(withdrawn.removed()).isEqualTo(1);
    assertThat(withdrawn.inputSnapshots())
        .isEqualTo(CreditEvaluationJob.json(removed.inputSnapshots()));
    assertThat(new VerdictReplay(spark).replay(Instant.now()).differences()).isEmpty();
    // and the next run starts from the removing run's inputs: nothing left to do
    assertThat(incremental.run(rules, AS_OF).why()).isEqualTo("inputs unchanged");
    assertSameAsFull();
  }

  /** The subject's verdict row of {@link #AS_OF} as text, computed_at included. */
  private static String verdictRow(String subject) {
    return spark
        .sql(
            "SELECT * FROM credit.verdict WHERE subject_id = '"
                + subject
                + "' AND as_of = DATE '"
                + AS_OF
                + "'")
        .collectAsList()
        .toString();
  }

  private static long verdicts(String subject) {
    return spark
        .sql(
            "SELECT count(*) FROM credit.verdict WHERE subject_id = '"
                + subject
                + "' AND as_of = DATE '"
                + AS_OF
                + "'")
        .first()
        .getLong(0);
  }

  /**
   * 关联惩戒 to major shareholders (a rule set propagating M05 to 股东 holding at least half): the holder
   * of half an enterprise on the serious-dishonesty list gets it with the link and the share as
   * reason, one of a tenth does not, two shareholdings of one person are added up; after the shares
   * change, the incremental evaluation moves the measure and equals a full one. Bug caught:
   * min-share ignored or compared per shareholding, a changed share not re-evaluated.
   */
  @Test
  void majorShareholdersOfAListedEnterpriseGetThePropagatedMeasure(@TempDir Path directory)
      throws Exception {
    RuleSet shareholderRules = shareholderRules(directory);
    IncrementalEvaluation incremental = new IncrementalEvaluation(spark);
    assertThat(incremental.run(shareholderRules, SHAREHOLDER_AS_OF).mode())
        .isEqualTo(IncrementalEvaluation.Mode.FULL);
    // the generated holders: those of at least half of a listed enterprise are restricted
    assertThat(
            spark
                .sql(
                    "SELECT count(*) FROM credit.verdict WHERE as_of = DATE '"
                        + SHAREHOLDER_AS_OF
                        + "' AND reasons LIKE '%的股东（持股 %'")
                .first()
                .getLong(0))
        .isPositive();
    List<String> listed =
        spark
            .sql(
                "SELECT DISTINCT subject_id FROM credit.list_entry WHERE status = 'effective' AND"
                    + " list_code = 'serious_dishonesty' AND subject_type = 'enterprise' AND"
                    + " as_of = DATE '"
                    + SHAREHOLDER_AS_OF
                    + "' ORDER BY subject_id LIMIT 2")
            .collectAsList()
            .stream()
            .map(row -> row.getString(0))
            .toList();
    assertThat(listed).hasSize(2);
    List<String> persons =
        spark
            .sql(
                "SELECT person_key FROM lib.person WHERE person_key NOT IN (SELECT person_key FROM"
                    + " lib.person_role) AND person_key NOT IN (SELECT subject_id FROM"
                    + " credit.fact) ORDER BY person_key DESC LIMIT 3")
            .collectAsList()
            .stream()
            .map(row -> row.getString(0))
            .toList();
    String major = persons.get(0);
    String minor = persons.get(1);
    String twice = persons.get(2);
    spark.sql(
        "INSERT INTO lib.person_role VALUES "
            + shareholding(major, listed.get(0), "it#major", 0.5)
            + ", "
            + shareholding(minor, listed.get(0), "it#minor", 0.1)
            + ", "
            + shareholding(twice, listed.get(1), "it#twice-1", 0.3)
            + ", "
            + shareholding(twice, listed.get(1), "it#twice-2", 0.3));
    IncrementalEvaluation.Outcome linked = incremental.run(shareholderRules, SHAREHOLDER_AS_OF);
    assertThat(linked.mode()).isEqualTo(IncrementalEvaluation.Mode.INCREMENTAL);
    assertThat(measures(major, SHAREHOLDER_AS_OF)).containsExactly("M05");
    assertThat(reasons(major, SHAREHOLDER_AS_OF)).contains(listed.get(0), "的股东（持股 50%）");
    assertThat(measures(minor, SHAREHOLDER_AS_OF)).isEmpty();
    assertThat(measures(twice, SHAREHOLDER_AS_OF)).containsExactly("M05");
    assertThat(reasons(twice, SHAREHOLDER_AS_OF)).contains(listed.get(1), "的股东（持股 60%）");
    assertSameAsFull(shareholderRules, SHAREHOLDER_AS_OF);

    // the shareholding changes hands (the person library rewrites both rows' shares)
    spark.sql(
        "UPDATE lib.person_role SET share = CASE lineage WHEN 'it#major' THEN 0.1 ELSE 0.5 END"
            + " WHERE lineage IN ('it#major', 'it#minor')");
    IncrementalEvaluation.Outcome moved = incremental.run(shareholderRules, SHAREHOLDER_AS_OF);
    assertThat(moved.mode()).isEqualTo(IncrementalEvaluation.Mode.INCREMENTAL);
    assertThat(moved.changedSubjects()).isEqualTo(2);
    assertThat(measures(major, SHAREHOLDER_AS_OF)).isEmpty();
    assertThat(measures(minor, SHAREHOLDER_AS_OF)).containsExactly("M05");
    assertThat(reasons(minor, SHAREHOLDER_AS_OF)).contains(listed.get(0), "的股东（持股 50%）");
    assertSameAsFull(shareholderRules, SHAREHOLDER_AS_OF);
  }

  /** The default rule set, under another version, propagating M05 to 股东 with min-share 0.5. */
  private static RuleSet shareholderRules(Path directory) throws java.io.IOException {
    for (String file : RuleSet.FILES) {
      try (java.io.InputStream stream =
          IncrementalEvaluationIT.class
              .getClassLoader()
              .getResourceAsStream(RuleSet.DEFAULT_RESOURCE + file)) {
        java.nio.file.Files.write(directory.resolve(file), stream.readAllBytes());
      }
    }
    Path ruleset = directory.resolve("ruleset.yaml");
    java.nio.file.Files.writeString(
        ruleset,
        java.nio.file.Files.readString(ruleset).replace("\"2026.11-1\"", "\"2026.11-1-股东\""));
    Path measures = directory.resolve("measures.yaml");
    java.nio.file.Files.writeString(
        measures,
        java.nio.file.Files.readString(measures)
            + "  - role: 股东\n"
            + "    min-share: 0.5\n"
            + "    lists: [serious_dishonesty]\n"
            + "    measures: [M05]\n"
            + "    basis: 测试用规则（非默认规则）\n");
    RuleSet loaded = RuleSet.load(directory);
    assertThat(loaded.version()).isEqualTo("2026.11-1-股东");
    return loaded;
  }

  private static String shareholding(
      String person, String enterprise, String lineage, double share) {
    return "('%s', '股东', NULL, '%s', NULL, NULL, '%s', current_timestamp(), %s)"
        .formatted(person, enterprise, lineage, share);
  }

  /** The three tables as the incremental runs left them equal those of a fresh full evaluation. */
  private static void assertSameAsFull() {
    assertSameAsFull(rules, AS_OF);
  }

  private static void assertSameAsFull(RuleSet evaluated, LocalDate asOf) {
    List<List<String>> afterIncremental =
        TABLES.stream().map(table -> content(table, asOf)).toList();
    new CreditEvaluationJob(spark).run(evaluated, asOf);
    List<List<String>> afterFull = TABLES.stream().map(table -> content(table, asOf)).toList();
    for (int i = 0; i < TABLES.size(); i++) {
      assertThat(afterIncremental.get(i)).as(TABLES.get(i)).isNotEmpty();
      assertThat(afterIncremental.get(i)).as(TABLES.get(i)).isEqualTo(afterFull.get(i));
    }
  }

  /** A table's rows of the as-of date, without input_snapshots and computed_at, sorted. */
  private static List<String> content(String table, LocalDate asOf) {
    String columns =
        Arrays.stream(spark.table(table).columns())
            .filter(c -> !c.equals("input_snapshots") && !c.equals("computed_at"))
            .collect(Collectors.joining(", "));
    return spark
        .sql("SELECT " + columns + " FROM " + table + " WHERE as_of = DATE '" + asOf + "'")
        .collectAsList()
        .stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }

  private static String unlistedEnterpriseWithLegalRepresentative() {
    return spark
        .sql(
            "SELECT min(r.enterprise_uscc) FROM lib.person_role r WHERE r.role = '法定代表人' AND"
                + " r.enterprise_uscc NOT IN (SELECT subject_id FROM credit.list_entry) AND"
                + " r.person_key NOT IN (SELECT subject_id FROM credit.verdict WHERE measures LIKE"
                + " '%M05%')")
        .first()
        .getString(0);
  }

  private static String legalRepresentative(String enterprise) {
    return spark
        .sql(
            "SELECT person_key FROM lib.person_role WHERE role = '法定代表人' AND enterprise_uscc = '"
                + enterprise
                + "'")
        .first()
        .getString(0);
  }

  private static List<String> measures(String subject) {
    return measures(subject, AS_OF);
  }

  private static List<String> measures(String subject, LocalDate asOf) {
    List<String> codes = new ArrayList<>();
    for (Row row :
        spark
            .sql(
                "SELECT m.code FROM credit.verdict LATERAL VIEW explode(from_json(measures,"
                    + " 'array<struct<code:string>>')) t AS m WHERE subject_id = '"
                    + subject
                    + "' AND as_of = DATE '"
                    + asOf
                    + "'")
            .collectAsList()) {
      codes.add(row.getString(0));
    }
    return codes;
  }

  private static String reasons(String subject) {
    return reasons(subject, AS_OF);
  }

  private static String reasons(String subject, LocalDate asOf) {
    List<Row> rows =
        spark
            .sql(
                "SELECT reasons FROM credit.verdict WHERE subject_id = '"
                    + subject
                    + "' AND as_of = DATE '"
                    + asOf
                    + "'")
            .collectAsList();
    return rows.isEmpty() ? "" : rows.get(0).getString(0);
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
