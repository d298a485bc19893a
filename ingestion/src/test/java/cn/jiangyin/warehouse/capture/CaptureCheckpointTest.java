package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Where capture resumes after a crash, read from the capture commits of a real (in-memory) catalog.
 */
class CaptureCheckpointTest {
  private static final String PARTITION = "{\"server\":\"src\"}";
  private static final String STREAMING = "{\"lsn\":300,\"lsn_proc\":300,\"lsn_commit\":290}";
  private static final String LATER = "{\"lsn\":400,\"lsn_proc\":400,\"lsn_commit\":390}";
  private static final String IN_SNAPSHOT =
      "{\"lsn\":100,\"snapshot\":true,\"last_snapshot_record\":false}";
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "_position", Types.StringType.get()));

  @Test
  void recognisesOffsetsTakenDuringASnapshot() {
    assertThat(CaptureCheckpoint.isSnapshotOffset(IN_SNAPSHOT)).isTrue();
    assertThat(
            CaptureCheckpoint.isSnapshotOffset(
                "{\"file\":\"b.000001\",\"pos\":4,\"snapshot\":true}"))
        .isTrue();
    assertThat(CaptureCheckpoint.isSnapshotOffset("{\"snapshot\":\"INITIAL\"}")).isTrue();
    assertThat(CaptureCheckpoint.isSnapshotOffset(STREAMING)).isFalse();
    assertThat(CaptureCheckpoint.isSnapshotOffset("{\"snapshot\":false}")).isFalse();
    assertThat(CaptureCheckpoint.isSnapshotOffset("{\"file\":\"b.000001\",\"pos\":4,\"row\":1}"))
        .isFalse();
  }

  @Test
  void resumesAfterACompleteBatch() {
    InMemoryCatalog catalog = catalog();
    Table a = table(catalog, "src__a");
    Table b = table(catalog, "src__b");
    commit(a, 7, Set.of("src__a", "src__b"), LATER, STREAMING, position(5));
    commit(b, 7, Set.of("src__a", "src__b"), LATER, STREAMING, position(6));

    CaptureCheckpoint checkpoint = CaptureCheckpoint.recover(catalog, "src");

    assertThat(checkpoint.lastBatch()).isEqualTo(7);
    assertThat(checkpoint.resumeOffset()).contains(LATER);
    assertThat(checkpoint.offsetPartition()).contains(PARTITION);
  }

  @Test
  void resumesBeforeABatchCutBetweenTwoTablesAndKnowsWhatEachTableHolds() {
    InMemoryCatalog catalog = catalog();
    Table a = table(catalog, "src__a");
    Table b = table(catalog, "src__b");
    commit(a, 6, Set.of("src__a", "src__b"), STREAMING, IN_SNAPSHOT, position(2));
    commit(b, 6, Set.of("src__a", "src__b"), STREAMING, IN_SNAPSHOT, position(3));
    // batch 7 reached table a only: the process died before b's commit
    commit(a, 7, Set.of("src__a", "src__b"), LATER, STREAMING, position(5));

    CaptureCheckpoint checkpoint = CaptureCheckpoint.recover(catalog, "src");

    assertThat(checkpoint.lastBatch()).isEqualTo(7);
    assertThat(checkpoint.resumeOffset()).contains(STREAMING);
    assertThat(checkpoint.alreadyCommitted("src__a", position(5))).isTrue();
    assertThat(checkpoint.alreadyCommitted("src__a", position(6))).isFalse();
    assertThat(checkpoint.alreadyCommitted("src__b", position(3))).isTrue();
    assertThat(checkpoint.alreadyCommitted("src__b", position(4))).isFalse();
    assertThat(a.currentSnapshot().allManifests(a.io())).isNotEmpty();
  }

  @Test
  void discardsAnAbortedInitialSnapshotAndStartsAfresh() {
    InMemoryCatalog catalog = catalog();
    Table a = table(catalog, "src__a");
    Table b = table(catalog, "src__b");
    Table other = table(catalog, "other__a");
    commit(a, 1, Set.of("src__a"), IN_SNAPSHOT, null, Position.snapshot(100, 8192));
    commit(b, 2, Set.of("src__b"), IN_SNAPSHOT, IN_SNAPSHOT, Position.snapshot(100, 9000));
    commit(other, 1, Set.of("other__a"), IN_SNAPSHOT, null, Position.snapshot(50, 1));

    CaptureCheckpoint checkpoint = CaptureCheckpoint.recover(catalog, "src");

    assertThat(checkpoint).isEqualTo(CaptureCheckpoint.empty());
    assertThat(rows(catalog, "src__a")).isZero();
    assertThat(rows(catalog, "src__b")).isZero();
    assertThat(rows(catalog, "other__a")).as("another source's rows").isEqualTo(1);
    assertThat(CaptureCheckpoint.read(catalog, "src")).isEqualTo(CaptureCheckpoint.empty());
    // the next start finds nothing to discard and nothing to resume from
    assertThat(CaptureCheckpoint.recover(catalog, "src")).isEqualTo(CaptureCheckpoint.empty());
  }

  @Test
  void discardsASnapshotWhoseFirstBatchWasCutBetweenTwoTables() {
    InMemoryCatalog catalog = catalog();
    Table a = table(catalog, "src__a");
    table(catalog, "src__b");
    commit(a, 1, Set.of("src__a", "src__b"), IN_SNAPSHOT, null, Position.snapshot(100, 10));

    assertThat(CaptureCheckpoint.recover(catalog, "src")).isEqualTo(CaptureCheckpoint.empty());
    assertThat(rows(catalog, "src__a")).isZero();
  }

  @Test
  void keepsStreamedChangesOfASourceWithoutSnapshot() {
    InMemoryCatalog catalog = catalog();
    Table a = table(catalog, "src__a");
    table(catalog, "src__b");
    // snapshot.mode no_data: the first batch, cut between two tables, has no offset before it
    commit(a, 1, Set.of("src__a", "src__b"), STREAMING, null, position(1));

    CaptureCheckpoint checkpoint = CaptureCheckpoint.recover(catalog, "src");

    assertThat(checkpoint.lastBatch()).isEqualTo(1);
    assertThat(rows(catalog, "src__a")).isEqualTo(1);
  }

  @Test
  void discardsTheQuarantinedChangesOfAnAbortedSnapshotAndKeepsOtherSourcesSharingTheirFile() {
    InMemoryCatalog catalog = catalog();
    // the names share their first 16 characters, where Iceberg cuts a file's string bounds: the
    // statistics cannot tell the two sources apart
    String source = "department_market_a";
    String other = "department_market_b";
    Table raw = table(catalog, source + "__t");
    Set<String> batchTables = Set.of(source + "__t", CaptureCheckpoint.QUARANTINE_TABLE);
    commit(raw, 1, batchTables, IN_SNAPSHOT, null, Position.snapshot(100, 1));
    new SchemaMigrator(catalog).migrate(TableRegistry.load().table("raw._quarantine"));
    Table quarantine =
        catalog.loadTable(TableIdentifier.of("raw", CaptureCheckpoint.QUARANTINE_TABLE));
    // a file holding both sources' changes (as compaction leaves), then one of the source's only
    quarantine(
        quarantine,
        new CaptureCommit(
            other,
            3,
            Set.of(CaptureCheckpoint.QUARANTINE_TABLE),
            PARTITION,
            STREAMING,
            Optional.empty(),
            "o2"),
        quarantined(quarantine, source, "a1"),
        quarantined(quarantine, other, "o1"),
        quarantined(quarantine, other, "o2"));
    quarantine(
        quarantine,
        new CaptureCommit(source, 1, batchTables, PARTITION, IN_SNAPSHOT, Optional.empty(), "a2"),
        quarantined(quarantine, source, "a2"));

    CaptureCheckpoint checkpoint = CaptureCheckpoint.recover(catalog, source);

    assertThat(checkpoint).isEqualTo(CaptureCheckpoint.empty());
    quarantine.refresh();
    List<String> left = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(quarantine).build()) {
      rows.forEach(row -> left.add(row.getField("source") + "/" + row.getField("position")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(left).containsExactlyInAnyOrder(other + "/o1", other + "/o2");
    assertThat(rows(catalog, source + "__t")).isZero();
    assertThat(CaptureCheckpoint.read(catalog, source)).isEqualTo(CaptureCheckpoint.empty());
    assertThat(CaptureCheckpoint.read(catalog, other).committedPositions())
        .containsEntry(CaptureCheckpoint.QUARANTINE_TABLE, "o2");
  }

  private static String position(long lsn) {
    return Position.of(lsn, lsn, 0);
  }

  private static Record quarantined(Table quarantine, String source, String position) {
    Record row = GenericRecord.create(quarantine.schema());
    row.setField("source", source);
    row.setField("source_table", "public.t");
    row.setField("position", position);
    row.setField("payload", "{}");
    row.setField("reason", "test");
    row.setField("quarantined_at", OffsetDateTime.of(2026, 12, 7, 9, 0, 0, 0, ZoneOffset.UTC));
    return row;
  }

  /** One capture commit of {@code rows} to the quarantine, written as real Parquet files. */
  private static void quarantine(Table quarantine, CaptureCommit commit, Record... rows) {
    var append = quarantine.newAppend();
    LakeWriter.writeDataFiles(quarantine, List.of(rows), commit.batch())
        .forEach(append::appendFile);
    commit.summary().forEach(append::set);
    append.commit();
  }

  private static InMemoryCatalog catalog() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("test", Map.of());
    catalog.createNamespace(Namespace.of("raw"));
    return catalog;
  }

  private static Table table(InMemoryCatalog catalog, String name) {
    return catalog.createTable(
        TableIdentifier.of("raw", name), SCHEMA, PartitionSpec.unpartitioned());
  }

  private static long rows(InMemoryCatalog catalog, String name) {
    Table table = catalog.loadTable(TableIdentifier.of("raw", name));
    return table.currentSnapshot() == null
        ? 0
        : Long.parseLong(table.currentSnapshot().summary().getOrDefault("total-records", "0"));
  }

  /** A capture commit of one (metadata-only) data file holding one row. */
  private static void commit(
      Table table,
      long batch,
      Set<String> batchTables,
      String offset,
      String previousOffset,
      String maxPosition) {
    String source = table.name().substring(table.name().lastIndexOf('.') + 1).split("__")[0];
    CaptureCommit commit =
        new CaptureCommit(
            source,
            batch,
            batchTables,
            PARTITION,
            offset,
            Optional.ofNullable(previousOffset),
            maxPosition);
    var append =
        table
            .newAppend()
            .appendFile(
                DataFiles.builder(PartitionSpec.unpartitioned())
                    .withPath("/lake/" + table.name() + "/" + batch + ".parquet")
                    .withFileSizeInBytes(100)
                    .withRecordCount(1)
                    .build());
    commit.summary().forEach(append::set);
    append.commit();
  }
}
