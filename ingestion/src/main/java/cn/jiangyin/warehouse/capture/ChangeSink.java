package cn.jiangyin.warehouse.capture;

import java.util.List;

/**
 * Where a capture engine delivers each batch before Debezium is told the batch is processed. {@link
 * LakeWriter} commits to Iceberg; a benchmark may measure capture alone with a sink that keeps
 * nothing.
 */
public interface ChangeSink {
  /**
   * Makes the batch durable (or, for a measuring sink, accounts for it). {@code offsetPartition}
   * and {@code offset} are the source offset after the batch's last change, as JSON.
   */
  BatchResult commit(
      List<CapturedChange> changes,
      List<QuarantinedChange> quarantined,
      List<PersonIdentity> identities,
      String offsetPartition,
      String offset);

  /** What one batch committed. */
  record BatchResult(long batch, int committed, int quarantined, int duplicatesDropped) {}

  /** Creates the sink of one capture run, given what the lake already holds of the source. */
  @FunctionalInterface
  interface Factory {
    ChangeSink open(SourceDefinition source, CaptureCheckpoint checkpoint);
  }
}
