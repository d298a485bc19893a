package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

/** One column of a simulated table; {@code doc} is its Chinese description. */
record Column(String name, ColumnType type, boolean nullable, String doc) {
  Column {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(doc, "doc is null");
  }
}
