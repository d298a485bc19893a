package cn.jiangyin.warehouse.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PlanFileTest {
  private static final String VALID =
      """
      id: P-1
      name: 测试计划
      department: 市场监管局
      item: 食品安全检查
      reference-date: 2026-11-30
      subjects:
        industry-prefixes: [F52]
        licence-types: [食品经营许可证]
      shares: {A: 5, B: 15, C: 40, D: 80}
      unscored-class: B
      inspectors-per-inspection: 2
      exclusion-months: 12
      roster:
        - {id: I-1, name: 检查员一, department: 市场监管局, grid: G1}
        - {id: I-2, name: 检查员二, department: 市场监管局, grid: G2}
      """;

  private static PlanFile parse(String text) {
    return PlanFile.parse("plan.yaml", text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsEveryFieldOfTheExamplePlan() {
    PlanFile file =
        PlanFile.read(Path.of("src/main/resources/inspection/food-business-2026q4.yaml"));
    InspectionPlan plan = file.plan();
    assertThat(plan.id()).isEqualTo("SAMR-2026Q4-FOOD");
    assertThat(plan.referenceDate()).isEqualTo(LocalDate.of(2026, 11, 30));
    assertThat(plan.sharePercent())
        .containsExactly(
            java.util.Map.entry("A", 5), java.util.Map.entry("B", 15),
            java.util.Map.entry("C", 40), java.util.Map.entry("D", 80));
    assertThat(plan.filter().licenceTypes()).containsExactly("食品经营许可证");
    assertThat(plan.filter().statuses()).containsExactly("存续");
    assertThat(plan.roster()).hasSize(6);
    assertThat(file.sha256()).hasSize(64);
  }

  @Test
  void hashChangesWhenAnyByteOfThePlanChanges() {
    assertThat(parse(VALID).sha256()).isNotEqualTo(parse(VALID + "\n").sha256());
  }

  @Test
  void shareOutsideLocalPracticeIsReportedAtItsLine() {
    assertThatThrownBy(() -> parse(VALID.replace("A: 5, B: 15", "A: 6, B: 15")))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("plan.yaml:9:")
        .hasMessageContaining("share of class A is 6 %, outside the allowed 1–5 %");
  }

  @Test
  void classAIsNeverExemptFromDraws() {
    // 不免抽: a share of 0 % would exempt the lowest-risk class
    assertThatThrownBy(() -> parse(VALID.replace("A: 5, B: 15", "A: 0, B: 15")))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("plan.yaml:9:")
        .hasMessageContaining("share of class A is 0 %, outside the allowed 1–5 %");
  }

  @Test
  void singleInspectorIsRejected() {
    assertThatThrownBy(() -> parse(VALID.replace("per-inspection: 2", "per-inspection: 1")))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("plan.yaml:11:")
        .hasMessageContaining("at least 2 inspectors");
  }

  @Test
  void duplicateInspectorIsReportedAtItsRosterEntry() {
    assertThatThrownBy(() -> parse(VALID.replace("id: I-2", "id: I-1")))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("plan.yaml:15:")
        .hasMessageContaining("inspector id 'I-1' appears twice");
  }

  @Test
  void unknownKeyAndMissingKeyAreReported() {
    assertThatThrownBy(() -> parse(VALID.replace("exclusion-months: 12", "exclusion-month: 12")))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageContaining("exclusion-month");
    assertThatThrownBy(() -> parse(VALID.replace("unscored-class: B\n", "")))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("plan.yaml:1:")
        .hasMessageContaining("unscored-class");
  }

  @Test
  void badDateIsReportedAtItsLine() {
    assertThatThrownBy(() -> parse(VALID.replace("2026-11-30", "2026-13-30")))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("plan.yaml:5:")
        .hasMessageContaining("reference-date");
  }
}
