package cn.jiangyin.warehouse.credit.rule;

import static cn.jiangyin.warehouse.yaml.YamlDocument.required;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The credit flag rules of one version, and their compilation to Spark SQL — the one place a flag
 * becomes SQL, so what production decides and what a backtest or an explanation shows are the same
 * query.
 */
public record FlagRules(String version, List<FlagRule> flags) {
  private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*");
  private static final Set<String> FILE_KEYS = Set.of("version", "flags");
  private static final Set<String> FLAG_KEYS =
      Set.of(
          "code",
          "name",
          "basis",
          "source",
          "subject",
          "subject-name",
          "evidence",
          "date",
          "window-days",
          "when");

  public FlagRules {
    flags = List.copyOf(flags);
  }

  /** The rules shipped in this module ({@code rules/flags.yaml}). */
  public static FlagRules load() {
    try (InputStream stream =
        FlagRules.class.getClassLoader().getResourceAsStream("rules/flags.yaml")) {
      if (stream == null) {
        throw new IllegalStateException("Cannot find rules/flags.yaml on the classpath");
      }
      return parse(
          YamlDocument.parse(
              "credit-rules/src/main/resources/rules/flags.yaml",
              new String(stream.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read rules/flags.yaml", e);
    }
  }

  public static FlagRules parse(YamlDocument document) {
    Map<String, Entry> file = document.root().mapping(FILE_KEYS);
    String version = required(document.root(), file, "version").text().trim();
    List<FlagRule> flags = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    for (Entry entry : required(document.root(), file, "flags").sequence()) {
      Map<String, Entry> flag = entry.mapping(FLAG_KEYS);
      Entry codeEntry = required(entry, flag, "code");
      String code = codeEntry.text().trim();
      if (!CODE.matcher(code).matches()) {
        throw codeEntry.invalid("flag code '%s' must be snake_case (a-z, 0-9, _)", code);
      }
      if (!codes.add(code)) {
        throw codeEntry.invalid("flag code '%s' is used twice", code);
      }
      Entry sourceEntry = required(entry, flag, "source");
      String source = sourceEntry.text().trim();
      if (!TABLE.matcher(source).matches()) {
        throw sourceEntry.invalid("source '%s' must be a table as namespace.table", source);
      }
      Entry window = required(entry, flag, "window-days");
      int windowDays = window.integer();
      if (windowDays <= 0) {
        throw window.invalid("window-days must be positive, found %d", windowDays);
      }
      flags.add(
          new FlagRule(
              code,
              required(entry, flag, "name").text().trim(),
              required(entry, flag, "basis").text().trim(),
              source,
              expression(required(entry, flag, "subject")),
              expression(required(entry, flag, "subject-name")),
              expression(required(entry, flag, "evidence")),
              expression(required(entry, flag, "date")),
              windowDays,
              expression(required(entry, flag, "when")),
              document.file() + ":" + entry.line()));
    }
    return new FlagRules(version, flags);
  }

  /**
   * SQL expressions may not end a statement or open a comment: one expression, nothing smuggled
   * after it.
   */
  private static String expression(Entry entry) {
    String text = entry.text().trim();
    if (text.isEmpty() || text.contains(";") || text.contains("--") || text.contains("/*")) {
      throw entry.invalid("'%s' must be one SQL expression (no ';' or comments)", text);
    }
    return text;
  }

  /** The tables these rules read. */
  public Set<String> sources() {
    return flags.stream()
        .map(FlagRule::source)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /**
   * One Spark SQL query returning every flag raised as of {@code asOf}: subject_id, subject_name,
   * flag, reason, evidence, decided_on, rule_version. Sources listed in {@code snapshotIds} are
   * read at that Iceberg snapshot (time travel), so a verdict can be recomputed exactly from what
   * it recorded.
   */
  public String sql(LocalDate asOf, Map<String, Long> snapshotIds) {
    if (flags.isEmpty()) {
      throw new InvalidFileException("flags.yaml", 1, "no flags defined");
    }
    return flags.stream()
        .map(flag -> sql(flag, asOf, snapshotIds))
        .collect(Collectors.joining("\nUNION ALL\n"));
  }

  private String sql(FlagRule flag, LocalDate asOf, Map<String, Long> snapshotIds) {
    Long snapshot = snapshotIds.get(flag.source());
    String from = flag.source() + (snapshot == null ? "" : " VERSION AS OF " + snapshot);
    String date = "CAST(" + flag.date() + " AS DATE)";
    return "SELECT CAST("
        + flag.subject()
        + " AS STRING) AS subject_id, CAST("
        + flag.subjectName()
        + " AS STRING) AS subject_name, "
        + literal(flag.code())
        + " AS flag, "
        + literal(flag.name())
        + " AS reason, concat("
        + literal(flag.source() + "#")
        + ", CAST("
        + flag.evidence()
        + " AS STRING)) AS evidence, "
        + date
        + " AS decided_on, "
        + literal(version)
        + " AS rule_version FROM "
        + from
        + " WHERE ("
        + flag.condition()
        + ") AND "
        + date
        + " > date_sub(DATE '"
        + asOf
        + "', "
        + flag.windowDays()
        + ") AND "
        + date
        + " <= DATE '"
        + asOf
        + "'";
  }

  private static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
