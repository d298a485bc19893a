package cn.jiangyin.warehouse.dashboards;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * 看板定义 — one leadership dashboard as edited in {@code dashboards/*.yaml}: its datasets (SQL against
 * Trino's {@code iceberg} catalog), its charts and their layout. The builder turns it into
 * Superset's import format; nothing here knows Superset's keys.
 */
public record DashboardDefinition(
    String name,
    String title,
    String description,
    String file,
    List<Dataset> datasets,
    List<Chart> charts,
    List<List<String>> layout) {

  public DashboardDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(title, "title is null");
    requireNonNull(description, "description is null");
    requireNonNull(file, "file is null");
    datasets = List.copyOf(datasets);
    charts = List.copyOf(charts);
    layout = layout.stream().map(List::copyOf).toList();
  }

  public Optional<Chart> chart(String chartName) {
    return charts.stream().filter(chart -> chart.name().equals(chartName)).findFirst();
  }

  /**
   * 数据集 — a Superset dataset. {@code sql} is its definition: {@code warehouse trino views} creates
   * it as the view {@link #view()} (schema {@value #VIEW_SCHEMA}, {@code SECURITY DEFINER}), and
   * Superset and the report read that view ({@link #servedSql()}), so the {@code dashboard} role
   * needs no right on the tables underneath. {@code tables} lists every lake table the SQL reads,
   * so a check can tell which datasets wait for a table that is not built yet (e.g. {@code
   * credit.score}).
   */
  public record Dataset(
      String name,
      String description,
      List<String> tables,
      String sql,
      String timeColumn,
      List<Column> columns,
      List<Metric> metrics) {

    public Dataset {
      requireNonNull(name, "name is null");
      requireNonNull(description, "description is null");
      tables = List.copyOf(tables);
      requireNonNull(sql, "sql is null");
      columns = List.copyOf(columns);
      metrics = List.copyOf(metrics);
    }

    /** The Trino schema (in the {@code iceberg} catalog) of the dataset views. */
    public static final String VIEW_SCHEMA = "dashboard";

    /** The view this dataset is served from: {@code dashboard.<name>}. */
    public String view() {
      return VIEW_SCHEMA + "." + name;
    }

    /** What Superset and the report query: every column of the dataset's view. */
    public String servedSql() {
      return "SELECT * FROM iceberg." + view();
    }

    /**
     * The statements that create the view (admin user, {@code iceberg} catalog): the view with the
     * description as its comment, then each column's label as its comment.
     */
    public List<String> viewStatements() {
      List<String> statements = new ArrayList<>();
      statements.add(
          "CREATE OR REPLACE VIEW "
              + view()
              + "\nCOMMENT "
              + quoted("看板数据集 — " + description)
              + "\nSECURITY DEFINER AS\n"
              + sql);
      for (Column column : columns) {
        statements.add(
            "COMMENT ON COLUMN " + view() + "." + column.name() + " IS " + quoted(column.label()));
      }
      return statements;
    }

    private static String quoted(String text) {
      return "'" + text.replace("'", "''") + "'";
    }

    public Optional<String> time() {
      return Optional.ofNullable(timeColumn);
    }

    public boolean hasColumn(String column) {
      return columns.stream().anyMatch(c -> c.name().equals(column));
    }

    public boolean hasMetric(String metric) {
      return metrics.stream().anyMatch(m -> m.name().equals(metric));
    }
  }

  /** A column the dataset's SQL returns, with its Trino type and Chinese label. */
  public record Column(String name, String type, String label) {
    public Column {
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
      requireNonNull(label, "label is null");
    }

    public boolean temporal() {
      return type.equals("DATE") || type.startsWith("TIMESTAMP");
    }
  }

  /** A saved metric: a SQL aggregate over the dataset, with its Chinese label. */
  public record Metric(String name, String label, String expression, String format) {
    public Metric {
      requireNonNull(name, "name is null");
      requireNonNull(label, "label is null");
      requireNonNull(expression, "expression is null");
    }
  }

  /** 图表 — one chart; {@code x} and {@code series} are dataset columns, metrics saved metrics. */
  public record Chart(
      String name,
      String title,
      ChartKind kind,
      String dataset,
      String x,
      String series,
      List<String> columns,
      List<String> metrics,
      int width,
      int height) {

    public Chart {
      requireNonNull(name, "name is null");
      requireNonNull(title, "title is null");
      requireNonNull(kind, "kind is null");
      requireNonNull(dataset, "dataset is null");
      columns = List.copyOf(columns);
      metrics = List.copyOf(metrics);
    }
  }

  /** The chart kinds the definitions may use, each one Superset visualisation type. */
  public enum ChartKind {
    BAR("echarts_timeseries_bar"),
    LINE("echarts_timeseries_line"),
    PIE("pie"),
    TABLE("table"),
    BIG_NUMBER("big_number_total");

    private final String vizType;

    ChartKind(String vizType) {
      this.vizType = vizType;
    }

    public String vizType() {
      return vizType;
    }
  }
}
