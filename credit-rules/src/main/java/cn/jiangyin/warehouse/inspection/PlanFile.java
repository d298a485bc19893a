package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An inspection plan file (抽查计划文件) as read: the plan and the SHA-256 of the file's bytes, which
 * goes into the draw seed so that a plan edited after a draw no longer verifies. Every problem is
 * reported as {@code file:line: what is wrong} ({@link InvalidFileException}).
 */
public record PlanFile(String file, String sha256, InspectionPlan plan) {

  private static final Set<String> PLAN_KEYS =
      Set.of(
          "id",
          "name",
          "department",
          "item",
          "reference-date",
          "subjects",
          "shares",
          "unscored-class",
          "inspectors-per-inspection",
          "exclusion-months",
          "roster");
  private static final Set<String> SUBJECT_KEYS =
      Set.of("industry-prefixes", "towns", "licence-types", "statuses");
  private static final Set<String> INSPECTOR_KEYS = Set.of("id", "name", "department", "grid");

  public PlanFile {
    requireNonNull(file, "file is null");
    requireNonNull(sha256, "sha256 is null");
    requireNonNull(plan, "plan is null");
  }

  public static PlanFile read(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new InvalidFileException(path.toString(), 0, "cannot read file: " + e.getMessage());
    }
    return parse(path.toString(), bytes);
  }

  /** Reads a plan from the file's bytes ({@code file} names it in problems). */
  public static PlanFile parse(String file, byte[] bytes) {
    YamlDocument document = YamlDocument.parse(file, new String(bytes, StandardCharsets.UTF_8));
    return new PlanFile(file, sha256(bytes), plan(document.root()));
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot compute SHA-256: no provider", e);
    }
  }

  private static InspectionPlan plan(Entry root) {
    Map<String, Entry> fields = root.mapping(PLAN_KEYS);
    String id = text(root, fields, "id");
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw YamlDocument.required(root, fields, "id")
          .invalid("plan id '%s' must be letters, digits, '.', '_' or '-' (at most 64)", id);
    }
    Entry dateEntry = YamlDocument.required(root, fields, "reference-date");
    LocalDate referenceDate;
    try {
      referenceDate = LocalDate.parse(dateEntry.text().trim());
    } catch (DateTimeParseException e) {
      throw dateEntry.invalid(
          "reference-date must be a date like 2026-11-30, found '%s'", dateEntry.text());
    }
    Entry subjects = YamlDocument.required(root, fields, "subjects");
    Map<String, Entry> subjectFields = subjects.mapping(SUBJECT_KEYS);
    SubjectFilter filter =
        new SubjectFilter(
            texts(subjectFields.get("industry-prefixes")),
            texts(subjectFields.get("towns")),
            texts(subjectFields.get("licence-types")),
            subjectFields.containsKey("statuses")
                ? texts(subjectFields.get("statuses"))
                : List.of("存续"));
    Entry shareEntry = YamlDocument.required(root, fields, "shares");
    Map<String, Entry> shareFields = shareEntry.mapping(InspectionPlan.SHARE_RANGES.keySet());
    TreeMap<String, Integer> shares = new TreeMap<>();
    for (String riskClass : new TreeMap<>(InspectionPlan.SHARE_RANGES).keySet()) {
      Entry share = YamlDocument.required(shareEntry, shareFields, riskClass);
      int percent = share.integer();
      int[] range = InspectionPlan.SHARE_RANGES.get(riskClass);
      if (percent < range[0] || percent > range[1]) {
        // 本地分类监管: A ≤ 5 % (but not 0: 不免抽), B 5–20 %, C 21–60 %, D 61–100 %
        throw share.invalid(
            "share of class %s is %d %%, outside the allowed %d–%d %%",
            riskClass, percent, range[0], range[1]);
      }
      shares.put(riskClass, percent);
    }
    Entry unscoredEntry = YamlDocument.required(root, fields, "unscored-class");
    String unscored = unscoredEntry.text().trim();
    if (!shares.containsKey(unscored)) {
      throw unscoredEntry.invalid(
          "unscored-class '%s' is not a risk class (A, B, C or D)", unscored);
    }
    Entry perEntry = YamlDocument.required(root, fields, "inspectors-per-inspection");
    int perInspection = perEntry.integer();
    if (perInspection < InspectionPlan.MINIMUM_INSPECTORS) {
      throw perEntry.invalid(
          "inspectors-per-inspection is %d: an inspection needs at least %d inspectors",
          perInspection, InspectionPlan.MINIMUM_INSPECTORS);
    }
    Entry exclusionEntry = YamlDocument.required(root, fields, "exclusion-months");
    int exclusion = exclusionEntry.integer();
    if (exclusion < 0) {
      throw exclusionEntry.invalid("exclusion-months must not be negative, found %d", exclusion);
    }
    Entry rosterEntry = YamlDocument.required(root, fields, "roster");
    List<Inspector> roster = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (Entry each : rosterEntry.sequence()) {
      Map<String, Entry> inspector = each.mapping(INSPECTOR_KEYS);
      String inspectorId = text(each, inspector, "id");
      if (!ids.add(inspectorId)) {
        throw each.invalid("inspector id '%s' appears twice in the roster", inspectorId);
      }
      roster.add(
          new Inspector(
              inspectorId,
              text(each, inspector, "name"),
              text(each, inspector, "department"),
              text(each, inspector, "grid")));
    }
    if (roster.size() < perInspection) {
      throw rosterEntry.invalid(
          "roster has %d inspectors, fewer than the %d each inspection needs",
          roster.size(), perInspection);
    }
    return new InspectionPlan(
        id,
        text(root, fields, "name"),
        text(root, fields, "department"),
        text(root, fields, "item"),
        referenceDate,
        filter,
        shares,
        unscored,
        perInspection,
        exclusion,
        roster);
  }

  private static String text(Entry mapping, Map<String, Entry> fields, String key) {
    Entry entry = YamlDocument.required(mapping, fields, key);
    String value = entry.text().trim();
    if (value.isEmpty()) {
      throw entry.invalid("'%s' must not be empty", key);
    }
    return value;
  }

  private static List<String> texts(Entry entry) {
    if (entry == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (Entry item : entry.sequence()) {
      values.add(item.text().trim());
    }
    return values;
  }
}
