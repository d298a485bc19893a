package cn.jiangyin.warehouse.dashboards.report;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Chart;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.ChartKind;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Column;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Metric;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * 看板报告 — the leadership dashboards as one static HTML page that opens without Superset or a
 * network: each chart's query ({@link ChartQuery}) is run once, its rows are embedded in the page
 * as JSON, and a small inline script draws them as SVG bar, line and pie charts, big numbers and
 * tables, each with its numbers written out. CSS and script are inlined from this module's
 * resources; nothing is fetched.
 *
 * <p>The page depends only on the definitions and the rows: the same data gives the same bytes (no
 * generation time is written; a dataset that reads the clock, such as hours since an update, moves
 * with it).
 */
public final class DashboardReport {
  /** File name of the page in the output folder. */
  public static final String FILE_NAME = "dashboards.html";

  /** The page title. */
  public static final String TITLE = "江阴市大数据中心 领导驾驶舱报告";

  private static final String RESOURCES = "dashboards/report/";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  /** Runs one SQL statement; Trino's JDBC connection in the warehouse. */
  @FunctionalInterface
  public interface Queries {
    QueryResult run(String sql) throws Exception;
  }

  /** The page and, per chart, the query it ran and the rows it got. */
  public record Result(String html, Map<String, ChartData> charts) {
    public Result {
      requireNonNull(html, "html is null");
      charts = Map.copyOf(charts);
    }

    /** Charts whose query returned no row. */
    public List<ChartData> empty() {
      return charts.values().stream()
          .filter(chart -> chart.rows().rows().isEmpty())
          .sorted(Comparator.comparing(chart -> chart.query().chart().name()))
          .toList();
    }

    public Path write(Path folder) {
      Path page = folder.resolve(FILE_NAME);
      try {
        Files.createDirectories(folder);
        Files.writeString(page, html, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write the report " + page, e);
      }
      return page;
    }
  }

  /** One chart's query and its rows. */
  public record ChartData(ChartQuery query, Dataset dataset, QueryResult rows) {
    public ChartData {
      requireNonNull(query, "query is null");
      requireNonNull(dataset, "dataset is null");
      requireNonNull(rows, "rows is null");
    }
  }

  private DashboardReport() {}

  /**
   * Runs every chart's query of {@code dashboards} through {@code queries} and renders the page;
   * {@code progress} gets one line per dashboard.
   *
   * @throws ReportQueryException naming the dashboard, chart and dataset whose query failed or
   *     returned other columns than the chart needs
   */
  public static Result render(
      List<DashboardDefinition> dashboards, Queries queries, Consumer<String> progress) {
    return render(dashboards, ChartQuery.Source.VIEW, queries, progress);
  }

  /** As {@link #render(List, Queries, Consumer)}, reading the datasets from {@code source}. */
  public static Result render(
      List<DashboardDefinition> dashboards,
      ChartQuery.Source source,
      Queries queries,
      Consumer<String> progress) {
    requireNonNull(dashboards, "dashboards is null");
    requireNonNull(source, "source is null");
    requireNonNull(queries, "queries is null");
    requireNonNull(progress, "progress is null");
    Map<String, ChartData> charts = new LinkedHashMap<>();
    List<Map<String, Object>> pageDashboards = new ArrayList<>();
    for (DashboardDefinition dashboard : dashboards) {
      long started = System.nanoTime();
      List<Map<String, Object>> pageCharts = new ArrayList<>();
      for (Chart chart : dashboard.charts()) {
        Dataset dataset =
            dashboard.datasets().stream()
                .filter(candidate -> candidate.name().equals(chart.dataset()))
                .findFirst()
                .orElseThrow();
        ChartQuery query = ChartQuery.of(chart, dataset, source);
        QueryResult rows;
        try {
          rows = queries.run(query.sql());
        } catch (Exception e) {
          String hint =
              source == ChartQuery.Source.VIEW
                      && String.valueOf(e.getMessage()).contains("does not exist")
                  ? " (the dataset's view "
                      + dataset.view()
                      + " is created by 'warehouse trino views')"
                  : "";
          throw new ReportQueryException(dashboard, chart, dataset, e.getMessage() + hint, e);
        }
        if (!rows.columns().equals(query.columnNames())) {
          throw new ReportQueryException(
              dashboard,
              chart,
              dataset,
              "returned columns " + rows.columns() + ", expected " + query.columnNames(),
              null);
        }
        charts.put(chart.name(), new ChartData(query, dataset, rows));
        pageCharts.add(chartJson(query, rows));
      }
      Map<String, Object> page = new LinkedHashMap<>();
      page.put("name", dashboard.name());
      page.put("title", dashboard.title());
      page.put("description", dashboard.description());
      page.put("layout", dashboard.layout());
      page.put("charts", pageCharts);
      pageDashboards.add(page);
      progress.accept(
          String.format(
              Locale.ROOT,
              "%s (%s): %d charts in %d ms",
              dashboard.title(),
              dashboard.name(),
              dashboard.charts().size(),
              (System.nanoTime() - started) / 1_000_000));
    }
    return new Result(html(dashboards, pageDashboards), charts);
  }

  private static Map<String, Object> chartJson(ChartQuery query, QueryResult rows) {
    Chart chart = query.chart();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", chart.name());
    json.put("title", chart.title());
    json.put("kind", chart.kind().name().toLowerCase(Locale.ROOT));
    json.put("width", chart.width());
    json.put("x", chart.x());
    json.put("series", chart.series());
    List<Map<String, Object>> columns = new ArrayList<>();
    for (Column column : query.dimensions()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", column.name());
      entry.put("label", column.label());
      entry.put("type", column.type());
      columns.add(entry);
    }
    json.put("columns", columns);
    List<Map<String, Object>> metrics = new ArrayList<>();
    for (Metric metric : query.metrics()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", metric.name());
      entry.put("label", metric.label());
      entry.put("format", metric.format());
      metrics.add(entry);
    }
    json.put("metrics", metrics);
    json.put("rows", rows.rows());
    json.put("note", note(query, rows));
    return json;
  }

  /** Says when a limit cut the chart's rows, e.g. 按“企业数”取前 20 个网格. */
  private static String note(ChartQuery query, QueryResult rows) {
    Chart chart = query.chart();
    if (chart.kind() == ChartKind.BAR) {
      long categories = rows.rows().stream().map(row -> row.get(0)).distinct().count();
      if (categories >= ChartQuery.BAR_CATEGORY_LIMIT) {
        return "按“"
            + query.metrics().get(0).label()
            + "”取前 "
            + ChartQuery.BAR_CATEGORY_LIMIT
            + " 个"
            + query.dimensions().get(0).label();
      }
    }
    if (chart.kind() == ChartKind.TABLE && rows.rows().size() >= ChartQuery.TABLE_ROW_LIMIT) {
      return "只列前 " + ChartQuery.TABLE_ROW_LIMIT + " 行";
    }
    return null;
  }

  private static String html(
      List<DashboardDefinition> dashboards, List<Map<String, Object>> pageDashboards) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("title", TITLE);
    data.put("dashboards", pageDashboards);
    String json;
    try {
      json = JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the report data", e);
    }
    // inside <script>, "</" would end the element; "\/" is the same JSON string
    json = json.replace("</", "<\\/");
    StringBuilder page = new StringBuilder();
    page.append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(escape(TITLE))
        .append("</title>\n<style>\n")
        .append(resource("report.css"))
        .append("</style>\n</head>\n<body>\n<header class=\"page-header\">\n<h1>")
        .append(escape(TITLE))
        .append("</h1>\n<nav>");
    for (DashboardDefinition dashboard : dashboards) {
      page.append("<a href=\"#")
          .append(escape(dashboard.name()))
          .append("\">")
          .append(escape(dashboard.title()))
          .append("</a>");
    }
    page.append("</nav>\n</header>\n<main>\n")
        .append("<noscript><p class=\"warning\">本报告的图表由页面内脚本绘制，请允许脚本运行。</p></noscript>\n");
    for (DashboardDefinition dashboard : dashboards) {
      page.append("<section class=\"dashboard\" id=\"")
          .append(escape(dashboard.name()))
          .append("\">\n<h2>")
          .append(escape(dashboard.title()))
          .append("</h2>\n<p class=\"description\">")
          .append(escape(dashboard.description()))
          .append("</p>\n");
      for (List<String> row : dashboard.layout()) {
        page.append("<div class=\"row\">\n");
        for (String name : row) {
          Chart chart = dashboard.chart(name).orElseThrow();
          page.append("<figure class=\"chart kind-")
              .append(chart.kind().name().toLowerCase(Locale.ROOT))
              .append("\" data-chart=\"")
              .append(escape(chart.name()))
              .append("\" style=\"grid-column: span ")
              .append(chart.width())
              .append("\">\n<figcaption>")
              .append(escape(chart.title()))
              .append("</figcaption>\n<div class=\"plot\"></div>\n</figure>\n");
        }
        page.append("</div>\n");
      }
      page.append("</section>\n");
    }
    page.append("</main>\n<footer>数据来源：数据湖（Trino iceberg 目录）中的看板数据集；")
        .append("生成命令 <code>./warehouse dashboards report</code>。</footer>\n")
        .append("<script type=\"application/json\" id=\"report-data\">")
        .append(json)
        .append("</script>\n<script>\n")
        .append(resource("report.js"))
        .append("</script>\n</body>\n</html>\n");
    return page.toString();
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String resource(String name) {
    String path = RESOURCES + name;
    try (InputStream in = DashboardReport.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read resource " + path, e);
    }
  }
}
