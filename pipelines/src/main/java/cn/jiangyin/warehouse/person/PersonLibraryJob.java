package cn.jiangyin.warehouse.person;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.standard.Gender;
import cn.jiangyin.warehouse.standard.InvalidCodeException;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import java.sql.Date;
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
 * by capture) and are not persons here.
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

  private final SparkSession spark;

  public PersonLibraryJob(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** Counts of one run. */
  public record Result(long persons, long invalidIds, long roles) {}

  public Result run() {
    registerDerivations();
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW person_sightings AS"
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
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW person_first_sighting AS SELECT * FROM (SELECT *,"
            + " row_number() OVER (PARTITION BY person_key ORDER BY priority, lineage) AS rank"
            + " FROM person_sightings) WHERE rank = 1");
    // the clear number stays inside this query: only the derived values leave it
    spark.sql(
        "INSERT OVERWRITE lib.person SELECT p.person_key, p.masked_id, p.name,"
            + " person_id_gender(i.id_number), person_id_birth_date(i.id_number),"
            + " person_id_valid(i.id_number), p.lineage, current_timestamp()"
            + " FROM person_first_sighting p LEFT JOIN (SELECT person_key,"
            + " max(id_number) AS id_number FROM "
            + IDENTITY
            + " GROUP BY person_key) i ON p.person_key = i.person_key");
    spark.sql(
        "INSERT OVERWRITE lib.person_role"
            + " SELECT legal_representative_id_key, '"
            + LEGAL_REPRESENTATIVE
            + "', CAST(NULL AS STRING), uscc, CAST(NULL AS DATE), CAST(NULL AS DATE),"
            + lineage("enterprise")
            + ", current_timestamp() FROM "
            + ENTERPRISE
            + " WHERE legal_representative_id_key IS NOT NULL AND uscc IS NOT NULL"
            + " UNION ALL SELECT id_number_key, '"
            + SENIOR_MANAGER_ROLE
            + "', position, enterprise_uscc, appointed_on, CAST(NULL AS DATE),"
            + lineage("senior_manager")
            + ", current_timestamp() FROM "
            + SENIOR_MANAGER
            + " WHERE id_number_key IS NOT NULL AND enterprise_uscc IS NOT NULL"
            + " UNION ALL SELECT shareholder_code_key, '"
            + SHAREHOLDER_ROLE
            + "', CAST(NULL AS STRING), enterprise_uscc, subscribed_on, CAST(NULL AS DATE),"
            + lineage("shareholder")
            + ", current_timestamp() FROM "
            + SHAREHOLDER
            + " WHERE shareholder_code_key IS NOT NULL AND enterprise_uscc IS NOT NULL");
    long persons = spark.table("lib.person").count();
    long invalid =
        spark.sql("SELECT count(*) FROM lib.person WHERE NOT id_valid").first().getLong(0);
    long roles = spark.table("lib.person_role").count();
    LOG.info(
        "lib.person: {} persons ({} without a valid ID number), {} roles", persons, invalid, roles);
    return new Result(persons, invalid, roles);
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
