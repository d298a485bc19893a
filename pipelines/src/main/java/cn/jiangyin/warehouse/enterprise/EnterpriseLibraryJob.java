package cn.jiangyin.warehouse.enterprise;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Attribute;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Choice;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Filter;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Reference;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Register;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Rule;
import cn.jiangyin.warehouse.ods.OdsChanges;
import cn.jiangyin.warehouse.standard.EnterpriseNames;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.RegistrationNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
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
 *
 * <p>Incremental ({@link OdsChanges}): lib.enterprise's commit records the ods snapshots the run
 * read (the register and the captured departmental tables) and the {@link #CONFIGURATION} (the map
 * and the library's columns). The next run recomputes the references of the departmental rows
 * changed since, and every reference whose code or normalised name is a USCC, 注册号, 组织机构代码 or
 * normalised name of a changed register row before or after the change (a legacy code or a name can
 * start or stop being unique) — resolved against the whole register; then the attributes and
 * library rows of the enterprises those references named before or after, and of the changed
 * register rows' codes. Each table is synchronised within that scope only; the register's
 * rejections are rewritten when it changed. A run without ods changes commits nothing. Built whole
 * on the first run, when asked ({@code full}), when the configuration or the set of captured tables
 * changed, or when a table's history is not there. Each of the three tables records the run in its
 * commit (or in an empty commit when no row of it changed); when their records differ (a run was
 * interrupted between them), the next run builds whole.
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

  /**
   * Recorded with the ods snapshots: the configuration the run built from ({@link #configuration}).
   */
  static final String CONFIGURATION = "jiangyin.lib.enterprise.configuration";

  private static final List<String> REFERENCE_KEY = List.of("source", "source_table", "source_key");
  private static final String AFFECTED_REFERENCES = "enterprise_reference_affected";
  private static final String AFFECTED_ENTERPRISES = "enterprise_affected";
  private static final String REFRESHED = "enterprise_library_attributes_changed";

  private final SparkSession spark;
  private final EnterpriseAttributeMap map;
  private final boolean full;
  private final OdsChanges changes;

  public EnterpriseLibraryJob(SparkSession spark) {
    this(spark, false);
  }

  /** With {@code full}, the three tables are built whole, whatever the last run recorded. */
  public EnterpriseLibraryJob(SparkSession spark, boolean full) {
    this(spark, EnterpriseAttributeMap.load(), full);
  }

  public EnterpriseLibraryJob(SparkSession spark, EnterpriseAttributeMap map) {
    this(spark, map, false);
  }

  public EnterpriseLibraryJob(SparkSession spark, EnterpriseAttributeMap map, boolean full) {
    this.spark = requireNonNull(spark, "spark is null");
    this.map = requireNonNull(map, "map is null");
    this.full = full;
    this.changes = new OdsChanges(spark);
  }

  /** The increment of every input, or null (build whole) and why. */
  private record Increments(Map<String, OdsChanges.Increment> byTable, String why) {}

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
   * @param affectedReferences references recomputed by an incremental run; -1 for a full build
   * @param affectedEnterprises enterprises recomputed by an incremental run; -1 for a full build
   */
  public record Result(
      long read,
      long accepted,
      long rejected,
      long references,
      long unmatchedReferences,
      long changedRows,
      long affectedReferences,
      long affectedEnterprises) {
    public Result(
        long read,
        long accepted,
        long rejected,
        long references,
        long unmatchedReferences,
        long changedRows) {
      this(read, accepted, rejected, references, unmatchedReferences, changedRows, -1, -1);
    }

    public boolean incremental() {
      return affectedReferences >= 0;
    }
  }

  public Result run() {
    long started = System.nanoTime();
    registerFunctions();
    Register register = map.register();
    List<String> inputs = inputs();
    Map<String, Long> current = changes.current(inputs);
    Map<String, String> summary =
        OdsChanges.record(current, Map.of(CONFIGURATION, configuration()));
    Increments increments = increments(inputs, current);
    started = lap("ods changes since the last run read", started);
    if (increments.byTable() == null) {
      LOG.info("{}: full build ({})", LIBRARY, increments.why());
    } else {
      LOG.info(
          "{}: incremental build, changed keys since the last run: {}",
          LIBRARY,
          increments.byTable().values().stream()
              .filter(increment -> increment.changes() > 0)
              .map(increment -> increment.odsTable() + " " + increment.changes())
              .collect(Collectors.joining(", ", "[", "]")));
      if (increments.byTable().values().stream().allMatch(increment -> increment.changes() == 0)) {
        Result result = counts(register, 0, 0, 0);
        lap("nothing changed, nothing written; counts reconciled", started);
        return result;
      }
    }
    Set<String> registerColumns = columns(register.odsTable());
    String code = register.codeColumn();
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
            + registrationNumber(registerColumns, "")
            + " AS _registration_number,"
            + " enterprise_derive('organization-code', "
            + code
            + ") AS _organization_code"
            + " FROM enterprise_register_candidates WHERE _valid_code AND _code_rank = 1");
    started = lap("register read", started);

    long changed = 0;
    long affectedReferences = -1;
    long affectedEnterprises = -1;
    String referenceScope = "true";
    String enterpriseScope = "true";
    if (increments.byTable() != null) {
      affectedReferences = affectedReferences(increments.byTable(), registerColumns);
      started = lap(affectedReferences + " references affected", started);
      referenceScope =
          "(source, source_table, source_key) IN (SELECT source, source_table, source_key FROM "
              + AFFECTED_REFERENCES
              + ")";
      enterpriseScope = "uscc IN (SELECT uscc FROM " + AFFECTED_ENTERPRISES + ")";
      for (String table : List.of(REFERENCES, ATTRIBUTES, LIBRARY)) {
        changes.mergeOnRead(table);
      }
    }
    resolveReferences(increments.byTable() != null);
    if (increments.byTable() != null) {
      // the enterprises the recomputed references named before (the table) and after (the view)
      affectedEnterprises(increments.byTable().get(register.odsTable()));
    }
    String references = referenceScope;
    changed +=
        recording(
            REFERENCES,
            summary,
            () -> sync(REFERENCES, "enterprise_references", REFERENCE_KEY, references));
    started = lap("references resolved and synchronised", started);
    if (increments.byTable() != null) {
      affectedEnterprises = spark.table(AFFECTED_ENTERPRISES).count();
      // attributes of the affected enterprises only: their register records, and all their
      // references (the synchronised table, the unchanged ones included)
      materialise(
          "enterprise_register",
          "SELECT r.* FROM enterprise_register r LEFT SEMI JOIN "
              + AFFECTED_ENTERPRISES
              + " a ON r._uscc = a.uscc");
      materialise(
          "enterprise_references",
          "SELECT r.* FROM "
              + REFERENCES
              + " r LEFT SEMI JOIN "
              + AFFECTED_ENTERPRISES
              + " a ON r.uscc = a.uscc");
      started = lap(affectedEnterprises + " enterprises affected", started);
    }

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
    String scope = enterpriseScope;
    changed +=
        recording(
            ATTRIBUTES,
            summary,
            () -> sync(ATTRIBUTES, "enterprise_attributes", List.of("uscc", "attribute"), scope));
    started = lap("attributes synchronised", started);
    changed +=
        recording(
            LIBRARY,
            summary,
            () ->
                syncLibrary(
                    "SELECT _uscc AS uscc, _lineage AS lineage FROM enterprise_register", scope));
    started = lap("library synchronised", started);

    OdsChanges.Increment registerIncrement =
        increments.byTable() == null ? null : increments.byTable().get(register.odsTable());
    if (registerIncrement == null || registerIncrement.changes() > 0) {
      reject(register);
    }
    Result result = counts(register, changed, affectedReferences, affectedEnterprises);
    lap("rejects written and counts reconciled", started);
    for (String view :
        List.of(
            "enterprise_attributes",
            REGISTER_ATTRIBUTES,
            "enterprise_references",
            "enterprise_references_given",
            "enterprise_register",
            "enterprise_register_candidates",
            AFFECTED_REFERENCES,
            AFFECTED_ENTERPRISES,
            "enterprise_register_changed")) {
      spark.sql("DROP VIEW IF EXISTS " + view);
    }
    return result;
  }

  /** Counts the tables, checks read = accepted + rejected and logs the run's outcome. */
  private Result counts(
      Register register, long changed, long affectedReferences, long affectedEnterprises) {
    long read = spark.table(register.odsTable()).count();
    long accepted = spark.table(LIBRARY).count();
    long rejected =
        spark
            .sql("SELECT count(*) FROM quality.rejected_record WHERE job = '" + LIBRARY + "'")
            .first()
            .getLong(0);
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
    LOG.info(
        "{}: {} read, {} accepted, {} rejected; {} references, {} unmatched; {} rows changed{}",
        LIBRARY,
        read,
        accepted,
        rejected,
        references,
        unmatched,
        changed,
        affectedReferences < 0
            ? " (full build)"
            : " (incremental: "
                + affectedReferences
                + " references, "
                + affectedEnterprises
                + " enterprises recomputed)");
    return new Result(
        read,
        accepted,
        rejected,
        references,
        unmatched,
        changed,
        affectedReferences,
        affectedEnterprises);
  }

  /**
   * The ods tables a run reads: the register, and the captured departmental tables of the
   * references and of the attributes chosen {@code latest}.
   */
  private List<String> inputs() {
    Set<String> tables = new LinkedHashSet<>();
    tables.add(map.register().odsTable());
    for (Reference reference : map.references()) {
      tables.add(reference.odsTable());
    }
    for (Attribute attribute : map.attributes()) {
      if (attribute.choice() == Choice.LATEST) {
        tables.add(attribute.odsTable());
      }
    }
    return tables.stream().filter(table -> spark.catalog().tableExists(table)).toList();
  }

  /**
   * What the build depends on besides the ods rows: the 一数一源 map and lib.enterprise's columns. A
   * run recording another value (or none) is followed by a full build.
   */
  private String configuration() {
    CRC32 crc = new CRC32();
    crc.update(map.toString().getBytes(StandardCharsets.UTF_8));
    crc.update(spark.table(LIBRARY).schema().toDDL().getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }

  /**
   * The increment of every input since the run recorded by lib.enterprise, or null with the reason
   * why the library is built whole.
   */
  private Increments increments(List<String> inputs, Map<String, Long> current) {
    if (full) {
      return new Increments(null, "asked for: build --full");
    }
    Map<String, String> recorded = changes.recorded(LIBRARY);
    if (recorded.isEmpty()) {
      return new Increments(null, "no earlier run recorded its ods snapshots");
    }
    if (!recorded.equals(changes.recorded(REFERENCES))
        || !recorded.equals(changes.recorded(ATTRIBUTES))) {
      return new Increments(null, "the three tables record different runs (one was interrupted)");
    }
    if (!configuration().equals(recorded.get(CONFIGURATION))) {
      return new Increments(null, "the attribute map or the library's columns changed");
    }
    Set<String> read =
        recorded.keySet().stream()
            .filter(key -> key.startsWith(OdsChanges.ODS_SNAPSHOT_PREFIX))
            .map(key -> key.substring(OdsChanges.ODS_SNAPSHOT_PREFIX.length()))
            .collect(Collectors.toSet());
    if (!read.equals(Set.copyOf(inputs))) {
      return new Increments(null, "the captured tables changed since the last run");
    }
    Map<String, OdsChanges.Increment> byTable = new LinkedHashMap<>();
    for (String input : inputs) {
      Optional<OdsChanges.Increment> increment = changes.since(input, recorded, current.get(input));
      if (increment.isEmpty() || !increment.get().key().equals(List.of(KEY))) {
        return new Increments(null, "no change history of " + input + " since the last run");
      }
      byTable.put(input, increment.get());
    }
    return new Increments(byTable, "incremental");
  }

  /**
   * Defines {@link #AFFECTED_REFERENCES} (source, source_table, source_key): the references of the
   * changed departmental rows, and every reference whose resolution the changed register rows can
   * change — whose code or normalised name is a USCC, 注册号, 组织机构代码 or normalised name a changed
   * register row had before or after the change (a legacy code or a name can stop or start being
   * unique). Returns their number.
   */
  private long affectedReferences(
      Map<String, OdsChanges.Increment> increments, Set<String> registerColumns) {
    Register register = map.register();
    OdsChanges.Increment registerIncrement = increments.get(register.odsTable());
    List<String> affected = new ArrayList<>();
    for (Reference reference : map.references()) {
      OdsChanges.Increment increment = increments.get(reference.odsTable());
      if (increment != null && increment.changes() > 0) {
        affected.add(
            "SELECT '"
                + reference.source()
                + "' AS source, '"
                + reference.table()
                + "' AS source_table, CAST("
                + KEY
                + " AS STRING) AS source_key FROM "
                + increment.keysView());
      }
    }
    if (registerIncrement.changes() > 0) {
      List<String> versions = new ArrayList<>();
      for (String version : List.of("", " VERSION AS OF " + registerIncrement.previousSnapshot())) {
        // the registration number column as of the earlier snapshot may be absent too
        Set<String> columns =
            version.isEmpty()
                ? registerColumns
                : Set.of(spark.sql("SELECT * FROM " + register.odsTable() + version).columns());
        versions.add(
            "SELECT CAST(o."
                + register.codeColumn()
                + " AS STRING) AS uscc, CAST("
                + registrationNumber(columns, "o.")
                + " AS STRING) AS registration_number, enterprise_name_normalised(o."
                + register.nameColumn()
                + ") AS normalised FROM "
                + register.odsTable()
                + version
                + " o LEFT SEMI JOIN "
                + registerIncrement.keysView()
                + " c ON o."
                + KEY
                + " = c."
                + KEY);
      }
      materialise("enterprise_register_changed", String.join(" UNION ALL ", versions));
      affected.add(
          "SELECT source, source_table, source_key FROM (SELECT source, source_table, source_key,"
              + " upper(regexp_replace(code_given, '\\\\s', '')) AS _code,"
              + " enterprise_name_normalised(name_given) AS _normalised FROM "
              + REFERENCES
              + ") WHERE _code IN (SELECT code FROM enterprise_register_codes)"
              + " OR replace(_code, '-', '') IN (SELECT code FROM enterprise_register_codes)"
              + " OR _normalised IN (SELECT normalised FROM enterprise_register_changed"
              + " WHERE normalised IS NOT NULL)");
      spark.sql(
          "CREATE OR REPLACE TEMPORARY VIEW enterprise_register_codes AS SELECT code FROM ("
              + "SELECT upper(uscc) AS code FROM enterprise_register_changed"
              + " UNION ALL SELECT upper(registration_number) FROM enterprise_register_changed"
              + " UNION ALL SELECT enterprise_derive('organization-code', uscc)"
              + " FROM enterprise_register_changed) WHERE code IS NOT NULL");
    }
    if (affected.isEmpty()) {
      affected.add(
          "SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS source_table,"
              + " CAST(NULL AS STRING) AS source_key WHERE false");
    }
    materialise(
        AFFECTED_REFERENCES,
        "SELECT DISTINCT source, source_table, source_key FROM ("
            + String.join(" UNION ALL ", affected)
            + ")");
    return spark.table(AFFECTED_REFERENCES).count();
  }

  /**
   * Defines {@link #AFFECTED_ENTERPRISES} (uscc): the enterprises the affected references named
   * before (in lib.enterprise_reference, not yet synchronised) and after (the recomputed view), and
   * the codes of the changed register rows before and after the change.
   */
  private void affectedEnterprises(OdsChanges.Increment registerIncrement) {
    List<String> usccs = new ArrayList<>();
    usccs.add(
        "SELECT r.uscc FROM "
            + REFERENCES
            + " r LEFT SEMI JOIN "
            + AFFECTED_REFERENCES
            + " a ON r.source = a.source AND r.source_table = a.source_table"
            + " AND r.source_key = a.source_key");
    usccs.add("SELECT uscc FROM enterprise_references");
    if (registerIncrement.changes() > 0) {
      usccs.add("SELECT uscc FROM enterprise_register_changed");
    }
    materialise(
        AFFECTED_ENTERPRISES,
        "SELECT DISTINCT uscc FROM ("
            + String.join(" UNION ALL ", usccs)
            + ") WHERE uscc IS NOT NULL");
  }

  /**
   * Runs {@code sync} (one of the three tables) with {@code summary} in its commit; when it changed
   * no row and the table records another run, commits the record alone (an empty append), so the
   * three tables record the same run. Returns the rows changed.
   */
  private long recording(String table, Map<String, String> summary, LongSupplier sync) {
    long[] changed = {0};
    OdsChanges.withSummary(summary, () -> changed[0] = sync.getAsLong());
    if (changed[0] == 0 && !summary.equals(changes.recorded(table))) {
      try {
        changes.recordOnly(table, summary);
      } catch (RuntimeException e) {
        throw new IllegalStateException("Cannot record the run in " + table, e);
      }
    }
    return changed[0];
  }

  private String registrationNumber(Set<String> columns, String prefix) {
    return map.register()
        .registrationNumberColumn()
        .filter(columns::contains)
        .map(column -> prefix + column)
        .orElse("CAST(NULL AS STRING)");
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
            "choice = '" + label(Choice.LIBRARY) + "'",
            Optional.of(REFRESHED));
    long enterprises = changed == 0 ? 0 : spark.table(REFRESHED).count();
    if (enterprises > 0) {
      // lib.enterprise agrees with the attribute table elsewhere: only the rows of the enterprises
      // whose library attributes changed are pivoted again
      String scope = "uscc IN (SELECT uscc FROM " + REFRESHED + ")";
      changed += syncLibrary("SELECT uscc, lineage FROM " + LIBRARY + " WHERE " + scope, scope);
    }
    spark.sql("DROP VIEW IF EXISTS " + REFRESHED);
    LOG.info(
        "{}: library attributes refreshed, {} rows changed ({} enterprises)",
        LIBRARY,
        changed,
        enterprises);
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

  /**
   * {@code enterprise_references}: every reference of the captured tables, resolved (against the
   * whole register); with {@code affectedOnly}, those of {@link #AFFECTED_REFERENCES} only.
   */
  private void resolveReferences(boolean affectedOnly) {
    Set<String> affectedTables = new HashSet<>();
    if (affectedOnly) {
      spark
          .sql("SELECT DISTINCT source, source_table FROM " + AFFECTED_REFERENCES)
          .collectAsList()
          .forEach(row -> affectedTables.add(row.getString(0) + "." + row.getString(1)));
    }
    List<String> selects = new ArrayList<>();
    for (Reference reference : map.references()) {
      String table = reference.odsTable();
      if (!spark.catalog().tableExists(table)) {
        LOG.info("{}: {} is not captured, its references are skipped", LIBRARY, table);
        continue;
      }
      if (affectedOnly && !affectedTables.contains(reference.source() + "." + reference.table())) {
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
              + reference.where().map(filter -> " AND " + condition(filter)).orElse("")
              + (affectedOnly
                  ? " AND CAST("
                      + KEY
                      + " AS STRING) IN (SELECT source_key FROM "
                      + AFFECTED_REFERENCES
                      + " WHERE source = '"
                      + reference.source()
                      + "' AND source_table = '"
                      + reference.table()
                      + "')"
                  : ""));
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
  private long syncLibrary(String base, String scope) {
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
    return sync(LIBRARY, "enterprise_rows", List.of("uscc"), scope);
  }

  /**
   * Makes {@code target} (restricted to the rows of {@code scope}) hold exactly the rows of the
   * view {@code source}: rows new or changed are written with a new {@code as_of}, rows whose key
   * is no longer in the source are deleted, unchanged rows are not touched. Returns the number of
   * rows written or deleted.
   */
  private long sync(String target, String source, List<String> keys, String scope) {
    return sync(target, source, keys, scope, Optional.empty());
  }

  /**
   * As {@link #sync(String, String, List, String)}; with {@code changedUscc}, registers that view
   * with the distinct {@code uscc} of the rows written or deleted (when any were).
   */
  private long sync(
      String target, String source, List<String> keys, String scope, Optional<String> changedUscc) {
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
      changedUscc.ifPresent(view -> materialise(view, "SELECT DISTINCT uscc FROM enterprise_sync"));
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
