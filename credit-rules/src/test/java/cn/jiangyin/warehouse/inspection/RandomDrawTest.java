package cn.jiangyin.warehouse.inspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RandomDrawTest {
  private static final LocalDate REFERENCE = LocalDate.of(2026, 11, 30);
  private static final Map<String, Optional<Long>> SNAPSHOTS =
      Map.of("lib.enterprise", Optional.of(11L), "credit.score", Optional.empty());

  private static InspectionPlan plan(int perInspection, List<Inspector> roster) {
    return new InspectionPlan(
        "P-1",
        "测试计划",
        "市场监管局",
        "食品安全检查",
        REFERENCE,
        new SubjectFilter(List.of(), List.of(), List.of(), List.of()),
        new TreeMap<>(Map.of("A", 5, "B", 15, "C", 40, "D", 80)),
        "B",
        perInspection,
        12,
        roster);
  }

  private static List<Inspector> roster(int size) {
    List<Inspector> roster = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      roster.add(new Inspector("I-" + i, "检查员" + i, "市场监管局", "G" + i));
    }
    return roster;
  }

  /** 100 candidates per class, on grids G1..G10. */
  private static List<Candidate> candidates() {
    List<Candidate> candidates = new ArrayList<>();
    for (String riskClass : List.of("A", "B", "C", "D")) {
      for (int i = 0; i < 100; i++) {
        candidates.add(
            new Candidate(
                riskClass + "-" + i,
                null,
                riskClass,
                "G" + (1 + i % 10),
                Optional.empty(),
                Set.of()));
      }
    }
    return candidates;
  }

  private static SeedInputs inputs(String publicValue) {
    return new SeedInputs(publicValue, "P-1", "ab".repeat(32), new TreeMap<>(SNAPSHOTS));
  }

  @Test
  void drawsTheShareOfEachClassRoundedUp() {
    Draw draw = RandomDraw.draw(plan(2, roster(12)), inputs("20261128-lottery"), candidates());
    Map<String, Long> perClass = new TreeMap<>();
    draw.selections().forEach(s -> perClass.merge(s.riskClass(), 1L, Long::sum));
    assertThat(perClass).isEqualTo(Map.of("A", 5L, "B", 15L, "C", 40L, "D", 80L));
    assertThat(draw.candidates()).isEqualTo(Map.of("A", 100, "B", 100, "C", 100, "D", 100));
    assertThat(RandomDraw.drawnCount(15, 7)).isEqualTo(2); // 1.05 → 2
    assertThat(RandomDraw.drawnCount(5, 0)).isZero();
    assertThat(RandomDraw.drawnCount(40, 5)).isEqualTo(2); // exactly 2.0 stays 2
  }

  @Test
  void drawnSubjectsAreTheLowestHmacRanksOfTheirClass() {
    Draw draw = RandomDraw.draw(plan(2, roster(12)), inputs("v"), candidates());
    byte[] seed = inputs("v").seed();
    List<String> expectedA =
        candidates().stream()
            .filter(c -> c.riskClass().equals("A"))
            .map(c -> RandomDraw.rank(seed, "subject:" + c.subjectId()) + c.subjectId())
            .sorted()
            .limit(5)
            .map(rankAndId -> rankAndId.substring(64))
            .toList();
    assertThat(draw.selections().subList(0, 5))
        .extracting(Selection::subjectId)
        .isEqualTo(expectedA);
  }

  @Test
  void sameSeedGivesTheSameDrawAndAnotherSeedAnotherDraw() {
    InspectionPlan plan = plan(2, roster(12));
    Draw first = RandomDraw.draw(plan, inputs("public-1"), candidates());
    Draw again = RandomDraw.draw(plan, inputs("public-1"), candidates());
    Draw other = RandomDraw.draw(plan, inputs("public-2"), candidates());
    assertThat(again).isEqualTo(first);
    assertThat(first.differences(again)).isEmpty();
    assertThat(other.selections())
        .extracting(Selection::subjectId)
        .isNotEqualTo(first.selections().stream().map(Selection::subjectId).toList());
  }

  @Test
  void neverAssignsAnInspectorOnTheSubjectsGridOrWhoInspectedItLastTime() {
    // three inspectors: I-1 on the subject's grid, I-2 inspected it last time: only I-3 and I-4
    // are free, so both must be assigned whatever the ranks say
    List<Inspector> roster =
        List.of(
            new Inspector("I-1", "检查员1", "市场监管局", "G-HOME"),
            new Inspector("I-2", "检查员2", "市场监管局", "G-X"),
            new Inspector("I-3", "检查员3", "市场监管局", "G-Y"),
            new Inspector("I-4", "检查员4", "市场监管局", "G-Z"));
    Candidate subject =
        new Candidate(
            "D-1", null, "D", "G-HOME", Optional.of(REFERENCE.minusYears(2)), Set.of("I-2"));
    for (int i = 0; i < 20; i++) {
      Draw draw = RandomDraw.draw(plan(2, roster), inputs("seed-" + i), List.of(subject));
      assertThat(draw.selections()).hasSize(1);
      assertThat(draw.selections().get(0).inspectorIds()).containsExactlyInAnyOrder("I-3", "I-4");
    }
    Candidate cornered =
        new Candidate("D-2", null, "D", "G-Y", Optional.empty(), Set.of("I-2", "I-4"));
    assertThatThrownBy(() -> RandomDraw.draw(plan(2, roster), inputs("s"), List.of(cornered)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot assign 2 inspectors to D-2");
  }

  @Test
  void subjectsDrawnForTheSameItemWithinTheExclusionWindowAreNotCandidates() {
    List<Candidate> candidates =
        List.of(
            new Candidate(
                "D-recent", null, "D", "G1", Optional.of(REFERENCE.minusMonths(3)), Set.of()),
            new Candidate(
                "D-old", null, "D", "G1", Optional.of(REFERENCE.minusMonths(13)), Set.of()));
    Draw draw = RandomDraw.draw(plan(2, roster(4)), inputs("v"), candidates);
    assertThat(draw.excluded()).containsEntry("D", 1);
    assertThat(draw.candidates()).containsEntry("D", 1);
    assertThat(draw.selections()).extracting(Selection::subjectId).containsExactly("D-old");
  }

  @Test
  void differencesNameAChangedSubjectAssignmentAndSeedInput() {
    InspectionPlan plan = plan(2, roster(12));
    Draw recorded = RandomDraw.draw(plan, inputs("v"), candidates());
    List<Selection> altered = new ArrayList<>(recorded.selections());
    Selection first = altered.get(0);
    altered.set(0, new Selection("A-999", null, "A", first.rank(), first.inspectorIds()));
    Draw changedSubject =
        new Draw(
            "P-1",
            recorded.inputs(),
            recorded.seed(),
            recorded.candidates(),
            recorded.excluded(),
            altered);
    assertThat(changedSubject.differences(recorded))
        .anyMatch(line -> line.contains(first.subjectId()) && line.contains("not recorded"))
        .anyMatch(line -> line.contains("A-999") && line.contains("not drawn"));

    altered = new ArrayList<>(recorded.selections());
    altered.set(
        0, new Selection(first.subjectId(), null, "A", first.rank(), List.of("I-1", "I-99")));
    Draw changedAssignment =
        new Draw(
            "P-1",
            recorded.inputs(),
            recorded.seed(),
            recorded.candidates(),
            recorded.excluded(),
            altered);
    assertThat(changedAssignment.differences(recorded))
        .singleElement()
        .asString()
        .contains("subject " + first.subjectId(), "I-99");

    Draw rederivedFromChangedInput = RandomDraw.draw(plan, inputs("v2"), candidates());
    assertThat(recorded.differences(rederivedFromChangedInput))
        .anyMatch(line -> line.startsWith("seed inputs differ"))
        .anyMatch(line -> line.startsWith("seed differs"));
  }

  @Test
  void seedIsTheSha256OfTheDocumentedCanonicalText() throws Exception {
    SeedInputs inputs = inputs("v");
    assertThat(inputs.canonicalText())
        .isEqualTo("v\nP-1\n" + "ab".repeat(32) + "\ncredit.score=none\nlib.enterprise=11\n");
    byte[] expected =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(inputs.canonicalText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(inputs.seed()).isEqualTo(expected);
  }
}
