package cn.jiangyin.warehouse.export;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Exports an Iceberg table with a declared key to other systems (对外交换): the whole table at its
 * current snapshot ({@link #full}), or the rows added, changed or removed since an earlier export
 * ({@link #since}), each as Parquet, CSV (for Excel) and JSON Lines with a {@link ExportManifest}.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>Atomic: files are written to a hidden {@code .partial-…} folder beside the target and
 *       renamed into place only when complete; a failure removes the partial folder, and one left
 *       by a killed process is removed by the next run.
 *   <li>Reproducible: the export id derives from the snapshot and the kind/base, rows are in key
 *       order and nothing comes from the clock, so the same export gives the same bytes.
 *   <li>Consistent: every read is pinned to one snapshot ({@code VERSION AS OF}); incremental
 *       exports compare the table at the base export's snapshot with the current one, by key.
 * </ul>
 */
public final class TableExport {
  /** The column telling what happened to a row in an incremental export. */
  public static final String CHANGE_COLUMN = "_change";

  public static final String ADDED = "added";
  public static final String CHANGED = "changed";
  public static final String REMOVED = "removed";

  static final String PARTIAL_PREFIX = ".partial-";
  private static final String RULE_VERSION = "rule_version";
  private static final String INPUT_SNAPSHOTS = "input_snapshots";
  private static final String AS_OF = "as_of";
  private static final long PROGRESS_EVERY = 100_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;
  private final ExportedTable exported;
  private final Consumer<String> progress;
  private final Consumer<String> checkpoint;

  public TableExport(SparkSession spark, ExportedTable exported, Consumer<String> progress) {
    this(spark, exported, progress, step -> {});
  }

  /**
   * With a hook called before each step ({@code parquet}, {@code csv}, {@code jsonl} once the data
   * is read, then {@code manifest}, {@code move}), for tests to interrupt an export.
   */
  TableExport(
      SparkSession spark,
      ExportedTable exported,
      Consumer<String> progress,
      Consumer<String> checkpoint) {
    this.spark = requireNonNull(spark, "spark is null");
    this.exported = requireNonNull(exported, "exported is null");
    this.progress = requireNonNull(progress, "progress is null");
    this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
  }

  /** Whether an export was written now or was already there, identical by construction. */
  public enum Outcome {
    WRITTEN,
    ALREADY_PRESENT
  }

  /** Where an export went and what it holds. */
  public record Result(Path directory, ExportManifest manifest, Outcome outcome) {}

  /** Exports the whole table at its current snapshot under {@code root}. */
  public Result full(Path root) {
    Table table = table();
    Snapshot snapshot = currentSnapshot(table);
    String exportId = exported.name() + "-full-" + snapshot.snapshotId();
    return export(root, exportId, ExportKind.FULL, Optional.empty(), snapshot);
  }

  /**
   * Exports what was added, changed or removed since the export {@code baseExportId} under {@code
   * root}, with the column {@value #CHANGE_COLUMN}; removed rows carry their last values.
   */
  public Result since(Path root, String baseExportId) {
    requireNonNull(baseExportId, "baseExportId is null");
    if (baseExportId.isBlank() || baseExportId.contains("/") || baseExportId.startsWith(".")) {
      throw new ExportException("Invalid base export id: '" + baseExportId + "'");
    }
    Path baseFolder = root.resolve(baseExportId);
    if (!Files.isDirectory(baseFolder)) {
      throw new ExportException(
          "Cannot export changes since " + baseExportId + ": no such export in " + root);
    }
    ExportManifest base = ExportManifest.read(baseFolder);
    if (!base.table().equals(exported.table()) || !base.key().equals(exported.key())) {
      throw new ExportException(
          "Cannot export changes since "
              + baseExportId
              + ": it exports "
              + base.table()
              + " by "
              + base.key()
              + ", not "
              + exported.table()
              + " by "
              + exported.key());
    }
    Table table = table();
    if (table.snapshot(base.snapshotId()) == null) {
      throw new ExportException(
          "Cannot export changes since "
              + baseExportId
              + ": snapshot "
              + base.snapshotId()
              + " of "
              + exported.table()
              + " is no longer kept (expired); make a full export instead");
    }
    Snapshot snapshot = currentSnapshot(table);
    String exportId =
        exported.name() + "-since-" + base.snapshotId() + "-to-" + snapshot.snapshotId();
    return export(root, exportId, ExportKind.INCREMENTAL, Optional.of(base), snapshot);
  }

  private Table table() {
    try {
      // qualified by the session's catalog, else Iceberg first takes the namespace for a catalog
      String catalog = spark.conf().get("spark.sql.defaultCatalog");
      Table table = Spark3Util.loadIcebergTable(spark, catalog + "." + exported.table());
      table.refresh();
      return table;
    } catch (Exception e) {
      throw new ExportException("Cannot read " + exported.table() + ": " + e.getMessage(), e);
    }
  }

  private Snapshot currentSnapshot(Table table) {
    Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      throw new ExportException(
          "Cannot export " + exported.table() + ": the table has no snapshot yet (never written)");
    }
    return snapshot;
  }

  private Result export(
      Path root,
      String exportId,
      ExportKind kind,
      Optional<ExportManifest> base,
      Snapshot snapshot) {
    Path target = root.resolve(exportId);
    try {
      Files.createDirectories(root);
      if (Files.exists(target)) {
        return existing(target, exportId, base);
      }
      removeLeftovers(root);
      Path partial = root.resolve(PARTIAL_PREFIX + exportId + "-" + ProcessHandle.current().pid());
      deleteRecursively(partial);
      Files.createDirectory(partial);
      try {
        ExportManifest manifest = write(partial, exportId, kind, base, snapshot);
        checkpoint.accept("move");
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        progress.accept("Export " + exportId + " delivered to " + target);
        return new Result(target, manifest, Outcome.WRITTEN);
      } catch (RuntimeException | IOException | Error e) {
        deleteRecursively(partial);
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write export " + exportId + " under " + root, e);
    }
  }

  private Result existing(Path target, String exportId, Optional<ExportManifest> base) {
    ExportManifest manifest = ExportManifest.read(target);
    Optional<String> baseId = base.map(ExportManifest::exportId);
    if (!manifest.baseExportId().equals(baseId)) {
      throw new ExportException(
          "Cannot write export "
              + exportId
              + ": "
              + target
              + " already holds it relative to "
              + manifest.baseExportId().orElse("nothing")
              + ", not "
              + baseId.orElse("nothing"));
    }
    List<ExportVerifier.Problem> problems = ExportVerifier.verify(target);
    if (!problems.isEmpty()) {
      throw new ExportException(
          "Cannot write export "
              + exportId
              + ": "
              + target
              + " already exists and does not match its manifest ("
              + problems.stream()
                  .map(problem -> problem.file() + ": " + problem.message())
                  .collect(Collectors.joining("; "))
              + "); remove it and export again");
    }
    progress.accept(
        "Export " + exportId + " is already in " + target + " (same snapshot and base): kept");
    return new Result(target, manifest, Outcome.ALREADY_PRESENT);
  }

  /** Removes partial folders whose process is gone: what a killed export leaves behind. */
  private void removeLeftovers(Path root) throws IOException {
    List<Path> leftovers = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, PARTIAL_PREFIX + "*")) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        long pid = pid(name);
        boolean running =
            pid > 0
                && pid != ProcessHandle.current().pid()
                && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        if (running) {
          progress.accept("Leaving " + name + " alone: export process " + pid + " is running");
        } else {
          leftovers.add(entry);
        }
      }
    }
    for (Path leftover : leftovers) {
      progress.accept(
          "Removing "
              + leftover.getFileName()
              + ", left by an export that did not finish (its process is gone)");
      deleteRecursively(leftover);
    }
  }

  private static long pid(String partialName) {
    int dash = partialName.lastIndexOf('-');
    try {
      return Long.parseLong(partialName.substring(dash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private ExportManifest write(
      Path folder,
      String exportId,
      ExportKind kind,
      Optional<ExportManifest> base,
      Snapshot snapshot)
      throws IOException {
    long snapshotId = snapshot.snapshotId();
    String current = pinned(snapshotId);
    StructType tableSchema = spark.sql("SELECT * FROM " + current).schema();
    ExportValues.checkSupported(exported.table(), tableSchema);
    for (String column : exported.key()) {
      if (!Arrays.asList(tableSchema.fieldNames()).contains(column)) {
        throw new ExportException(
            "Cannot export " + exported.table() + ": key column " + column + " is not in it");
      }
    }
    progress.accept("Reading " + exported.table() + " at snapshot " + snapshotId);
    checkUniqueKey(current, snapshotId);
    Dataset<Row> rows;
    if (kind == ExportKind.FULL) {
      rows = spark.sql("SELECT * FROM " + current + " ORDER BY " + keyList(""));
    } else {
      long baseSnapshotId = base.orElseThrow().snapshotId();
      checkUniqueKey(pinned(baseSnapshotId), baseSnapshotId);
      rows = changes(pinned(baseSnapshotId), current, tableSchema);
    }
    StructType schema = rows.schema();
    String name = exported.name();
    List<String> fileNames = List.of(name + ".parquet", name + ".csv", name + ".jsonl");
    List<String> formats = List.of("parquet", "csv", "jsonl");
    List<RowFile> files = new ArrayList<>();
    try {
      checkpoint.accept("parquet");
      files.add(new ParquetFile(folder.resolve(fileNames.get(0)), schema));
      checkpoint.accept("csv");
      files.add(new CsvFile(folder.resolve(fileNames.get(1)), schema));
      checkpoint.accept("jsonl");
      files.add(new JsonLinesFile(folder.resolve(fileNames.get(2)), schema));
      long count = 0;
      for (Iterator<Row> it = rows.toLocalIterator(); it.hasNext(); ) {
        Row row = it.next();
        for (RowFile file : files) {
          file.write(row);
        }
        if (++count % PROGRESS_EVERY == 0) {
          progress.accept("Wrote " + count + " rows");
        }
      }
      progress.accept("Wrote " + count + " rows to " + String.join(", ", fileNames));
    } finally {
      for (RowFile file : files) {
        file.close();
      }
    }
    checkpoint.accept("manifest");
    List<ExportManifest.ExportedFile> described = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      described.add(
          new ExportManifest.ExportedFile(
              fileNames.get(i),
              formats.get(i),
              files.get(i).rows(),
              ExportVerifier.sha256(folder.resolve(fileNames.get(i)))));
    }
    Metadata metadata = metadata(current, tableSchema, snapshot);
    ExportManifest manifest =
        new ExportManifest(
            exportId,
            name,
            kind,
            base.map(ExportManifest::exportId),
            exported.table(),
            exported.key(),
            snapshotId,
            base.map(ExportManifest::snapshotId),
            ExportValues.instant(Instant.ofEpochMilli(snapshot.timestampMillis())),
            metadata.asOf(),
            metadata.ruleVersions(),
            metadata.inputSnapshots(),
            described);
    manifest.write(folder);
    return manifest;
  }

  private String pinned(long snapshotId) {
    return exported.table() + " VERSION AS OF " + snapshotId;
  }

  private String keyList(String alias) {
    return exported.key().stream().map(column -> alias + column).collect(Collectors.joining(", "));
  }

  private void checkUniqueKey(String relation, long snapshotId) {
    List<Row> duplicates =
        spark
            .sql(
                "SELECT "
                    + keyList("")
                    + ", COUNT(*) AS n FROM "
                    + relation
                    + " GROUP BY "
                    + keyList("")
                    + " HAVING COUNT(*) > 1 ORDER BY "
                    + keyList("")
                    + " LIMIT 3")
            .collectAsList();
    if (!duplicates.isEmpty()) {
      throw new ExportException(
          "Cannot export "
              + exported.table()
              + " at snapshot "
              + snapshotId
              + ": its key "
              + exported.key()
              + " is not unique, e.g. "
              + duplicates.stream().map(Row::toString).collect(Collectors.joining(", ")));
    }
  }

  /**
   * Rows of {@code current} not in {@code base} (added), in both with some column different
   * (changed, with the current values), in {@code base} only (removed, with the last values), in
   * key order.
   */
  private Dataset<Row> changes(String base, String current, StructType schema) {
    String join =
        exported.key().stream()
            .map(column -> "c." + column + " = b." + column)
            .collect(Collectors.joining(" AND "));
    String same =
        Arrays.stream(schema.fieldNames())
            .map(column -> "c." + column + " <=> b." + column)
            .collect(Collectors.joining(" AND "));
    return spark.sql(
        "SELECT * FROM ("
            + ("SELECT c.*, '" + ADDED + "' AS " + CHANGE_COLUMN)
            + (" FROM " + current + " c LEFT ANTI JOIN " + base + " b ON " + join)
            + " UNION ALL "
            + ("SELECT c.*, '" + CHANGED + "' AS " + CHANGE_COLUMN)
            + (" FROM " + current + " c JOIN " + base + " b ON " + join)
            + (" WHERE NOT (" + same + ")")
            + " UNION ALL "
            + ("SELECT b.*, '" + REMOVED + "' AS " + CHANGE_COLUMN)
            + (" FROM " + base + " b LEFT ANTI JOIN " + current + " c ON " + join)
            + ") ORDER BY "
            + keyList(""));
  }

  private record Metadata(
      LocalDate asOf, List<String> ruleVersions, Map<String, List<Long>> inputSnapshots) {}

  /** As-of, rule versions and input snapshots from the data at the exported snapshot. */
  private Metadata metadata(String current, StructType schema, Snapshot snapshot) {
    List<String> columns = Arrays.asList(schema.fieldNames());
    LocalDate asOf = null;
    if (columns.contains(AS_OF)) {
      Row row = spark.sql("SELECT MAX(" + AS_OF + ") FROM " + current).first();
      if (!row.isNullAt(0)) {
        asOf = LocalDate.parse(ExportValues.text(row.get(0)).substring(0, 10));
      }
    }
    if (asOf == null) {
      asOf =
          Instant.ofEpochMilli(snapshot.timestampMillis()).atZone(ExportValues.ZONE).toLocalDate();
    }
    List<String> ruleVersions = List.of();
    if (columns.contains(RULE_VERSION)) {
      ruleVersions =
          spark
              .sql(
                  "SELECT DISTINCT CAST("
                      + RULE_VERSION
                      + " AS STRING) FROM "
                      + current
                      + " WHERE "
                      + RULE_VERSION
                      + " IS NOT NULL ORDER BY 1")
              .collectAsList()
              .stream()
              .map(row -> row.getString(0))
              .toList();
    }
    Map<String, List<Long>> inputs = new TreeMap<>();
    if (columns.contains(INPUT_SNAPSHOTS)) {
      Map<String, TreeSet<Long>> ids = new TreeMap<>();
      List<Row> values =
          spark
              .sql(
                  "SELECT DISTINCT "
                      + INPUT_SNAPSHOTS
                      + " FROM "
                      + current
                      + " WHERE "
                      + INPUT_SNAPSHOTS
                      + " IS NOT NULL")
              .collectAsList();
      for (Row row : values) {
        String text = row.getString(0);
        JsonNode node;
        try {
          node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
          throw new ExportException(
              "Cannot read " + INPUT_SNAPSHOTS + " of " + exported.table() + ": not JSON: " + text);
        }
        if (node == null || !node.isObject()) {
          throw new ExportException(
              "Cannot read "
                  + INPUT_SNAPSHOTS
                  + " of "
                  + exported.table()
                  + ": not a JSON object of table to snapshot id: "
                  + text);
        }
        node.fields()
            .forEachRemaining(
                entry -> {
                  JsonNode id = entry.getValue();
                  if (id.isNull()) {
                    // an input table that had no snapshot yet (read as empty): listed, no id
                    ids.computeIfAbsent(entry.getKey(), input -> new TreeSet<>());
                    return;
                  }
                  boolean number = id.isIntegralNumber() && id.canConvertToLong();
                  boolean digits = id.isTextual() && id.asText().matches("-?[0-9]{1,19}");
                  if (!number && !digits) {
                    throw new ExportException(
                        "Cannot read "
                            + INPUT_SNAPSHOTS
                            + " of "
                            + exported.table()
                            + ": snapshot id of "
                            + entry.getKey()
                            + " is not a number: "
                            + text);
                  }
                  ids.computeIfAbsent(entry.getKey(), input -> new TreeSet<>())
                      .add(number ? id.asLong() : Long.parseLong(id.asText()));
                });
      }
      ids.forEach((input, set) -> inputs.put(input, List.copyOf(set)));
    }
    return new Metadata(asOf, ruleVersions, inputs);
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(each);
      }
    }
  }
}
