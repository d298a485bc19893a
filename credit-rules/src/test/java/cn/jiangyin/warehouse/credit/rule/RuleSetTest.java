package cn.jiangyin.warehouse.credit.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default rule set loads, and each kind of mistake the credit office can make in a rule
 * directory is reported at its exact {@code file:line}, all of them at once.
 */
class RuleSetTest {
  @TempDir Path directory;

  @Test
  void defaultRuleSetEncodesTheNationalRules() {
    RuleSet rules = RuleSet.load();
    assertThat(rules.version()).isEqualTo("2026.11-1");
    assertThat(rules.baseScore()).isEqualTo(100);
    assertThat(rules.grades())
        .extracting(Grade::code, Grade::minimum, Grade::maximum)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A", 90, 100),
            org.assertj.core.groups.Tuple.tuple("B", 70, 89),
            org.assertj.core.groups.Tuple.tuple("C", 40, 69),
            org.assertj.core.groups.Tuple.tuple("D", 0, 39));
    assertThat(rules.list("serious_dishonesty").orElseThrow().termMonths()).contains(36);
    ListRule.Transfer transfer =
        rules.list("abnormal_operation").orElseThrow().transfer().orElseThrow();
    assertThat(transfer.target()).isEqualTo("serious_dishonesty");
    assertThat(transfer.afterMonths()).isEqualTo(36);
    assertThat(rules.sources()).anyMatch(source -> source.contains("第44号"));
    assertThat(rules.sources()).anyMatch(source -> source.contains("第58号"));
    assertThat(rules.measures()).allMatch(measure -> !measure.basis().isBlank());
  }

  /** NDRC Order No. 58: ordinary 3–12 months, serious 12–36, a warning alone not published. */
  @Test
  void publicationPeriodsComeFromTheRuleFile() {
    RuleSet rules = RuleSet.load();
    PublicationPeriod ordinary =
        rules.publicationPeriod("administrative_penalty", "一般", "罚款").orElseThrow();
    assertThat(ordinary.published()).isTrue();
    assertThat(List.of(ordinary.minimumMonths(), ordinary.maximumMonths())).containsExactly(3, 12);
    PublicationPeriod serious =
        rules.publicationPeriod("administrative_penalty", "严重", "吊销许可证件").orElseThrow();
    assertThat(List.of(serious.minimumMonths(), serious.maximumMonths())).containsExactly(12, 36);
    PublicationPeriod warning =
        rules.publicationPeriod("administrative_penalty", "一般", "警告").orElseThrow();
    assertThat(warning.published()).isFalse();
    assertThat(warning.definedAt()).endsWith("publication.yaml:17");
  }

  @Test
  void unknownFieldIsReportedAtItsLine() throws IOException {
    copyDefault();
    replace("indicators.yaml", "    cap: 60\n", "    cap: 60\n    weight: 2\n");
    assertProblems(at("indicators.yaml", 14, "unknown field 'weight'"));
  }

  @Test
  void missingFieldIsReportedAtItsMapping() throws IOException {
    copyDefault();
    replace("indicators.yaml", "    points: -30\n", "");
    assertProblems(at("indicators.yaml", 7, "missing field 'points'"));
  }

  @Test
  void badSqlIsReportedAtTheCondition() throws IOException {
    copyDefault();
    replace("indicators.yaml", "AND severity = '较重'", "AND severity = = '较重'");
    assertProblems(at("indicators.yaml", 17, "condition is not valid Spark SQL"));
  }

  @Test
  void columnOutsideTheFactTableIsReported() throws IOException {
    copyDefault();
    replace("grades.yaml", "when: category = 'major_tax_violation'", "when: kategorie = 'x'");
    assertProblems(
        at("grades.yaml", 14, "condition names column 'kategorie', which is not a column"));
  }

  @Test
  void gapAndOverlapBetweenGradesAreReported() throws IOException {
    copyDefault();
    replace("grades.yaml", "min: 70, max: 89", "min: 72, max: 89");
    replace("grades.yaml", "min: 0, max: 39", "min: 0, max: 45");
    assertProblems(
        at("grades.yaml", 7, "grade C (40–69) overlaps grade D (0–45)"),
        at("grades.yaml", 6, "grades leave a gap: no grade for scores 70–71"));
  }

  @Test
  void measureWithoutLegalBasisIsReported() throws IOException {
    copyDefault();
    replace("measures.yaml", "    basis: 全国失信惩戒措施基础清单（2024年版）\n", "    basis: \"\"\n");
    assertProblems(at("measures.yaml", 33, "'measures[3].basis' is empty"));
  }

  @Test
  void undefinedListMeasureAndGradeAreReported() throws IOException {
    copyDefault();
    replace(
        "measures.yaml", "lists: [serious_dishonesty, abnormal_operation]", "lists: [blacklist]");
    replace("measures.yaml", "measures: [M05]", "measures: [M09]");
    replace("risk-classes.yaml", "grades: [D]", "grades: [E]");
    assertProblems(
        at("measures.yaml", 27, "list 'blacklist' is not defined"),
        at("measures.yaml", 51, "measure 'M09' is not defined"),
        at("risk-classes.yaml", 7, "grade 'E' is not defined"),
        at("risk-classes.yaml", 4, "grade 'D' is in no risk class"));
  }

  @Test
  void propagationToShareholdersIsReadWithItsMinimumShare() throws IOException {
    copyDefault();
    replace("measures.yaml", "  - role: 法定代表人\n", "  - role: 股东\n    min-share: 0.25\n");
    RuleSet rules = RuleSet.load(directory);
    assertThat(rules.propagations())
        .extracting(Propagation::role, Propagation::minimumShare, Propagation::measures)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("股东", 0.25, List.of("M05")));
  }

  @Test
  void propagationToShareholdersWithoutMinimumShareIsReported() throws IOException {
    copyDefault();
    replace("measures.yaml", "  - role: 法定代表人\n", "  - role: 股东\n");
    assertProblems(at("measures.yaml", 49, "propagation to 股东 needs min-share"));
  }

  @Test
  void minimumShareOutsideZeroToOneIsReported() throws IOException {
    copyDefault();
    replace("measures.yaml", "  - role: 法定代表人\n", "  - role: 股东\n    min-share: 1.5\n");
    assertProblems(at("measures.yaml", 50, "min-share must be above 0 and at most 1, found 1.5"));
  }

  @Test
  void gradeWithoutRiskClassIsReported() throws IOException {
    copyDefault();
    replace("risk-classes.yaml", "grades: [C]", "grades: [B]");
    assertProblems(at("risk-classes.yaml", 4, "grade 'C' is in no risk class"));
  }

  @Test
  void duplicateCodeIsReportedWithTheFirstDefinition() throws IOException {
    copyDefault();
    replace("measures.yaml", "code: M04", "code: M02");
    assertProblems(at("measures.yaml", 30, "measure code 'M02' is already defined at line 14"));
  }

  @Test
  void badDateIsReported() throws IOException {
    copyDefault();
    replace("ruleset.yaml", "effective-from: 2025-01-01", "effective-from: 2026-13-01");
    assertProblems(at("ruleset.yaml", 7, "'effective-from' must be a date as YYYY-MM-DD"));
  }

  @Test
  void everyProblemOfTheDirectoryIsReportedTogether() throws IOException {
    copyDefault();
    replace("indicators.yaml", "    cap: 60\n", "    cap: 60\n    weight: 2\n");
    replace("ruleset.yaml", "effective-from: 2025-01-01", "effective-from: soon");
    replace("measures.yaml", "code: M04", "code: M02");
    Files.delete(directory.resolve("risk-classes.yaml"));
    assertThat(problems()).hasSize(4);
  }

  private List<String> problems() {
    InvalidRuleSetException exception =
        catchThrowableOfType(InvalidRuleSetException.class, () -> RuleSet.load(directory));
    assertThat(exception).as("the rule set must be refused").isNotNull();
    return exception.problems().stream().map(InvalidFileException::getMessage).toList();
  }

  /** The problems found, in order, each starting as expected. */
  private void assertProblems(String... expected) {
    List<String> problems = problems();
    assertThat(problems).as("problems found").hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat(problems.get(i)).startsWith(expected[i]);
    }
  }

  /** The start of the expected message: {@code file:line: problem…}. */
  private String at(String file, int line, String problem) {
    return directory.resolve(file) + ":" + line + ": " + problem;
  }

  private void copyDefault() throws IOException {
    for (String file : RuleSet.FILES) {
      try (InputStream stream =
          getClass().getClassLoader().getResourceAsStream(RuleSet.DEFAULT_RESOURCE + file)) {
        Files.write(directory.resolve(file), stream.readAllBytes());
      }
    }
  }

  private void replace(String file, String from, String to) throws IOException {
    Path path = directory.resolve(file);
    String text = Files.readString(path, StandardCharsets.UTF_8);
    assertThat(text).as("test edit of %s", file).contains(from);
    Files.writeString(path, text.replace(from, to), StandardCharsets.UTF_8);
  }
}
