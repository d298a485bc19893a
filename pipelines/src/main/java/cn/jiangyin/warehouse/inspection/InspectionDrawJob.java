package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 双随机抽取 — draws an inspection plan over the lake and records the draw, or re-derives a recorded
 * draw to verify it.
 *
 * <p>Reproducible: the candidates are read from each input at one Iceberg snapshot ({@code VERSION
 * AS OF}), whose ids are seed inputs recorded with the draw; {@link RandomDraw} is deterministic
 * given the seed, so re-deriving from the recorded snapshots gives the same draw. A draw is
 * recorded once ({@code supervision.draw}, {@code supervision.draw_assignment}) and never
 * rewritten.
 */
public final class InspectionDrawJob {
  public static final String DRAW = "supervision.draw";
  public static final String ASSIGNMENT = "supervision.draw_assignment";
  public static final String ENTERPRISE = "lib.enterprise";
  public static final String ENTERPRISE_GRID = "lib.enterprise_grid";
  public static final String LICENCE = "lib.license";
  public static final String SCORE = "credit.score";

  /** The tables a draw reads, each at one snapshot recorded in the seed inputs. */
  public static final List<String> INPUTS =
      List.of(SCORE, ENTERPRISE, ENTERPRISE_GRID, LICENCE, ASSIGNMENT);

  private static final Logger LOG = LoggerFactory.getLogger(InspectionDrawJob.class);

  private final SparkSession spark;

  public InspectionDrawJob(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** Draws the plan on the current snapshot of each input. */
  public Draw draw(PlanFile plan, String publicValue) {
    Map<String, Optional<Long>> snapshots = new TreeMap<>();
    for (String table : INPUTS) {
      snapshots.put(table, currentSnapshot(table));
    }
    return derive(plan, SeedInputs.of(publicValue, plan, snapshots));
  }

  /** Draws the plan from the given seed inputs, reading each input at its recorded snapshot. */
  public Draw derive(PlanFile plan, SeedInputs inputs) {
    LOG.info("Drawing plan {} on {}", plan.plan().id(), inputs.snapshots());
    List<Candidate> candidates = candidates(plan.plan(), inputs.snapshots());
    Draw draw = RandomDraw.draw(plan.plan(), inputs, candidates);
    LOG.info(
        "Plan {}: candidates {}, excluded {}, drawn {}",
        plan.plan().id(),
        draw.candidates(),
        draw.excluded(),
        draw.selections().size());
    return draw;
  }

  /**
   * What differs between a recorded draw and its re-derivation from the recorded seed inputs with
   * this plan file; empty when the draw is confirmed.
   */
  public List<String> verify(Draw recorded, PlanFile plan) {
    List<String> differences = new ArrayList<>();
    if (!plan.sha256().equals(recorded.inputs().planSha256())) {
      differences.add(
          "plan file "
              + plan.file()
              + " has SHA-256 "
              + plan.sha256()
              + ", the draw recorded "
              + recorded.inputs().planSha256()
              + ": the plan is not the one drawn");
    }
    Draw derived;
    try {
      derived = derive(plan, recorded.inputs());
    } catch (RuntimeException e) {
      differences.add("cannot re-derive the draw: " + e.getMessage());
      return differences;
    }
    differences.addAll(recorded.differences(derived));
    return differences;
  }

  /** Enterprises in the plan's scope with their risk class, grid and last draw on this item. */
  public List<Candidate> candidates(InspectionPlan plan, Map<String, Optional<Long>> snapshots) {
    LocalDate reference = plan.referenceDate();
    Map<String, String> riskClass = new HashMap<>();
    for (Row row :
        spark
            .sql(
                "SELECT subject_id, risk_class FROM (SELECT subject_id, risk_class, row_number()"
                    + " OVER (PARTITION BY subject_id ORDER BY as_of DESC) AS latest FROM "
                    + reading(SCORE, snapshots)
                    + " WHERE subject_type = 'enterprise' AND as_of <= DATE '"
                    + reference
                    + "') WHERE latest = 1")
            .collectAsList()) {
      riskClass.put(row.getString(0), row.getString(1));
    }
    Map<String, String> grid = new HashMap<>();
    for (Row row :
        spark
            .sql(
                "SELECT uscc, min(grid_code) FROM "
                    + reading(ENTERPRISE_GRID, snapshots)
                    + " GROUP BY uscc")
            .collectAsList()) {
      grid.put(row.getString(0), row.getString(1));
    }
    Map<String, List<String>> licences = new HashMap<>();
    for (Row row :
        spark
            .sql(
                "SELECT DISTINCT holder_uscc, licence_type FROM "
                    + reading(LICENCE, snapshots)
                    + " WHERE status = 'valid' AND holder_uscc IS NOT NULL")
            .collectAsList()) {
      licences.computeIfAbsent(row.getString(0), key -> new ArrayList<>()).add(row.getString(1));
    }
    // 排除期与回避: the latest earlier draw of another plan on the same department and item
    Map<String, Row> lastDraw = new HashMap<>();
    for (Row row :
        spark
            .sql(
                "SELECT subject_uscc, reference_date, inspector_ids FROM (SELECT *, row_number()"
                    + " OVER (PARTITION BY subject_uscc ORDER BY reference_date DESC, draw_id DESC)"
                    + " AS latest FROM "
                    + reading(ASSIGNMENT, snapshots)
                    + " WHERE department = "
                    + literal(plan.department())
                    + " AND item = "
                    + literal(plan.item())
                    + " AND plan_id <> "
                    + literal(plan.id())
                    + " AND reference_date <= DATE '"
                    + reference
                    + "') WHERE latest = 1")
            .collectAsList()) {
      lastDraw.put(row.getString(0), row);
    }
    List<Candidate> candidates = new ArrayList<>();
    for (Row row :
        spark
            .sql(
                "SELECT uscc, name, industry_code, town_code, status FROM "
                    + reading(ENTERPRISE, snapshots)
                    + " ORDER BY uscc")
            .collectAsList()) {
      String uscc = row.getString(0);
      if (!plan.filter()
          .accepts(
              row.getString(2),
              row.getString(3),
              row.getString(4),
              licences.getOrDefault(uscc, List.of()))) {
        continue;
      }
      Row last = lastDraw.get(uscc);
      candidates.add(
          new Candidate(
              uscc,
              row.getString(1),
              riskClass.getOrDefault(uscc, plan.unscoredClass()),
              grid.get(uscc),
              last == null ? Optional.empty() : Optional.of(last.getDate(1).toLocalDate()),
              last == null ? Set.of() : Set.copyOf(DrawFile.strings(last.getString(2)))));
    }
    return candidates;
  }

  /** Whether a draw with this id is recorded. */
  public boolean recorded(String drawId) {
    return spark.sql("SELECT 1 FROM " + DRAW + " WHERE draw_id = " + literal(drawId)).count() > 0;
  }

  /**
   * Records the draw in {@code supervision.draw} and {@code supervision.draw_assignment} (one
   * commit each, assignments first so a recorded draw always has its assignments); a draw already
   * recorded is left as it is.
   *
   * @return false when the draw was already recorded
   */
  public boolean record(PlanFile plan, Draw draw) {
    String drawId = DrawFile.drawId(draw);
    if (recorded(drawId)) {
      LOG.info("Draw {} is already recorded", drawId);
      return false;
    }
    InspectionPlan details = plan.plan();
    Map<String, Inspector> roster = new HashMap<>();
    details.roster().forEach(inspector -> roster.put(inspector.id(), inspector));
    List<Row> assignments = new ArrayList<>();
    int position = 0;
    for (Selection selection : draw.selections()) {
      assignments.add(
          RowFactory.create(
              drawId,
              details.id(),
              details.department(),
              details.item(),
              Date.valueOf(details.referenceDate()),
              ++position,
              selection.subjectId(),
              selection.subjectName(),
              selection.riskClass(),
              selection.rank(),
              DrawFile.json(selection.inspectorIds()),
              DrawFile.json(
                  selection.inspectorIds().stream().map(id -> roster.get(id).name()).toList())));
    }
    StructType assignmentSchema =
        new StructType()
            .add("draw_id", DataTypes.StringType)
            .add("plan_id", DataTypes.StringType)
            .add("department", DataTypes.StringType)
            .add("item", DataTypes.StringType)
            .add("reference_date", DataTypes.DateType)
            .add("position", DataTypes.IntegerType)
            .add("subject_uscc", DataTypes.StringType)
            .add("subject_name", DataTypes.StringType)
            .add("risk_class", DataTypes.StringType)
            .add("rank", DataTypes.StringType)
            .add("inspector_ids", DataTypes.StringType)
            .add("inspector_names", DataTypes.StringType);
    append(spark.createDataFrame(assignments, assignmentSchema), ASSIGNMENT);
    StructType drawSchema =
        new StructType()
            .add("draw_id", DataTypes.StringType)
            .add("plan_id", DataTypes.StringType)
            .add("plan_name", DataTypes.StringType)
            .add("department", DataTypes.StringType)
            .add("item", DataTypes.StringType)
            .add("reference_date", DataTypes.DateType)
            .add("plan_file", DataTypes.StringType)
            .add("plan_sha256", DataTypes.StringType)
            .add("public_value", DataTypes.StringType)
            .add("input_snapshots", DataTypes.StringType)
            .add("seed", DataTypes.StringType)
            .add("candidates", DataTypes.StringType)
            .add("excluded", DataTypes.StringType)
            .add("selected", DataTypes.IntegerType);
    Row row =
        RowFactory.create(
            drawId,
            details.id(),
            details.name(),
            details.department(),
            details.item(),
            Date.valueOf(details.referenceDate()),
            plan.file(),
            draw.inputs().planSha256(),
            draw.inputs().publicValue(),
            DrawFile.snapshotsJson(draw.inputs().snapshots()),
            draw.seed(),
            DrawFile.json(draw.candidates()),
            DrawFile.json(draw.excluded()),
            draw.selections().size());
    append(
        spark
            .createDataFrame(List.of(row), drawSchema)
            .withColumn("drawn_at", org.apache.spark.sql.functions.current_timestamp()),
        DRAW);
    LOG.info("Recorded draw {}: {} subjects", drawId, draw.selections().size());
    return true;
  }

  /** A recorded draw read back from the tables, with the plan file it was drawn from. */
  public Optional<DrawFile.Recorded> read(String drawId) {
    List<Row> rows =
        spark
            .sql(
                "SELECT plan_id, plan_file, plan_sha256, public_value, input_snapshots, seed,"
                    + " candidates, excluded FROM "
                    + DRAW
                    + " WHERE draw_id = "
                    + literal(drawId))
            .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row draw = rows.get(0);
    List<Selection> selections = new ArrayList<>();
    for (Row row :
        spark
            .sql(
                "SELECT subject_uscc, subject_name, risk_class, rank, inspector_ids FROM "
                    + ASSIGNMENT
                    + " WHERE draw_id = "
                    + literal(drawId)
                    + " ORDER BY position")
            .collectAsList()) {
      selections.add(
          new Selection(
              row.getString(0),
              row.getString(1),
              row.getString(2),
              row.getString(3),
              DrawFile.strings(row.getString(4))));
    }
    SeedInputs inputs =
        new SeedInputs(
            draw.getString(3),
            draw.getString(0),
            draw.getString(2),
            DrawFile.snapshots(draw.getString(4)));
    return Optional.of(
        new DrawFile.Recorded(
            draw.getString(1),
            new Draw(
                draw.getString(0),
                inputs,
                draw.getString(5),
                DrawFile.counts(draw.getString(6)),
                DrawFile.counts(draw.getString(7)),
                selections)));
  }

  private void append(org.apache.spark.sql.Dataset<Row> rows, String table) {
    List<String> columns = List.of(spark.table(table).columns());
    try {
      rows.selectExpr(columns.toArray(String[]::new)).writeTo(table).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Cannot write " + table + ": run schemas migrate first", e);
    }
  }

  private static String reading(String table, Map<String, Optional<Long>> snapshots) {
    Optional<Long> snapshot = snapshots.getOrDefault(table, Optional.empty());
    return snapshot
        .map(id -> table + " VERSION AS OF " + id)
        .orElse("(SELECT * FROM " + table + " WHERE false)");
  }

  private Optional<Long> currentSnapshot(String table) {
    List<Row> rows =
        spark
            .sql(
                "SELECT snapshot_id FROM "
                    + table
                    + ".snapshots ORDER BY committed_at DESC, snapshot_id DESC LIMIT 1")
            .collectAsList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0).getLong(0));
  }

  private static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
