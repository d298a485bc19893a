package cn.jiangyin.warehouse.dashboards.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Chart;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.dashboards.DashboardDefinitions;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The report page from the bundled definitions and rows made here (an in-memory {@link
 * DashboardReport.Queries}); what the page's script draws is checked in Chromium by {@code
 * DashboardDatasetsIT}.
 */
class DashboardReportTest {
  private final List<DashboardDefinition> dashboards = DashboardDefinitions.bundled();

  @Test
  void chartQueryGroupsByItsDimensionsAndOrdersOnThem() {
    DashboardDefinition credit = dashboard("credit_overview");
    ChartQuery bar = query(credit, "credit_grade_by_town_bar");
    assertThat(bar.columnNames()).containsExactly("town_name", "grade", "enterprises");
    assertThat(bar.sql())
        .startsWith("SELECT d.town_name, d.grade, SUM(enterprise_count) AS enterprises\nFROM (\n")
        .contains(
            ") AS d\nGROUP BY 1\nORDER BY SUM(enterprise_count) DESC NULLS LAST, 1\nLIMIT "
                + ChartQuery.BAR_CATEGORY_LIMIT
                + ")")
        .endsWith("\nGROUP BY 1, 2\nORDER BY 1, 2")
        .contains("FROM (\nSELECT * FROM iceberg.dashboard.credit_grade_by_town\n) AS d");
    // a preview of edited definitions runs the dataset's own SQL instead of its view
    assertThat(
            ChartQuery.of(
                    credit.chart("credit_grade_by_town_bar").orElseThrow(),
                    dataset(credit, "credit_grade_by_town"),
                    ChartQuery.Source.DEFINITION)
                .sql())
        .contains(dataset(credit, "credit_grade_by_town").sql())
        .doesNotContain("iceberg.dashboard.");

    ChartQuery total = query(credit, "penalty_total");
    assertThat(total.columnNames()).containsExactly("penalties");
    assertThat(total.sql()).doesNotContain(") AS d\nGROUP BY").endsWith(") AS d");

    ChartQuery table = query(dashboard("data_quality"), "freshness_table");
    assertThat(table.sql())
        .endsWith(
            "GROUP BY 1, 2\nORDER BY 3 DESC NULLS LAST, 1, 2\nLIMIT " + ChartQuery.TABLE_ROW_LIMIT);
  }

  @Test
  void sameRowsGiveTheSameSelfContainedPage() {
    DashboardReport.Result first = DashboardReport.render(dashboards, this::rows, line -> {});
    DashboardReport.Result second = DashboardReport.render(dashboards, this::rows, line -> {});
    assertThat(first.html()).isEqualTo(second.html());
    int charts = dashboards.stream().mapToInt(d -> d.charts().size()).sum();
    assertThat(first.charts()).hasSize(charts);
    assertThat(first.empty()).isEmpty();
    String html = first.html();
    assertThat(html)
        .contains("<html lang=\"zh-CN\">", "<h2>信用总览</h2>", "各镇街企业信用等级分布")
        .contains("<figure class=\"chart kind-bar\" data-chart=\"credit_grade_by_town_bar\"")
        .contains("<script type=\"application/json\" id=\"report-data\">")
        // rows are data for the script, and a value cannot end the script element
        .contains("澄江街道<\\/script>")
        .doesNotContain("https://", "<script src", "<link", "url(", "@import");
    // the one http:// is the SVG namespace, a name, not a fetch
    assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://");
    // no <svg> is written: the script draws them all
    assertThat(html).doesNotContain("<svg");
  }

  @Test
  void aChartWhoseQueryFailsOrReturnsOtherColumnsIsNamed() {
    assertThatThrownBy(
            () ->
                DashboardReport.render(
                    dashboards,
                    sql -> {
                      throw new SQLException("Table 'iceberg.credit.score' does not exist");
                    },
                    line -> {}))
        .isInstanceOf(ReportQueryException.class)
        .hasMessageContaining("chart credit_grade_share of dashboards/credit-overview.yaml")
        .hasMessageContaining("dataset credit_grade_by_town failed: Table 'iceberg.credit.score'");

    assertThatThrownBy(
            () ->
                DashboardReport.render(
                    dashboards, sql -> new QueryResult(List.of("other"), List.of()), line -> {}))
        .isInstanceOf(ReportQueryException.class)
        .hasMessageContaining("returned columns [other], expected [grade, enterprises]");
  }

  @Test
  void chartsWithoutRowsAreListed() {
    DashboardReport.Result result =
        DashboardReport.render(
            dashboards,
            sql -> {
              QueryResult rows = rows(sql);
              return sql.contains("iceberg.dashboard.lake_freshness")
                  ? new QueryResult(rows.columns(), List.of())
                  : rows;
            },
            line -> {});
    assertThat(result.empty())
        .extracting(chart -> chart.query().chart().name())
        .containsExactly("freshness_by_department", "freshness_table");
  }

  /** Two rows for any chart query, with the columns it asks for. */
  private QueryResult rows(String sql) {
    Map<String, ChartQuery> bySql = new TreeMap<>();
    for (DashboardDefinition dashboard : dashboards) {
      for (Chart chart : dashboard.charts()) {
        ChartQuery query = ChartQuery.of(chart, dataset(dashboard, chart.dataset()));
        bySql.put(query.sql(), query);
      }
    }
    ChartQuery query = bySql.get(sql);
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      List<Object> row = new ArrayList<>();
      for (var column : query.dimensions()) {
        row.add(column.temporal() ? "2025-0" + (i + 1) + "-01" : "澄江街道</script>" + i);
      }
      for (int m = 0; m < query.metrics().size(); m++) {
        row.add(i == 0 ? (Object) 1234L : new BigDecimal("0.875"));
      }
      rows.add(row);
    }
    return new QueryResult(
        query.columnNames(), rows.stream().map(r -> Arrays.asList(r.toArray())).toList());
  }

  private DashboardDefinition dashboard(String name) {
    return dashboards.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
  }

  private static Dataset dataset(DashboardDefinition dashboard, String name) {
    return dashboard.datasets().stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static ChartQuery query(DashboardDefinition dashboard, String chart) {
    Chart found = dashboard.chart(chart).orElseThrow();
    return ChartQuery.of(found, dataset(dashboard, found.dataset()));
  }
}
