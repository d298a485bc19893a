package cn.jiangyin.warehouse.quality;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.ods.OdsChanges;
import cn.jiangyin.warehouse.standard.CodeKind;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the declared data-quality checks (数据质量检查) and appends one row per check to {@code
 * dq.results}. Only then, if a blocking check failed, throws {@link QualityCheckFailedException}
 * naming every such check: the evidence is kept even when the build stops.
 *
 * <p>Samples of failing rows show the table's key columns (for {@code unique}, the duplicated
 * values), with anything shaped like a resident ID number masked: {@code dq.results} never holds a
 * clear ID number.
 */
public final class QualityJob {
  public static final String RESULTS = "dq.results";
  private static final Logger LOG = LoggerFactory.getLogger(QualityJob.class);
  private static final int SAMPLES = 5;
  private static final StructType RESULT_SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("run_id", DataTypes.StringType, false),
            DataTypes.createStructField("run_at", DataTypes.TimestampType, false),
            DataTypes.createStructField("table_name", DataTypes.StringType, false),
            DataTypes.createStructField("check_name", DataTypes.StringType, false),
            DataTypes.createStructField("kind", DataTypes.StringType, false),
            DataTypes.createStructField("blocking", DataTypes.BooleanType, false),
            DataTypes.createStructField("rows_checked", DataTypes.LongType, false),
            DataTypes.createStructField("rows_failing", DataTypes.LongType, false),
            DataTypes.createStructField("sample_failing_keys", DataTypes.StringType, true),
            DataTypes.createStructField("passed", DataTypes.BooleanType, false),
            DataTypes.createStructField("defined_in", DataTypes.StringType, false),
            DataTypes.createStructField("inputs", DataTypes.StringType, true)
          });

  private final SparkSession spark;

  public QualityJob(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /**
   * The outcome of one check in one run; {@code inputs} what it read (see {@link #inputs}), {@code
   * reused} whether it was taken from the last run with the same inputs instead of computed.
   */
  public record CheckResult(
      QualityCheck check,
      long rowsChecked,
      long rowsFailing,
      List<String> samples,
      boolean passed,
      Optional<String> inputs,
      boolean reused) {
    public CheckResult {
      requireNonNull(check, "check is null");
      samples = List.copyOf(samples);
      requireNonNull(inputs, "inputs is null");
    }

    public CheckResult(
        QualityCheck check,
        long rowsChecked,
        long rowsFailing,
        List<String> samples,
        boolean passed) {
      this(check, rowsChecked, rowsFailing, samples, passed, Optional.empty(), false);
    }
  }

  /** One run: its id (as in {@code dq.results.run_id}), time and results in check order. */
  public record Result(String runId, Instant runAt, List<CheckResult> results) {
    public Result {
      requireNonNull(runId, "runId is null");
      requireNonNull(runAt, "runAt is null");
      results = List.copyOf(results);
    }

    public List<CheckResult> failed() {
      return results.stream().filter(result -> !result.passed()).toList();
    }
  }

  /**
   * Runs every check, writes the results, then throws if a blocking check failed.
   *
   * @throws QualityCheckFailedException after writing, if any blocking check failed
   * @throws InvalidFileException if a check names a column its (undeclared) table lacks
   */
  public Result run(QualityChecks checks) {
    requireNonNull(checks, "checks is null");
    spark
        .udf()
        .register(
            "dq_valid_code",
            (UDF2<String, String, Boolean>) QualityJob::validCode,
            DataTypes.BooleanType);
    String runId = UUID.randomUUID().toString();
    Instant runAt = Instant.now();
    List<CheckResult> results = new ArrayList<>();
    Map<String, Row> earlier = earlierResults();
    for (QualityCheck check : checks.checks()) {
      Optional<String> inputs = inputs(check);
      Row last = inputs.map(earlier::get).orElse(null);
      CheckResult result =
          last == null
              ? withInputs(run(check, runAt), inputs)
              : new CheckResult(
                  check,
                  last.getLong(0),
                  last.getLong(1),
                  // as written: samples joined by ", " (key values are codes and ids)
                  last.isNullAt(2) ? List.of() : List.of(last.getString(2).split(", ")),
                  last.getBoolean(3),
                  inputs,
                  true);
      LOG.info(
          "{} {} ({}): {} of {} rows failing, {}{}",
          check.table(),
          check.name(),
          check.kind(),
          result.rowsFailing(),
          result.rowsChecked(),
          result.passed() ? "passed" : check.blocking() ? "FAILED (blocking)" : "failed",
          result.reused() ? " (table unchanged since the last run: its result)" : "");
      results.add(result);
    }
    write(runId, runAt, results);
    List<String> blocking =
        results.stream()
            .filter(result -> !result.passed() && result.check().blocking())
            .map(QualityJob::describe)
            .toList();
    if (!blocking.isEmpty()) {
      throw new QualityCheckFailedException(
          "Blocking data-quality check failed (run "
              + runId
              + ", see "
              + RESULTS
              + "): "
              + String.join("; ", blocking));
    }
    return new Result(runId, runAt, results);
  }

  private static CheckResult withInputs(CheckResult result, Optional<String> inputs) {
    return new CheckResult(
        result.check(),
        result.rowsChecked(),
        result.rowsFailing(),
        result.samples(),
        result.passed(),
        inputs,
        false);
  }

  /**
   * What a check's result depends on: its definition and the current snapshots of the tables it
   * reads. Empty for a freshness check (it depends on the time too) or a table not in the lake.
   */
  private Optional<String> inputs(QualityCheck check) {
    if (check.rule() instanceof QualityCheck.Freshness) {
      return Optional.empty();
    }
    List<String> tables = new ArrayList<>(List.of(check.table()));
    if (check.rule() instanceof QualityCheck.Reference reference) {
      tables.add(reference.targetTable());
    }
    CRC32 crc = new CRC32();
    crc.update(check.toString().getBytes(StandardCharsets.UTF_8));
    StringBuilder text = new StringBuilder(Long.toHexString(crc.getValue()));
    for (String table : tables) {
      if (!spark.catalog().tableExists(table)) {
        return Optional.empty();
      }
      try {
        Snapshot snapshot = new OdsChanges(spark).load(table).currentSnapshot();
        text.append(';').append(table).append('=');
        text.append(snapshot == null ? "empty" : Long.toString(snapshot.snapshotId()));
      } catch (Exception e) {
        return Optional.empty();
      }
    }
    return Optional.of(text.toString());
  }

  /**
   * The newest earlier result of each inputs value (rows_checked, rows_failing, samples, passed),
   * so a check whose tables did not change since is not run again.
   */
  private Map<String, Row> earlierResults() {
    Map<String, Row> results = new HashMap<>();
    if (!spark.catalog().tableExists(RESULTS)
        || !Arrays.asList(spark.table(RESULTS).columns()).contains("inputs")) {
      return results;
    }
    for (Row row :
        spark
            .sql(
                "SELECT inputs, max_by(struct(rows_checked, rows_failing, sample_failing_keys,"
                    + " passed), run_at) FROM "
                    + RESULTS
                    + " WHERE inputs IS NOT NULL GROUP BY inputs")
            .collectAsList()) {
      results.put(row.getString(0), row.getStruct(1));
    }
    return results;
  }

  private CheckResult run(QualityCheck check, Instant runAt) {
    if (!spark.catalog().tableExists(check.table())) {
      return new CheckResult(
          check, 0, 0, List.of("table " + check.table() + " is not in the lake"), false);
    }
    Set<String> present = Set.of(spark.table(check.table()).columns());
    List<String> needed = new ArrayList<>(check.rule().columns());
    needed.addAll(check.key());
    for (String column : needed) {
      if (!present.contains(column)) {
        int colon = check.definedAt().lastIndexOf(':');
        throw new InvalidFileException(
            check.definedAt().substring(0, colon),
            Integer.parseInt(check.definedAt().substring(colon + 1)),
            "unknown column " + column + " in " + check.table());
      }
    }
    String table = check.table();
    QualityCheck.Rule rule = check.rule();
    if (rule instanceof QualityCheck.ValidCode code) {
      return predicate(
          check,
          quote(code.column()) + " IS NOT NULL",
          "NOT dq_valid_code('" + code.code().label() + "', " + quote(code.column()) + ")");
    }
    if (rule instanceof QualityCheck.NotNull notNull) {
      return predicate(
          check,
          "true",
          notNull.columns().stream()
              .map(column -> quote(column) + " IS NULL")
              .collect(Collectors.joining(" OR ")));
    }
    if (rule instanceof QualityCheck.Unique unique) {
      String columns = columnList(unique.columns());
      String present2 = allNotNull(unique.columns());
      Row counts =
          spark
              .sql(
                  "SELECT count(*), count(DISTINCT "
                      + columns
                      + ") FROM "
                      + table
                      + " WHERE "
                      + present2)
              .first();
      long checked = counts.getLong(0);
      long failing = checked - counts.getLong(1);
      List<String> samples =
          samples(
              "SELECT "
                  + columns
                  + " FROM "
                  + table
                  + " WHERE "
                  + present2
                  + " GROUP BY "
                  + columns
                  + " HAVING count(*) > 1 ORDER BY "
                  + columns);
      return new CheckResult(check, checked, failing, samples, failing == 0);
    }
    if (rule instanceof QualityCheck.Reference reference) {
      String from =
          " FROM "
              + table
              + " s LEFT ANTI JOIN "
              + reference.targetTable()
              + " r ON s."
              + quote(reference.column())
              + " = r."
              + quote(reference.targetColumn())
              + " WHERE s."
              + quote(reference.column())
              + " IS NOT NULL";
      long checked =
          spark
              .sql(
                  "SELECT count(*) FROM "
                      + table
                      + " WHERE "
                      + quote(reference.column())
                      + " IS NOT NULL")
              .first()
              .getLong(0);
      long failing = spark.sql("SELECT count(*)" + from).first().getLong(0);
      String key =
          check.key().stream()
              .map(column -> "s." + quote(column))
              .collect(Collectors.joining(", "));
      List<String> samples = samples("SELECT " + key + from + " ORDER BY " + key);
      return new CheckResult(check, checked, failing, samples, failing == 0);
    }
    if (rule instanceof QualityCheck.Freshness freshness) {
      Timestamp cutoff = Timestamp.from(runAt.minus(Duration.ofHours(freshness.maxAgeHours())));
      Row row =
          spark
              .sql(
                  "SELECT count(*), count_if("
                      + quote(freshness.column())
                      + " < timestamp_millis("
                      + cutoff.getTime()
                      + ")), max("
                      + quote(freshness.column())
                      + ") FROM "
                      + table)
              .first();
      Object newest = row.get(2);
      boolean fresh = newest instanceof Timestamp stamp && !stamp.before(cutoff);
      return new CheckResult(
          check,
          row.getLong(0),
          row.getLong(1),
          List.of("newest " + freshness.column() + " = " + newest),
          fresh);
    }
    throw new IllegalStateException("Cannot run rule " + rule);
  }

  /** A check whose failing rows satisfy {@code failing} among those satisfying {@code checked}. */
  private CheckResult predicate(QualityCheck check, String checked, String failing) {
    Row counts =
        spark
            .sql(
                "SELECT count(*), count_if("
                    + failing
                    + ") FROM "
                    + check.table()
                    + " WHERE "
                    + checked)
            .first();
    String key = columnList(check.key());
    List<String> samples =
        samples(
            "SELECT "
                + key
                + " FROM "
                + check.table()
                + " WHERE ("
                + checked
                + ") AND ("
                + failing
                + ") ORDER BY "
                + key);
    long failingRows = counts.getLong(1);
    return new CheckResult(check, counts.getLong(0), failingRows, samples, failingRows == 0);
  }

  private List<String> samples(String sql) {
    List<String> samples = new ArrayList<>();
    for (Row row : spark.sql(sql + " LIMIT " + SAMPLES).collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.length(); i++) {
        values.add(mask(String.valueOf(row.get(i))));
      }
      samples.add(String.join("|", values));
    }
    return samples;
  }

  private void write(String runId, Instant runAt, List<CheckResult> results) {
    Timestamp at = Timestamp.from(runAt);
    List<Row> rows = new ArrayList<>();
    for (CheckResult result : results) {
      QualityCheck check = result.check();
      rows.add(
          RowFactory.create(
              runId,
              at,
              check.table(),
              check.name(),
              check.kind(),
              check.blocking(),
              result.rowsChecked(),
              result.rowsFailing(),
              result.samples().isEmpty() ? null : String.join(", ", result.samples()),
              result.passed(),
              check.definedAt(),
              result.inputs().orElse(null)));
    }
    if (!rows.isEmpty()) {
      try {
        spark.createDataFrame(rows, RESULT_SCHEMA).writeTo(RESULTS).append();
      } catch (NoSuchTableException e) {
        throw new IllegalStateException(
            "Cannot find " + RESULTS + "; run 'warehouse schemas migrate' first", e);
      }
    }
  }

  private static Boolean validCode(String kind, String code) {
    if (code == null) {
      return null;
    }
    return switch (Arrays.stream(CodeKind.values())
        .filter(value -> value.label().equals(kind))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Invalid code kind: " + kind))) {
      case USCC -> UnifiedSocialCreditCode.isValid(code);
      case ID_NUMBER -> ResidentIdNumber.isValid(code);
      case ORG_CODE -> OrganizationCode.isValid(code);
      case UNRECOGNISED -> false;
    };
  }

  /**
   * One masking rule for the whole platform: the standard's, for anything that may be an ID number.
   */
  static String mask(String value) {
    return ResidentIdNumber.maskIfPersonal(value);
  }

  private static String describe(CheckResult result) {
    QualityCheck check = result.check();
    return check.table()
        + " "
        + check.name()
        + " ("
        + check.kind()
        + "): "
        + result.rowsFailing()
        + " of "
        + result.rowsChecked()
        + " rows failing";
  }

  private static String quote(String column) {
    return "`" + column + "`";
  }

  private static String columnList(List<String> columns) {
    return columns.stream().map(QualityJob::quote).collect(Collectors.joining(", "));
  }

  private static String allNotNull(List<String> columns) {
    return columns.stream()
        .map(column -> quote(column) + " IS NOT NULL")
        .collect(Collectors.joining(" AND "));
  }
}
