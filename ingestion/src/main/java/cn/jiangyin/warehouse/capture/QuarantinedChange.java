package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

/** A change that could not be converted: kept, with the reason, in {@code raw._quarantine}. */
public record QuarantinedChange(
    String sourceTable, String position, String payload, String reason) {
  public QuarantinedChange {
    requireNonNull(sourceTable, "sourceTable is null");
    requireNonNull(payload, "payload is null");
    requireNonNull(reason, "reason is null");
  }
}
