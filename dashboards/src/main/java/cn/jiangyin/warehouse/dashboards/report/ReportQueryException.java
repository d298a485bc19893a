package cn.jiangyin.warehouse.dashboards.report;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Chart;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;

/**
 * A chart's query failed or returned other columns than the chart needs: names the definition file,
 * the chart and the dataset whose SQL to look at.
 */
public final class ReportQueryException extends RuntimeException {
  private final String chart;
  private final String dataset;

  ReportQueryException(
      DashboardDefinition dashboard,
      Chart chart,
      Dataset dataset,
      String problem,
      Throwable cause) {
    super(
        "Cannot render chart "
            + chart.name()
            + " of "
            + dashboard.file()
            + ": its query on dataset "
            + dataset.name()
            + " "
            + (cause == null ? problem : "failed: " + problem),
        cause);
    this.chart = chart.name();
    this.dataset = dataset.name();
  }

  public String chart() {
    return chart;
  }

  public String dataset() {
    return dataset;
  }
}
