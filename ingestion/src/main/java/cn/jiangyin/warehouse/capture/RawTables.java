package cn.jiangyin.warehouse.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Creates raw change-log tables and evolves them as their sources change (模式演进 — schema evolution):
 * a new source column is added (earlier rows read NULL), a widened type is widened in place. A
 * dropped column stays (later rows read NULL), a renamed column is a drop and an add. A narrowed or
 * changed type is not applied: the raw column keeps its type, values are converted where exact,
 * otherwise the change goes to quarantine.
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

  /**
   * Applies what can be applied in place (see docs/raw-contract.md, "Schema evolution"): new
   * columns are added, widened types widened. Everything else leaves the raw column as it is; the
   * writer then converts values exactly or quarantines them, so no schema change stops capture.
   */
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
      } else if (!RawSchemas.sameType(existing.type(), field.type())) {
        Optional<Type.PrimitiveType> widened = widened(existing.type(), field.type());
        if (widened.isPresent()) {
          update.updateColumn(field.name(), widened.get());
          changed = true;
        }
      }
    }
    if (changed) {
      update.commit();
    }
  }

  /**
   * The type a raw column of type {@code raw} becomes when its source column turns to {@code
   * source}: Iceberg's promotions (int → long, float → double, more decimal precision at the same
   * scale); for a decimal whose scale changed, more precision at the raw scale so that the new
   * integer digits fit (an Iceberg decimal's scale is fixed, so values with more fraction digits
   * than the raw scale go to quarantine). Empty: the raw column stays as it is.
   */
  static Optional<Type.PrimitiveType> widened(Type raw, Type source) {
    if (!raw.isPrimitiveType() || !source.isPrimitiveType()) {
      return Optional.empty();
    }
    if (TypeUtil.isPromotionAllowed(raw, source.asPrimitiveType())) {
      return Optional.of(source.asPrimitiveType());
    }
    if (raw instanceof Types.DecimalType rawDecimal
        && source instanceof Types.DecimalType sourceDecimal
        && rawDecimal.scale() != sourceDecimal.scale()) {
      int integerDigits = sourceDecimal.precision() - sourceDecimal.scale();
      int precision =
          Math.min(RawSchemas.MAX_DECIMAL_PRECISION, integerDigits + rawDecimal.scale());
      if (precision > rawDecimal.precision()) {
        return Optional.of(Types.DecimalType.of(precision, rawDecimal.scale()));
      }
    }
    return Optional.empty();
  }
}
