package cn.jiangyin.warehouse.dashboards;

import static cn.jiangyin.warehouse.yaml.YamlDocument.optional;
import static cn.jiangyin.warehouse.yaml.YamlDocument.required;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Chart;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.ChartKind;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Column;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Metric;
import cn.jiangyin.warehouse.standard.DivisionCodes;
import cn.jiangyin.warehouse.standard.Town;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the dashboard definitions (看板定义) people edit and checks them, reporting {@code file:line:
 * what is wrong}: unknown keys, charts naming columns or metrics their dataset lacks, a layout that
 * misses or repeats a chart, and a {@code tables} list that disagrees with the tables the SQL
 * reads.
 */
public final class DashboardDefinitions {
  /** Classpath folder of the bundled definitions, listed in its {@code index.txt}. */
  public static final String RESOURCE_FOLDER = "dashboards/";

  /**
   * Written in a dataset's SQL, expands to a {@code VALUES} relation {@code town(town_code,
   * town_name)} of the GB/T 2260 towns of Jiangyin, so labels come from the one standard list.
   */
  public static final String TOWNS_PLACEHOLDER = "${towns}";

  /** Grid width of a Superset dashboard row. */
  static final int ROW_WIDTH = 12;

  private static final Pattern TABLE_REFERENCE =
      Pattern.compile(
          "\\biceberg\\.([a-z_][a-z0-9_]*)\\.([a-z_][a-z0-9_]*)", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Set<String> FORBIDDEN_SCHEMAS = Set.of("restricted", "raw");

  private static final Set<String> TOP_KEYS =
      Set.of("name", "title", "description", "datasets", "charts", "layout");
  private static final Set<String> DATASET_KEYS =
      Set.of("name", "description", "tables", "sql", "time-column", "columns", "metrics");
  private static final Set<String> COLUMN_KEYS = Set.of("name", "type", "label");
  private static final Set<String> METRIC_KEYS = Set.of("name", "label", "expression", "format");
  private static final Set<String> CHART_KEYS =
      Set.of(
          "name", "title", "kind", "dataset", "x", "series", "columns", "metrics", "width",
          "height");

  private DashboardDefinitions() {}

  /** The definitions shipped in this module's resources. */
  public static List<DashboardDefinition> bundled() {
    ClassLoader loader = DashboardDefinitions.class.getClassLoader();
    List<String> files = lines(loader, RESOURCE_FOLDER + "index.txt");
    List<DashboardDefinition> definitions = new ArrayList<>();
    for (String file : files) {
      String text = String.join("\n", lines(loader, RESOURCE_FOLDER + file));
      definitions.add(parse(RESOURCE_FOLDER + file, text));
    }
    checkUnique(definitions);
    return List.copyOf(definitions);
  }

  /** Every {@code *.yaml} file of {@code folder}, in file-name order. */
  public static List<DashboardDefinition> read(Path folder) {
    List<Path> files;
    try (Stream<Path> listing = Files.list(folder)) {
      files = listing.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new InvalidFileException(folder.toString(), 0, "cannot list folder: " + e.getMessage());
    }
    List<DashboardDefinition> definitions = new ArrayList<>();
    for (Path file : files) {
      definitions.add(from(YamlDocument.read(file)));
    }
    checkUnique(definitions);
    return List.copyOf(definitions);
  }

  public static DashboardDefinition parse(String file, String text) {
    return from(YamlDocument.parse(file, text));
  }

  private static DashboardDefinition from(YamlDocument document) {
    Entry root = document.root();
    Map<String, Entry> top = root.mapping(TOP_KEYS);
    String name = name(required(root, top, "name"));
    List<Dataset> datasets = new ArrayList<>();
    Map<String, Dataset> datasetsByName = new HashMap<>();
    for (Entry entry : required(root, top, "datasets").sequence()) {
      Dataset dataset = dataset(entry);
      if (datasetsByName.put(dataset.name(), dataset) != null) {
        throw entry.invalid("dataset '%s' is defined twice", dataset.name());
      }
      datasets.add(dataset);
    }
    List<Chart> charts = new ArrayList<>();
    Set<String> chartNames = new HashSet<>();
    for (Entry entry : required(root, top, "charts").sequence()) {
      Chart chart = chart(entry, datasetsByName);
      if (!chartNames.add(chart.name())) {
        throw entry.invalid("chart '%s' is defined twice", chart.name());
      }
      charts.add(chart);
    }
    List<List<String>> layout = layout(required(root, top, "layout"), charts);
    return new DashboardDefinition(
        name,
        required(root, top, "title").text(),
        optional(top, "description").map(Entry::text).orElse(""),
        document.file(),
        datasets,
        charts,
        layout);
  }

  private static Dataset dataset(Entry entry) {
    Map<String, Entry> keys = entry.mapping(DATASET_KEYS);
    String name = name(required(entry, keys, "name"));
    Entry sqlEntry = required(entry, keys, "sql");
    String sql = expandTowns(sqlEntry.text().strip());
    Entry tablesEntry = required(entry, keys, "tables");
    Set<String> declared = new TreeSet<>();
    for (Entry table : tablesEntry.sequence()) {
      declared.add(table.text());
    }
    Set<String> referenced = referencedTables(sql);
    for (String table : referenced) {
      String schema = table.substring(0, table.indexOf('.'));
      if (FORBIDDEN_SCHEMAS.contains(schema)) {
        throw sqlEntry.invalid(
            "dataset '%s' reads %s; dashboards must not read the %s schema", name, table, schema);
      }
    }
    if (!declared.equals(referenced)) {
      throw tablesEntry.invalid(
          "dataset '%s' declares tables %s but its SQL reads %s (write tables as iceberg.<schema>.<table>)",
          name, declared, referenced);
    }
    List<Column> columns = new ArrayList<>();
    for (Entry column : required(entry, keys, "columns").sequence()) {
      Map<String, Entry> columnKeys = column.mapping(COLUMN_KEYS);
      columns.add(
          new Column(
              name(required(column, columnKeys, "name")),
              required(column, columnKeys, "type").text().toUpperCase(Locale.ROOT),
              required(column, columnKeys, "label").text()));
    }
    List<Metric> metrics = new ArrayList<>();
    for (Entry metric : optional(keys, "metrics").map(Entry::sequence).orElse(List.of())) {
      Map<String, Entry> metricKeys = metric.mapping(METRIC_KEYS);
      metrics.add(
          new Metric(
              name(required(metric, metricKeys, "name")),
              required(metric, metricKeys, "label").text(),
              required(metric, metricKeys, "expression").text(),
              optional(metricKeys, "format").map(Entry::text).orElse(null)));
    }
    String time = optional(keys, "time-column").map(Entry::text).orElse(null);
    Dataset dataset =
        new Dataset(
            name,
            optional(keys, "description").map(Entry::text).orElse(""),
            List.copyOf(declared),
            sql,
            time,
            columns,
            metrics);
    if (time != null
        && dataset.columns().stream().noneMatch(c -> c.name().equals(time) && c.temporal())) {
      throw keys.get("time-column")
          .invalid(
              "time-column '%s' is not a DATE or TIMESTAMP column of dataset '%s'", time, name);
    }
    return dataset;
  }

  private static Chart chart(Entry entry, Map<String, Dataset> datasets) {
    Map<String, Entry> keys = entry.mapping(CHART_KEYS);
    String name = name(required(entry, keys, "name"));
    Entry kindEntry = required(entry, keys, "kind");
    ChartKind kind;
    try {
      kind = ChartKind.valueOf(kindEntry.text().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw kindEntry.invalid(
          "unknown chart kind '%s' (use %s)",
          kindEntry.text(),
          Stream.of(ChartKind.values())
              .map(k -> k.name().toLowerCase(Locale.ROOT))
              .collect(Collectors.joining(", ")));
    }
    Entry datasetEntry = required(entry, keys, "dataset");
    Dataset dataset = datasets.get(datasetEntry.text());
    if (dataset == null) {
      throw datasetEntry.invalid(
          "chart '%s' uses dataset '%s', which this file does not define",
          name, datasetEntry.text());
    }
    String x = optional(keys, "x").map(Entry::text).orElse(null);
    String series = optional(keys, "series").map(Entry::text).orElse(null);
    List<String> columns = texts(keys.get("columns"));
    List<String> metrics = texts(keys.get("metrics"));
    for (String column : Stream.concat(Stream.of(x, series), columns.stream()).toList()) {
      if (column != null && !dataset.hasColumn(column)) {
        throw entry.invalid(
            "chart '%s' uses column '%s', which dataset '%s' does not have",
            name, column, dataset.name());
      }
    }
    for (String metric : metrics) {
      if (!dataset.hasMetric(metric)) {
        throw entry.invalid(
            "chart '%s' uses metric '%s', which dataset '%s' does not define",
            name, metric, dataset.name());
      }
    }
    switch (kind) {
      case BAR, LINE, PIE -> {
        if (x == null || metrics.isEmpty()) {
          throw entry.invalid("chart '%s' of kind %s needs x and at least one metric", name, kind);
        }
      }
      case BIG_NUMBER -> {
        if (metrics.size() != 1) {
          throw entry.invalid("chart '%s' of kind big_number needs exactly one metric", name);
        }
      }
      case TABLE -> {
        if (columns.isEmpty()) {
          throw entry.invalid("chart '%s' of kind table needs columns", name);
        }
      }
    }
    if (kind == ChartKind.LINE
        && !dataset.columns().stream().anyMatch(c -> c.name().equals(x) && c.temporal())) {
      throw entry.invalid("chart '%s' of kind line needs a DATE or TIMESTAMP column as x", name);
    }
    int width = optional(keys, "width").map(Entry::integer).orElse(6);
    if (width < 1 || width > ROW_WIDTH) {
      throw keys.get("width").invalid("width must be between 1 and %d, found %d", ROW_WIDTH, width);
    }
    int height = optional(keys, "height").map(Entry::integer).orElse(50);
    return new Chart(
        name,
        required(entry, keys, "title").text(),
        kind,
        dataset.name(),
        x,
        series,
        columns,
        metrics,
        width,
        height);
  }

  private static List<List<String>> layout(Entry layoutEntry, List<Chart> charts) {
    Map<String, Chart> byName = new HashMap<>();
    charts.forEach(chart -> byName.put(chart.name(), chart));
    Set<String> placed = new HashSet<>();
    List<List<String>> rows = new ArrayList<>();
    for (Entry rowEntry : layoutEntry.sequence()) {
      List<String> row = texts(rowEntry);
      int width = 0;
      for (String chartName : row) {
        Chart chart = byName.get(chartName);
        if (chart == null) {
          throw rowEntry.invalid(
              "layout names chart '%s', which this file does not define", chartName);
        }
        if (!placed.add(chartName)) {
          throw rowEntry.invalid("layout places chart '%s' twice", chartName);
        }
        width += chart.width();
      }
      if (width > ROW_WIDTH) {
        throw rowEntry.invalid("row %s is %d wide; a row holds %d", row, width, ROW_WIDTH);
      }
      rows.add(row);
    }
    for (Chart chart : charts) {
      if (!placed.contains(chart.name())) {
        throw layoutEntry.invalid("layout does not place chart '%s'", chart.name());
      }
    }
    return rows;
  }

  /** The {@code schema.table} names the SQL reads, written {@code iceberg.schema.table}. */
  static Set<String> referencedTables(String sql) {
    Set<String> tables = new TreeSet<>();
    Matcher matcher = TABLE_REFERENCE.matcher(sql);
    while (matcher.find()) {
      tables.add(
          matcher.group(1).toLowerCase(Locale.ROOT)
              + "."
              + matcher.group(2).toLowerCase(Locale.ROOT));
    }
    return tables;
  }

  static String expandTowns(String sql) {
    if (!sql.contains(TOWNS_PLACEHOLDER)) {
      return sql;
    }
    StringBuilder values = new StringBuilder("(VALUES ");
    List<Town> towns = DivisionCodes.towns();
    for (int i = 0; i < towns.size(); i++) {
      Town town = towns.get(i);
      values
          .append(i == 0 ? "" : ", ")
          .append("('")
          .append(town.code())
          .append("', '")
          .append(town.name().replace("'", "''"))
          .append("')");
    }
    values.append(") AS town (town_code, town_name)");
    return sql.replace(TOWNS_PLACEHOLDER, values);
  }

  private static void checkUnique(List<DashboardDefinition> definitions) {
    Map<String, String> seen = new HashMap<>();
    for (DashboardDefinition definition : definitions) {
      List<String> names = new ArrayList<>();
      names.add("dashboard " + definition.name());
      definition.datasets().forEach(d -> names.add("dataset " + d.name()));
      definition.charts().forEach(c -> names.add("chart " + c.name()));
      for (String name : names) {
        String previous = seen.putIfAbsent(name, definition.file());
        if (previous != null) {
          throw new InvalidFileException(
              definition.file(),
              1,
              name + " is also defined in " + previous + "; names must be unique");
        }
      }
    }
  }

  private static String name(Entry entry) {
    String name = entry.text();
    if (!NAME.matcher(name).matches()) {
      throw entry.invalid("Invalid name '%s': use lower-case letters, digits and _", name);
    }
    return name;
  }

  private static List<String> texts(Entry entry) {
    if (entry == null) {
      return List.of();
    }
    return entry.sequence().stream().map(Entry::text).toList();
  }

  private static List<String> lines(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find resource " + resource);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (resource.endsWith("index.txt")) {
        return text.lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
      }
      return text.lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read resource " + resource, e);
    }
  }
}
