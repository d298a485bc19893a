package cn.jiangyin.warehouse.schema;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * A table as declared in {@code warehouse-schemas/src/main/resources/tables/*.yaml}: columns with
 * Chinese docs, partitioning, owner department, sharing class and update frequency — what the data
 * resource catalogue (政务数据资源目录) publishes and what {@code schemas migrate} makes true in the lake.
 */
public record TableDefinition(
    String namespace,
    String name,
    String doc,
    String ownerDepartment,
    SharingClass sharing,
    String updateFrequency,
    List<ColumnDefinition> columns,
    List<PartitionField> partitioning,
    String definedIn) {

  public TableDefinition {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(name, "name is null");
    requireNonNull(doc, "doc is null");
    requireNonNull(ownerDepartment, "ownerDepartment is null");
    requireNonNull(sharing, "sharing is null");
    requireNonNull(updateFrequency, "updateFrequency is null");
    columns = List.copyOf(columns);
    partitioning = List.copyOf(partitioning);
    requireNonNull(definedIn, "definedIn is null");
  }

  public TableIdentifier identifier() {
    return TableIdentifier.of(Namespace.of(namespace), name);
  }

  /** {@code namespace.name}, as written in SQL. */
  public String qualifiedName() {
    return namespace + "." + name;
  }

  public Optional<ColumnDefinition> column(String columnName) {
    return columns.stream().filter(column -> column.name().equals(columnName)).findFirst();
  }

  /** The Iceberg schema for a new table (field ids are assigned by Iceberg on create). */
  public Schema schema() {
    Types.NestedField[] fields = new Types.NestedField[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      ColumnDefinition column = columns.get(i);
      fields[i] =
          column.required()
              ? Types.NestedField.required(i + 1, column.name(), column.type(), column.doc())
              : Types.NestedField.optional(i + 1, column.name(), column.type(), column.doc());
    }
    return new Schema(fields);
  }

  public PartitionSpec partitionSpec(Schema schema) {
    PartitionSpec.Builder builder = PartitionSpec.builderFor(schema);
    for (PartitionField field : partitioning) {
      field.addTo(builder);
    }
    return builder.build();
  }

  /**
   * A partition transform on a column: {@code day(decided_on)}, {@code bucket(16, uscc)}, {@code
   * town_code}.
   */
  public record PartitionField(Transform transform, String column, int argument) {
    public PartitionField {
      requireNonNull(transform, "transform is null");
      requireNonNull(column, "column is null");
    }

    void addTo(PartitionSpec.Builder builder) {
      switch (transform) {
        case IDENTITY -> builder.identity(column);
        case YEAR -> builder.year(column);
        case MONTH -> builder.month(column);
        case DAY -> builder.day(column);
        case BUCKET -> builder.bucket(column, argument);
        case TRUNCATE -> builder.truncate(column, argument);
      }
    }

    public enum Transform {
      IDENTITY,
      YEAR,
      MONTH,
      DAY,
      BUCKET,
      TRUNCATE
    }
  }
}
