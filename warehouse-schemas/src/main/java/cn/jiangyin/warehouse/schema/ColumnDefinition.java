package cn.jiangyin.warehouse.schema;

import static java.util.Objects.requireNonNull;

import org.apache.iceberg.types.Type;

/** One column of a declared table; {@code doc} is its Chinese documentation. */
public record ColumnDefinition(String name, Type type, boolean required, String doc) {
  public ColumnDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(doc, "doc is null");
  }
}
