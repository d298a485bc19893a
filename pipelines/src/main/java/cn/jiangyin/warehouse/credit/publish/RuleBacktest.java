package cn.jiangyin.warehouse.credit.publish;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.evaluation.CreditEvaluationJob;
import cn.jiangyin.warehouse.credit.rule.RuleSet;
import cn.jiangyin.warehouse.credit.rule.RuleSql;
import cn.jiangyin.warehouse.export.CsvWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * 规则回测 — evaluates a candidate rule set on the current inputs, in temporary views only, and
 * compares its verdicts with the published ones ({@code export.verdict}): who is added or removed,
 * who changes status, grade, lists or measures, with the reasons before and after. Publishes
 * nothing and writes no table.
 */
public final class RuleBacktest {
  /** Change kinds, in the order they are reported. */
  public static final List<String> KINDS =
      List.of("added", "removed", "status", "grade", "lists", "measures");

  static final List<String> HEADER =
      List.of(
          "主体类型", "主体标识", "主体名称", "变化", "原结论", "新结论", "原等级", "新等级", "原名单", "新名单", "原措施", "新措施",
          "原原因", "新原因");

  private final SparkSession spark;

  public RuleBacktest(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** What a backtest found: changed subjects per kind (a subject may count under several). */
  public record Summary(
      String candidateVersion,
      LocalDate asOf,
      long subjects,
      long changedSubjects,
      Map<String, Long> kinds) {}

  /**
   * Evaluates {@code candidate} as of {@code asOf} on the current inputs and writes the subjects
   * whose verdict would change to {@code csv} (UTF-8 with BOM, for Excel).
   */
  public Summary run(RuleSet candidate, LocalDate asOf, Path csv) {
    CreditEvaluationJob job = new CreditEvaluationJob(spark);
    return job.inViews(
        candidate,
        asOf,
        job.currentSnapshots(),
        inputs -> {
          List<Row> rows = spark.sql(diffSql()).collectAsList();
          long subjects = spark.table(RuleSql.VERDICT).count();
          Map<String, Long> kinds = new TreeMap<>();
          for (String kind : KINDS) {
            kinds.put(kind, 0L);
          }
          write(csv, rows, kinds);
          return new Summary(candidate.version(), asOf, subjects, rows.size(), kinds);
        });
  }

  private static void write(Path csv, List<Row> rows, Map<String, Long> kinds) {
    try {
      Path parent = csv.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (OutputStream stream = Files.newOutputStream(csv);
          PrintStream out = new PrintStream(stream, false, StandardCharsets.UTF_8)) {
        out.print('\uFEFF');
        CsvWriter writer = new CsvWriter(out);
        writer.write(HEADER);
        for (Row row : rows) {
          List<String> values = new ArrayList<>();
          for (int i = 0; i < row.size(); i++) {
            values.add(row.isNullAt(i) ? null : String.valueOf(row.get(i)));
          }
          for (String kind : values.get(3).split(",")) {
            kinds.merge(kind, 1L, Long::sum);
          }
          writer.write(values);
        }
        out.flush();
        if (out.checkError()) {
          throw new IOException("Cannot write " + csv);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String diffSql() {
    String lists =
        "concat_ws('、', array_sort(array_distinct(filter(transform(from_json(%s.reasons,"
            + " 'array<struct<list:string>>'), x -> x.list), x -> x IS NOT NULL AND x <> ''))))";
    String measures =
        "concat_ws(',', array_sort(transform(from_json(%s.measures, 'array<struct<code:string>>'),"
            + " x -> x.code)))";
    String changes =
        "concat_ws(',', CASE WHEN p.subject_id IS NULL THEN 'added' END, CASE WHEN c.subject_id IS"
            + " NULL THEN 'removed' END, CASE WHEN c.subject_id IS NOT NULL AND p.subject_id IS NOT"
            + " NULL AND NOT (c.status <=> p.status) THEN 'status' END, CASE WHEN c.subject_id IS"
            + " NOT NULL AND p.subject_id IS NOT NULL AND NOT (c.grade <=> p.grade) THEN 'grade'"
            + " END, CASE WHEN c.subject_id IS NOT NULL AND p.subject_id IS NOT NULL AND NOT (c_lists"
            + " <=> p_lists) THEN 'lists' END, CASE WHEN c.subject_id IS NOT NULL AND p.subject_id"
            + " IS NOT NULL AND NOT (c_measures <=> p_measures) THEN 'measures' END)";
    return "SELECT * FROM (SELECT coalesce(c.subject_type, p.subject_type) AS subject_type,"
        + " coalesce(c.subject_id, p.subject_id) AS subject_id, coalesce(c.subject_name,"
        + " p.subject_name) AS subject_name, "
        + changes
        + " AS changes, p.status AS p_status, c.status AS c_status, p.grade AS p_grade, c.grade AS"
        + " c_grade, p_lists, c_lists, p_measures, c_measures, p.reasons AS p_reasons, c.reasons AS"
        + " c_reasons FROM (SELECT *, "
        + lists.formatted("v")
        + " AS c_lists, "
        + measures.formatted("v")
        + " AS c_measures FROM "
        + RuleSql.VERDICT
        + " v) c FULL OUTER JOIN (SELECT *, "
        + lists.formatted("e")
        + " AS p_lists, "
        + measures.formatted("e")
        + " AS p_measures FROM "
        + VerdictPublication.EXPORT
        + " e) p ON c.subject_type = p.subject_type AND c.subject_id = p.subject_id) WHERE changes"
        + " <> '' ORDER BY subject_type, subject_id";
  }
}
