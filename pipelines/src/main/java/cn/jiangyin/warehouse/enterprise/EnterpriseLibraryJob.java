package cn.jiangyin.warehouse.enterprise;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Attribute;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Choice;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Filter;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Reference;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Register;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Rule;
import cn.jiangyin.warehouse.standard.EnterpriseNames;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.RegistrationNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 企业库 — builds {@code lib.enterprise}, its per-attribute lineage {@code lib.enterprise_attribute}
 * and {@code lib.enterprise_reference} from the 一数一源 map ({@link EnterpriseAttributeMap}).
 *
 * <ol>
 *   <li>The register (市场监管局 登记): one enterprise per valid USCC, the newest record by {@code
 *       _position}. A record with an invalid code, or an older record of a code, goes to {@code
 *       quality.rejected_record} with the reason: records read = accepted + rejected.
 *   <li>References: every enterprise named in a departmental table of the map that is captured is
 *       resolved to a USCC of the register — by a valid USCC (confidence 1.0), by the 注册号, by the
 *       组织机构代码 (with or without hyphen), else by the name when its normalised form is unique in the
 *       register ({@link EnterpriseNames}); otherwise {@code unmatched} with confidence 0.
 *   <li>Attributes: each read from its one declared source; records of other departments are tied
 *       to the enterprise through the references, so a grade filed under a legacy code or a variant
 *       name lands on the right enterprise.
 * </ol>
 *
 * <p>The three tables are synchronised, not overwritten: only rows whose content changed are
 * written (with a new {@code as_of}), rows whose source disappeared are deleted, so re-running on
 * the same data commits nothing.
 */
public final class EnterpriseLibraryJob {
  /** The register; the library is built only where it is captured. */
  public static final String SOURCE = "ods.market_regulation__enterprise";

  public static final String LIBRARY = EnterpriseAttributeMap.LIBRARY;
  public static final String ATTRIBUTES = "lib.enterprise_attribute";
  public static final String REFERENCES = "lib.enterprise_reference";

  /** The primary key column of every departmental table (see the simulator's tables). */
  static final String KEY = "id";

  private static final String POSITION = "_position";
  private static final String REGISTER_ATTRIBUTES = "enterprise_register_attributes";
  private static final Logger LOG = LoggerFactory.getLogger(EnterpriseLibraryJob.class);

  private final SparkSession spark;
  private final EnterpriseAttributeMap map;

  public EnterpriseLibraryJob(SparkSession spark) {
    this(spark, EnterpriseAttributeMap.load());
  }

  public EnterpriseLibraryJob(SparkSession spark, EnterpriseAttributeMap map) {
    this.spark = requireNonNull(spark, "spark is null");
    this.map = requireNonNull(map, "map is null");
  }

  /** 识别方式 — how a reference was resolved, with the confidence given to the method. */
  public enum MatchMethod {
    USCC(1.0),
    REGISTRATION_NUMBER(0.98),
    ORGANIZATION_CODE(0.95),
    NAME_EXACT(0.9),
    NAME_NORMALISED(0.8),
    UNMATCHED(0.0);

    private final double confidence;

    MatchMethod(double confidence) {
      this.confidence = confidence;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public double confidence() {
      return confidence;
    }
  }

  /**
   * Counts of one run.
   *
   * @param read register records read; {@code read = accepted + rejected}
   * @param references enterprise references found in the captured departmental tables
   * @param unmatchedReferences of those, the ones no enterprise of the register was found for
   * @param changedRows rows written or deleted in the three tables (0 on a re-run)
   */
  public record Result(
      long read,
      long accepted,
      long rejected,
      long references,
      long unmatchedReferences,
      long changedRows) {}

  public Result run() {
    registerFunctions();
    Register register = map.register();
    Set<String> registerColumns = columns(register.odsTable());
    String code = register.codeColumn();
    long started = System.nanoTime();
    materialise(
        "enterprise_register_candidates",
        "SELECT *,"
            + " enterprise_valid_uscc("
            + code
            + ") AS _valid_code, row_number() OVER (PARTITION BY "
            + code
            + " ORDER BY "
            + POSITION
            + " DESC) AS _code_rank FROM "
            + register.odsTable());
    materialise(
        "enterprise_register",
        "SELECT *, "
            + code
            + " AS _uscc, concat('"
            + register.source()
            + ".public."
            + register.table()
            + "#', "
            + KEY
            + ", '@', "
            + POSITION
            + ") AS _lineage,"
            + " enterprise_name_normalised("
            + register.nameColumn()
            + ") AS _normalised_name, "
            + register
                .registrationNumberColumn()
                .filter(registerColumns::contains)
                .orElse("CAST(NULL AS STRING)")
            + " AS _registration_number,"
            + " enterprise_derive('organization-code', "
            + code
            + ") AS _organization_code"
            + " FROM enterprise_register_candidates WHERE _valid_code AND _code_rank = 1");
    started = lap("register read", started);

    long changed = 0;
    resolveReferences();
    changed +=
        sync(REFERENCES, "enterprise_references", List.of("source", "source_table", "source_key"));
    started = lap("references resolved and synchronised", started);

    List<String> views = new ArrayList<>();
    registerAttributes(registerColumns).ifPresent(views::add);
    for (Attribute attribute : map.attributes()) {
      Optional<String> view = attributeView(attribute, registerColumns);
      // register attributes are in the one view above, read in a single pass over the register
      if (attribute.choice() != Choice.REGISTER) {
        view.ifPresent(views::add);
      }
    }
    unionAttributes(views);
    materialise("enterprise_attributes", "SELECT * FROM enterprise_attributes");
    changed += sync(ATTRIBUTES, "enterprise_attributes", List.of("uscc", "attribute"));
    started = lap("attributes synchronised", started);
    changed += syncLibrary("SELECT _uscc AS uscc, _lineage AS lineage FROM enterprise_register");
    started = lap("library synchronised", started);

    long rejected = reject(register);
    long read = spark.table(register.odsTable()).count();
    long accepted = spark.table(LIBRARY).count();
    if (read != accepted + rejected) {
      throw new IllegalStateException(
          "Cannot reconcile "
              + LIBRARY
              + ": read "
              + read
              + " != accepted "
              + accepted
              + " + rejected "
              + rejected);
    }
    long references = spark.table(REFERENCES).count();
    long unmatched =
        spark.sql("SELECT count(*) FROM " + REFERENCES + " WHERE uscc IS NULL").first().getLong(0);
    lap("rejects written and counts reconciled", started);
    for (String view :
        List.of(
            "enterprise_attributes",
            REGISTER_ATTRIBUTES,
            "enterprise_references",
            "enterprise_register",
            "enterprise_register_candidates")) {
      spark.sql("DROP VIEW IF EXISTS " + view);
    }
    LOG.info(
        "{}: {} read, {} accepted, {} rejected; {} references, {} unmatched; {} rows changed",
        LIBRARY,
        read,
        accepted,
        rejected,
        references,
        unmatched,
        changed);
    return new Result(read, accepted, rejected, references, unmatched, changed);
  }

  /**
   * Re-reads the attributes taken from other libraries ({@code choose: library}, e.g. the grid of
   * {@code lib.enterprise_grid}), for the build to run after those libraries, which themselves read
   * {@code lib.enterprise}. Returns the rows changed.
   */
  public long refreshLibraryAttributes() {
    registerFunctions();
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW enterprise_register AS SELECT uscc AS _uscc FROM "
            + LIBRARY);
    List<String> views = new ArrayList<>();
    for (Attribute attribute : map.attributes()) {
      if (attribute.choice() == Choice.LIBRARY) {
        attributeView(attribute, Set.of()).ifPresent(views::add);
      }
    }
    unionAttributes(views);
    long changed =
        sync(
            ATTRIBUTES,
            "enterprise_attributes",
            List.of("uscc", "attribute"),
            "choice = '" + label(Choice.LIBRARY) + "'");
    changed += syncLibrary("SELECT uscc, lineage FROM " + LIBRARY);
    LOG.info("{}: library attributes refreshed, {} rows changed", LIBRARY, changed);
    return changed;
  }

  private void registerFunctions() {
    spark
        .udf()
        .register(
            "enterprise_valid_uscc",
            (UDF1<String, Boolean>) code -> code != null && UnifiedSocialCreditCode.isValid(code),
            DataTypes.BooleanType);
    spark
        .udf()
        .register(
            "enterprise_any_valid_code",
            (UDF1<String, Boolean>) EnterpriseLibraryJob::anyValidCode,
            DataTypes.BooleanType);
    spark
        .udf()
        .register(
            "enterprise_name_normalised",
            (UDF1<String, String>) EnterpriseNames::normalise,
            DataTypes.StringType);
    spark
        .udf()
        .register(
            "enterprise_derive",
            (UDF2<String, String, String>)
                (rule, value) ->
                    Arrays.stream(Rule.values())
                        .filter(candidate -> candidate.label().equals(rule))
                        .findFirst()
                        .orElseThrow()
                        .apply(value),
            DataTypes.StringType);
  }

  /** {@code enterprise_references}: every reference of the captured tables, resolved. */
  private void resolveReferences() {
    List<String> selects = new ArrayList<>();
    for (Reference reference : map.references()) {
      String table = reference.odsTable();
      if (!spark.catalog().tableExists(table)) {
        LOG.info("{}: {} is not captured, its references are skipped", LIBRARY, table);
        continue;
      }
      Set<String> columns = columns(table);
      List<String> needed = new ArrayList<>(List.of(KEY, POSITION, reference.codeColumn()));
      reference.nameColumn().ifPresent(needed::add);
      reference.where().ifPresent(filter -> needed.add(filter.column()));
      List<String> missing = needed.stream().filter(column -> !columns.contains(column)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "Cannot read references of " + table + ": missing columns " + missing);
      }
      selects.add(
          "SELECT '"
              + reference.source()
              + "' AS source, '"
              + reference.table()
              + "' AS source_table, CAST("
              + KEY
              + " AS STRING) AS source_key, "
              + POSITION
              + " AS source_position, CAST("
              + reference.codeColumn()
              + " AS STRING) AS code_given, "
              + reference
                  .nameColumn()
                  .map(name -> "CAST(" + name + " AS STRING)")
                  .orElse("CAST(NULL AS STRING)")
              + " AS name_given FROM "
              + table
              // a record naming no subject at all (a grid event without one) is no reference
              + " WHERE (nullif(trim("
              + reference.codeColumn()
              + "), '') IS NOT NULL"
              + reference
                  .nameColumn()
                  .map(name -> " OR nullif(trim(" + name + "), '') IS NOT NULL")
                  .orElse("")
              + ")"
              + reference.where().map(filter -> " AND " + condition(filter)).orElse(""));
    }
    if (selects.isEmpty()) {
      selects.add(
          "SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS source_table,"
              + " CAST(NULL AS STRING) AS source_key, CAST(NULL AS STRING) AS source_position,"
              + " CAST(NULL AS STRING) AS code_given, CAST(NULL AS STRING) AS name_given"
              + " WHERE false");
    }
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW enterprise_references_given AS "
            + String.join(" UNION ALL ", selects));
    // legacy codes and names link only where exactly one enterprise of the register carries them
    materialise(
        "enterprise_references",
        "WITH by_registration AS (SELECT _registration_number AS code, first(_uscc) AS uscc"
            + " FROM enterprise_register WHERE _registration_number IS NOT NULL"
            + " GROUP BY _registration_number HAVING count(*) = 1),"
            + " by_organization AS (SELECT _organization_code AS code, first(_uscc) AS uscc"
            + " FROM enterprise_register WHERE _organization_code IS NOT NULL"
            + " GROUP BY _organization_code HAVING count(*) = 1),"
            + " by_name AS (SELECT _normalised_name AS normalised, first(_uscc) AS uscc,"
            + " first(name) AS name FROM enterprise_register WHERE _normalised_name IS NOT NULL"
            + " GROUP BY _normalised_name HAVING count(*) = 1),"
            + " given AS (SELECT *, upper(regexp_replace(code_given, '\\\\s', '')) AS code,"
            + " enterprise_name_normalised(name_given) AS normalised"
            + " FROM enterprise_references_given),"
            + " matched AS (SELECT g.*, u._uscc AS by_uscc, r.uscc AS by_registration,"
            + " o.uscc AS by_organization, n.uscc AS by_name, n.name AS registered_name"
            + " FROM given g"
            + " LEFT JOIN enterprise_register u ON g.code = u._uscc"
            + " LEFT JOIN by_registration r ON g.code = r.code"
            + " LEFT JOIN by_organization o ON replace(g.code, '-', '') = o.code"
            + " LEFT JOIN by_name n ON g.normalised = n.normalised"
            // names link only references whose code is missing or spoiled
            + " AND NOT enterprise_any_valid_code(g.code)),"
            + " methods AS (SELECT *, CASE"
            + " WHEN by_uscc IS NOT NULL THEN '"
            + MatchMethod.USCC.label()
            + "' WHEN by_registration IS NOT NULL THEN '"
            + MatchMethod.REGISTRATION_NUMBER.label()
            + "' WHEN by_organization IS NOT NULL THEN '"
            + MatchMethod.ORGANIZATION_CODE.label()
            + "' WHEN by_name IS NOT NULL AND name_given = registered_name THEN '"
            + MatchMethod.NAME_EXACT.label()
            + "' WHEN by_name IS NOT NULL THEN '"
            + MatchMethod.NAME_NORMALISED.label()
            + "' ELSE '"
            + MatchMethod.UNMATCHED.label()
            + "' END AS match_method FROM matched)"
            + " SELECT source, source_table, source_key, code_given, name_given,"
            + " coalesce(by_uscc, by_registration, by_organization, by_name) AS uscc,"
            + " match_method, CASE match_method "
            + Arrays.stream(MatchMethod.values())
                .map(method -> "WHEN '" + method.label() + "' THEN " + method.confidence() + "D")
                .collect(Collectors.joining(" "))
            + " END AS match_confidence, source_position FROM methods");
  }

  /** A view of the attribute's rows {@code (uscc, attribute, value, lineage…)}, if any. */
  private Optional<String> attributeView(Attribute attribute, Set<String> registerColumns) {
    String view = "enterprise_attribute__" + attribute.name();
    String select =
        switch (attribute.choice()) {
          case REGISTER -> {
            String column = attribute.column().orElseThrow();
            if (!registerColumns.contains(column)) {
              LOG.warn(
                  "{}: {} has no column {}, attribute {} stays empty",
                  LIBRARY,
                  attribute.odsTable(),
                  column,
                  attribute.name());
              yield null;
            }
            yield "SELECT uscc, value, source, source_table, source_key, source_position FROM "
                + REGISTER_ATTRIBUTES
                + " WHERE attribute = '"
                + attribute.name()
                + "'";
          }
          case LATEST -> latestSelect(attribute);
          case DERIVED -> {
            String base = attribute.from().orElseThrow();
            String rule = attribute.rule().orElseThrow().label();
            if (base.equals(EnterpriseAttributeMap.USCC)) {
              Register register = map.register();
              yield "SELECT _uscc AS uscc, enterprise_derive('"
                  + rule
                  + "', _uscc) AS value, '"
                  + register.source()
                  + "' AS source, '"
                  + register.table()
                  + "' AS source_table, CAST("
                  + KEY
                  + " AS STRING) AS source_key, "
                  + POSITION
                  + " AS source_position FROM enterprise_register";
            }
            if (!spark.catalog().tableExists("enterprise_attribute__" + base)) {
              yield null;
            }
            yield "SELECT uscc, enterprise_derive('"
                + rule
                + "', value) AS value, source, source_table, source_key, source_position"
                + " FROM enterprise_attribute__"
                + base;
          }
          case LIBRARY -> {
            String table = attribute.table().orElseThrow();
            if (!spark.catalog().tableExists(table)) {
              LOG.info(
                  "{}: {} does not exist yet, attribute {} stays empty",
                  LIBRARY,
                  table,
                  attribute.name());
              yield null;
            }
            yield "SELECT l.uscc, CAST(l."
                + attribute.column().orElseThrow()
                + " AS STRING) AS value, '"
                + attribute.source().orElseThrow()
                + "' AS source, '"
                + table
                + "' AS source_table, l.uscc AS source_key, CAST(NULL AS STRING) AS source_position"
                + " FROM "
                + table
                + " l LEFT SEMI JOIN enterprise_register r ON l.uscc = r._uscc";
          }
        };
    spark.sql("DROP VIEW IF EXISTS " + view);
    if (select == null) {
      return Optional.empty();
    }
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW "
            + view
            + " AS SELECT uscc, '"
            + attribute.name()
            + "' AS attribute, value, source, source_table, source_key, source_position, '"
            + label(attribute.choice())
            + "' AS choice FROM ("
            + select
            + ") WHERE value IS NOT NULL");
    return Optional.of(view);
  }

  /**
   * {@link #REGISTER_ATTRIBUTES}: every attribute read from the register, in one pass over it (one
   * row per enterprise and attribute with a value); cached until the end of the run.
   */
  private Optional<String> registerAttributes(Set<String> registerColumns) {
    List<String> pairs = new ArrayList<>();
    for (Attribute attribute : map.attributes()) {
      String column = attribute.column().orElse(null);
      if (attribute.choice() == Choice.REGISTER && registerColumns.contains(column)) {
        pairs.add("'" + attribute.name() + "', CAST(r." + column + " AS STRING)");
      }
    }
    spark.sql("DROP VIEW IF EXISTS " + REGISTER_ATTRIBUTES);
    if (pairs.isEmpty()) {
      return Optional.empty();
    }
    Register register = map.register();
    materialise(
        REGISTER_ATTRIBUTES,
        "SELECT r._uscc AS uscc, a.attribute, a.value, '"
            + register.source()
            + "' AS source, '"
            + register.table()
            + "' AS source_table, CAST(r."
            + KEY
            + " AS STRING) AS source_key, r."
            + POSITION
            + " AS source_position, '"
            + label(Choice.REGISTER)
            + "' AS choice FROM enterprise_register r LATERAL VIEW stack("
            + pairs.size()
            + ", "
            + String.join(", ", pairs)
            + ") a AS attribute, value WHERE a.value IS NOT NULL");
    return Optional.of(REGISTER_ATTRIBUTES);
  }

  /** The newest record of the attribute's table among those referring to the enterprise. */
  private String latestSelect(Attribute attribute) {
    String table = attribute.odsTable();
    if (!spark.catalog().tableExists(table)) {
      LOG.info(
          "{}: {} is not captured, attribute {} stays empty", LIBRARY, table, attribute.name());
      return null;
    }
    return "SELECT uscc, value, source, source_table, source_key, source_position FROM ("
        + "SELECT ref.uscc, CAST(t."
        + attribute.column().orElseThrow()
        + " AS STRING) AS value, ref.source, ref.source_table, ref.source_key,"
        + " t."
        + POSITION
        + " AS source_position, row_number() OVER (PARTITION BY ref.uscc ORDER BY t."
        + attribute.orderBy().orElseThrow()
        + " DESC NULLS LAST, t."
        + POSITION
        + " DESC) AS rank FROM "
        + table
        + " t JOIN enterprise_references ref ON ref.source = '"
        + attribute.source().orElseThrow()
        + "' AND ref.source_table = '"
        + attribute.table().orElseThrow()
        + "' AND ref.source_key = CAST(t."
        + KEY
        + " AS STRING) WHERE ref.uscc IS NOT NULL"
        + attribute.where().map(filter -> " AND " + condition(filter, "t.")).orElse("")
        + ") WHERE rank = 1";
  }

  private void unionAttributes(List<String> views) {
    String union =
        views.isEmpty()
            ? "SELECT CAST(NULL AS STRING) AS uscc, CAST(NULL AS STRING) AS attribute,"
                + " CAST(NULL AS STRING) AS value, CAST(NULL AS STRING) AS source,"
                + " CAST(NULL AS STRING) AS source_table, CAST(NULL AS STRING) AS source_key,"
                + " CAST(NULL AS STRING) AS source_position, CAST(NULL AS STRING) AS choice"
                + " WHERE false"
            : views.stream()
                .map(view -> "SELECT * FROM " + view)
                .collect(Collectors.joining(" UNION ALL "));
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW enterprise_attributes AS " + union);
  }

  /**
   * Synchronises lib.enterprise with the attribute table: one row per enterprise of {@code base}
   * ({@code uscc, lineage}), each attribute cast to its column's type.
   */
  private long syncLibrary(String base) {
    List<String> pivot = new ArrayList<>();
    Set<String> attributes = new HashSet<>();
    for (Attribute attribute : map.attributes()) {
      attributes.add(attribute.name());
    }
    for (StructField field : spark.table(LIBRARY).schema().fields()) {
      if (attributes.contains(field.name())) {
        pivot.add(
            "CAST(max(CASE WHEN a.attribute = '"
                + field.name()
                + "' THEN a.value END) AS "
                + field.dataType().sql()
                + ") AS "
                + field.name());
      }
    }
    spark.sql(
        "CREATE OR REPLACE TEMPORARY VIEW enterprise_rows AS SELECT b.uscc, b.lineage, "
            + String.join(", ", pivot)
            + " FROM ("
            + base
            + ") b LEFT JOIN "
            + ATTRIBUTES
            + " a ON a.uscc = b.uscc GROUP BY b.uscc, b.lineage");
    return sync(LIBRARY, "enterprise_rows", List.of("uscc"));
  }

  private long sync(String target, String source, List<String> keys) {
    return sync(target, source, keys, "true");
  }

  /**
   * Makes {@code target} (restricted to the rows of {@code scope}) hold exactly the rows of the
   * view {@code source}: rows new or changed are written with a new {@code as_of}, rows whose key
   * is no longer in the source are deleted, unchanged rows are not touched. Returns the number of
   * rows written or deleted.
   */
  private long sync(String target, String source, List<String> keys, String scope) {
    List<String> values =
        Arrays.stream(spark.table(source).columns())
            .filter(column -> !keys.contains(column))
            .toList();
    String on =
        keys.stream().map(key -> "t." + key + " = s." + key).collect(Collectors.joining(" AND "));
    String same =
        values.stream()
            .map(value -> "t." + value + " <=> s." + value)
            .collect(Collectors.joining(" AND "));
    List<String> columns = new ArrayList<>(keys);
    columns.addAll(values);
    String list = String.join(", ", columns);
    String scoped = "(SELECT * FROM " + target + " WHERE " + scope + ")";
    materialise(
        "enterprise_sync",
        "SELECT "
            + columns.stream().map(column -> "s." + column).collect(Collectors.joining(", "))
            + ", false AS _gone FROM "
            + source
            + " s LEFT ANTI JOIN "
            + scoped
            + " t ON "
            + on
            + (same.isEmpty() ? "" : " AND " + same)
            + " UNION ALL SELECT "
            + columns.stream().map(column -> "t." + column).collect(Collectors.joining(", "))
            + ", true AS _gone FROM "
            + scoped
            + " t LEFT ANTI JOIN "
            + source
            + " s ON "
            + on);
    try {
      long changes = spark.table("enterprise_sync").count();
      if (changes == 0) {
        return 0;
      }
      spark.sql(
          "MERGE INTO "
              + target
              + " t USING enterprise_sync s ON "
              + on
              + " WHEN MATCHED AND s._gone THEN DELETE"
              + " WHEN MATCHED THEN UPDATE SET "
              + values.stream()
                  .map(value -> value + " = s." + value)
                  .collect(Collectors.joining(", "))
              + (values.isEmpty() ? "" : ", ")
              + "as_of = current_timestamp()"
              + " WHEN NOT MATCHED AND NOT s._gone THEN INSERT ("
              + list
              + ", as_of) VALUES ("
              + columns.stream().map(column -> "s." + column).collect(Collectors.joining(", "))
              + ", current_timestamp())");
      return changes;
    } finally {
      spark.sql("DROP VIEW IF EXISTS enterprise_sync");
    }
  }

  /** Writes the register's invalid and superseded records to quality.rejected_record. */
  private long reject(Register register) {
    String code = register.codeColumn();
    spark.sql("DELETE FROM quality.rejected_record WHERE job = '" + LIBRARY + "'");
    spark.sql(
        "INSERT INTO quality.rejected_record SELECT '"
            + LIBRARY
            + "', '"
            + register.odsTable()
            + "', CAST("
            + KEY
            + " AS STRING),"
            + " CASE WHEN NOT _valid_code THEN 'invalid USCC' ELSE 'duplicate USCC' END,"
            + " CASE WHEN NOT _valid_code THEN concat('uscc=', coalesce("
            + code
            + ", 'NULL'))"
            + " ELSE concat('uscc=', "
            + code
            + ", ' kept a newer record') END,"
            + " current_timestamp() FROM enterprise_register_candidates"
            + " WHERE NOT _valid_code OR _code_rank > 1");
    return spark
        .sql("SELECT count(*) FROM quality.rejected_record WHERE job = '" + LIBRARY + "'")
        .first()
        .getLong(0);
  }

  /**
   * Whether the code is a well-formed identifier of some subject (USCC, 注册号, 组织机构代码): such a code
   * names its subject, so a reference carrying one that is not in the register is not guessed from
   * its name.
   */
  static boolean anyValidCode(String code) {
    if (code == null) {
      return false;
    }
    String compact = code.strip().toUpperCase(Locale.ROOT);
    return UnifiedSocialCreditCode.isValid(compact)
        || RegistrationNumber.isValid(compact)
        || OrganizationCode.isValid(compact);
  }

  /**
   * Registers {@code view} as the rows of {@code query}, computed once and held by Spark without
   * their plan ({@code localCheckpoint}): the views built on it, and the MERGEs reading them, are
   * planned over a scan of those rows, not over the whole chain of ods reads, joins and unions
   * again — that planning, repeated for every view and MERGE, was most of the job's time.
   */
  private void materialise(String view, String query) {
    spark.sql(query).localCheckpoint().createOrReplaceTempView(view);
  }

  /** Logs the seconds since {@code since} for one part of the run; returns now. */
  private static long lap(String what, long since) {
    long now = System.nanoTime();
    LOG.info("{}: {} in {} s", LIBRARY, what, String.format("%.1f", (now - since) / 1e9));
    return now;
  }

  private Set<String> columns(String table) {
    return Set.of(spark.table(table).columns());
  }

  private static String condition(Filter filter) {
    return condition(filter, "");
  }

  private static String condition(Filter filter, String prefix) {
    return "CAST("
        + prefix
        + filter.column()
        + " AS STRING) = '"
        + filter.equals().replace("'", "''")
        + "'";
  }

  private static String label(Choice choice) {
    return choice.name().toLowerCase(Locale.ROOT);
  }
}
