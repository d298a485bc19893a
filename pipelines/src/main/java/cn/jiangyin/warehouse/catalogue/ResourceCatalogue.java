package cn.jiangyin.warehouse.catalogue;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.schema.ColumnDefinition;
import cn.jiangyin.warehouse.schema.TableDefinition;
import cn.jiangyin.warehouse.schema.TableRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 政务数据资源目录 — the data resource catalogue: every declared table (资源) and column (信息项) with its
 * Chinese description, owner department (资源提供方), sharing class (共享类型) and update frequency (更新周期),
 * plus what the lake says now: row count and the commit time of the current snapshot. Published
 * twice: as a Markdown document people browse, and as {@code catalogue.resource} and {@code
 * catalogue.resource_column}, which analysts query.
 */
public final class ResourceCatalogue {
  public static final String RESOURCES = "catalogue.resource";
  public static final String COLUMNS = "catalogue.resource_column";

  /** The document's file name inside the output folder. */
  public static final String DOCUMENT = "resource-catalogue.md";

  private static final Logger LOG = LoggerFactory.getLogger(ResourceCatalogue.class);
  private static final ZoneId JIANGYIN = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(JIANGYIN);
  private static final StructType RESOURCE_SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("resource_name", DataTypes.StringType, false),
            DataTypes.createStructField("namespace", DataTypes.StringType, false),
            DataTypes.createStructField("namespace_doc", DataTypes.StringType, true),
            DataTypes.createStructField("description", DataTypes.StringType, false),
            DataTypes.createStructField("owner_department", DataTypes.StringType, false),
            DataTypes.createStructField("sharing_class", DataTypes.StringType, false),
            DataTypes.createStructField("update_frequency", DataTypes.StringType, false),
            DataTypes.createStructField("column_count", DataTypes.IntegerType, false),
            DataTypes.createStructField("in_lake", DataTypes.BooleanType, false),
            DataTypes.createStructField("row_count", DataTypes.LongType, true),
            DataTypes.createStructField("last_commit_at", DataTypes.TimestampType, true),
            DataTypes.createStructField("defined_in", DataTypes.StringType, false),
            DataTypes.createStructField("catalogued_at", DataTypes.TimestampType, false)
          });
  private static final StructType COLUMN_SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField("resource_name", DataTypes.StringType, false),
            DataTypes.createStructField("position", DataTypes.IntegerType, false),
            DataTypes.createStructField("column_name", DataTypes.StringType, false),
            DataTypes.createStructField("column_type", DataTypes.StringType, false),
            DataTypes.createStructField("required", DataTypes.BooleanType, false),
            DataTypes.createStructField("description", DataTypes.StringType, false)
          });

  private final SparkSession spark;
  private final Catalog catalog;

  public ResourceCatalogue(SparkSession spark, Catalog catalog) {
    this.spark = requireNonNull(spark, "spark is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /** One catalogue entry: a declared table and, if it is in the lake, its size and freshness. */
  public record Resource(
      TableDefinition table,
      String namespaceDoc,
      Optional<Long> rowCount,
      Optional<Instant> lastCommitAt) {
    public Resource {
      requireNonNull(table, "table is null");
      requireNonNull(namespaceDoc, "namespaceDoc is null");
      requireNonNull(rowCount, "rowCount is null");
      requireNonNull(lastCommitAt, "lastCommitAt is null");
    }

    public boolean inLake() {
      return rowCount.isPresent();
    }
  }

  /** What one run published. */
  public record Result(Instant cataloguedAt, List<Resource> resources, Path document) {
    public Result {
      requireNonNull(cataloguedAt, "cataloguedAt is null");
      resources = List.copyOf(resources);
      requireNonNull(document, "document is null");
    }
  }

  /**
   * Catalogues every table of {@code registry}: replaces the contents of the catalogue tables and
   * writes {@value #DOCUMENT} into {@code folder} (created if missing).
   */
  public Result publish(TableRegistry registry, Path folder) {
    requireNonNull(registry, "registry is null");
    requireNonNull(folder, "folder is null");
    Instant now = Instant.now();
    List<Resource> resources = resources(registry);
    writeTables(resources, now);
    Path document = folder.resolve(DOCUMENT);
    try {
      Files.createDirectories(folder);
      Files.writeString(document, markdown(resources, now), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the catalogue document " + document, e);
    }
    LOG.info("Catalogued {} resources into {} and {}", resources.size(), RESOURCES, document);
    return new Result(now, resources, document);
  }

  /** The entries, sorted by table name, with row counts and freshness read from the lake now. */
  public List<Resource> resources(TableRegistry registry) {
    List<TableDefinition> tables = new ArrayList<>(registry.tables());
    tables.sort(Comparator.comparing(TableDefinition::qualifiedName));
    List<Resource> resources = new ArrayList<>();
    for (TableDefinition table : tables) {
      String namespaceDoc = registry.namespaceDocs().getOrDefault(table.namespace(), "");
      if (!catalog.tableExists(table.identifier())) {
        resources.add(new Resource(table, namespaceDoc, Optional.empty(), Optional.empty()));
        continue;
      }
      Snapshot snapshot = catalog.loadTable(table.identifier()).currentSnapshot();
      Optional<Instant> committed =
          Optional.ofNullable(snapshot)
              .map(current -> Instant.ofEpochMilli(current.timestampMillis()));
      long rows = spark.table(table.qualifiedName()).count();
      resources.add(new Resource(table, namespaceDoc, Optional.of(rows), committed));
    }
    return resources;
  }

  private void writeTables(List<Resource> resources, Instant now) {
    List<Row> resourceRows = new ArrayList<>();
    List<Row> columnRows = new ArrayList<>();
    for (Resource resource : resources) {
      TableDefinition table = resource.table();
      resourceRows.add(
          RowFactory.create(
              table.qualifiedName(),
              table.namespace(),
              resource.namespaceDoc(),
              table.doc(),
              table.ownerDepartment(),
              table.sharing().label(),
              table.updateFrequency(),
              table.columns().size(),
              resource.inLake(),
              resource.rowCount().orElse(null),
              resource.lastCommitAt().map(Timestamp::from).orElse(null),
              table.definedIn(),
              Timestamp.from(now)));
      List<ColumnDefinition> columns = table.columns();
      for (int i = 0; i < columns.size(); i++) {
        ColumnDefinition column = columns.get(i);
        columnRows.add(
            RowFactory.create(
                table.qualifiedName(),
                i + 1,
                column.name(),
                column.type().toString(),
                column.required(),
                column.doc()));
      }
    }
    try {
      spark
          .createDataFrame(resourceRows, RESOURCE_SCHEMA)
          .writeTo(RESOURCES)
          .overwrite(functions.lit(true));
      spark
          .createDataFrame(columnRows, COLUMN_SCHEMA)
          .writeTo(COLUMNS)
          .overwrite(functions.lit(true));
    } catch (NoSuchTableException e) {
      throw new IllegalStateException(
          "Cannot find the catalogue tables; run 'warehouse schemas migrate' first", e);
    }
  }

  /** The browsable document: an overview table, then one section per resource with its columns. */
  static String markdown(List<Resource> resources, Instant now) {
    StringBuilder text = new StringBuilder();
    text.append("# 江阴市政务数据资源目录\n\n");
    text.append("编目时间：")
        .append(SHOWN.format(now))
        .append("（北京时间）；资源数：")
        .append(resources.size())
        .append("\n\n");
    text.append("## 目录总览\n\n");
    text.append("| 资源名称 | 资源摘要 | 资源提供方 | 共享类型 | 更新周期 | 记录数 | 最近更新时间 |\n");
    text.append("|---|---|---|---|---|---:|---|\n");
    for (Resource resource : resources) {
      TableDefinition table = resource.table();
      row(
          text,
          "[" + table.qualifiedName() + "](#" + anchor(table) + ")",
          table.doc(),
          table.ownerDepartment(),
          table.sharing().label(),
          table.updateFrequency(),
          rowCount(resource),
          lastCommit(resource));
    }
    String namespace = null;
    for (Resource resource : resources) {
      TableDefinition table = resource.table();
      if (!table.namespace().equals(namespace)) {
        namespace = table.namespace();
        text.append("\n## 命名空间 ").append(namespace);
        if (!resource.namespaceDoc().isEmpty()) {
          text.append(" — ").append(resource.namespaceDoc());
        }
        text.append("\n");
      }
      text.append("\n### ").append(table.qualifiedName()).append("\n\n");
      text.append("<a id=\"").append(anchor(table)).append("\"></a>\n\n");
      text.append("- 资源摘要：").append(table.doc()).append('\n');
      text.append("- 资源提供方：").append(table.ownerDepartment()).append('\n');
      text.append("- 共享类型：").append(table.sharing().label()).append('\n');
      text.append("- 更新周期：").append(table.updateFrequency()).append('\n');
      text.append("- 记录数：").append(rowCount(resource)).append('\n');
      text.append("- 最近更新时间：").append(lastCommit(resource)).append('\n');
      text.append("- 定义位置：`").append(table.definedIn()).append("`\n\n");
      text.append("| 序号 | 信息项 | 数据类型 | 必填 | 说明 |\n");
      text.append("|---:|---|---|---|---|\n");
      List<ColumnDefinition> columns = table.columns();
      for (int i = 0; i < columns.size(); i++) {
        ColumnDefinition column = columns.get(i);
        row(
            text,
            Integer.toString(i + 1),
            "`" + column.name() + "`",
            column.type().toString(),
            column.required() ? "是" : "否",
            column.doc());
      }
    }
    return text.toString();
  }

  private static void row(StringBuilder text, String... cells) {
    text.append('|');
    for (String cell : cells) {
      text.append(' ').append(cell.replace("|", "\\|").replace("\n", " ")).append(" |");
    }
    text.append('\n');
  }

  private static String anchor(TableDefinition table) {
    return table.namespace() + "-" + table.name();
  }

  private static String rowCount(Resource resource) {
    return resource.rowCount().map(String::valueOf).orElse("未建表");
  }

  private static String lastCommit(Resource resource) {
    return resource.lastCommitAt().map(SHOWN::format).orElse("—");
  }
}
