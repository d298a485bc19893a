package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.types.Types;

/**
 * One source change converted for the lake: the row's values as Iceberg values (ID numbers already
 * masked and keyed), its source fields (to create or evolve the raw table), and the change
 * metadata.
 */
public record CapturedChange(
    String sourceTable,
    String rawTable,
    List<Types.NestedField> sourceFields,
    List<String> primaryKey,
    Map<String, Object> values,
    String op,
    String position,
    OffsetDateTime sourceTimestamp,
    String transactionId) {

  public CapturedChange {
    requireNonNull(sourceTable, "sourceTable is null");
    requireNonNull(rawTable, "rawTable is null");
    sourceFields = List.copyOf(sourceFields);
    primaryKey = List.copyOf(primaryKey);
    requireNonNull(values, "values is null");
    requireNonNull(op, "op is null");
    requireNonNull(position, "position is null");
  }
}
