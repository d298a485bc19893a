package cn.jiangyin.warehouse.credit.rule;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads one rule set directory and collects <em>every</em> problem before giving up, so the credit
 * office fixes a file in one pass: each item is read on its own (a bad indicator does not hide the
 * next one), then references between files are checked against what was defined.
 */
final class RuleSetReader {
  private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
  private static final Set<String> SUBJECT_TYPES = Set.of("enterprise", "person");
  private static final Set<String> STATUSES = Set.of("clear", "warn");

  private final String location;
  private final Function<String, Optional<String>> files;
  private final String filePrefix;
  private final FactConditions conditions = FactConditions.ofRegistry();
  private final List<InvalidFileException> problems = new ArrayList<>();
  private final List<Reference> references = new ArrayList<>();

  /**
   * Codes defined per kind, including those of items with other problems: one mistake in a grade
   * must not also be reported as every reference to that grade.
   */
  private final Map<String, Set<String>> defined = new HashMap<>();

  /** Grades named by risk classes, and where the classes are, to report a grade left out. */
  private final Set<String> classifiedGrades = new LinkedHashSet<>();

  private Entry riskClassList;

  /** A code named in one place that must be defined in another. */
  private record Reference(Entry entry, String kind, String code) {}

  private RuleSetReader(
      String location, String filePrefix, Function<String, Optional<String>> files) {
    this.location = location;
    this.filePrefix = filePrefix;
    this.files = files;
  }

  static RuleSet fromDirectory(Path directory) {
    String prefix = directory.toString().endsWith("/") ? directory.toString() : directory + "/";
    if (!Files.isDirectory(directory)) {
      throw new InvalidRuleSetException(
          directory.toString(),
          List.of(new InvalidFileException(directory.toString(), 0, "not a directory")));
    }
    return new RuleSetReader(
            directory.toString(),
            prefix,
            file -> {
              Path path = directory.resolve(file);
              if (!Files.isRegularFile(path)) {
                return Optional.empty();
              }
              try {
                return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new InvalidFileException(
                    prefix + file, 0, "cannot read file: " + e.getMessage());
              }
            })
        .read();
  }

  static RuleSet fromClasspath(String resource, String shownAs) {
    return new RuleSetReader(
            shownAs,
            shownAs,
            file -> {
              try (InputStream stream =
                  RuleSetReader.class.getClassLoader().getResourceAsStream(resource + file)) {
                return stream == null
                    ? Optional.empty()
                    : Optional.of(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                throw new IllegalStateException("Cannot read " + resource + file, e);
              }
            })
        .read();
  }

  private RuleSet read() {
    Map<String, Entry> roots = new HashMap<>();
    for (String file : RuleSet.FILES) {
      attempt(
          () -> {
            String text =
                files
                    .apply(file)
                    .orElseThrow(
                        () ->
                            new InvalidFileException(
                                filePrefix + file, 0, "missing file of the rule set"));
            roots.put(file, YamlDocument.parse(filePrefix + file, text).root());
            return null;
          });
    }
    Header header = roots.containsKey("ruleset.yaml") ? header(roots.get("ruleset.yaml")) : null;
    List<Indicator> indicators = new ArrayList<>();
    if (roots.containsKey("indicators.yaml")) {
      indicators(roots.get("indicators.yaml"), indicators);
    }
    List<Grade> grades = new ArrayList<>();
    List<DirectGrade> directGrades = new ArrayList<>();
    if (roots.containsKey("grades.yaml")) {
      grades(roots.get("grades.yaml"), grades, directGrades);
    }
    List<ListRule> lists = new ArrayList<>();
    if (roots.containsKey("lists.yaml")) {
      lists(roots.get("lists.yaml"), lists);
    }
    List<PublicationPeriod> periods = new ArrayList<>();
    if (roots.containsKey("publication.yaml")) {
      periods(roots.get("publication.yaml"), periods);
    }
    List<Measure> measures = new ArrayList<>();
    List<Propagation> propagations = new ArrayList<>();
    if (roots.containsKey("measures.yaml")) {
      measures(roots.get("measures.yaml"), measures, propagations);
    }
    List<RiskClass> riskClasses = new ArrayList<>();
    String[] listedClass = {""};
    if (roots.containsKey("risk-classes.yaml")) {
      riskClasses(roots.get("risk-classes.yaml"), riskClasses, listedClass);
    }
    checkReferences();
    checkRiskClassesCoverGrades();
    if (!problems.isEmpty() || header == null) {
      if (problems.isEmpty()) {
        problems.add(new InvalidFileException(filePrefix + "ruleset.yaml", 0, "cannot read"));
      }
      throw new InvalidRuleSetException(location, problems);
    }
    return new RuleSet(
        header.version,
        header.name,
        header.effectiveFrom,
        header.baseScore,
        header.objectionDays,
        header.sources,
        indicators,
        grades,
        directGrades,
        lists,
        periods,
        measures,
        propagations,
        riskClasses,
        listedClass[0],
        location);
  }

  private record Header(
      String version,
      String name,
      LocalDate effectiveFrom,
      int baseScore,
      int objectionDays,
      List<String> sources) {}

  private Header header(Entry root) {
    Map<String, Entry> fields =
        fields(
            root,
            Set.of("version", "name", "effective-from", "base-score", "objection-days", "sources"),
            Set.of("version", "name", "effective-from", "base-score", "objection-days", "sources"));
    if (fields == null) {
      return null;
    }
    String version = text(fields.get("version"));
    String name = text(fields.get("name"));
    LocalDate effectiveFrom = date(fields.get("effective-from"));
    Integer baseScore = integer(fields.get("base-score"), 0, 100);
    Integer objectionDays = integer(fields.get("objection-days"), 0, 365);
    List<String> sources = texts(fields.get("sources"));
    if (version == null
        || name == null
        || effectiveFrom == null
        || baseScore == null
        || objectionDays == null
        || sources == null) {
      return null;
    }
    return new Header(version, name, effectiveFrom, baseScore, objectionDays, sources);
  }

  private void indicators(Entry root, List<Indicator> indicators) {
    Map<String, Entry> file = fields(root, Set.of("indicators"), Set.of("indicators"));
    Set<String> keys = Set.of("code", "name", "basis", "when", "points", "window-months", "cap");
    Map<String, Entry> codes = new HashMap<>();
    for (Entry item : items(file, "indicators")) {
      Map<String, Entry> fields = fields(item, keys, keys);
      if (fields == null) {
        continue;
      }
      String code = code(fields.get("code"), codes, "indicator");
      String name = text(fields.get("name"));
      String basis = text(fields.get("basis"));
      String condition = condition(fields.get("when"));
      Integer points = integer(fields.get("points"), -100, 100);
      Integer window = integer(fields.get("window-months"), 1, 120);
      Integer cap = integer(fields.get("cap"), 1, 100);
      if (points != null && points == 0) {
        problem(fields.get("points"), "points must not be 0");
        points = null;
      }
      if (code != null
          && name != null
          && basis != null
          && condition != null
          && points != null
          && window != null
          && cap != null) {
        indicators.add(new Indicator(code, name, basis, condition, points, window, cap, at(item)));
      }
    }
  }

  private void grades(Entry root, List<Grade> grades, List<DirectGrade> directGrades) {
    Map<String, Entry> file = fields(root, Set.of("grades", "direct-grade"), Set.of("grades"));
    Set<String> keys = Set.of("code", "name", "min", "max", "status");
    Map<String, Entry> codes = new HashMap<>();
    Map<Grade, Entry> lines = new LinkedHashMap<>();
    for (Entry item : items(file, "grades")) {
      Map<String, Entry> fields = fields(item, keys, keys);
      if (fields == null) {
        continue;
      }
      String code = code(fields.get("code"), codes, "grade");
      String name = text(fields.get("name"));
      Integer minimum = integer(fields.get("min"), 0, 100);
      Integer maximum = integer(fields.get("max"), 0, 100);
      String status = oneOf(fields.get("status"), STATUSES);
      if (minimum != null && maximum != null && minimum > maximum) {
        problem(item, "grade %s: min %d is above max %d", code, minimum, maximum);
        continue;
      }
      if (code != null && minimum != null && maximum != null) {
        // checked for gaps even when its name or status is wrong
        Grade grade =
            new Grade(
                code,
                name == null ? code : name,
                minimum,
                maximum,
                status == null ? "warn" : status,
                at(item));
        lines.put(grade, item);
        if (name != null && status != null) {
          grades.add(grade);
        }
      }
    }
    checkThresholds(lines);
    if (file != null && file.containsKey("direct-grade")) {
      Entry direct = file.get("direct-grade");
      Map<String, Entry> fields =
          fields(direct, Set.of("grade", "conditions"), Set.of("grade", "conditions"));
      if (fields != null) {
        String grade = text(fields.get("grade"));
        if (grade != null) {
          references.add(new Reference(fields.get("grade"), "grade", grade));
        }
        Set<String> conditionKeys = Set.of("name", "when", "window-months");
        for (Entry item : items(fields, "conditions")) {
          Map<String, Entry> condition = fields(item, conditionKeys, conditionKeys);
          if (condition == null) {
            continue;
          }
          String name = text(condition.get("name"));
          String when = condition(condition.get("when"));
          Integer window = integer(condition.get("window-months"), 1, 120);
          if (grade != null && name != null && when != null && window != null) {
            directGrades.add(new DirectGrade(grade, name, when, window, at(item)));
          }
        }
      }
    }
  }

  /** Score ranges must cover 0–100 exactly once: every score gets one grade. */
  private void checkThresholds(Map<Grade, Entry> lines) {
    if (lines.isEmpty()) {
      return;
    }
    List<Grade> sorted = new ArrayList<>(lines.keySet());
    sorted.sort(Comparator.comparingInt(Grade::minimum).thenComparingInt(Grade::maximum));
    Grade lowest = sorted.get(0);
    if (lowest.minimum() > 0) {
      problem(
          lines.get(lowest), "grades leave a gap: no grade for scores 0–%d", lowest.minimum() - 1);
    }
    for (int i = 1; i < sorted.size(); i++) {
      Grade previous = sorted.get(i - 1);
      Grade grade = sorted.get(i);
      if (grade.minimum() <= previous.maximum()) {
        problem(
            lines.get(grade),
            "grade %s (%d–%d) overlaps grade %s (%d–%d)",
            grade.code(),
            grade.minimum(),
            grade.maximum(),
            previous.code(),
            previous.minimum(),
            previous.maximum());
      } else if (grade.minimum() > previous.maximum() + 1) {
        problem(
            lines.get(grade),
            "grades leave a gap: no grade for scores %d–%d between grade %s and grade %s",
            previous.maximum() + 1,
            grade.minimum() - 1,
            previous.code(),
            grade.code());
      }
    }
    Grade highest = sorted.stream().max(Comparator.comparingInt(Grade::maximum)).orElseThrow();
    if (highest.maximum() < 100) {
      problem(
          lines.get(highest),
          "grades leave a gap: no grade for scores %d–100",
          highest.maximum() + 1);
    }
  }

  private void lists(Entry root, List<ListRule> lists) {
    Map<String, Entry> file = fields(root, Set.of("lists"), Set.of("lists"));
    Set<String> keys =
        Set.of(
            "code",
            "name",
            "kind",
            "subject-type",
            "term-months",
            "basis",
            "entry",
            "exit",
            "transfer",
            "notice");
    Set<String> required = Set.of("code", "name", "kind", "subject-type", "basis", "entry", "exit");
    Map<String, Entry> codes = new HashMap<>();
    for (Entry item : items(file, "lists")) {
      Map<String, Entry> fields = fields(item, keys, required);
      if (fields == null) {
        continue;
      }
      String code = code(fields.get("code"), codes, "list");
      String name = text(fields.get("name"));
      String kindText = oneOf(fields.get("kind"), Set.of("abnormal", "dishonesty"));
      String subjectType = oneOf(fields.get("subject-type"), SUBJECT_TYPES);
      String basis = text(fields.get("basis"));
      Optional<Integer> term = Optional.empty();
      boolean valid = true;
      if (fields.containsKey("term-months")) {
        Integer months = integer(fields.get("term-months"), 1, 240);
        valid &= months != null;
        term = Optional.ofNullable(months);
      }
      List<ListRule.Entry> entries = new ArrayList<>();
      Set<String> entryKeys = Set.of("name", "when");
      for (Entry entry : items(fields, "entry")) {
        Map<String, Entry> entryFields = fields(entry, entryKeys, entryKeys);
        if (entryFields == null) {
          valid = false;
          continue;
        }
        String entryName = text(entryFields.get("name"));
        String when = condition(entryFields.get("when"));
        if (entryName == null || when == null) {
          valid = false;
        } else {
          entries.add(new ListRule.Entry(entryName, when, at(entry)));
        }
      }
      List<String> exits = texts(fields.get("exit"));
      Optional<ListRule.Transfer> transfer = Optional.empty();
      if (fields.containsKey("transfer")) {
        Entry transferEntry = fields.get("transfer");
        Set<String> transferKeys = Set.of("to", "after-months", "reason", "basis");
        Map<String, Entry> transferFields = fields(transferEntry, transferKeys, transferKeys);
        if (transferFields == null) {
          valid = false;
        } else {
          String target = text(transferFields.get("to"));
          Integer after = integer(transferFields.get("after-months"), 1, 240);
          String reason = text(transferFields.get("reason"));
          String transferBasis = text(transferFields.get("basis"));
          if (target != null) {
            references.add(new Reference(transferFields.get("to"), "list", target));
          }
          if (target == null || after == null || reason == null || transferBasis == null) {
            valid = false;
          } else {
            transfer =
                Optional.of(
                    new ListRule.Transfer(target, after, reason, transferBasis, at(transferEntry)));
          }
        }
      }
      String notice = "";
      if (fields.containsKey("notice")) {
        notice = text(fields.get("notice"));
        valid &= notice != null;
      } else if ("dishonesty".equals(kindText)) {
        // SAMR Order No. 44, art. 14: the party is told reasons, basis and rights before listing
        problem(item, "list %s is a dishonesty list and needs a notice (告知书) template", code);
        valid = false;
      }
      if (valid
          && code != null
          && name != null
          && kindText != null
          && subjectType != null
          && basis != null
          && exits != null) {
        lists.add(
            new ListRule(
                code,
                name,
                kindText.equals("abnormal") ? ListRule.Kind.ABNORMAL : ListRule.Kind.DISHONESTY,
                subjectType,
                basis,
                term,
                entries,
                exits,
                transfer,
                notice,
                at(item)));
      }
    }
  }

  private void periods(Entry root, List<PublicationPeriod> periods) {
    Map<String, Entry> file = fields(root, Set.of("periods"), Set.of("periods"));
    Set<String> keys =
        Set.of(
            "category",
            "severity",
            "penalty-kind",
            "published",
            "min-months",
            "max-months",
            "basis");
    for (Entry item : items(file, "periods")) {
      Map<String, Entry> fields = fields(item, keys, Set.of("category", "published", "basis"));
      if (fields == null) {
        continue;
      }
      String category = text(fields.get("category"));
      String severity = fields.containsKey("severity") ? text(fields.get("severity")) : null;
      String kind = fields.containsKey("penalty-kind") ? text(fields.get("penalty-kind")) : null;
      String basis = text(fields.get("basis"));
      Boolean published = flag(fields.get("published"));
      if (category == null || basis == null || published == null) {
        continue;
      }
      int minimum = 0;
      int maximum = 0;
      if (published) {
        if (!fields.containsKey("min-months") || !fields.containsKey("max-months")) {
          problem(item, "a published period needs min-months and max-months");
          continue;
        }
        Integer min = integer(fields.get("min-months"), 0, 120);
        Integer max = integer(fields.get("max-months"), 0, 120);
        if (min == null || max == null) {
          continue;
        }
        if (max < min) {
          problem(fields.get("max-months"), "max-months %d is below min-months %d", max, min);
          continue;
        }
        minimum = min;
        maximum = max;
      }
      periods.add(
          new PublicationPeriod(
              category, severity, kind, published, minimum, maximum, basis, at(item)));
    }
  }

  private void measures(Entry root, List<Measure> measures, List<Propagation> propagations) {
    Map<String, Entry> file = fields(root, Set.of("measures", "propagation"), Set.of("measures"));
    Set<String> keys =
        Set.of(
            "code",
            "name",
            "effect",
            "basis",
            "subject-type",
            "lists",
            "department",
            "matter-types");
    Map<String, Entry> codes = new HashMap<>();
    for (Entry item : items(file, "measures")) {
      Map<String, Entry> fields = fields(item, keys, keys);
      if (fields == null) {
        continue;
      }
      String code = code(fields.get("code"), codes, "measure");
      String name = text(fields.get("name"));
      String effect = oneOf(fields.get("effect"), Set.of("restrict", "warn"));
      // 全国失信惩戒措施基础清单: no measure without a legal basis
      String basis = text(fields.get("basis"));
      String subjectType = oneOf(fields.get("subject-type"), SUBJECT_TYPES);
      if (code != null && "person".equals(subjectType)) {
        defined.computeIfAbsent("person measure", any -> new LinkedHashSet<>()).add(code);
      }
      List<String> lists = texts(fields.get("lists"));
      String department = text(fields.get("department"));
      List<String> matterTypes = texts(fields.get("matter-types"));
      if (lists != null) {
        referenceAll(fields.get("lists"), "list");
      }
      if (code != null
          && name != null
          && effect != null
          && basis != null
          && subjectType != null
          && lists != null
          && department != null
          && matterTypes != null) {
        measures.add(
            new Measure(
                code,
                name,
                effect.equals("restrict") ? Measure.Effect.RESTRICT : Measure.Effect.WARN,
                basis,
                subjectType,
                lists,
                department,
                matterTypes,
                at(item)));
      }
    }
    Set<String> propagationKeys = Set.of("role", "min-share", "lists", "measures", "basis");
    for (Entry item :
        file != null && file.containsKey("propagation")
            ? items(file, "propagation")
            : List.<Entry>of()) {
      Map<String, Entry> fields =
          fields(item, propagationKeys, Set.of("role", "lists", "measures", "basis"));
      if (fields == null) {
        continue;
      }
      String role =
          oneOf(
              fields.get("role"),
              Set.of(Propagation.LEGAL_REPRESENTATIVE, Propagation.SHAREHOLDER));
      double share = 0;
      if (fields.containsKey("min-share")) {
        Double value = attempt(() -> fields.get("min-share").number());
        if (value == null) {
          continue;
        }
        if (value <= 0 || value > 1) {
          problem(
              fields.get("min-share"), "min-share must be above 0 and at most 1, found %s", value);
          continue;
        }
        share = value;
      } else if (Propagation.SHAREHOLDER.equals(role)) {
        problem(item, "propagation to 股东 needs min-share");
        continue;
      }
      List<String> lists = texts(fields.get("lists"));
      List<String> measureCodes = texts(fields.get("measures"));
      String basis = text(fields.get("basis"));
      if (lists != null) {
        referenceAll(fields.get("lists"), "list");
      }
      if (measureCodes != null) {
        referenceAll(fields.get("measures"), "person measure");
      }
      if (role != null && lists != null && measureCodes != null && basis != null) {
        propagations.add(new Propagation(role, share, lists, measureCodes, basis, at(item)));
      }
    }
  }

  private void riskClasses(Entry root, List<RiskClass> classes, String[] listedClass) {
    Map<String, Entry> file =
        fields(root, Set.of("classes", "listed-class"), Set.of("classes", "listed-class"));
    Set<String> keys = Set.of("code", "name", "grades");
    Map<String, Entry> codes = new HashMap<>();
    if (file != null) {
      riskClassList = file.get("classes");
    }
    for (Entry item : items(file, "classes")) {
      Map<String, Entry> fields = fields(item, keys, keys);
      if (fields == null) {
        continue;
      }
      String code = code(fields.get("code"), codes, "risk class");
      String name = text(fields.get("name"));
      List<String> grades = texts(fields.get("grades"));
      if (grades != null) {
        referenceAll(fields.get("grades"), "grade");
        classifiedGrades.addAll(grades);
      }
      if (code != null && name != null && grades != null) {
        classes.add(new RiskClass(code, name, grades, at(item)));
      }
    }
    if (file != null && file.containsKey("listed-class")) {
      String listed = text(file.get("listed-class"));
      if (listed != null) {
        references.add(new Reference(file.get("listed-class"), "risk class", listed));
        listedClass[0] = listed;
      }
    }
  }

  private void checkReferences() {
    for (Reference reference : references) {
      if (definedCodes(reference.kind()).contains(reference.code())) {
        continue;
      }
      if (reference.kind().equals("person measure")
          && definedCodes("measure").contains(reference.code())) {
        problem(
            reference.entry(),
            "measure '%s' is not for persons (subject-type: person) and cannot be propagated",
            reference.code());
      } else {
        String kind = reference.kind().equals("person measure") ? "measure" : reference.kind();
        problem(
            reference.entry(),
            "%s '%s' is not defined (defined: %s)",
            kind,
            reference.code(),
            String.join(", ", definedCodes(kind)));
      }
    }
  }

  /** Every grade needs a risk class: credit.score.risk_class is required. */
  private void checkRiskClassesCoverGrades() {
    if (riskClassList == null) {
      return;
    }
    for (String grade : definedCodes("grade")) {
      if (!classifiedGrades.contains(grade)) {
        problem(riskClassList, "grade '%s' is in no risk class", grade);
      }
    }
  }

  private Set<String> definedCodes(String kind) {
    return defined.getOrDefault(kind, Set.of());
  }

  // ---- reading one value, recording its problem instead of stopping ----

  /**
   * The mapping's entries; every unknown key and every missing required key is a problem. {@code
   * null} when this is not a mapping or a required key is missing.
   */
  private Map<String, Entry> fields(Entry entry, Set<String> allowed, Set<String> required) {
    Map<String, Entry> fields = attempt(entry::mapping);
    if (fields == null) {
      return null;
    }
    boolean complete = true;
    for (Map.Entry<String, Entry> field : fields.entrySet()) {
      if (!allowed.contains(field.getKey())) {
        problem(
            field.getValue(),
            "unknown field '%s' (allowed: %s)",
            field.getKey(),
            String.join(", ", allowed.stream().sorted().toList()));
      }
    }
    for (String key : required.stream().sorted().toList()) {
      if (!fields.containsKey(key)) {
        problem(entry, "missing field '%s'", key);
        complete = false;
      }
    }
    return complete ? fields : null;
  }

  private List<Entry> items(Map<String, Entry> fields, String key) {
    if (fields == null || !fields.containsKey(key)) {
      return List.of();
    }
    List<Entry> items = attempt(() -> fields.get(key).sequence());
    return items == null ? List.of() : items;
  }

  private String text(Entry entry) {
    String text = attempt(() -> entry.text().strip());
    if (text != null && text.isEmpty()) {
      problem(entry, "'%s' is empty", entry.path());
      return null;
    }
    return text;
  }

  private List<String> texts(Entry entry) {
    List<Entry> items = attempt(entry::sequence);
    if (items == null) {
      return null;
    }
    List<String> texts = new ArrayList<>();
    for (Entry item : items) {
      String text = text(item);
      if (text == null) {
        return null;
      }
      texts.add(text);
    }
    return texts;
  }

  private void referenceAll(Entry sequence, String kind) {
    for (Entry item : sequence.sequence()) {
      references.add(new Reference(item, kind, item.text().strip()));
    }
  }

  private String code(Entry entry, Map<String, Entry> seen, String kind) {
    String code = text(entry);
    if (code == null) {
      return null;
    }
    if (!CODE.matcher(code).matches()) {
      problem(
          entry, "%s code '%s' must be letters, digits and _ (starting with a letter)", kind, code);
      return null;
    }
    defined.computeIfAbsent(kind, any -> new LinkedHashSet<>()).add(code);
    Entry first = seen.putIfAbsent(code, entry);
    if (first != null) {
      problem(entry, "%s code '%s' is already defined at line %d", kind, code, first.line());
      return null;
    }
    return code;
  }

  private String oneOf(Entry entry, Set<String> allowed) {
    String text = text(entry);
    if (text != null && !allowed.contains(text)) {
      problem(
          entry,
          "'%s' must be one of %s, found '%s'",
          entry.path(),
          String.join(", ", allowed.stream().sorted().toList()),
          text);
      return null;
    }
    return text;
  }

  private Integer integer(Entry entry, int minimum, int maximum) {
    Integer value = attempt(entry::integer);
    if (value != null && (value < minimum || value > maximum)) {
      problem(entry, "'%s' must be from %d to %d, found %d", entry.path(), minimum, maximum, value);
      return null;
    }
    return value;
  }

  private Boolean flag(Entry entry) {
    return attempt(entry::flag);
  }

  private LocalDate date(Entry entry) {
    String text = text(entry);
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      problem(entry, "'%s' must be a date as YYYY-MM-DD, found '%s'", entry.path(), text);
      return null;
    }
  }

  private String condition(Entry entry) {
    String text = text(entry);
    if (text == null) {
      return null;
    }
    List<String> found = conditions.problems(text);
    found.forEach(problem -> problem(entry, "%s", problem));
    return found.isEmpty() ? text : null;
  }

  private String at(Entry entry) {
    return entry.file() + ":" + entry.line();
  }

  private void problem(Entry entry, String format, Object... arguments) {
    problems.add(entry.invalid(format, arguments));
  }

  private <T> T attempt(Supplier<T> reading) {
    try {
      return reading.get();
    } catch (InvalidFileException e) {
      problems.add(e);
      return null;
    }
  }
}
