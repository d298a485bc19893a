package cn.jiangyin.warehouse.dashboards;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Superset's marshmallow import schemas ({@code ImportV1*Schema}) written down as data: each
 * field's type, whether it is required and whether it may be null. Marshmallow rejects keys a
 * schema does not declare ("Unknown field."), so this list is also the list of allowed keys.
 *
 * <p>Taken from apache/superset {@code superset/{databases,datasets,charts,dashboards}/schemas.py}
 * and {@code superset/commands/importers/v1/utils.py} (MetadataSchema), as of the 4.x/5.x releases;
 * keys added later (dataset {@code currency_code_column}, {@code folders}, dashboard {@code
 * theme_uuid}) are not allowed, so a bundle that passes also imports into those releases.
 */
final class ImportSchema {
  enum Type {
    STRING,
    UUID,
    DICT,
    /** A mapping, or a string holding one as JSON: Superset's {@code pre_load} hooks parse it. */
    DICT_OR_JSON,
    BOOLEAN,
    INTEGER,
    DATETIME,
    JSON_STRING,
    NESTED,
    NESTED_LIST
  }

  record Field(Type type, boolean required, boolean allowNone, ImportSchema nested) {}

  private final String name;
  private final Map<String, Field> fields = new LinkedHashMap<>();

  private ImportSchema(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  Map<String, Field> fields() {
    return fields;
  }

  private ImportSchema required(String key, Type type) {
    fields.put(key, new Field(type, true, false, null));
    return this;
  }

  private ImportSchema optional(String key, Type type) {
    fields.put(key, new Field(type, false, false, null));
    return this;
  }

  private ImportSchema nullable(String key, Type type) {
    fields.put(key, new Field(type, false, true, null));
    return this;
  }

  private ImportSchema nested(String key, Type type, ImportSchema nested, boolean allowNone) {
    fields.put(key, new Field(type, false, allowNone, nested));
    return this;
  }

  static final ImportSchema METADATA =
      new ImportSchema("MetadataSchema")
          .required("version", Type.STRING)
          .optional("type", Type.STRING)
          .optional("timestamp", Type.DATETIME);

  static final ImportSchema DATABASE_EXTRA =
      new ImportSchema("ImportV1DatabaseExtraSchema")
          .optional("metadata_params", Type.DICT)
          .optional("engine_params", Type.DICT)
          .optional("metadata_cache_timeout", Type.DICT)
          .optional("schemas_allowed_for_csv_upload", Type.NESTED_LIST)
          .optional("cost_estimate_enabled", Type.BOOLEAN)
          .optional("allows_virtual_table_explore", Type.BOOLEAN)
          .optional("cancel_query_on_windows_unload", Type.BOOLEAN)
          .optional("disable_data_preview", Type.BOOLEAN)
          .optional("disable_drill_to_detail", Type.BOOLEAN)
          .optional("allow_multi_catalog", Type.BOOLEAN)
          .nullable("version", Type.STRING);

  static final ImportSchema DATABASE =
      new ImportSchema("ImportV1DatabaseSchema")
          .required("database_name", Type.STRING)
          .required("sqlalchemy_uri", Type.STRING)
          .nullable("password", Type.STRING)
          .nullable("cache_timeout", Type.INTEGER)
          .optional("expose_in_sqllab", Type.BOOLEAN)
          .optional("allow_run_async", Type.BOOLEAN)
          .optional("allow_ctas", Type.BOOLEAN)
          .optional("allow_cvas", Type.BOOLEAN)
          .optional("allow_dml", Type.BOOLEAN)
          .optional("allow_csv_upload", Type.BOOLEAN)
          .nested("extra", Type.NESTED, DATABASE_EXTRA, false)
          .required("uuid", Type.UUID)
          .required("version", Type.STRING)
          .nullable("is_managed_externally", Type.BOOLEAN)
          .nullable("external_url", Type.STRING)
          .nullable("ssh_tunnel", Type.DICT);

  static final ImportSchema COLUMN =
      new ImportSchema("ImportV1ColumnSchema")
          .required("column_name", Type.STRING)
          .nullable("extra", Type.DICT_OR_JSON)
          .nullable("verbose_name", Type.STRING)
          .nullable("is_dttm", Type.BOOLEAN)
          .nullable("is_active", Type.BOOLEAN)
          .nullable("type", Type.STRING)
          .nullable("advanced_data_type", Type.STRING)
          .optional("groupby", Type.BOOLEAN)
          .optional("filterable", Type.BOOLEAN)
          .nullable("expression", Type.STRING)
          .nullable("description", Type.STRING)
          .nullable("python_date_format", Type.STRING);

  static final ImportSchema METRIC =
      new ImportSchema("ImportV1MetricSchema")
          .required("metric_name", Type.STRING)
          .nullable("verbose_name", Type.STRING)
          .nullable("metric_type", Type.STRING)
          .required("expression", Type.STRING)
          .nullable("description", Type.STRING)
          .nullable("d3format", Type.STRING)
          .nullable("currency", Type.DICT)
          .nullable("extra", Type.DICT_OR_JSON)
          .nullable("warning_text", Type.STRING);

  static final ImportSchema DATASET =
      new ImportSchema("ImportV1DatasetSchema")
          .required("table_name", Type.STRING)
          .nullable("main_dttm_col", Type.STRING)
          .nullable("description", Type.STRING)
          .nullable("default_endpoint", Type.STRING)
          .optional("offset", Type.INTEGER)
          .nullable("cache_timeout", Type.INTEGER)
          .nullable("schema", Type.STRING)
          .nullable("catalog", Type.STRING)
          .nullable("sql", Type.STRING)
          .nullable("params", Type.DICT)
          .nullable("template_params", Type.DICT)
          .optional("filter_select_enabled", Type.BOOLEAN)
          .nullable("fetch_values_predicate", Type.STRING)
          .nullable("extra", Type.DICT_OR_JSON)
          .required("uuid", Type.UUID)
          .nested("columns", Type.NESTED_LIST, COLUMN, false)
          .nested("metrics", Type.NESTED_LIST, METRIC, false)
          .required("version", Type.STRING)
          .required("database_uuid", Type.UUID)
          .optional("data", Type.STRING)
          .nullable("is_managed_externally", Type.BOOLEAN)
          .nullable("external_url", Type.STRING)
          .optional("normalize_columns", Type.BOOLEAN)
          .optional("always_filter_main_dttm", Type.BOOLEAN);

  static final ImportSchema CHART =
      new ImportSchema("ImportV1ChartSchema")
          .required("slice_name", Type.STRING)
          .nullable("description", Type.STRING)
          .nullable("certified_by", Type.STRING)
          .nullable("certification_details", Type.STRING)
          .required("viz_type", Type.STRING)
          .optional("params", Type.DICT)
          .nullable("query_context", Type.JSON_STRING)
          .nullable("cache_timeout", Type.INTEGER)
          .required("uuid", Type.UUID)
          .required("version", Type.STRING)
          .required("dataset_uuid", Type.UUID)
          .nullable("is_managed_externally", Type.BOOLEAN)
          .nullable("external_url", Type.STRING);

  static final ImportSchema DASHBOARD =
      new ImportSchema("ImportV1DashboardSchema")
          .required("dashboard_title", Type.STRING)
          .nullable("description", Type.STRING)
          .nullable("css", Type.STRING)
          .nullable("slug", Type.STRING)
          .required("uuid", Type.UUID)
          .optional("position", Type.DICT)
          .optional("metadata", Type.DICT)
          .required("version", Type.STRING)
          .nullable("is_managed_externally", Type.BOOLEAN)
          .nullable("external_url", Type.STRING)
          .nullable("certified_by", Type.STRING)
          .nullable("certification_details", Type.STRING)
          .nullable("published", Type.BOOLEAN);

  /** The schema Superset's dashboard import applies to files under each top-level folder. */
  static final Map<String, ImportSchema> BY_FOLDER =
      Map.of(
          "databases", DATABASE,
          "datasets", DATASET,
          "charts", CHART,
          "dashboards", DASHBOARD);
}
