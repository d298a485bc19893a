package cn.jiangyin.warehouse.dashboards;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.offset;

import cn.jiangyin.warehouse.cli.WarehouseCommand;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Chart;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.ChartKind;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Column;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Metric;
import cn.jiangyin.warehouse.dashboards.report.ChartQuery;
import cn.jiangyin.warehouse.dashboards.report.DashboardReport;
import cn.jiangyin.warehouse.dashboards.report.QueryResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leadership dashboards on demo-like data ({@link SimulatedLake}: simulator → Debezium capture
 * → every build stage → catalogue → a real Trino): every dataset's SQL returns rows with the
 * declared columns and types, and the HTML report, opened in headless Chromium, draws every chart
 * with the numbers Trino returns for it.
 */
class DashboardDatasetsIT {
  /** Debian's package; .ci/services installs it. */
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /**
   * The role Superset and the report connect as: it reads the datasets' views (schema dashboard,
   * created by {@code trino views}) and not the tables under them.
   */
  private static final String USER = "dashboard";

  private static final Pattern TYPE_PARAMETERS = Pattern.compile("\\(\\d+(,\\s*\\d+)?\\)");
  private static final Pattern FIGURE =
      Pattern.compile("<figure\\b([^>]*)>(.*?)</figure>", Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("<([a-z]+)\\b([^>]*)>");
  private static final Pattern CELL = Pattern.compile("<td\\b([^>]*)>([^<]*)</td>");
  private static final Pattern ATTRIBUTE = Pattern.compile("([a-z][a-z0-9-]*)=\"([^\"]*)\"");
  private static final Pattern BIG_VALUE =
      Pattern.compile("<text\\b[^>]*class=\"[^\"]*\\bmark\\b[^\"]*\"[^>]*>([^<]*)<title>");
  private static final Pattern FORMAT = Pattern.compile("^(,?)(?:\\.(\\d+))?([df%])$");

  @TempDir static Path home;
  private static SimulatedLake lake;
  private static List<DashboardDefinition> dashboards;

  @BeforeAll
  static void buildLake() throws Exception {
    long started = System.nanoTime();
    String prefix = "dash_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36) + "_";
    lake = SimulatedLake.build(prefix, home, 11, 0.3, line -> System.out.println("[lake] " + line));
    System.out.printf(
        "DashboardDatasetsIT: lake ready in %d s%n", (System.nanoTime() - started) / 1_000_000_000);
    dashboards = DashboardDefinitions.bundled();
  }

  @AfterAll
  static void dropLake() throws Exception {
    if (lake != null) {
      lake.close();
    }
  }

  @Test
  void everyDatasetReturnsRowsWithItsDeclaredColumns() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    int datasets = 0;
    try (Connection trino = lake.trinoAs(USER);
        Statement statement = trino.createStatement()) {
      for (DashboardDefinition dashboard : dashboards) {
        for (Dataset dataset : dashboard.datasets()) {
          datasets++;
          String where = dashboard.file() + " dataset " + dataset.name();
          try (ResultSet result = statement.executeQuery(dataset.servedSql())) {
            ResultSetMetaData metadata = result.getMetaData();
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            for (int i = 1; i <= metadata.getColumnCount(); i++) {
              columns.add(metadata.getColumnLabel(i));
              types.add(
                  TYPE_PARAMETERS
                      .matcher(metadata.getColumnTypeName(i).toUpperCase(Locale.ROOT))
                      .replaceAll(""));
            }
            softly
                .assertThat(columns)
                .as(where + " columns")
                .isEqualTo(dataset.columns().stream().map(Column::name).toList());
            softly
                .assertThat(types)
                .as(where + " column types")
                .isEqualTo(dataset.columns().stream().map(Column::type).toList());
            int rows = 0;
            while (result.next()) {
              rows++;
            }
            softly.assertThat(rows).as(where + " rows (reads %s)", dataset.tables()).isPositive();
          } catch (SQLException e) {
            softly.fail(where + " failed on Trino: " + e.getMessage());
          }
          for (Metric metric : dataset.metrics()) {
            checkMetric(softly, statement, where + " metric " + metric.name(), dataset, metric);
          }
        }
      }
    }
    assertThat(datasets).isGreaterThanOrEqualTo(14);
    softly.assertAll();
  }

  /**
   * The simulator overruns some applications, so the government-services rates are figures, not a
   * constant 100 %: some completed handlings are late, and some "2440" ones miss their limit.
   */
  @Test
  void governmentServiceRatesAreBelowOneHundredPercent() throws Exception {
    DashboardDefinition services =
        dashboards.stream()
            .filter(dashboard -> dashboard.name().equals("government_services"))
            .findFirst()
            .orElseThrow();
    try (Connection trino = lake.trinoAs(USER);
        Statement statement = trino.createStatement()) {
      for (String chart : List.of("rate_2440_total", "on_time_by_department")) {
        Chart found = services.chart(chart).orElseThrow();
        Dataset dataset =
            services.datasets().stream()
                .filter(d -> d.name().equals(found.dataset()))
                .findFirst()
                .orElseThrow();
        Metric rate =
            dataset.metrics().stream()
                .filter(metric -> metric.name().equals(found.metrics().get(0)))
                .findFirst()
                .orElseThrow();
        try (ResultSet result =
            statement.executeQuery(
                "SELECT " + rate.expression() + " FROM (\n" + dataset.servedSql() + "\n) AS d")) {
          assertThat(result.next()).isTrue();
          assertThat(result.getDouble(1))
              .as(chart + " " + rate.label())
              .isGreaterThan(0.5)
              .isLessThan(1.0);
        }
      }
    }
  }

  /**
   * A metric is a value on the whole dataset, and Trino computes it with the precision its format
   * shows: {@code SUM(a) * 1.0 / SUM(b)} is a DECIMAL of scale 1 in Trino, so a rate of 0.96 would
   * read 100.0 %.
   */
  private static void checkMetric(
      SoftAssertions softly, Statement statement, String where, Dataset dataset, Metric metric) {
    String sql = "SELECT " + metric.expression() + " FROM (\n" + dataset.servedSql() + "\n) AS d";
    try (ResultSet result = statement.executeQuery(sql)) {
      softly.assertThat(result.next()).as(where).isTrue();
      softly.assertThat(result.getObject(1)).as(where + " value").isNotNull();
      String type = result.getMetaData().getColumnTypeName(1).toLowerCase(Locale.ROOT);
      Matcher format = FORMAT.matcher(metric.format() == null ? "" : metric.format());
      if (format.matches() && !format.group(3).equals("d")) {
        int digits =
            (format.group(2) == null ? 0 : Integer.parseInt(format.group(2)))
                + (format.group(3).equals("%") ? 2 : 0);
        Matcher decimal = Pattern.compile("decimal\\(\\d+,\\s*(\\d+)\\)").matcher(type);
        softly
            .assertThat(
                type.equals("double")
                    || (decimal.matches() && Integer.parseInt(decimal.group(1)) >= digits))
            .as("%s: type %s cannot show format %s", where, type, metric.format())
            .isTrue();
      }
    } catch (SQLException e) {
      softly.fail(where + " failed on Trino: " + e.getMessage());
    }
  }

  @Test
  void reportOpenedInChromiumDrawsEveryChartWithTrinosNumbers() throws Exception {
    if (!Files.isExecutable(CHROMIUM)) {
      fail(
          CHROMIUM
              + " not found: the report test opens the page in Debian's chromium; install it"
              + " (apt-get install -y chromium, as .ci/services does)");
    }
    Path out = home.resolve("report");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    long started = System.nanoTime();
    int code =
        WarehouseCommand.execute(
            new PrintStream(stdout, true, UTF_8),
            new PrintStream(stderr, true, UTF_8),
            "--home",
            home.toString(),
            "dashboards",
            "report",
            "--out",
            out.toString(),
            "--trino-url",
            lake.trino().jdbcUrl());
    assertThat(code).as(stderr.toString(UTF_8)).isZero();
    assertThat(stdout.toString(UTF_8)).as("the report's default user").contains(" as " + USER);
    System.out.printf(
        "dashboards report: %d ms%n%s",
        (System.nanoTime() - started) / 1_000_000, stdout.toString(UTF_8));
    Path page = out.resolve(DashboardReport.FILE_NAME);
    String html = Files.readString(page, UTF_8);
    assertThat(html.replace("http://www.w3.org/2000/svg", ""))
        .contains("信用总览")
        .doesNotContain("http://", "https://", "<svg");
    assertThat(stderr.toString(UTF_8)).as("no chart without data").doesNotContain("warning:");

    String dom = dumpDom(page);
    assertThat(dom).contains("data-report=\"rendered\"");
    Map<String, String> figures = new HashMap<>();
    Matcher figure = FIGURE.matcher(dom);
    while (figure.find()) {
      figures.put(attributes(figure.group(1)).get("data-chart"), figure.group(2));
    }

    SoftAssertions softly = new SoftAssertions();
    int charts = 0;
    try (Connection trino = lake.trinoAs(USER)) {
      for (DashboardDefinition dashboard : dashboards) {
        for (Chart chart : dashboard.charts()) {
          charts++;
          Dataset dataset =
              dashboard.datasets().stream()
                  .filter(d -> d.name().equals(chart.dataset()))
                  .findFirst()
                  .orElseThrow();
          ChartQuery query = ChartQuery.of(chart, dataset);
          QueryResult expected = QueryResult.run(trino, query.sql());
          String where = chart.name() + " (" + chart.kind() + ")";
          String body = figures.get(chart.name());
          softly.assertThat(body).as(where + " figure").isNotNull();
          if (body == null) {
            continue;
          }
          softly.assertThat(expected.rows()).as(where + " rows from Trino").isNotEmpty();
          checkChart(softly, where, query, expected, body);
        }
      }
    }
    assertThat(figures).hasSize(charts);
    softly.assertAll();
  }

  private static void checkChart(
      SoftAssertions softly, String where, ChartQuery query, QueryResult expected, String body) {
    Chart chart = query.chart();
    List<Metric> metrics = query.metrics();
    if (chart.kind() == ChartKind.BIG_NUMBER) {
      softly.assertThat(body).as(where + " svg").contains("<svg");
      Matcher value = BIG_VALUE.matcher(body);
      softly.assertThat(value.find()).as(where + " big number drawn").isTrue();
      softly
          .assertThat(unescape(value.group(1)))
          .as(where + " big number")
          .isEqualTo(format(expected.rows().get(0).get(0), metrics.get(0).format()));
      return;
    }
    if (chart.kind() == ChartKind.TABLE) {
      List<Map<String, String>> rows =
          tags(body).stream().filter(DashboardDatasetsIT::isMark).toList();
      softly.assertThat(rows).as(where + " table rows").hasSize(expected.rows().size());
      List<String> shown = new ArrayList<>();
      Matcher cell = CELL.matcher(body);
      while (cell.find()) {
        if ("num".equals(attributes(cell.group(1)).get("class"))) {
          shown.add(unescape(cell.group(2)));
        }
      }
      List<String> wanted = new ArrayList<>();
      int dimensions = query.dimensions().size();
      for (List<Object> row : expected.rows()) {
        for (int m = 0; m < metrics.size(); m++) {
          wanted.add(format(row.get(dimensions + m), metrics.get(m).format()));
        }
      }
      softly.assertThat(shown).as(where + " numbers shown").isEqualTo(wanted);
      return;
    }
    // bar, line, pie: one mark per value, keyed by x and series (or metric)
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, String> formats = new HashMap<>();
    for (List<Object> row : expected.rows()) {
      String x = text(row.get(0));
      for (int m = 0; m < metrics.size(); m++) {
        Object value = row.get(query.dimensions().size() + m);
        if (value == null) {
          continue;
        }
        String key =
            chart.series() == null
                ? metrics.get(m).label()
                : metrics.size() > 1
                    ? text(row.get(1)) + " · " + metrics.get(m).label()
                    : text(row.get(1));
        values.put(x + " | " + key, value);
        formats.put(x + " | " + key, metrics.get(m).format());
      }
    }
    softly.assertThat(body).as(where + " svg").contains("<svg");
    Map<String, Double> marks = new LinkedHashMap<>();
    softly
        .assertThat(tags(body).stream().filter(DashboardDatasetsIT::isMark).count())
        .as(where + " number of marks")
        .isEqualTo(values.size());
    for (Map<String, String> tag : tags(body)) {
      if (isMark(tag)) {
        marks.put(
            unescape(tag.get("data-x")) + " | " + unescape(tag.get("data-key")),
            Double.parseDouble(tag.get("data-value")));
      }
    }
    softly.assertThat(marks.keySet()).as(where + " marks").isEqualTo(values.keySet());
    values.forEach(
        (key, value) ->
            softly
                .assertThat(marks.get(key))
                .as(where + " mark " + key)
                .isCloseTo(
                    ((Number) value).doubleValue(),
                    offset(1e-9 * Math.max(1, Math.abs(((Number) value).doubleValue())))));
    Map<String, String> shown = new LinkedHashMap<>();
    Matcher cell = CELL.matcher(body);
    while (cell.find()) {
      Map<String, String> attributes = attributes(cell.group(1));
      if (attributes.containsKey("data-key")) {
        shown.put(
            unescape(attributes.get("data-x")) + " | " + unescape(attributes.get("data-key")),
            unescape(cell.group(2)));
      }
    }
    Map<String, String> wanted = new LinkedHashMap<>();
    values.forEach((key, value) -> wanted.put(key, format(value, formats.get(key))));
    softly.assertThat(shown).as(where + " numbers in its data table").isEqualTo(wanted);
  }

  private static String dumpDom(Path page) throws Exception {
    Path profile = Files.createTempDirectory(home, "chromium-");
    ProcessBuilder builder =
        new ProcessBuilder(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000",
                "--dump-dom",
                page.toUri().toString())
            .redirectError(home.resolve("chromium.log").toFile());
    Process process = builder.start();
    byte[] dom = process.getInputStream().readAllBytes();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("chromium did not finish within 2 minutes");
    }
    assertThat(process.exitValue())
        .as("chromium exit code (log: %s)", Files.readString(home.resolve("chromium.log")))
        .isZero();
    return new String(dom, UTF_8);
  }

  private static List<Map<String, String>> tags(String html) {
    List<Map<String, String>> tags = new ArrayList<>();
    Matcher tag = TAG.matcher(html);
    while (tag.find()) {
      Map<String, String> attributes = attributes(tag.group(2));
      attributes.put("tag", tag.group(1));
      tags.add(attributes);
    }
    return tags;
  }

  private static boolean isMark(Map<String, String> tag) {
    return List.of(tag.getOrDefault("class", "").split(" ")).contains("mark");
  }

  private static Map<String, String> attributes(String text) {
    Map<String, String> attributes = new HashMap<>();
    Matcher attribute = ATTRIBUTE.matcher(text);
    while (attribute.find()) {
      attributes.put(attribute.group(1), attribute.group(2));
    }
    return attributes;
  }

  private static String unescape(String text) {
    return text == null
        ? null
        : text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&nbsp;", "\u00a0")
            .replace("&amp;", "&");
  }

  private static String text(Object value) {
    return value == null ? "—" : value.toString();
  }

  /** The d3 formats of the definitions, as a reader sees them: ",d", ",.2f", ".1%". */
  private static String format(Object value, String pattern) {
    if (value == null) {
      return "—";
    }
    double number = ((Number) value).doubleValue();
    Matcher matcher = FORMAT.matcher(pattern == null ? "" : pattern);
    boolean comma;
    int digits;
    String type;
    if (matcher.matches()) {
      comma = !matcher.group(1).isEmpty();
      digits = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
      type = matcher.group(3);
    } else {
      comma = true;
      boolean integer = number == Math.rint(number) && !Double.isInfinite(number);
      digits = integer ? 0 : 2;
      type = integer ? "d" : "f";
    }
    double scaled = type.equals("%") ? number * 100 : number;
    String text =
        new BigDecimal(scaled)
            .setScale(type.equals("d") ? 0 : digits, RoundingMode.HALF_UP)
            .toPlainString();
    if (comma) {
      int point = text.indexOf('.');
      String integer = point < 0 ? text : text.substring(0, point);
      String rest = point < 0 ? "" : text.substring(point);
      integer = integer.replaceAll("\\B(?=(\\d{3})+(?!\\d))", ",");
      text = integer + rest;
    }
    return type.equals("%") ? text + "%" : text;
  }
}
