package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * 信用规则集 — one version of the credit office's rules, read from one directory and checked as a whole:
 * scoring indicators, grades, lists, publication periods, measures, propagation and risk classes.
 * An instance exists only for a rule set without problems (see {@link #load(Path)}).
 */
public record RuleSet(
    String version,
    String name,
    LocalDate effectiveFrom,
    int baseScore,
    int objectionDays,
    List<String> sources,
    List<Indicator> indicators,
    List<Grade> grades,
    List<DirectGrade> directGrades,
    List<ListRule> lists,
    List<PublicationPeriod> publicationPeriods,
    List<Measure> measures,
    List<Propagation> propagations,
    List<RiskClass> riskClasses,
    String listedRiskClass,
    String location) {

  /** The files of a rule set directory, read in this order. */
  public static final List<String> FILES =
      List.of(
          "ruleset.yaml",
          "indicators.yaml",
          "grades.yaml",
          "lists.yaml",
          "publication.yaml",
          "measures.yaml",
          "risk-classes.yaml");

  /** Where the default rule set sits in the jar. */
  public static final String DEFAULT_RESOURCE = "rules/default/";

  public RuleSet {
    requireNonNull(version, "version is null");
    requireNonNull(name, "name is null");
    requireNonNull(effectiveFrom, "effectiveFrom is null");
    sources = List.copyOf(sources);
    indicators = List.copyOf(indicators);
    grades = List.copyOf(grades);
    directGrades = List.copyOf(directGrades);
    lists = List.copyOf(lists);
    publicationPeriods = List.copyOf(publicationPeriods);
    measures = List.copyOf(measures);
    propagations = List.copyOf(propagations);
    riskClasses = List.copyOf(riskClasses);
    requireNonNull(listedRiskClass, "listedRiskClass is null");
    requireNonNull(location, "location is null");
  }

  /** The default rule set shipped in this module ({@code rules/default/}). */
  public static RuleSet load() {
    return RuleSetReader.fromClasspath(
        DEFAULT_RESOURCE, "credit-rules/src/main/resources/" + DEFAULT_RESOURCE);
  }

  /**
   * The rule set in {@code directory}.
   *
   * @throws InvalidRuleSetException listing every problem found, as {@code file:line: what is
   *     wrong}
   */
  public static RuleSet load(Path directory) {
    return RuleSetReader.fromDirectory(directory);
  }

  public Optional<ListRule> list(String code) {
    return lists.stream().filter(list -> list.code().equals(code)).findFirst();
  }

  public Optional<Measure> measure(String code) {
    return measures.stream().filter(measure -> measure.code().equals(code)).findFirst();
  }

  /**
   * The publication period of a fact, the most specific that matches (see {@link
   * PublicationPeriod#select}).
   */
  public Optional<PublicationPeriod> publicationPeriod(
      String category, String severity, String penaltyKind) {
    return PublicationPeriod.select(publicationPeriods, category, severity, penaltyKind);
  }
}
