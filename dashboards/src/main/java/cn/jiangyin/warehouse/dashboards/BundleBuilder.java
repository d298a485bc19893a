package cn.jiangyin.warehouse.dashboards;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Chart;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.ChartKind;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Column;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Metric;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the Superset import bundle (Superset's "v1" export format, {@code version: 1.0.0}) from
 * the dashboard definitions: {@code <top>/metadata.yaml}, {@code databases/}, {@code
 * datasets/<database>/}, {@code charts/} and {@code dashboards/}, linked by name-based uuids that
 * stay the same from build to build.
 *
 * <p>The keys written are those every Superset release since the v1 format accepts (e.g. no {@code
 * catalog} or {@code theme_uuid}), so one bundle imports into old and new servers alike. {@link
 * BundleValidator} checks the result against Superset's import schemas.
 */
public final class BundleBuilder {
  public static final String TOP_FOLDER = "jiangyin_dashboards";
  public static final String DATABASE_NAME = "jiangyin_lake";
  public static final String EXPORT_VERSION = "1.0.0";
  public static final String TRINO_URI_DEFAULT = "trino://trino@localhost:8080/iceberg";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter PYTHON_ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

  private final String trinoUri;

  private BundleBuilder(String trinoUri) {
    this.trinoUri = trinoUri;
  }

  /**
   * A builder for the Trino at {@code trinoUri}, which must read {@code
   * trino://[user@]host:port/iceberg} (the catalog the datasets' SQL is written for).
   */
  public static BundleBuilder forTrino(String trinoUri) {
    requireNonNull(trinoUri, "trinoUri is null");
    URI uri;
    try {
      uri = new URI(trinoUri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Invalid Trino URI: " + trinoUri, e);
    }
    if (!"trino".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Invalid Trino URI (want trino://host:port/iceberg): " + trinoUri);
    }
    if (!"/iceberg".equals(uri.getPath())) {
      throw new IllegalArgumentException(
          "Invalid Trino URI, the catalog must be iceberg (trino://host:port/iceberg): "
              + trinoUri);
    }
    if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
      throw new IllegalArgumentException(
          "Invalid Trino URI, a password must not be written into the bundle: "
              + trinoUri.replace(uri.getUserInfo(), "***"));
    }
    return new BundleBuilder(trinoUri);
  }

  public static UUID databaseUuid() {
    return StableUuids.of("database", DATABASE_NAME);
  }

  public static UUID datasetUuid(String dataset) {
    return StableUuids.of("dataset", dataset);
  }

  public static UUID chartUuid(String chart) {
    return StableUuids.of("chart", chart);
  }

  public static UUID dashboardUuid(String dashboard) {
    return StableUuids.of("dashboard", dashboard);
  }

  /** The bundle; {@code timestamp} goes into {@code metadata.yaml} only. */
  public Bundle build(List<DashboardDefinition> definitions, Instant timestamp) {
    requireNonNull(timestamp, "timestamp is null");
    Map<String, String> files = new LinkedHashMap<>();
    files.put(path("metadata.yaml"), BundleYaml.write(metadata(timestamp)));
    files.put(path("databases/" + DATABASE_NAME + ".yaml"), BundleYaml.write(database()));

    Map<String, Integer> datasetIds = new HashMap<>();
    for (DashboardDefinition definition : definitions) {
      for (Dataset dataset : definition.datasets()) {
        datasetIds.put(dataset.name(), datasetIds.size() + 1);
        files.put(
            path("datasets/" + DATABASE_NAME + "/" + dataset.name() + ".yaml"),
            BundleYaml.write(dataset(dataset)));
      }
    }
    Map<String, Integer> chartIds = new HashMap<>();
    for (DashboardDefinition definition : definitions) {
      for (Chart chart : definition.charts()) {
        chartIds.put(chart.name(), chartIds.size() + 1);
        Dataset dataset =
            definition.datasets().stream()
                .filter(d -> d.name().equals(chart.dataset()))
                .findFirst()
                .orElseThrow();
        files.put(
            path("charts/" + chart.name() + ".yaml"),
            BundleYaml.write(chart(chart, dataset, datasetIds.get(dataset.name()))));
      }
    }
    for (DashboardDefinition definition : definitions) {
      files.put(
          path("dashboards/" + definition.name() + ".yaml"),
          BundleYaml.write(dashboard(definition, chartIds)));
    }
    return new Bundle(files);
  }

  private static String path(String inside) {
    return TOP_FOLDER + "/" + inside;
  }

  private static Map<String, Object> metadata(Instant timestamp) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("version", EXPORT_VERSION);
    metadata.put("type", "Dashboard");
    metadata.put(
        "timestamp",
        PYTHON_ISO.format(timestamp.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)));
    return metadata;
  }

  private Map<String, Object> database() {
    Map<String, Object> database = new LinkedHashMap<>();
    database.put("database_name", DATABASE_NAME);
    database.put("sqlalchemy_uri", trinoUri);
    database.put("cache_timeout", null);
    database.put("expose_in_sqllab", true);
    database.put("allow_run_async", false);
    database.put("allow_ctas", false);
    database.put("allow_cvas", false);
    database.put("allow_dml", false);
    database.put("allow_csv_upload", false);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("metadata_params", Map.of());
    extra.put("engine_params", Map.of());
    extra.put("metadata_cache_timeout", Map.of());
    extra.put("schemas_allowed_for_csv_upload", List.of());
    database.put("extra", extra);
    database.put("uuid", databaseUuid().toString());
    database.put("version", EXPORT_VERSION);
    return database;
  }

  private static Map<String, Object> dataset(Dataset dataset) {
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("table_name", dataset.name());
    file.put("main_dttm_col", dataset.time().orElse(null));
    file.put("description", describe(dataset));
    file.put("default_endpoint", null);
    file.put("offset", 0);
    file.put("cache_timeout", null);
    file.put("schema", null);
    file.put("sql", dataset.servedSql() + "\n");
    file.put("params", null);
    file.put("template_params", null);
    file.put("filter_select_enabled", true);
    file.put("fetch_values_predicate", null);
    file.put("extra", null);
    file.put("uuid", datasetUuid(dataset.name()).toString());
    List<Object> metrics = new ArrayList<>();
    for (Metric metric : dataset.metrics()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("metric_name", metric.name());
      m.put("verbose_name", metric.label());
      m.put("metric_type", null);
      m.put("expression", metric.expression());
      m.put("description", null);
      m.put("d3format", metric.format());
      m.put("extra", Map.of());
      m.put("warning_text", null);
      metrics.add(m);
    }
    file.put("metrics", metrics);
    List<Object> columns = new ArrayList<>();
    for (Column column : dataset.columns()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("column_name", column.name());
      c.put("verbose_name", column.label());
      c.put("is_dttm", column.temporal());
      c.put("is_active", true);
      c.put("type", column.type());
      c.put("groupby", true);
      c.put("filterable", true);
      c.put("expression", null);
      c.put("description", null);
      c.put("python_date_format", null);
      c.put("extra", Map.of());
      columns.add(c);
    }
    file.put("columns", columns);
    file.put("version", EXPORT_VERSION);
    file.put("database_uuid", databaseUuid().toString());
    return file;
  }

  /**
   * The description carries the lake tables read, for people looking at the dataset in Superset.
   */
  private static String describe(Dataset dataset) {
    String source = "视图 " + dataset.view() + "，读取：" + String.join("、", dataset.tables());
    return dataset.description().isEmpty() ? source : dataset.description() + "（" + source + "）";
  }

  private static Map<String, Object> chart(Chart chart, Dataset dataset, int datasetId) {
    String datasource = datasetId + "__table";
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("datasource", datasource);
    params.put("viz_type", chart.kind().vizType());
    List<String> groupby = chart.series() == null ? List.of() : List.of(chart.series());
    switch (chart.kind()) {
      case BAR, LINE -> {
        params.put("x_axis", chart.x());
        if (chart.kind() == ChartKind.LINE) {
          params.put("time_grain_sqla", "P1M");
        }
        params.put("metrics", chart.metrics());
        params.put("groupby", groupby);
        params.put("x_axis_sort_asc", true);
        params.put("order_desc", true);
        params.put("row_limit", 10000);
        params.put("truncate_metric", true);
        params.put("show_legend", true);
        params.put("legendType", "scroll");
        params.put("legendOrientation", "top");
        params.put("rich_tooltip", true);
        params.put("y_axis_format", "SMART_NUMBER");
        if (chart.kind() == ChartKind.BAR) {
          params.put("orientation", "vertical");
          params.put("stack", chart.series() == null ? null : "Stack");
        } else {
          params.put("x_axis_time_format", "%Y-%m");
          params.put("markerEnabled", true);
        }
      }
      case PIE -> {
        params.put("groupby", List.of(chart.x()));
        params.put("metric", chart.metrics().get(0));
        params.put("row_limit", 100);
        params.put("sort_by_metric", true);
        params.put("show_labels", true);
        params.put("label_type", "key_percent");
        params.put("show_legend", true);
        params.put("number_format", "SMART_NUMBER");
      }
      case TABLE -> {
        params.put("query_mode", "aggregate");
        params.put("groupby", chart.columns());
        params.put("metrics", chart.metrics());
        params.put("all_columns", List.of());
        params.put("percent_metrics", List.of());
        params.put("order_desc", true);
        params.put("row_limit", 1000);
        params.put("table_timestamp_format", "smart_date");
        params.put("show_cell_bars", true);
      }
      case BIG_NUMBER -> {
        params.put("metric", chart.metrics().get(0));
        params.put("header_font_size", 0.4);
        params.put("subheader_font_size", 0.15);
        params.put("y_axis_format", "SMART_NUMBER");
      }
    }
    params.put("adhoc_filters", List.of());
    params.put("extra_form_data", Map.of());
    params.put("color_scheme", "supersetColors");
    params.put("dashboards", List.of());

    Map<String, Object> file = new LinkedHashMap<>();
    file.put("slice_name", chart.title());
    file.put("viz_type", chart.kind().vizType());
    file.put("params", params);
    file.put("query_context", queryContext(chart, datasetId, params));
    file.put("cache_timeout", null);
    file.put("uuid", chartUuid(chart.name()).toString());
    file.put("version", EXPORT_VERSION);
    file.put("dataset_uuid", datasetUuid(dataset.name()).toString());
    return file;
  }

  /**
   * The saved query of the chart, as Superset's chart API stores it: a JSON string with the
   * datasource, one query and the form data. Superset rewrites the datasource id on import.
   */
  private static String queryContext(Chart chart, int datasetId, Map<String, Object> params) {
    Map<String, Object> datasource = new LinkedHashMap<>();
    datasource.put("id", datasetId);
    datasource.put("type", "table");
    Map<String, Object> query = new LinkedHashMap<>();
    List<Object> columns = new ArrayList<>();
    List<String> metrics = chart.metrics();
    List<Object> postProcessing = new ArrayList<>();
    switch (chart.kind()) {
      case BAR, LINE -> {
        Map<String, Object> xColumn = new LinkedHashMap<>();
        xColumn.put("columnType", "BASE_AXIS");
        xColumn.put("sqlExpression", chart.x());
        xColumn.put("label", chart.x());
        xColumn.put("expressionType", "SQL");
        if (chart.kind() == ChartKind.LINE) {
          xColumn.put("timeGrain", "P1M");
        }
        columns.add(xColumn);
        if (chart.series() != null) {
          columns.add(chart.series());
        }
        Map<String, Object> aggregates = new LinkedHashMap<>();
        for (String metric : metrics) {
          aggregates.put(metric, Map.of("operator", "mean"));
        }
        Map<String, Object> pivotOptions = new LinkedHashMap<>();
        pivotOptions.put("index", List.of(chart.x()));
        pivotOptions.put("columns", chart.series() == null ? List.of() : List.of(chart.series()));
        pivotOptions.put("aggregates", aggregates);
        pivotOptions.put("drop_missing_columns", false);
        postProcessing.add(ordered("operation", "pivot", "options", pivotOptions));
        postProcessing.add(Map.of("operation", "flatten"));
      }
      case PIE -> columns.add(chart.x());
      case TABLE -> columns.addAll(chart.columns());
      case BIG_NUMBER -> {}
    }
    query.put("filters", List.of());
    query.put("extras", ordered("having", "", "where", ""));
    query.put("applied_time_extras", Map.of());
    query.put("columns", columns);
    query.put("metrics", metrics);
    query.put("orderby", metrics.isEmpty() ? List.of() : List.of(List.of(metrics.get(0), false)));
    query.put("annotation_layers", List.of());
    query.put("row_limit", params.getOrDefault("row_limit", 10000));
    query.put("series_limit", 0);
    query.put("order_desc", true);
    query.put("url_params", Map.of());
    query.put("custom_params", Map.of());
    query.put("custom_form_data", Map.of());
    query.put("post_processing", postProcessing);

    Map<String, Object> formData = new LinkedHashMap<>(params);
    formData.put("force", false);
    formData.put("result_format", "json");
    formData.put("result_type", "full");

    Map<String, Object> context = new LinkedHashMap<>();
    context.put("datasource", datasource);
    context.put("force", false);
    context.put("queries", List.of(query));
    context.put("form_data", formData);
    context.put("result_format", "json");
    context.put("result_type", "full");
    try {
      return JSON.writeValueAsString(context);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write query_context of chart " + chart.name(), e);
    }
  }

  private static Map<String, Object> dashboard(
      DashboardDefinition definition, Map<String, Integer> chartIds) {
    Map<String, Object> position = new LinkedHashMap<>();
    position.put("DASHBOARD_VERSION_KEY", "v2");
    position.put("ROOT_ID", element("ROOT_ID", "ROOT", List.of("GRID_ID"), null, List.of()));
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("id", "HEADER_ID");
    header.put("type", "HEADER");
    header.put("meta", Map.of("text", definition.title()));
    position.put("HEADER_ID", header);
    List<String> rowIds = new ArrayList<>();
    for (int i = 0; i < definition.layout().size(); i++) {
      rowIds.add("ROW-" + definition.name() + "-" + (i + 1));
    }
    position.put("GRID_ID", element("GRID_ID", "GRID", rowIds, null, List.of("ROOT_ID")));
    for (int i = 0; i < definition.layout().size(); i++) {
      List<String> row = definition.layout().get(i);
      List<String> chartElementIds = row.stream().map(name -> "CHART-" + name).toList();
      position.put(
          rowIds.get(i),
          element(
              rowIds.get(i),
              "ROW",
              chartElementIds,
              Map.of("background", "BACKGROUND_TRANSPARENT"),
              List.of("ROOT_ID", "GRID_ID")));
      for (String chartName : row) {
        Chart chart = definition.chart(chartName).orElseThrow();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("chartId", chartIds.get(chartName));
        meta.put("height", chart.height());
        meta.put("sliceName", chart.title());
        meta.put("uuid", chartUuid(chartName).toString());
        meta.put("width", chart.width());
        position.put(
            "CHART-" + chartName,
            element(
                "CHART-" + chartName,
                "CHART",
                List.of(),
                meta,
                List.of("ROOT_ID", "GRID_ID", rowIds.get(i))));
      }
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("timed_refresh_immune_slices", List.of());
    metadata.put("expanded_slices", Map.of());
    metadata.put("refresh_frequency", 0);
    metadata.put("default_filters", "{}");
    metadata.put("color_scheme", null);
    metadata.put("label_colors", Map.of());
    metadata.put("native_filter_configuration", List.of());

    Map<String, Object> file = new LinkedHashMap<>();
    file.put("dashboard_title", definition.title());
    file.put("description", definition.description().isEmpty() ? null : definition.description());
    file.put("css", "");
    file.put("slug", definition.name().replace('_', '-'));
    file.put("uuid", dashboardUuid(definition.name()).toString());
    file.put("position", position);
    file.put("metadata", metadata);
    file.put("version", EXPORT_VERSION);
    return file;
  }

  /** A map in the order given; {@code Map.of} iterates in an order that changes between runs. */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static Map<String, Object> element(
      String id,
      String type,
      List<String> children,
      Map<String, Object> meta,
      List<String> parents) {
    Map<String, Object> element = new LinkedHashMap<>();
    element.put("children", children);
    element.put("id", id);
    if (meta != null) {
      element.put("meta", meta);
    }
    if (!parents.isEmpty()) {
      element.put("parents", parents);
    }
    element.put("type", type);
    return element;
  }
}
