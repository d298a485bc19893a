package cn.jiangyin.warehouse.enterprise;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.ods.CurrentStateJob;
import cn.jiangyin.warehouse.ods.OdsChanges;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.RegistrationNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
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
 * lib.enterprise, lib.enterprise_attribute and lib.enterprise_reference updated from the ods
 * changes since their last run equal a full build on the same inputs, after each of: a departmental
 * row's code changed (its reference moves to another enterprise), a register name change that makes
 * a name ambiguous (a name-matched reference becomes unmatched, and a grade filed under the old
 * name loses its enterprise) and back, a new register row (a reference under its code, unmatched
 * before, finds it), a deleted register row, an attribute source row changed, deleted departmental
 * rows. After each increment a full build changes no row. The ods tables are built by {@link
 * CurrentStateJob} from hand-made raw change logs.
 */
class EnterpriseLibraryIncrementalIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String DATABASE =
      "enterprise_inc_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String A = uscc("2000010");
  private static final String B = uscc("2000011");
  private static final String C = uscc("2000012");
  private static final String D = uscc("2000013");
  private static final String A_REGISTRATION = registrationNumber("32028100022345");
  private static final String B_NAME = "江阴乙科技有限公司";

  /** Normalises like B's name: a register row renamed so makes B's name ambiguous. */
  private static final String B_LOOKALIKE = "江阴乙科技有限责任公司";

  private static final String C_NAME = "江阴丙贸易有限公司";
  private static final String C_ORGANIZATION_HYPHEN = C.substring(8, 16) + "-" + C.charAt(16);
  private static final String META =
      ", _op STRING, _position STRING, _source_ts TIMESTAMP,"
          + " _tx_id STRING, _ingested_at TIMESTAMP) USING iceberg"
          + " TBLPROPERTIES ('jiangyin.primary-key' = 'id', 'format-version' = '2')";

  @TempDir static Path home;
  private static JdbcCatalog catalog;
  private static SparkSession spark;
  private static int position;

  @BeforeAll
  static void setUp() throws SQLException {
    execute("CREATE DATABASE " + DATABASE);
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                POSTGRES + DATABASE,
                "catalog.user",
                "postgres",
                "lake.location",
                home.resolve("lake").toString(),
                "spark.master",
                "local[2]"),
            name -> "unused-by-trust-auth-0000",
            home);
    catalog = CatalogFactory.open(config);
    new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    spark = SparkSessions.create(config, "enterprise-library-incremental-it");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS raw");
    spark.sql(
        "CREATE TABLE raw.market_regulation__enterprise (id BIGINT, uscc STRING, name STRING,"
            + " registration_number STRING, status STRING, industry_code STRING"
            + META);
    spark.sql(
        "CREATE TABLE raw.comprehensive_enforcement__penalty_decision (id BIGINT,"
            + " subject_code STRING, subject_name STRING, subject_type STRING"
            + META);
    spark.sql(
        "CREATE TABLE raw.taxation__tax_credit_grade (id BIGINT, taxpayer_code STRING,"
            + " taxpayer_name STRING, grade STRING, assessment_year INT"
            + META);
    append(
        "market_regulation__enterprise",
        register(1, A, "江阴甲机械有限公司", A_REGISTRATION, "c"),
        register(2, B, B_NAME, null, "c"),
        register(3, C, C_NAME, null, "c"),
        register(4, "91320281XXXXXXXXXX", "江阴无效代码有限公司", null, "c"));
    append(
        "comprehensive_enforcement__penalty_decision",
        penalty(1, A, "江阴甲机械有限公司", "c"),
        penalty(2, "", B_NAME, "c"),
        penalty(3, A_REGISTRATION, null, "c"),
        penalty(4, B, "江阴乙科技有限公司", "c"));
    append(
        "taxation__tax_credit_grade",
        grade(1, C_ORGANIZATION_HYPHEN, C_NAME, "A", 2023, "c"),
        grade(2, null, C_NAME, "B", 2024, "c"),
        grade(3, B, B_NAME, "M", 2024, "c"),
        // D is not registered yet: unmatched, and its valid code is not replaced by a name guess
        grade(4, D, "江阴丁电子有限公司", "A", 2024, "c"));
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    if (catalog != null) {
      catalog.close();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void anIncrementGivesWhatAFullBuildGives() {
    currentState();
    EnterpriseLibraryJob.Result first = new EnterpriseLibraryJob(spark).run();
    assertThat(first.incremental()).isFalse();
    assertThat(first.accepted()).isEqualTo(3);
    assertThat(first.rejected()).isEqualTo(1);
    assertThat(first.references()).isEqualTo(8);
    assertThat(reference("penalty_decision", 2)).isEqualTo(B + "|name_exact");
    assertThat(grade(C)).isEqualTo("B|2024");

    // nothing changed: incremental, nothing recomputed, nothing committed
    long snapshots = snapshots();
    EnterpriseLibraryJob.Result idle = new EnterpriseLibraryJob(spark).run();
    assertThat(idle.incremental()).isTrue();
    assertThat(idle.changedRows()).isZero();
    assertThat(idle.affectedReferences()).isZero();
    assertThat(snapshots()).isEqualTo(snapshots);

    // a departmental row's code changed: the penalty moves from A to B
    append("comprehensive_enforcement__penalty_decision", penalty(1, B, "江阴乙科技有限公司", "u"));
    EnterpriseLibraryJob.Result moved = step();
    assertThat(moved.affectedReferences()).isEqualTo(1);
    assertThat(moved.affectedEnterprises()).isEqualTo(2);
    assertThat(reference("penalty_decision", 1)).isEqualTo(B + "|uscc");

    // C renamed like B: B's name is no longer unique, the penalty filed under it is unmatched; the
    // 2024 grade filed under C's old name loses C, which keeps the 2023 grade of its legacy code
    append("market_regulation__enterprise", register(3, C, B_LOOKALIKE, null, "u"));
    EnterpriseLibraryJob.Result ambiguous = step();
    assertThat(reference("penalty_decision", 2)).isEqualTo("null|unmatched");
    assertThat(reference("tax_credit_grade", 2)).isEqualTo("null|unmatched");
    assertThat(grade(C)).isEqualTo("A|2023");
    assertThat(rows("SELECT name FROM lib.enterprise WHERE uscc = '" + C + "'"))
        .containsExactly(B_LOOKALIKE);
    assertThat(ambiguous.affectedReferences()).isGreaterThanOrEqualTo(2);

    // and back
    append("market_regulation__enterprise", register(3, C, C_NAME, null, "u"));
    step();
    assertThat(reference("penalty_decision", 2)).isEqualTo(B + "|name_exact");
    assertThat(reference("tax_credit_grade", 2)).isEqualTo(C + "|name_exact");
    assertThat(grade(C)).isEqualTo("B|2024");

    // D registered: the grade filed under its code finds it
    append("market_regulation__enterprise", register(5, D, "江阴丁电子有限公司", null, "c"));
    EnterpriseLibraryJob.Result registered = step();
    assertThat(registered.accepted()).isEqualTo(4);
    assertThat(reference("tax_credit_grade", 4)).isEqualTo(D + "|uscc");
    assertThat(grade(D)).isEqualTo("A|2024");

    // B's register row deleted: B goes, its references are unmatched
    append("market_regulation__enterprise", register(2, B, B_NAME, null, "d"));
    EnterpriseLibraryJob.Result deregistered = step();
    assertThat(deregistered.accepted()).isEqualTo(3);
    assertThat(rows("SELECT count(*) FROM lib.enterprise WHERE uscc = '" + B + "'"))
        .containsExactly("0");
    assertThat(rows("SELECT count(*) FROM lib.enterprise_attribute WHERE uscc = '" + B + "'"))
        .containsExactly("0");
    assertThat(reference("penalty_decision", 1)).isEqualTo("null|unmatched");
    assertThat(reference("tax_credit_grade", 3)).isEqualTo("null|unmatched");

    // an attribute's source row changed: C's 2023 grade re-assessed as 2025 C, now the newest
    append("taxation__tax_credit_grade", grade(1, C_ORGANIZATION_HYPHEN, C_NAME, "C", 2025, "u"));
    step();
    assertThat(grade(C)).isEqualTo("C|2025");

    // departmental rows deleted: their references go, and C's grade falls back to 2024
    append("taxation__tax_credit_grade", grade(1, C_ORGANIZATION_HYPHEN, C_NAME, "C", 2025, "d"));
    append("comprehensive_enforcement__penalty_decision", penalty(3, A_REGISTRATION, null, "d"));
    EnterpriseLibraryJob.Result deleted = step();
    assertThat(deleted.references()).isEqualTo(6);
    assertThat(reference("penalty_decision", 3)).isEqualTo("none");
    assertThat(grade(C)).isEqualTo("B|2024");

    // a run interrupted after the references: the tables record different runs, the next builds
    // whole (and records the same run in all three again)
    Map<String, String> other =
        new HashMap<>(new OdsChanges(spark).recorded("lib.enterprise_reference"));
    other.put(EnterpriseLibraryJob.CONFIGURATION, "interrupted");
    OdsChanges.withSummary(
        other,
        () ->
            spark.sql(
                "UPDATE lib.enterprise_reference SET match_method = match_method"
                    + " WHERE source_key = '2'"));
    List<String> before = everything();
    EnterpriseLibraryJob.Result recovered = new EnterpriseLibraryJob(spark).run();
    assertThat(recovered.incremental()).isFalse();
    assertThat(everything()).isEqualTo(before);
    assertThat(new EnterpriseLibraryJob(spark).run().incremental()).isTrue();
  }

  /**
   * Builds ods, runs the job incrementally, then a full build: the full build changes no row and
   * leaves the same three tables and rejects.
   */
  private static EnterpriseLibraryJob.Result step() {
    currentState();
    EnterpriseLibraryJob.Result incremental = new EnterpriseLibraryJob(spark).run();
    assertThat(incremental.incremental()).isTrue();
    assertThat(incremental.changedRows()).isPositive();
    List<String> updated = everything();
    EnterpriseLibraryJob.Result rebuilt = new EnterpriseLibraryJob(spark, true).run();
    assertThat(rebuilt.incremental()).isFalse();
    assertThat(everything()).isEqualTo(updated);
    assertThat(rebuilt.changedRows()).isZero();
    assertThat(rebuilt.read()).isEqualTo(incremental.read());
    assertThat(rebuilt.rejected()).isEqualTo(incremental.rejected());
    assertThat(rebuilt.unmatchedReferences()).isEqualTo(incremental.unmatchedReferences());
    return incremental;
  }

  private static long snapshots() {
    long count = 0;
    for (String table :
        List.of("lib.enterprise", "lib.enterprise_attribute", "lib.enterprise_reference")) {
      count += spark.sql("SELECT count(*) FROM " + table + ".snapshots").first().getLong(0);
    }
    return count;
  }

  private static String reference(String table, long key) {
    List<String> found =
        rows(
            "SELECT uscc, match_method FROM lib.enterprise_reference WHERE source_table = '"
                + table
                + "' AND source_key = '"
                + key
                + "'");
    return found.isEmpty() ? "none" : String.join(", ", found);
  }

  private static String grade(String uscc) {
    return String.join(
        ", ",
        rows(
            "SELECT tax_credit_grade, tax_credit_year FROM lib.enterprise WHERE uscc = '"
                + uscc
                + "'"));
  }

  private static void currentState() {
    CurrentStateJob job = new CurrentStateJob(spark, catalog);
    for (String table : job.rawTables()) {
      job.run(table);
    }
  }

  private static List<String> everything() {
    List<String> all = new ArrayList<>();
    all.addAll(rows("SELECT * EXCEPT (as_of) FROM lib.enterprise ORDER BY uscc"));
    all.addAll(
        rows("SELECT * EXCEPT (as_of) FROM lib.enterprise_attribute ORDER BY uscc, attribute"));
    all.addAll(
        rows(
            "SELECT * EXCEPT (as_of) FROM lib.enterprise_reference"
                + " ORDER BY source, source_table, source_key"));
    all.addAll(
        rows(
            "SELECT source_table, record_key, reason, detail FROM quality.rejected_record"
                + " WHERE job = 'lib.enterprise' ORDER BY record_key"));
    return all;
  }

  private static void append(String table, String... values) {
    spark.sql("INSERT INTO raw." + table + " VALUES " + String.join(", ", values));
  }

  private static String meta(String op) {
    position++;
    return ", '%s', 'p%04d', TIMESTAMP'2025-06-30 08:00:00', 'tx', TIMESTAMP'2025-06-30 08:00:01')"
        .formatted(op, position);
  }

  private static String register(
      long id, String uscc, String name, String registration, String op) {
    return "(%d, '%s', '%s', %s, '存续', 'C3411'".formatted(id, uscc, name, literal(registration))
        + meta(op);
  }

  private static String penalty(long id, String code, String name, String op) {
    return "(%d, %s, %s, '法人'".formatted(id, literal(code), literal(name)) + meta(op);
  }

  private static String grade(
      long id, String code, String name, String grade, int year, String op) {
    return "(%d, %s, %s, '%s', %d".formatted(id, literal(code), literal(name), grade, year)
        + meta(op);
  }

  private static String literal(String value) {
    return value == null ? "NULL" : "'" + value + "'";
  }

  private static String uscc(String organizationPrefix) {
    String first8 = "M" + organizationPrefix;
    String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  private static String registrationNumber(String first14) {
    return first14 + RegistrationNumber.checkDigit(first14);
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream()
        .map(EnterpriseLibraryIncrementalIT::line)
        .toList();
  }

  private static String line(Row row) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      text.append(i == 0 ? "" : "|").append(row.isNullAt(i) ? "null" : row.get(i).toString());
    }
    return text.toString();
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(POSTGRES + "postgres", "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
