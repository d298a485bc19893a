package cn.jiangyin.warehouse.schema;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Makes the lake match the table definitions: creates missing namespaces and tables, and evolves
 * existing tables in place — metadata only, no data rewritten, nothing lost. Allowed: new columns
 * (optional), type widening Iceberg allows (int → long, float → double, larger decimal precision),
 * docs, required → optional, table properties. Anything else (narrowing, a changed type, a new
 * required column on an existing table) is refused with a message naming the table and column; a
 * column dropped from the definition stays in the table.
 */
public final class SchemaMigrator {
  public static final String OWNER_PROPERTY = "jiangyin.owner-department";
  public static final String SHARING_PROPERTY = "jiangyin.sharing-class";
  public static final String FREQUENCY_PROPERTY = "jiangyin.update-frequency";

  private final Catalog catalog;

  public SchemaMigrator(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  /**
   * Migrates every table; returns one line per change made (empty when the lake already matches).
   */
  public List<String> migrate(List<TableDefinition> definitions) {
    List<String> changes = new ArrayList<>();
    for (TableDefinition definition : definitions) {
      changes.addAll(migrate(definition));
    }
    return changes;
  }

  public List<String> migrate(TableDefinition definition) {
    List<String> changes = new ArrayList<>();
    Namespace namespace = Namespace.of(definition.namespace());
    // several capture engines may start at once and create the same shared tables: losing that race
    // is fine
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(namespace)) {
      try {
        namespaces.createNamespace(namespace);
        changes.add("created namespace " + definition.namespace());
      } catch (AlreadyExistsException e) {
        // created concurrently
      }
    }
    if (!catalog.tableExists(definition.identifier())) {
      Schema schema = definition.schema();
      try {
        catalog
            .buildTable(definition.identifier(), schema)
            .withPartitionSpec(definition.partitionSpec(schema))
            .withProperties(properties(definition))
            .create();
        changes.add("created table " + definition.qualifiedName());
        return changes;
      } catch (AlreadyExistsException e) {
        // created concurrently: evolve it like any existing table
      }
    }
    Table table = catalog.loadTable(definition.identifier());
    UpdateSchema update = table.updateSchema();
    List<String> schemaChanges = new ArrayList<>();
    for (ColumnDefinition column : definition.columns()) {
      Types.NestedField existing = table.schema().findField(column.name());
      if (existing == null) {
        if (column.required()) {
          throw new SchemaEvolutionException(
              definition.qualifiedName(),
              column.name(),
              "Cannot add required column "
                  + column.name()
                  + " to existing table "
                  + definition.qualifiedName()
                  + ": existing rows have no value; add it as optional");
        }
        update.addColumn(column.name(), column.type(), column.doc());
        schemaChanges.add("added column " + column.name() + " " + column.type());
        continue;
      }
      if (!existing.type().equals(column.type())) {
        if (!existing.type().isPrimitiveType()
            || !column.type().isPrimitiveType()
            || !TypeUtil.isPromotionAllowed(existing.type(), column.type().asPrimitiveType())) {
          throw new SchemaEvolutionException(
              definition.qualifiedName(),
              column.name(),
              "Cannot change column "
                  + definition.qualifiedName()
                  + "."
                  + column.name()
                  + " from "
                  + existing.type()
                  + " to "
                  + column.type()
                  + ": only widening (int → long, float → double, more decimal precision) is done in place");
        }
        update.updateColumn(column.name(), column.type().asPrimitiveType());
        schemaChanges.add(
            "widened " + column.name() + " " + existing.type() + " → " + column.type());
      }
      if (!column.doc().equals(existing.doc())) {
        update.updateColumnDoc(column.name(), column.doc());
        schemaChanges.add("documented " + column.name());
      }
      if (existing.isRequired() && !column.required()) {
        update.makeColumnOptional(column.name());
        schemaChanges.add("made " + column.name() + " optional");
      } else if (!existing.isRequired() && column.required()) {
        throw new SchemaEvolutionException(
            definition.qualifiedName(),
            column.name(),
            "Cannot make column "
                + definition.qualifiedName()
                + "."
                + column.name()
                + " required in place: existing rows may hold nulls");
      }
    }
    if (!schemaChanges.isEmpty()) {
      update.commit();
      schemaChanges.forEach(change -> changes.add(definition.qualifiedName() + ": " + change));
    }
    // format-version is metadata, not a property Iceberg keeps: set on create only
    Map<String, String> wanted = new java.util.HashMap<>(properties(definition));
    wanted.remove(TableProperties.FORMAT_VERSION);
    boolean propertiesDiffer =
        wanted.entrySet().stream()
            .anyMatch(entry -> !entry.getValue().equals(table.properties().get(entry.getKey())));
    if (propertiesDiffer) {
      var properties = table.updateProperties();
      wanted.forEach(properties::set);
      properties.commit();
      changes.add(definition.qualifiedName() + ": updated table properties");
    }
    return changes;
  }

  private static Map<String, String> properties(TableDefinition definition) {
    return Map.of(
        TableProperties.FORMAT_VERSION,
        "2",
        // shared tables (quarantine, person identity) take commits from every capture engine at
        // once
        TableProperties.COMMIT_NUM_RETRIES,
        "20",
        "comment",
        definition.doc(),
        OWNER_PROPERTY,
        definition.ownerDepartment(),
        SHARING_PROPERTY,
        definition.sharing().label(),
        FREQUENCY_PROPERTY,
        definition.updateFrequency());
  }
}
