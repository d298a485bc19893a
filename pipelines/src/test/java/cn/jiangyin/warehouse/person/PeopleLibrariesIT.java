package cn.jiangyin.warehouse.person;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.enterprise.EnterpriseLibraryJob;
import cn.jiangyin.warehouse.grid.GridLibraryJob;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 人员库 and 网格 on hand-made ods and restricted rows whose outcome is known in advance, in a real
 * JdbcCatalog on PostgreSQL.
 */
class PeopleLibrariesIT {
  private static final String DATABASE =
      "people_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final PersonKeys KEYS = new PersonKeys("people-libraries-it-secret-0000");

  /** Male (sequence 123 is odd), born 1985-03-17. */
  private static final String MAN = idNumber("32028119850317123");

  /** Female (sequence 046 is even), born on a leap day. */
  private static final String WOMAN = idNumber("32028119920229046");

  /** Month 13: fails the check whatever its check character. */
  private static final String INVALID = "320281199013451234";

  private static final String TOWN_1 = "320281100";
  private static final String TOWN_2 = "320281101";
  private static final String ENTERPRISE_A = uscc("1000000");
  private static final String ENTERPRISE_B = uscc("1000001");
  private static final String ENTERPRISE_C = uscc("1000002");

  @TempDir static Path home;
  private static SparkSession spark;

  @BeforeAll
  static void createLake() throws SQLException {
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
    spark = SparkSessions.create(config, "people-libraries-it");
    spark.sql("CREATE NAMESPACE IF NOT EXISTS ods");
    createOds();
  }

  @AfterAll
  static void dropLake() throws SQLException {
    if (spark != null) {
      spark.stop();
    }
    execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void personsRolesGridsAndEventsAreExactAndRerunsChangeNothing() {
    new EnterpriseLibraryJob(spark).run();
    PersonLibraryJob.Result persons = new PersonLibraryJob(spark).run();
    GridLibraryJob.Result grids = new GridLibraryJob(spark).run();
    assertThat(persons).isEqualTo(new PersonLibraryJob.Result(3, 1, 4));
    assertThat(grids).isEqualTo(new GridLibraryJob.Result(5, 3, 3));

    assertThat(
            rows(
                "SELECT person_key, masked_id, name, gender, birth_date, id_valid FROM lib.person"))
        .containsExactlyInAnyOrder(
            List.of(KEYS.key(MAN), PersonKeys.mask(MAN), "甲某", "男", LocalDate.of(1985, 3, 17), true)
                .toString(),
            List.of(
                    KEYS.key(WOMAN),
                    PersonKeys.mask(WOMAN),
                    "乙某",
                    "女",
                    LocalDate.of(1992, 2, 29),
                    true)
                .toString(),
            Arrays.asList(KEYS.key(INVALID), PersonKeys.mask(INVALID), "丙某", null, null, false)
                .toString());
    // the man is legal representative of A and shareholder of B: one person, two roles
    assertThat(
            rows(
                "SELECT person_key, role, position, enterprise_uscc, started_on, share FROM"
                    + " lib.person_role"))
        .containsExactlyInAnyOrder(
            Arrays.asList(KEYS.key(MAN), "法定代表人", null, ENTERPRISE_A, null, null).toString(),
            Arrays.asList(KEYS.key(MAN), "股东", null, ENTERPRISE_B, LocalDate.of(2020, 5, 1), 1.0)
                .toString(),
            Arrays.asList(KEYS.key(WOMAN), "高管", "监事", ENTERPRISE_A, LocalDate.of(2021, 1, 4), null)
                .toString(),
            Arrays.asList(KEYS.key(INVALID), "法定代表人", null, ENTERPRISE_B, null, null).toString());

    assertThat(rows("SELECT grid_code, grid_level, parent_code, town_code FROM lib.grid"))
        .containsExactlyInAnyOrder(
            Arrays.asList(TOWN_1 + "01", 1, null, TOWN_1).toString(),
            List.of(TOWN_1 + "01001", 2, TOWN_1 + "01", TOWN_1).toString(),
            List.of(TOWN_1 + "01002", 2, TOWN_1 + "01", TOWN_1).toString(),
            Arrays.asList(TOWN_2 + "01", 1, null, TOWN_2).toString(),
            List.of(TOWN_2 + "01001", 2, TOWN_2 + "01", TOWN_2).toString());
    assertThat(rows("SELECT event_number, hours_to_close FROM lib.grid_event"))
        .containsExactlyInAnyOrder("[WG1, 26.5]", "[WG2, null]", "[WG3, 1.5]");
    assertThat(
            rows(
                "SELECT event_number, CAST(gathered_at AS STRING), CAST(dispatched_at AS STRING)"
                    + " FROM lib.grid_event WHERE event_number = 'WG1'"))
        .containsExactly("[WG1, 2026-03-01 08:00:00, 2026-03-01 08:30:00]");
    // A is named by two events on its town's second grid; B and C by none
    assertThat(rows("SELECT uscc, grid_code, basis FROM lib.enterprise_grid"))
        .containsExactlyInAnyOrder(
            List.of(ENTERPRISE_A, TOWN_1 + "01002", GridLibraryJob.BY_EVENTS).toString(),
            List.of(ENTERPRISE_B, TOWN_2 + "01001", GridLibraryJob.BY_TOWN).toString(),
            List.of(ENTERPRISE_C, TOWN_1 + "01001", GridLibraryJob.BY_TOWN).toString());

    List<String> tables =
        List.of(
            "lib.person", "lib.person_role", "lib.grid", "lib.grid_event", "lib.enterprise_grid");
    assertThat(clearNumbersIn(tables)).isEmpty();

    Map<String, List<String>> first = contents(tables);
    new PersonLibraryJob(spark).run();
    new GridLibraryJob(spark).run();
    assertThat(contents(tables)).isEqualTo(first);
  }

  private static void createOds() {
    spark.sql(
        "CREATE TABLE ods.market_regulation__enterprise (id BIGINT, _position STRING, uscc STRING,"
            + " name STRING, entity_type STRING, legal_representative STRING,"
            + " legal_representative_id STRING, legal_representative_id_key STRING,"
            + " registered_capital DECIMAL(18,2), established_on DATE, status STRING,"
            + " industry_code STRING, town_code STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.market_regulation__enterprise VALUES"
            + enterprise(1, ENTERPRISE_A, "甲", MAN, TOWN_1)
            + ","
            + enterprise(2, ENTERPRISE_B, "丙", INVALID, TOWN_2)
            + ", (3, '0003', '"
            + ENTERPRISE_C
            + "', '江阴丁公司', '企业', NULL, NULL, NULL, 10, DATE '2019-01-01', '存续',"
            + " 'C13', '"
            + TOWN_1
            + "')");
    spark.sql(
        "CREATE TABLE ods.market_regulation__senior_manager (id BIGINT, _position STRING,"
            + " enterprise_id BIGINT, enterprise_uscc STRING, name STRING, id_number STRING,"
            + " id_number_key STRING, position STRING, appointed_on DATE) USING iceberg");
    spark.sql(
        "INSERT INTO ods.market_regulation__senior_manager VALUES (1, '0004', 1, '"
            + ENTERPRISE_A
            + "', '乙某', '"
            + PersonKeys.mask(WOMAN)
            + "', '"
            + KEYS.key(WOMAN)
            + "', '监事', DATE '2021-01-04')");
    spark.sql(
        "CREATE TABLE ods.market_regulation__shareholder (id BIGINT, _position STRING,"
            + " enterprise_id BIGINT, enterprise_uscc STRING, shareholder_type STRING,"
            + " shareholder_name STRING, shareholder_code STRING, shareholder_code_key STRING,"
            + " subscribed_capital DECIMAL(18,2), subscribed_on DATE) USING iceberg");
    // an organisation's code stays in clear and has no key: not a person
    spark.sql(
        "INSERT INTO ods.market_regulation__shareholder VALUES (1, '0005', 2, '"
            + ENTERPRISE_B
            + "', '自然人股东', '甲某', '"
            + PersonKeys.mask(MAN)
            + "', '"
            + KEYS.key(MAN)
            + "', 30, DATE '2020-05-01'), (2, '0006', 1, '"
            + ENTERPRISE_A
            + "', '企业法人', '江阴丁公司', '"
            + ENTERPRISE_C
            + "', NULL, 70, DATE '2018-01-01')");
    spark.sql(
        "INSERT INTO restricted.person_identity VALUES"
            + identity(MAN)
            + ","
            + identity(WOMAN)
            + ","
            + identity(INVALID));
    spark.sql(
        "CREATE TABLE ods.grid_center__grid (id BIGINT, _position STRING, grid_code STRING,"
            + " grid_name STRING, grid_level INT, parent_code STRING, town_code STRING,"
            + " head_name STRING, households INT) USING iceberg");
    spark.sql(
        "INSERT INTO ods.grid_center__grid VALUES"
            + grid(1, TOWN_1 + "01", 1, null, TOWN_1)
            + ","
            + grid(2, TOWN_1 + "01001", 2, TOWN_1 + "01", TOWN_1)
            + ","
            + grid(3, TOWN_1 + "01002", 2, TOWN_1 + "01", TOWN_1)
            + ","
            + grid(4, TOWN_2 + "01", 1, null, TOWN_2)
            + ","
            + grid(5, TOWN_2 + "01001", 2, TOWN_2 + "01", TOWN_2));
    spark.sql(
        "CREATE TABLE ods.grid_center__grid_event (id BIGINT, _position STRING,"
            + " event_number STRING, event_type STRING, grid_code STRING, subject_code STRING,"
            + " description STRING, reported_at TIMESTAMP, dispatched_at TIMESTAMP,"
            + " closed_at TIMESTAMP, status STRING) USING iceberg");
    spark.sql(
        "INSERT INTO ods.grid_center__grid_event VALUES"
            + event(
                1,
                TOWN_1 + "01002",
                ENTERPRISE_A,
                "2026-03-01 08:00:00",
                "2026-03-01 08:30:00",
                "2026-03-02 10:30:00")
            + ","
            + event(2, TOWN_1 + "01002", ENTERPRISE_A, "2026-03-05 09:00:00", null, null)
            + ","
            + event(
                3,
                TOWN_2 + "01001",
                null,
                "2026-03-06 23:00:00",
                "2026-03-06 23:10:00",
                "2026-03-07 00:30:00"));
  }

  private static String enterprise(
      long id, String uscc, String surname, String number, String town) {
    return "(%d, '%04d', '%s', '江阴%s公司', '企业', '%s某', '%s', '%s', 100, DATE '2015-06-01', '存续', 'C13', '%s')"
        .formatted(id, id, uscc, surname, surname, PersonKeys.mask(number), KEYS.key(number), town);
  }

  private static String identity(String number) {
    return "('%s', '%s', 'market_regulation.public.enterprise', TIMESTAMP '2026-01-01 00:00:00')"
        .formatted(KEYS.key(number), number);
  }

  private static String grid(long id, String code, int level, String parent, String town) {
    return "(%d, '%04d', '%s', '%s网格', %d, %s, '%s', '网格长', 300)"
        .formatted(id, id, code, code, level, literal(parent), town);
  }

  private static String event(
      long id, String grid, String subject, String reported, String dispatched, String closed) {
    return "(%d, '%04d', 'WG%d', '安全隐患', '%s', %s, '巡查发现', TIMESTAMP '%s', %s, %s, '处置中')"
        .formatted(
            id, id, id, grid, literal(subject), reported, timestamp(dispatched), timestamp(closed));
  }

  private static String literal(String value) {
    return value == null ? "NULL" : "'" + value + "'";
  }

  private static String timestamp(String value) {
    return value == null ? "CAST(NULL AS TIMESTAMP)" : "TIMESTAMP '" + value + "'";
  }

  private static String idNumber(String first17) {
    return first17 + ResidentIdNumber.checkCharacter(first17);
  }

  private static String uscc(String organizationPrefix) {
    String first8 = "M" + organizationPrefix;
    String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  private static List<String> rows(String sql) {
    return spark.sql(sql).collectAsList().stream().map(PeopleLibrariesIT::text).toList();
  }

  private static String text(Row row) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < row.size(); i++) {
      Object value = row.get(i);
      values.add(value instanceof java.sql.Date date ? date.toLocalDate() : value);
    }
    return values.toString();
  }

  /** Every value of every string column that holds a clear ID number of the test data. */
  private static List<String> clearNumbersIn(List<String> tables) {
    List<String> found = new ArrayList<>();
    for (String table : tables) {
      for (StructField field : spark.table(table).schema().fields()) {
        if (field.dataType().equals(DataTypes.StringType)) {
          for (Row row : spark.table(table).select(field.name()).collectAsList()) {
            String value = row.getString(0);
            for (String number : List.of(MAN, WOMAN, INVALID)) {
              if (value != null && value.contains(number)) {
                found.add(table + "." + field.name());
              }
            }
          }
        }
      }
    }
    return found;
  }

  /** Sorted rows of each table, without {@code as_of}, which is the time of the run. */
  private static Map<String, List<String>> contents(List<String> tables) {
    return tables.stream()
        .collect(
            Collectors.toMap(
                table -> table,
                table -> rows("SELECT * EXCEPT (as_of) FROM " + table).stream().sorted().toList()));
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
