package cn.jiangyin.warehouse.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Creates raw change-log tables and evolves them as their sources change: a new source column is
 * added (earlier rows read NULL), a widened type is widened in place. A narrowed or changed type is
 * not applied: the table keeps the wider type and values are converted where exact, otherwise the
 * change goes to quarantine.
 */
final class RawTables {
  private final Catalog catalog;

  RawTables(Catalog catalog) {
    this.catalog = catalog;
  }

  Table ensure(
      SourceDefinition source,
      String sourceTable,
      String rawTable,
      List<Types.NestedField> fields,
      List<String> primaryKey) {
    TableIdentifier id =
        TableIdentifier.of(Namespace.of(CaptureCheckpoint.RAW_NAMESPACE), rawTable);
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(id.namespace())) {
      try {
        namespaces.createNamespace(id.namespace());
      } catch (org.apache.iceberg.exceptions.AlreadyExistsException e) {
        // created by a concurrent capture of another source
      }
    }
    if (!catalog.tableExists(id)) {
      List<Types.NestedField> all = new ArrayList<>(fields);
      all.addAll(RawSchemas.metadataFields());
      Schema schema = RawSchemas.schemaOf(all);
      PartitionSpec spec = PartitionSpec.builderFor(schema).day(RawSchemas.INGESTED_AT).build();
      return catalog
          .buildTable(id, schema)
          .withPartitionSpec(spec)
          .withProperties(
              Map.of(
                  TableProperties.FORMAT_VERSION,
                  "2",
                  "comment",
                  "原始变更日志 — change log of " + source.name() + "." + sourceTable,
                  RawSchemas.SOURCE_PROPERTY,
                  source.name(),
                  RawSchemas.SOURCE_TABLE_PROPERTY,
                  sourceTable,
                  RawSchemas.PRIMARY_KEY_PROPERTY,
                  String.join(",", primaryKey)))
          .create();
    }
    Table table = catalog.loadTable(id);
    evolve(table, fields);
    return table;
  }

  private static void evolve(Table table, List<Types.NestedField> fields) {
    var update = table.updateSchema();
    boolean changed = false;
    for (Types.NestedField field : fields) {
      Types.NestedField existing = table.schema().findField(field.name());
      if (existing == null) {
        update.addColumn(field.name(), field.type(), field.doc());
        // keep source columns before the metadata columns
        update.moveBefore(field.name(), RawSchemas.OP);
        changed = true;
      } else if (!existing.type().equals(field.type()) && widens(existing.type(), field.type())) {
        update.updateColumn(field.name(), field.type().asPrimitiveType());
        changed = true;
      }
    }
    if (changed) {
      update.commit();
    }
  }

  static boolean widens(Type from, Type to) {
    return from.isPrimitiveType()
        && to.isPrimitiveType()
        && TypeUtil.isPromotionAllowed(from, to.asPrimitiveType());
  }
}
