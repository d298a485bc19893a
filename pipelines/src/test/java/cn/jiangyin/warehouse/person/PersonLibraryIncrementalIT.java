package cn.jiangyin.warehouse.person;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.ods.CurrentStateJob;
import cn.jiangyin.warehouse.ods.OdsChanges;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
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
 * lib.person and lib.person_role updated from the ods changes since their last run equal a full
 * rebuild on the same inputs: a legal representative replaced (the old one keeps a sighting of
 * lower priority), a manager deleted (the person goes), new shareholdings (which move the shares of
 * the enterprise's other holders), a shareholding deleted, a changed position. The ods tables are
 * built by {@link CurrentStateJob} from hand-made raw change logs.
 */
class PersonLibraryIncrementalIT {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String DATABASE =
      "person_inc_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final PersonKeys KEYS = new PersonKeys("person-incremental-it-secret-0000");
  private static final String MAN = idNumber("32028119850317123");
  private static final String WOMAN = idNumber("32028119920229046");
  private static final String THIRD = idNumber("32028119700101555");
  private static final String INVALID = "320281199013451234";
  private static final String A = "91320281MA1000000A";
  private static final String B = "91320281MA1000001B";
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
                home.resolve("lake").toString()),
            name -> "unused-by-trust-auth-0000",
            home);
    catalog = CatalogFactory.open(config);
    new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    spark = SparkSessions.create(config, "person-library-incremental-it");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS raw");
    spark.sql(
        "CREATE TABLE raw.market_regulation__enterprise (id BIGINT, uscc STRING,"
            + " legal_representative STRING, legal_representative_id STRING,"
            + " legal_representative_id_key STRING"
            + META);
    spark.sql(
        "CREATE TABLE raw.market_regulation__senior_manager (id BIGINT, enterprise_uscc STRING,"
            + " name STRING, id_number STRING, id_number_key STRING, position STRING,"
            + " appointed_on DATE"
            + META);
    spark.sql(
        "CREATE TABLE raw.market_regulation__shareholder (id BIGINT, enterprise_uscc STRING,"
            + " shareholder_name STRING, shareholder_code STRING, shareholder_code_key STRING,"
            + " subscribed_capital DECIMAL(18,2), subscribed_on DATE"
            + META);
    spark.sql(
        "INSERT INTO restricted.person_identity VALUES "
            + String.join(
                ", ", identity(MAN), identity(WOMAN), identity(THIRD), identity(INVALID)));
    append("enterprise", enterprise(1, A, "甲某", MAN, "r"), enterprise(2, B, "乙某", WOMAN, "r"));
    append(
        "senior_manager",
        manager(1, B, "甲某", MAN, "董事", "r"),
        manager(2, A, "丁某", THIRD, "监事", "r"));
    append(
        "shareholder",
        shareholder(1, A, "乙某", "'" + PersonKeys.mask(WOMAN) + "'", key(WOMAN), "60", "r"),
        shareholder(2, B, "江阴某某投资有限公司", "'" + A + "'", "NULL", "60", "r"));
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
  void anIncrementGivesWhatAFullRebuildGives() {
    currentState();
    PersonLibraryJob.Result first = new PersonLibraryJob(spark).run();
    assertThat(first).isEqualTo(new PersonLibraryJob.Result(3, 0, 5));

    append("enterprise", enterprise(2, B, "丙某", INVALID, "u"));
    append(
        "senior_manager",
        manager(2, A, "丁某", THIRD, "监事", "d"),
        manager(1, B, "甲某", MAN, "总经理", "u"));
    // B gains a holder beside the organisation; A a second holder, which halves the woman's share
    // although her own row did not change
    append(
        "shareholder",
        shareholder(3, B, "甲某", "'" + PersonKeys.mask(MAN) + "'", key(MAN), "40", "c"),
        shareholder(4, A, "甲某", "'" + PersonKeys.mask(MAN) + "'", key(MAN), "40", "c"));
    currentState();

    PersonLibraryJob.Result incremental = new PersonLibraryJob(spark).run();
    // persons: the woman (before), the invalid number (after), the man, the deleted manager;
    // roles: enterprise#2, two managers, all four shareholdings of A and B
    assertThat(incremental).isEqualTo(new PersonLibraryJob.Result(3, 1, 6, 4, 7));
    assertThat(rows("SELECT name, id_valid, lineage FROM lib.person ORDER BY name"))
        .containsExactly(
            "丙某|false|market_regulation.public.enterprise#2@p0007",
            "乙某|true|market_regulation.public.shareholder#1@p0005",
            "甲某|true|market_regulation.public.enterprise#1@p0001");
    assertThat(rows("SELECT role, position, share, lineage FROM lib.person_role ORDER BY lineage"))
        .containsExactly(
            "法定代表人|null|null|market_regulation.public.enterprise#1@p0001",
            "法定代表人|null|null|market_regulation.public.enterprise#2@p0007",
            "高管|总经理|null|market_regulation.public.senior_manager#1@p0009",
            "股东|null|0.6|market_regulation.public.shareholder#1@p0005",
            "股东|null|0.4|market_regulation.public.shareholder#3@p0010",
            "股东|null|0.4|market_regulation.public.shareholder#4@p0011");
    List<String> updated = everything();

    PersonLibraryJob.Result rebuilt = new PersonLibraryJob(spark, true).run();
    assertThat(rebuilt).isEqualTo(new PersonLibraryJob.Result(3, 1, 6));
    assertThat(everything()).isEqualTo(updated);

    assertThat(new PersonLibraryJob(spark).run())
        .isEqualTo(new PersonLibraryJob.Result(3, 1, 6, 0, 0));
    assertThat(everything()).isEqualTo(updated);

    // the second holder of A leaves: the woman holds all of A again; B's total becomes zero, so
    // its holder's share is unknown rather than a division by zero
    append(
        "shareholder",
        shareholder(4, A, "甲某", "'" + PersonKeys.mask(MAN) + "'", key(MAN), "40", "d"),
        shareholder(2, B, "江阴某某投资有限公司", "'" + A + "'", "NULL", "0", "u"),
        shareholder(3, B, "甲某", "'" + PersonKeys.mask(MAN) + "'", key(MAN), "0", "u"));
    currentState();
    assertThat(new PersonLibraryJob(spark).run())
        .isEqualTo(new PersonLibraryJob.Result(3, 1, 5, 1, 4));
    assertThat(
            rows("SELECT share, lineage FROM lib.person_role WHERE role = '股东' ORDER BY lineage"))
        .containsExactly(
            "1.0|market_regulation.public.shareholder#1@p0005",
            "null|market_regulation.public.shareholder#3@p0014");
    List<String> removed = everything();
    new PersonLibraryJob(spark, true).run();
    assertThat(everything()).isEqualTo(removed);

    // a lake from before shares: the migration added the column empty and the last run recorded
    // no share; the next run rebuilds whole rather than fill in the changed holdings only
    Map<String, String> older = new HashMap<>(new OdsChanges(spark).recorded("lib.person_role"));
    assertThat(older.remove(PersonLibraryJob.SHARES_RECORDED)).isEqualTo("true");
    OdsChanges.withSummary(older, () -> spark.sql("UPDATE lib.person_role SET share = NULL"));
    OdsChanges.withSummary(older, () -> spark.sql("UPDATE lib.person SET name = name"));
    PersonLibraryJob.Result upgraded = new PersonLibraryJob(spark).run();
    assertThat(upgraded.incremental()).isFalse();
    assertThat(everything()).isEqualTo(removed);
  }

  private static void currentState() {
    CurrentStateJob job = new CurrentStateJob(spark, catalog);
    for (String table : job.rawTables()) {
      job.run(table);
    }
  }

  private static List<String> everything() {
    List<String> all = new ArrayList<>();
    all.addAll(rows("SELECT * EXCEPT (as_of) FROM lib.person ORDER BY person_key"));
    all.addAll(rows("SELECT * EXCEPT (as_of) FROM lib.person_role ORDER BY lineage"));
    return all;
  }

  private static void append(String table, String... values) {
    spark.sql(
        "INSERT INTO raw.market_regulation__" + table + " VALUES " + String.join(", ", values));
  }

  private static String meta(String op) {
    position++;
    return ", '%s', 'p%04d', TIMESTAMP'2025-06-30 08:00:00', 'tx', TIMESTAMP'2025-06-30 08:00:01')"
        .formatted(op, position);
  }

  private static String key(String idNumber) {
    return "'" + KEYS.key(idNumber) + "'";
  }

  private static String identity(String idNumber) {
    return "(%s, '%s', 'market_regulation.enterprise', TIMESTAMP'2025-06-30 08:00:00')"
        .formatted(key(idNumber), idNumber);
  }

  private static String enterprise(long id, String uscc, String name, String idNumber, String op) {
    return "(%d, '%s', '%s', '%s', %s"
            .formatted(id, uscc, name, PersonKeys.mask(idNumber), key(idNumber))
        + meta(op);
  }

  private static String manager(
      long id, String uscc, String name, String idNumber, String title, String op) {
    return "(%d, '%s', '%s', '%s', %s, '%s', DATE'2020-01-01'"
            .formatted(id, uscc, name, PersonKeys.mask(idNumber), key(idNumber), title)
        + meta(op);
  }

  private static String shareholder(
      long id, String uscc, String name, String code, String codeKey, String capital, String op) {
    return "(%d, '%s', '%s', %s, %s, %s, DATE'2019-05-01'"
            .formatted(id, uscc, name, code, codeKey, capital)
        + meta(op);
  }

  private static String idNumber(String first17) {
    return first17 + ResidentIdNumber.checkCharacter(first17);
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(PersonLibraryIncrementalIT::line).toList();
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
