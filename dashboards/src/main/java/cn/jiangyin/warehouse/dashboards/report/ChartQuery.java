package cn.jiangyin.warehouse.dashboards.report;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Chart;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.ChartKind;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Column;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The one query behind a chart, as Superset would send it: the chart's dimensions ({@code x} and
 * {@code series}, or a table's columns) and its saved metrics aggregated over the dataset's SQL.
 * The result is ordered on every output column that is not a metric (a table: by its first metric,
 * largest first, then its columns), so the same data gives the same rows in the same order. A bar
 * chart keeps its {@value #BAR_CATEGORY_LIMIT} largest categories, a table its first {@value
 * #TABLE_ROW_LIMIT} rows.
 *
 * <p>Its columns are the dimensions, then the metrics, named as in the definition.
 */
public record ChartQuery(Chart chart, List<Column> dimensions, List<Metric> metrics, String sql) {
  /** A table chart shows at most this many rows, as Superset's default row limit would. */
  public static final int TABLE_ROW_LIMIT = 100;

  /**
   * A bar chart shows at most this many categories (x values): those with the largest first metric,
   * as Superset's series limit would; 285 grids do not fit on a page.
   */
  public static final int BAR_CATEGORY_LIMIT = 20;

  public ChartQuery {
    requireNonNull(chart, "chart is null");
    dimensions = List.copyOf(dimensions);
    metrics = List.copyOf(metrics);
    requireNonNull(sql, "sql is null");
  }

  /** What a chart query reads its dataset from. */
  public enum Source {
    /**
     * The dataset's view ({@link Dataset#servedSql}), as Superset does: the deployed dashboards.
     */
    VIEW,
    /**
     * The dataset's own SQL: a preview of edited definitions whose views are not created yet; the
     * user needs the rights on the tables it reads.
     */
    DEFINITION;

    String sql(Dataset dataset) {
      return this == VIEW ? dataset.servedSql() : dataset.sql();
    }
  }

  /** The query of {@code chart}, whose dataset is {@code dataset}, read from its view. */
  public static ChartQuery of(Chart chart, Dataset dataset) {
    return of(chart, dataset, Source.VIEW);
  }

  /** The query of {@code chart}, whose dataset is {@code dataset}, read from {@code source}. */
  public static ChartQuery of(Chart chart, Dataset dataset, Source source) {
    requireNonNull(chart, "chart is null");
    requireNonNull(dataset, "dataset is null");
    requireNonNull(source, "source is null");
    if (!chart.dataset().equals(dataset.name())) {
      throw new IllegalArgumentException(
          "Cannot query chart " + chart.name() + " on dataset " + dataset.name());
    }
    List<String> names = new ArrayList<>();
    switch (chart.kind()) {
      case BAR, LINE, PIE -> {
        names.add(chart.x());
        if (chart.series() != null) {
          names.add(chart.series());
        }
      }
      case TABLE -> names.addAll(chart.columns());
      case BIG_NUMBER -> {}
    }
    List<Column> dimensions =
        names.stream()
            .map(
                name ->
                    dataset.columns().stream()
                        .filter(column -> column.name().equals(name))
                        .findFirst()
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    "Cannot find column " + name + " in " + dataset.name())))
            .toList();
    List<Metric> metrics =
        chart.metrics().stream()
            .map(
                name ->
                    dataset.metrics().stream()
                        .filter(metric -> metric.name().equals(name))
                        .findFirst()
                        .orElseThrow(
                            () ->
                                new IllegalArgumentException(
                                    "Cannot find metric " + name + " in " + dataset.name())))
            .toList();

    List<String> select = new ArrayList<>();
    dimensions.forEach(column -> select.add("d." + column.name()));
    metrics.forEach(metric -> select.add(metric.expression() + " AS " + metric.name()));
    StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select));
    sql.append("\nFROM (\n").append(source.sql(dataset)).append("\n) AS d");
    if (chart.kind() == ChartKind.BAR) {
      // the categories with the largest first metric; ties by name, so the cut is deterministic
      sql.append("\nWHERE d.")
          .append(chart.x())
          .append(" IN (\nSELECT d.")
          .append(chart.x())
          .append("\nFROM (\n")
          .append(source.sql(dataset))
          .append("\n) AS d\nGROUP BY 1\nORDER BY ")
          .append(metrics.get(0).expression())
          .append(" DESC NULLS LAST, 1\nLIMIT ")
          .append(BAR_CATEGORY_LIMIT)
          .append(")");
    }
    String positions =
        IntStream.rangeClosed(1, dimensions.size())
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(", "));
    if (!dimensions.isEmpty()) {
      sql.append("\nGROUP BY ").append(positions);
      if (chart.kind() == ChartKind.TABLE) {
        sql.append("\nORDER BY ");
        if (!metrics.isEmpty()) {
          sql.append(dimensions.size() + 1).append(" DESC NULLS LAST, ");
        }
        sql.append(positions).append("\nLIMIT ").append(TABLE_ROW_LIMIT);
      } else {
        sql.append("\nORDER BY ").append(positions);
      }
    }
    return new ChartQuery(chart, dimensions, metrics, sql.toString());
  }

  /** The result's column names, in order. */
  public List<String> columnNames() {
    List<String> names = new ArrayList<>();
    dimensions.forEach(column -> names.add(column.name()));
    metrics.forEach(metric -> names.add(metric.name()));
    return names;
  }
}
