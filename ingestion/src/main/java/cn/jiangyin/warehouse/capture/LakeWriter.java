package cn.jiangyin.warehouse.capture;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one source's batches to the lake: one Iceberg append per touched table, each carrying the
 * batch's {@link CaptureCommit} in its snapshot summary. Changes at or below a table's committed
 * position are dropped (a replay after a crash), so what is committed is committed once. Not
 * thread-safe: one writer per engine.
 */
public final class LakeWriter implements ChangeSink {
  private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);
  private static final long TARGET_FILE_SIZE = 128L * 1024 * 1024;

  private final Catalog catalog;
  private final SourceDefinition source;
  private final RawTables rawTables;
  private final Map<String, String> committedPositions;
  private long batch;
  private Optional<String> committedOffset;

  public LakeWriter(Catalog catalog, SourceDefinition source, CaptureCheckpoint checkpoint) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.source = requireNonNull(source, "source is null");
    this.rawTables = new RawTables(catalog);
    this.committedPositions = new HashMap<>(checkpoint.committedPositions());
    this.batch = checkpoint.lastBatch();
    this.committedOffset = checkpoint.resumeOffset();
    new SchemaMigrator(catalog)
        .migrate(
            List.of(
                TableRegistry.load().table("raw." + CaptureCheckpoint.QUARANTINE_TABLE),
                TableRegistry.load().table("restricted.person_identity")));
  }

  /**
   * Commits a batch. {@code offsetPartition} and {@code offset} are the source offset after the
   * batch's last change, as JSON; they become the resume point once every table of the batch has
   * committed.
   */
  @Override
  public BatchResult commit(
      List<CapturedChange> changes,
      List<QuarantinedChange> quarantined,
      List<PersonIdentity> identities,
      String offsetPartition,
      String offset) {
    long thisBatch = batch + 1;
    OffsetDateTime ingestedAt = OffsetDateTime.now(ZoneOffset.UTC);
    Map<String, List<CapturedChange>> byTable = new LinkedHashMap<>();
    for (CapturedChange change : changes) {
      byTable.computeIfAbsent(change.rawTable(), table -> new ArrayList<>()).add(change);
    }
    // A replayed change is a duplicate if its destination — the raw table, or the quarantine when
    // it cannot be stored — already committed its position: conversion is deterministic, so a
    // change quarantined before is quarantined again, and counted once.
    int duplicates = 0;
    List<QuarantinedChange> toQuarantine = new ArrayList<>(quarantined);
    Map<String, List<Record>> records = new LinkedHashMap<>();
    Map<String, Table> tables = new LinkedHashMap<>();
    Map<String, String> maxPositions = new HashMap<>();
    for (Map.Entry<String, List<CapturedChange>> entry : byTable.entrySet()) {
      String rawTable = entry.getKey();
      List<CapturedChange> tableChanges = entry.getValue();
      Table table = ensureSchemas(rawTable, tableChanges);
      Schema schema = table.schema();
      List<Record> rows = new ArrayList<>();
      for (CapturedChange change : tableChanges) {
        Record row;
        try {
          row = record(schema, change, ingestedAt);
        } catch (RuntimeException e) {
          toQuarantine.add(
              new QuarantinedChange(
                  change.sourceTable(),
                  change.position(),
                  change.values().toString(),
                  "Cannot store in raw." + rawTable + ": " + e.getMessage()));
          continue;
        }
        if (alreadyCommitted(rawTable, change.position())) {
          duplicates++;
          continue;
        }
        rows.add(row);
        maxPositions.merge(rawTable, change.position(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
      }
      if (!rows.isEmpty()) {
        tables.put(rawTable, table);
        records.put(rawTable, rows);
      }
    }
    int quarantinedBefore = toQuarantine.size();
    toQuarantine.removeIf(
        change -> alreadyCommitted(CaptureCheckpoint.QUARANTINE_TABLE, change.position()));
    duplicates += quarantinedBefore - toQuarantine.size();
    if (!toQuarantine.isEmpty()) {
      Table quarantine =
          catalog.loadTable(
              TableIdentifier.of(
                  Namespace.of(CaptureCheckpoint.RAW_NAMESPACE),
                  CaptureCheckpoint.QUARANTINE_TABLE));
      tables.put(CaptureCheckpoint.QUARANTINE_TABLE, quarantine);
      List<Record> rows = new ArrayList<>();
      for (QuarantinedChange change : toQuarantine) {
        Record row = GenericRecord.create(quarantine.schema());
        row.setField("source", source.name());
        row.setField("source_table", change.sourceTable());
        row.setField("position", change.position());
        row.setField("payload", change.payload());
        row.setField("reason", change.reason());
        row.setField("quarantined_at", ingestedAt);
        rows.add(row);
        LOG.warn(
            "Quarantined a change of {}.{} at {}: {}",
            source.name(),
            change.sourceTable(),
            change.position(),
            change.reason());
        if (change.position() != null) {
          maxPositions.merge(
              CaptureCheckpoint.QUARANTINE_TABLE,
              change.position(),
              (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
      }
      records.put(CaptureCheckpoint.QUARANTINE_TABLE, rows);
    }
    Set<String> batchTables = new LinkedHashSet<>(records.keySet());
    // The clear ID numbers go first, ahead of the raw commits that carry their person_keys: a
    // crash in between replays the batch and appends them again (readers take distinct keys), so
    // a person_key in raw never lacks its identity. Appended after, a crash would lose it.
    appendIdentities(identities, ingestedAt);
    int committed = 0;
    for (Map.Entry<String, List<Record>> entry : records.entrySet()) {
      String name = entry.getKey();
      String maxPosition =
          maxPositions.getOrDefault(
              name, committedPositions.getOrDefault(name, Position.of(0, 0, 0)));
      CaptureCommit commit =
          new CaptureCommit(
              source.name(),
              thisBatch,
              batchTables,
              offsetPartition,
              offset,
              committedOffset,
              maxPosition);
      append(tables.get(name), entry.getValue(), thisBatch, commit.summary());
      committedPositions.put(name, maxPosition);
      if (!name.equals(CaptureCheckpoint.QUARANTINE_TABLE)) {
        committed += entry.getValue().size();
      }
    }
    if (!batchTables.isEmpty()) {
      batch = thisBatch;
      committedOffset = Optional.of(offset);
    }
    return new BatchResult(thisBatch, committed, toQuarantine.size(), duplicates);
  }

  private void appendIdentities(List<PersonIdentity> identities, OffsetDateTime recordedAt) {
    if (identities.isEmpty()) {
      return;
    }
    Table table = catalog.loadTable(TableIdentifier.of("restricted", "person_identity"));
    Map<String, PersonIdentity> unique = new LinkedHashMap<>();
    identities.forEach(identity -> unique.putIfAbsent(identity.personKey(), identity));
    List<Record> rows = new ArrayList<>();
    for (PersonIdentity identity : unique.values()) {
      Record row = GenericRecord.create(table.schema());
      row.setField("person_key", identity.personKey());
      row.setField("id_number", identity.idNumber());
      row.setField("source", identity.source());
      row.setField("recorded_at", recordedAt);
      rows.add(row);
    }
    append(table, rows, batch + 1, Map.of());
  }

  private boolean alreadyCommitted(String table, String position) {
    String committed = committedPositions.get(table);
    return committed != null && position != null && position.compareTo(committed) <= 0;
  }

  /**
   * Creates or evolves the raw table through each source schema the batch's changes carry, in
   * source order: a batch may span DDL (a column widened then narrowed again must still be widened,
   * a column dropped midway still holds the values of the earlier changes).
   */
  private Table ensureSchemas(String rawTable, List<CapturedChange> changes) {
    Table table = null;
    List<Types.NestedField> applied = null;
    for (CapturedChange change : changes) {
      if (!change.sourceFields().equals(applied)) {
        applied = change.sourceFields();
        table =
            rawTables.ensure(source, change.sourceTable(), rawTable, applied, change.primaryKey());
      }
    }
    return table;
  }

  private static Record record(Schema schema, CapturedChange change, OffsetDateTime ingestedAt) {
    Record row = GenericRecord.create(schema);
    for (Map.Entry<String, Object> value : change.values().entrySet()) {
      Types.NestedField field = schema.findField(value.getKey());
      if (field == null) {
        throw new IllegalStateException("column " + value.getKey() + " is not in the raw table");
      }
      row.setField(value.getKey(), coerce(value.getValue(), field.type(), value.getKey()));
    }
    row.setField(RawSchemas.OP, change.op());
    row.setField(RawSchemas.POSITION, change.position());
    row.setField(RawSchemas.SOURCE_TS, change.sourceTimestamp());
    row.setField(RawSchemas.TX_ID, change.transactionId());
    row.setField(RawSchemas.INGESTED_AT, ingestedAt);
    return row;
  }

  /**
   * Converts a value to its raw column's type (which may differ from the source's current type
   * after a schema change) exactly, or throws {@link UnconvertibleValueException}: the change then
   * goes to quarantine. Only lossless conversions: integers to wider integers or to decimals,
   * decimals to another scale without rounding, a plain numeral (no leading zeros, no exponent) to
   * the number it names if that fits exactly, anything but bytes and lists to its text.
   */
  static Object coerce(Object value, Type type, String column) {
    if (value == null) {
      return null;
    }
    Object converted = convert(value, type);
    if (converted == null) {
      throw new UnconvertibleValueException(
          "Cannot store "
              + value.getClass().getSimpleName()
              + " value of "
              + column
              + " in a raw column of type "
              + type
              + " exactly");
    }
    return converted;
  }

  private static final long DOUBLE_EXACT_LIMIT = 1L << 53;
  private static final java.util.regex.Pattern PLAIN_DECIMAL =
      java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?");

  /** The exact value in {@code type}, or null if there is none. */
  private static Object convert(Object value, Type type) {
    switch (type.typeId()) {
      case STRING:
        if (value instanceof CharSequence text) {
          return text.toString();
        }
        if (value instanceof BigDecimal decimal) {
          return decimal.toPlainString();
        }
        if (value instanceof Number
            || value instanceof Boolean
            || value instanceof java.time.temporal.Temporal) {
          return value.toString();
        }
        return null;
      case INTEGER:
        if (value instanceof Integer) {
          return value;
        }
        if (value instanceof Long number && number == number.intValue()) {
          return number.intValue();
        }
        return integral(value)
            .filter(n -> n == (int) (long) n)
            .map(n -> (int) (long) n)
            .orElse(null);
      case LONG:
        if (value instanceof Integer || value instanceof Long) {
          return ((Number) value).longValue();
        }
        return integral(value).orElse(null);
      case FLOAT:
        return value instanceof Float ? value : null;
      case DOUBLE:
        if (value instanceof Float || value instanceof Double || value instanceof Integer) {
          return ((Number) value).doubleValue();
        }
        if (value instanceof Long number && Math.abs(number) <= DOUBLE_EXACT_LIMIT) {
          return number.doubleValue();
        }
        return null;
      case DECIMAL:
        {
          BigDecimal decimal =
              value instanceof BigDecimal number
                  ? number
                  : value instanceof Integer || value instanceof Long
                      ? BigDecimal.valueOf(((Number) value).longValue())
                      // a plain numeral (the text of a decimal too wide for Iceberg, or a
                      // column turned to text): no leading zeros, sign only if negative
                      : value instanceof String text && PLAIN_DECIMAL.matcher(text).matches()
                          ? new BigDecimal(text)
                          : null;
          if (decimal == null) {
            return null;
          }
          Types.DecimalType decimalType = (Types.DecimalType) type;
          try {
            BigDecimal scaled = decimal.setScale(decimalType.scale(), RoundingMode.UNNECESSARY);
            return scaled.precision() <= decimalType.precision() ? scaled : null;
          } catch (ArithmeticException e) {
            return null;
          }
        }
      case BOOLEAN:
        return value instanceof Boolean ? value : null;
      case DATE:
        return value instanceof java.time.LocalDate ? value : null;
      case TIME:
        return value instanceof java.time.LocalTime ? value : null;
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? (value instanceof OffsetDateTime ? value : null)
            : (value instanceof java.time.LocalDateTime ? value : null);
      case BINARY:
        return value instanceof java.nio.ByteBuffer ? value : null;
      case LIST:
        {
          if (!(value instanceof List<?> elements)) {
            return null;
          }
          Type elementType = ((Types.ListType) type).elementType();
          List<Object> converted = new ArrayList<>();
          for (Object element : elements) {
            Object exact = element == null ? null : convert(element, elementType);
            if (element != null && exact == null) {
              return null;
            }
            converted.add(exact);
          }
          return converted;
        }
      default:
        return null;
    }
  }

  private static Optional<Long> integral(Object value) {
    if (value instanceof String text && PLAIN_DECIMAL.matcher(text).matches()) {
      return integral(new BigDecimal(text));
    }
    if (value instanceof BigDecimal decimal) {
      try {
        return Optional.of(decimal.longValueExact());
      } catch (ArithmeticException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private static void append(
      Table table, List<Record> rows, long batch, Map<String, String> summary) {
    if (rows.isEmpty() && summary.isEmpty()) {
      return;
    }
    AppendFiles append = table.newAppend();
    for (DataFile file : writeDataFiles(table, rows, batch)) {
      append.appendFile(file);
    }
    summary.forEach(append::set);
    append.commit();
  }

  /**
   * Writes {@code rows} as Parquet data files of {@code table}, one or more per partition, without
   * committing them; {@code taskId} goes into the file names.
   */
  static List<DataFile> writeDataFiles(Table table, List<Record> rows, long taskId) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Schema schema = table.schema();
    GenericFileWriterFactory writerFactory =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(schema)
            .build();
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, taskId)
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    FanoutDataWriter<Record> writer =
        new FanoutDataWriter<>(writerFactory, files, table.io(), TARGET_FILE_SIZE);
    PartitionKey partition = new PartitionKey(table.spec(), schema);
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    try {
      for (Record row : rows) {
        partition.partition(wrapper.wrap(row));
        writer.write(row, table.spec(), partition);
      }
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write data files of " + table.name(), e);
    }
    return writer.result().dataFiles();
  }
}
