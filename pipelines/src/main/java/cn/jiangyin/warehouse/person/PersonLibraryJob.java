package cn.jiangyin.warehouse.person;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.ods.OdsChanges;
import cn.jiangyin.warehouse.standard.Gender;
import cn.jiangyin.warehouse.standard.InvalidCodeException;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 人员库 — builds {@code lib.person} and {@code lib.person_role} from the personal columns of the
 * market regulator's register (法定代表人, 高管 and natural-person 股东).
 *
 * <p>Persons are keyed by person_key, the HMAC of the normalised ID number, which capture puts next
 * to every masked number. Gender and birth date are derived from the clear number, read from {@code
 * restricted.person_identity} inside this job only: the clear number goes into the derivation and
 * nowhere else. A number that fails the GB 11643 check gives {@code id_valid = false} and no
 * derived values; so does a person_key without an identity row.
 *
 * <p>Shareholders that are organisations carry no person_key (their code is a USCC, left in clear
 * by capture) and are not persons here; their subscribed capital still counts in the total that a
 * 股东 row's {@code share} (持股比例) is a part of. The share is null for other roles and where the
 * enterprise's total is zero or unknown.
 *
 * <p>Incremental ({@link OdsChanges}): both tables record the ods snapshots they were built from;
 * the next run recomputes the role rows of the changed source rows (a role row is one source row,
 * keyed by the source table and id in its lineage) and the persons any changed row named before or
 * after the change, and MERGEs them in; a changed shareholding recomputes every shareholding of its
 * enterprise (before and after the change), whose shares it moves. Rebuilt whole on the first run,
 * when asked ({@code full}), or when the two tables' records differ or the history is not there, or
 * the last run predates the share (持股比例).
 */
public final class PersonLibraryJob {
  public static final String ENTERPRISE = "ods.market_regulation__enterprise";
  public static final String SENIOR_MANAGER = "ods.market_regulation__senior_manager";
  public static final String SHAREHOLDER = "ods.market_regulation__shareholder";
  public static final String IDENTITY = "restricted.person_identity";

  /** 角色 — the roles of {@code lib.person_role}. */
  public static final String LEGAL_REPRESENTATIVE = "法定代表人";

  public static final String SHAREHOLDER_ROLE = "股东";
  public static final String SENIOR_MANAGER_ROLE = "高管";

  private static final Logger LOG = LoggerFactory.getLogger(PersonLibraryJob.class);

  private static final String SUBSCRIBED_TOTALS = "person_shareholder_totals";

  /**
   * Recorded by every run since lib.person_role has a share: a lake whose last run did not record
   * it got the column empty from the schema migration, and is rebuilt whole once so every
   * shareholding has its share (an increment would fill only the changed ones).
   */
  static final String SHARES_RECORDED = "jiangyin.lib.person-role.share";

  /** The person columns of each source: key, masked number, name; in sighting priority. */
  private static final List<List<String>> SOURCES =
      List.of(
          List.of(
              ENTERPRISE, "legal_representative_id_key", "legal_representative_id", "enterprise"),
          List.of(SENIOR_MANAGER, "id_number_key", "id_number", "senior_manager"),
          List.of(SHAREHOLDER, "shareholder_code_key", "shareholder_code", "shareholder"));

  private final SparkSession spark;
  private final boolean full;
  private final OdsChanges changes;

  public PersonLibraryJob(SparkSession spark) {
    this(spark, false);
  }

  /** With {@code full}, both tables are rebuilt whole, whatever their last run recorded. */
  public PersonLibraryJob(SparkSession spark, boolean full) {
    this.spark = requireNonNull(spark, "spark is null");
    this.full = full;
    this.changes = new OdsChanges(spark);
  }

  /**
   * Counts of one run; {@code changedPersons} and {@code changedRoles} are the keys recomputed, or
   * -1 when the tables were rebuilt whole.
   */
  public record Result(
      long persons, long invalidIds, long roles, long changedPersons, long changedRoles) {
    public Result(long persons, long invalidIds, long roles) {
      this(persons, invalidIds, roles, -1, -1);
    }

    public boolean incremental() {
      return changedPersons >= 0;
    }
  }

  public Result run() {
    registerDerivations();
    List<String> sources = SOURCES.stream().map(source -> source.get(0)).toList();
    Map<String, Long> current = changes.current(sources);
    Map<String, String> summary = OdsChanges.record(current, Map.of(SHARES_RECORDED, "true"));
    List<OdsChanges.Increment> increments = increments(sources, current);
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW person_sightings_all AS"
            + " SELECT legal_representative_id_key AS person_key,"
            + " legal_representative_id AS masked_id, legal_representative AS name, 1 AS priority,"
            + lineage("enterprise")
            + " FROM "
            + ENTERPRISE
            + " WHERE legal_representative_id_key IS NOT NULL"
            + " UNION ALL SELECT id_number_key, id_number, name, 2,"
            + lineage("senior_manager")
            + " FROM "
            + SENIOR_MANAGER
            + " WHERE id_number_key IS NOT NULL"
            + " UNION ALL SELECT shareholder_code_key, shareholder_code, shareholder_name, 3,"
            + lineage("shareholder")
            + " FROM "
            + SHAREHOLDER
            + " WHERE shareholder_code_key IS NOT NULL");
    long changedPersons = -1;
    long changedRoles = -1;
    if (increments == null) {
      spark.sql(
          "CREATE OR REPLACE TEMPORARY VIEW person_sightings AS SELECT * FROM person_sightings_all");
    } else {
      changedRoles = affected(increments);
      changedPersons = spark.table("person_affected").count();
      spark.sql(
          "CREATE OR REPLACE TEMPORARY VIEW person_sightings AS SELECT s.* FROM"
              + " person_sightings_all s LEFT SEMI JOIN person_affected a"
              + " ON s.person_key = a._affected");
    }
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW person_first_sighting AS SELECT * FROM (SELECT *,"
            + " row_number() OVER (PARTITION BY person_key ORDER BY priority, lineage) AS rank"
            + " FROM person_sightings) WHERE rank = 1");
    // the clear number stays inside this query: only the derived values leave it
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW person_rows AS SELECT p.person_key, p.masked_id, p.name,"
            + " person_id_gender(i.id_number), person_id_birth_date(i.id_number),"
            + " person_id_valid(i.id_number), p.lineage, current_timestamp()"
            + " FROM person_first_sighting p LEFT JOIN (SELECT person_key,"
            + " max(id_number) AS id_number FROM "
            + IDENTITY
            + " GROUP BY person_key) i ON p.person_key = i.person_key");
    // 持股比例: a shareholding's part of all the enterprise's subscribed capital, organisations'
    // included (they hold part of it though they are not persons here)
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW "
            + SUBSCRIBED_TOTALS
            + " AS SELECT enterprise_uscc, sum(subscribed_capital) AS total FROM "
            + SHAREHOLDER
            + " WHERE enterprise_uscc IS NOT NULL GROUP BY enterprise_uscc");
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW person_role_rows AS"
            + " SELECT legal_representative_id_key, '"
            + LEGAL_REPRESENTATIVE
            + "' AS role, CAST(NULL AS STRING) AS position, uscc AS enterprise_uscc,"
            + " CAST(NULL AS DATE) AS role_from, CAST(NULL AS DATE) AS role_to,"
            + lineage("enterprise")
            + ", current_timestamp(), CAST(NULL AS DOUBLE) AS share FROM "
            + ENTERPRISE
            + " WHERE legal_representative_id_key IS NOT NULL AND uscc IS NOT NULL"
            + " UNION ALL SELECT id_number_key, '"
            + SENIOR_MANAGER_ROLE
            + "', position, enterprise_uscc, appointed_on, CAST(NULL AS DATE),"
            + lineage("senior_manager")
            + ", current_timestamp(), CAST(NULL AS DOUBLE) FROM "
            + SENIOR_MANAGER
            + " WHERE id_number_key IS NOT NULL AND enterprise_uscc IS NOT NULL"
            + " UNION ALL SELECT shareholder_code_key, '"
            + SHAREHOLDER_ROLE
            + "', CAST(NULL AS STRING), s.enterprise_uscc, subscribed_on, CAST(NULL AS DATE),"
            + lineage("shareholder")
            + ", current_timestamp(), CASE WHEN t.total > 0 THEN CAST(s.subscribed_capital AS"
            + " DOUBLE) / CAST(t.total AS DOUBLE) END FROM "
            + SHAREHOLDER
            + " s LEFT JOIN "
            + SUBSCRIBED_TOTALS
            + " t ON t.enterprise_uscc = s.enterprise_uscc"
            + " WHERE shareholder_code_key IS NOT NULL AND s.enterprise_uscc IS NOT NULL");
    if (increments == null) {
      // roles first, persons last: an interrupted run leaves lib.person's record behind
      overwrite("lib.person_role", "person_role_rows", summary);
      overwrite("lib.person", "person_rows", summary);
    } else if (changedRoles > 0 || changedPersons > 0) {
      named("lib.person_role", "person_role_rows");
      spark.sql(
          "CREATE OR REPLACE TEMPORARY VIEW person_role_scoped AS SELECT r.* FROM"
              + " person_role_rows_named r LEFT SEMI JOIN person_role_affected a"
              + " ON substring_index(r.lineage, '@', 1) = a._affected");
      changes.mergeKeys(
          "lib.person_role",
          "person_role_scoped",
          "person_role_affected",
          "substring_index(lineage, '@', 1)",
          "substring_index(t.lineage, '@', 1)",
          summary);
      named("lib.person", "person_rows");
      changes.mergeKeys(
          "lib.person",
          "person_rows_named",
          "person_affected",
          "person_key",
          "t.person_key",
          summary);
    }
    long persons = spark.table("lib.person").count();
    long invalid =
        spark.sql("SELECT count(*) FROM lib.person WHERE NOT id_valid").first().getLong(0);
    long roles = spark.table("lib.person_role").count();
    LOG.info(
        "lib.person: {} persons ({} without a valid ID number), {} roles", persons, invalid, roles);
    return new Result(persons, invalid, roles, changedPersons, changedRoles);
  }

  /** The increments of all sources since both tables' last run, or null: rebuild whole. */
  private List<OdsChanges.Increment> increments(List<String> sources, Map<String, Long> current) {
    if (full) {
      return null;
    }
    Map<String, String> recorded = changes.recorded("lib.person");
    if (recorded.isEmpty()
        || !recorded.equals(changes.recorded("lib.person_role"))
        || !recorded.containsKey(SHARES_RECORDED)) {
      return null;
    }
    List<OdsChanges.Increment> increments = new ArrayList<>();
    for (String source : sources) {
      Optional<OdsChanges.Increment> increment =
          changes.since(source, recorded, current.get(source));
      if (increment.isEmpty() || !increment.get().key().equals(List.of("id"))) {
        return null;
      }
      increments.add(increment.get());
    }
    return increments;
  }

  /**
   * Defines {@code person_role_affected} (the role rows of the changed source rows and of every
   * shareholding of an enterprise with a changed shareholding, as {@code <table>#<id>} of their
   * lineage) and {@code person_affected} (the person_keys those rows had before or after the
   * change); returns the number of role rows.
   */
  private long affected(List<OdsChanges.Increment> increments) {
    List<String> roleKeys = new ArrayList<>();
    List<String> personKeys = new ArrayList<>();
    for (int i = 0; i < SOURCES.size(); i++) {
      List<String> source = SOURCES.get(i);
      OdsChanges.Increment increment = increments.get(i);
      roleKeys.add(
          "SELECT concat('market_regulation.public."
              + source.get(3)
              + "#', id) AS _affected FROM "
              + increment.keysView());
      if (source.get(0).equals(SHAREHOLDER)) {
        // a share depends on every shareholding of the enterprise: one changed, added or removed
        // changes the others' shares, so all of the enterprise's shareholdings are recomputed
        roleKeys.add(
            "SELECT concat('market_regulation.public.shareholder#', s.id) AS _affected FROM "
                + SHAREHOLDER
                + " s LEFT SEMI JOIN (SELECT o.enterprise_uscc FROM "
                + SHAREHOLDER
                + " o LEFT SEMI JOIN "
                + increment.keysView()
                + " c ON o.id = c.id UNION ALL SELECT o.enterprise_uscc FROM "
                + SHAREHOLDER
                + " VERSION AS OF "
                + increment.previousSnapshot()
                + " o LEFT SEMI JOIN "
                + increment.keysView()
                + " c ON o.id = c.id) e ON s.enterprise_uscc = e.enterprise_uscc");
      }
      for (String version : List.of("", " VERSION AS OF " + increment.previousSnapshot())) {
        personKeys.add(
            "SELECT o."
                + source.get(1)
                + " AS _affected FROM "
                + source.get(0)
                + version
                + " o LEFT SEMI JOIN "
                + increment.keysView()
                + " c ON o.id = c.id");
      }
    }
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW person_role_affected AS SELECT DISTINCT _affected FROM ("
            + String.join(" UNION ALL ", roleKeys)
            + ")");
    spark
        .sql(
            "SELECT DISTINCT _affected FROM ("
                + String.join(" UNION ALL ", personKeys)
                + ") WHERE _affected IS NOT NULL")
        .cache()
        .createOrReplaceTempView("person_affected");
    return spark.table("person_role_affected").count();
  }

  private void named(String library, String rows) {
    spark.table(rows).toDF(spark.table(library).columns()).createOrReplaceTempView(rows + "_named");
  }

  private void overwrite(String library, String rows, Map<String, String> summary) {
    OdsChanges.withSummary(
        summary, () -> spark.sql("INSERT OVERWRITE " + library + " SELECT * FROM " + rows));
  }

  private static String lineage(String table) {
    return " concat('market_regulation.public." + table + "#', id, '@', _position) AS lineage";
  }

  private void registerDerivations() {
    spark
        .udf()
        .register(
            "person_id_valid",
            (UDF1<String, Boolean>) number -> normalized(number) != null,
            DataTypes.BooleanType);
    spark
        .udf()
        .register(
            "person_id_gender",
            (UDF1<String, String>)
                number -> {
                  String normalized = normalized(number);
                  if (normalized == null) {
                    return null;
                  }
                  return ResidentIdNumber.gender(normalized) == Gender.MALE ? "男" : "女";
                },
            DataTypes.StringType);
    spark
        .udf()
        .register(
            "person_id_birth_date",
            (UDF1<String, Date>)
                number -> {
                  String normalized = normalized(number);
                  return normalized == null
                      ? null
                      : Date.valueOf(ResidentIdNumber.birthDate(normalized));
                },
            DataTypes.DateType);
  }

  /** The 18-digit form, or {@code null} for a missing or invalid number. */
  private static String normalized(String number) {
    if (number == null) {
      return null;
    }
    try {
      return ResidentIdNumber.normalize(number);
    } catch (InvalidCodeException e) {
      return null;
    }
  }
}
