package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * 抽取记录文件 — a draw as a JSON file that anyone given the plan file and read access to the recorded
 * input snapshots can check ({@code warehouse inspect verify FILE}). It holds the seed inputs, the
 * seed, the candidate counts per risk class and every drawn subject with its rank and inspectors.
 * Internal: it carries the risk classes (不公开).
 */
public final class DrawFile {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** A draw as recorded, with the plan file it names. */
  public record Recorded(String planFile, Draw draw) {
    public Recorded {
      requireNonNull(planFile, "planFile is null");
      requireNonNull(draw, "draw is null");
    }
  }

  private DrawFile() {}

  /** {@code <plan id>-<first 12 hex digits of the seed>}. */
  public static String drawId(Draw draw) {
    return draw.planId() + "-" + draw.seed().substring(0, 12);
  }

  public static void write(Path path, PlanFile plan, Draw draw) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("draw_id", drawId(draw));
    root.put("plan_id", draw.planId());
    root.put("plan_file", plan.file());
    root.put("plan_sha256", draw.inputs().planSha256());
    root.put("public_value", draw.inputs().publicValue());
    ObjectNode snapshots = root.putObject("input_snapshots");
    draw.inputs()
        .snapshots()
        .forEach(
            (table, snapshot) -> {
              if (snapshot.isPresent()) {
                snapshots.put(table, snapshot.get());
              } else {
                snapshots.putNull(table);
              }
            });
    root.put("seed", draw.seed());
    draw.candidates().forEach(root.putObject("candidates")::put);
    draw.excluded().forEach(root.putObject("excluded")::put);
    ArrayNode selections = root.putArray("selections");
    for (Selection selection : draw.selections()) {
      ObjectNode node = selections.addObject();
      node.put("subject_uscc", selection.subjectId());
      node.put("subject_name", selection.subjectName());
      node.put("risk_class", selection.riskClass());
      node.put("rank", selection.rank());
      selection.inspectorIds().forEach(node.putArray("inspector_ids")::add);
    }
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
      MAPPER.writeValue(path.toFile(), root);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write draw file " + path + ": " + e.getMessage(), e);
    }
  }

  public static Recorded read(Path path) {
    JsonNode root;
    try {
      root = MAPPER.readTree(path.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid draw file " + path + ": " + e.getMessage(), e);
    }
    try {
      String planId = text(root, "plan_id");
      SeedInputs inputs =
          new SeedInputs(
              text(root, "public_value"),
              planId,
              text(root, "plan_sha256"),
              snapshots(field(root, "input_snapshots").toString()));
      List<Selection> selections = new ArrayList<>();
      for (JsonNode node : field(root, "selections")) {
        List<String> inspectors = new ArrayList<>();
        field(node, "inspector_ids").forEach(id -> inspectors.add(id.asText()));
        selections.add(
            new Selection(
                text(node, "subject_uscc"),
                node.path("subject_name").isTextual() ? node.get("subject_name").asText() : null,
                text(node, "risk_class"),
                text(node, "rank"),
                inspectors));
      }
      return new Recorded(
          text(root, "plan_file"),
          new Draw(
              planId,
              inputs,
              text(root, "seed"),
              counts(field(root, "candidates").toString()),
              counts(field(root, "excluded").toString()),
              selections));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid draw file " + path + ": " + e.getMessage(), e);
    }
  }

  static String json(Object value) {
    try {
      return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON", e);
    }
  }

  static String snapshotsJson(SortedMap<String, Optional<Long>> snapshots) {
    Map<String, Long> plain = new TreeMap<>();
    snapshots.forEach((table, snapshot) -> plain.put(table, snapshot.orElse(null)));
    return json(plain);
  }

  static List<String> strings(String json) {
    return read(json, new TypeReference<List<String>>() {});
  }

  static SortedMap<String, Integer> counts(String json) {
    return new TreeMap<>(read(json, new TypeReference<Map<String, Integer>>() {}));
  }

  static SortedMap<String, Optional<Long>> snapshots(String json) {
    Map<String, Long> plain = read(json, new TypeReference<Map<String, Long>>() {});
    SortedMap<String, Optional<Long>> snapshots = new TreeMap<>();
    plain.forEach((table, snapshot) -> snapshots.put(table, Optional.ofNullable(snapshot)));
    return snapshots;
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Invalid JSON '" + json + "': " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode field(JsonNode node, String name) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing field '" + name + "'");
    }
    return value;
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = field(node, name);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("field '" + name + "' must be a string");
    }
    return value.asText();
  }
}
