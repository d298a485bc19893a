package cn.jiangyin.warehouse.export;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code manifest.json} (清单): what an export holds and how to check it — the export id, its kind
 * and base, the table and the Iceberg snapshot read, the as-of date, rule versions and input
 * snapshots taken from the data, and each file with its row count and SHA-256. Written with a fixed
 * field order and LF line ends, and nothing from the clock, so the same export gives the same
 * bytes.
 *
 * @param exportId the export's id, derived from the snapshot and the kind/base
 * @param name the export's name ({@link ExportedTable#name()})
 * @param kind full or incremental
 * @param baseExportId the export an incremental one is relative to
 * @param table the table read
 * @param key the columns identifying a row
 * @param snapshotId the table's Iceberg snapshot read
 * @param baseSnapshotId the snapshot of the base export, for an incremental one
 * @param snapshotCommittedAt when {@code snapshotId} was committed, ISO-8601 with offset
 * @param asOf the date the data is as of (the latest {@code as_of} in the data, else the commit
 *     date)
 * @param ruleVersions the distinct {@code rule_version} values in the data, sorted
 * @param inputSnapshots table → the distinct input snapshot ids in the data's {@code
 *     input_snapshots}, sorted
 * @param files the data files, in a fixed order
 */
public record ExportManifest(
    String exportId,
    String name,
    ExportKind kind,
    Optional<String> baseExportId,
    String table,
    List<String> key,
    long snapshotId,
    Optional<Long> baseSnapshotId,
    String snapshotCommittedAt,
    LocalDate asOf,
    List<String> ruleVersions,
    Map<String, List<Long>> inputSnapshots,
    List<ExportedFile> files) {
  public static final String FILE = "manifest.json";
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  public ExportManifest {
    requireNonNull(exportId, "exportId is null");
    requireNonNull(name, "name is null");
    requireNonNull(kind, "kind is null");
    requireNonNull(baseExportId, "baseExportId is null");
    requireNonNull(table, "table is null");
    key = List.copyOf(key);
    requireNonNull(baseSnapshotId, "baseSnapshotId is null");
    requireNonNull(snapshotCommittedAt, "snapshotCommittedAt is null");
    requireNonNull(asOf, "asOf is null");
    ruleVersions = List.copyOf(ruleVersions);
    TreeMap<String, List<Long>> sorted = new TreeMap<>();
    inputSnapshots.forEach(
        (input, ids) -> sorted.put(input, List.copyOf(new java.util.TreeSet<>(ids))));
    inputSnapshots = java.util.Collections.unmodifiableMap(sorted);
    files = List.copyOf(files);
    if ((kind == ExportKind.INCREMENTAL) != baseExportId.isPresent()
        || baseExportId.isPresent() != baseSnapshotId.isPresent()) {
      throw new IllegalArgumentException(
          "Invalid manifest " + exportId + ": an incremental export needs a base, a full one none");
    }
  }

  /**
   * One delivered file.
   *
   * @param name the file's name in the export folder
   * @param format parquet, csv or jsonl
   * @param rows its data rows (the CSV header not counted)
   * @param sha256 its SHA-256, lower-case hex
   */
  public record ExportedFile(String name, String format, long rows, String sha256) {
    public ExportedFile {
      requireNonNull(name, "name is null");
      requireNonNull(format, "format is null");
      requireNonNull(sha256, "sha256 is null");
    }
  }

  /** The manifest as written: UTF-8, two-space indent, LF line ends, a final LF. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format_version", FORMAT_VERSION);
    root.put("export_id", exportId);
    root.put("name", name);
    root.put("kind", kind.label());
    root.put("base_export_id", baseExportId.orElse(null));
    root.put("table", table);
    ArrayNode keyNode = root.putArray("key");
    key.forEach(keyNode::add);
    root.put("snapshot_id", snapshotId);
    root.put("base_snapshot_id", baseSnapshotId.orElse(null));
    root.put("snapshot_committed_at", snapshotCommittedAt);
    root.put("as_of", asOf.toString());
    ArrayNode rules = root.putArray("rule_versions");
    ruleVersions.forEach(rules::add);
    ObjectNode inputs = root.putObject("input_snapshots");
    inputSnapshots.forEach(
        (input, ids) -> {
          ArrayNode idNodes = inputs.putArray(input);
          ids.forEach(idNodes::add);
        });
    ArrayNode fileNodes = root.putArray("files");
    for (ExportedFile file : files) {
      ObjectNode node = fileNodes.addObject();
      node.put("name", file.name());
      node.put("format", file.format());
      node.put("rows", file.rows());
      node.put("sha256", file.sha256());
    }
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
    printer.indentArraysWith(new DefaultIndenter("  ", "\n"));
    try {
      return JSON.writer(printer).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the manifest of " + exportId, e);
    }
  }

  /** Writes {@code manifest.json} into {@code folder}. */
  void write(Path folder) throws IOException {
    Files.writeString(folder.resolve(FILE), toJson(), StandardCharsets.UTF_8);
  }

  /**
   * Reads the manifest of the export in {@code folder}.
   *
   * @throws MalformedManifestException if it is missing, not JSON, or lacks or mistypes a field
   */
  public static ExportManifest read(Path folder) {
    Path file = folder.resolve(FILE);
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new MalformedManifestException(file, "the file is missing");
    } catch (IOException e) {
      throw new MalformedManifestException(file, "not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedManifestException(file, "not a JSON object");
    }
    Fields fields = new Fields(file, root);
    long version = fields.number("format_version");
    if (version != FORMAT_VERSION) {
      throw new MalformedManifestException(
          file, "format_version " + version + " is not " + FORMAT_VERSION);
    }
    Map<String, List<Long>> inputs = new TreeMap<>();
    JsonNode inputNode = fields.node("input_snapshots", JsonNode::isObject, "an object");
    for (Iterator<Map.Entry<String, JsonNode>> it = inputNode.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      List<Long> ids = new ArrayList<>();
      if (!entry.getValue().isArray()) {
        throw new MalformedManifestException(
            file, "input_snapshots." + entry.getKey() + " is not an array");
      }
      for (JsonNode id : entry.getValue()) {
        if (!id.canConvertToLong() || !id.isIntegralNumber()) {
          throw new MalformedManifestException(
              file, "input_snapshots." + entry.getKey() + " holds a non-number: " + id);
        }
        ids.add(id.asLong());
      }
      inputs.put(entry.getKey(), ids);
    }
    List<ExportedFile> files = new ArrayList<>();
    JsonNode fileNodes = fields.node("files", JsonNode::isArray, "an array");
    int index = 0;
    for (JsonNode node : fileNodes) {
      Fields fileFields = new Fields(file, node, "files[" + index++ + "].");
      files.add(
          new ExportedFile(
              fileFields.text("name"),
              fileFields.text("format"),
              fileFields.number("rows"),
              fileFields.text("sha256")));
    }
    try {
      return new ExportManifest(
          fields.text("export_id"),
          fields.text("name"),
          ExportKind.fromLabel(fields.text("kind")),
          fields.optionalText("base_export_id"),
          fields.text("table"),
          fields.texts("key"),
          fields.number("snapshot_id"),
          fields.optionalNumber("base_snapshot_id"),
          fields.text("snapshot_committed_at"),
          LocalDate.parse(fields.text("as_of")),
          fields.texts("rule_versions"),
          inputs,
          files);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new MalformedManifestException(file, e.getMessage());
    }
  }

  /** A manifest that cannot be read; the message names the file and what is wrong. */
  public static final class MalformedManifestException extends ExportException {
    MalformedManifestException(Path file, String problem) {
      super("Malformed manifest " + file + ": " + problem);
    }
  }

  /** Reads fields of one JSON object, naming the missing or mistyped one. */
  private record Fields(Path file, JsonNode object, String prefix) {
    Fields(Path file, JsonNode object) {
      this(file, object, "");
    }

    JsonNode node(String field, java.util.function.Predicate<JsonNode> valid, String expected) {
      if (!object.isObject()) {
        throw new MalformedManifestException(
            file, prefix.replaceAll("\\.$", "") + " not an object");
      }
      JsonNode node = object.get(field);
      if (node == null) {
        throw new MalformedManifestException(file, "field " + prefix + field + " is missing");
      }
      if (!valid.test(node)) {
        throw new MalformedManifestException(
            file, "field " + prefix + field + " is not " + expected + ": " + node);
      }
      return node;
    }

    String text(String field) {
      return node(field, JsonNode::isTextual, "a string").asText();
    }

    Optional<String> optionalText(String field) {
      JsonNode node = node(field, n -> n.isTextual() || n.isNull(), "a string or null");
      return node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    long number(String field) {
      return node(field, n -> n.isIntegralNumber() && n.canConvertToLong(), "an integer").asLong();
    }

    Optional<Long> optionalNumber(String field) {
      JsonNode node =
          node(field, n -> n.isNull() || n.isIntegralNumber() && n.canConvertToLong(), "a number");
      return node.isNull() ? Optional.empty() : Optional.of(node.asLong());
    }

    List<String> texts(String field) {
      JsonNode node = node(field, JsonNode::isArray, "an array");
      List<String> values = new ArrayList<>();
      for (JsonNode value : node) {
        if (!value.isTextual()) {
          throw new MalformedManifestException(
              file, "field " + prefix + field + " holds a non-string: " + value);
        }
        values.add(value.asText());
      }
      return values;
    }
  }
}
