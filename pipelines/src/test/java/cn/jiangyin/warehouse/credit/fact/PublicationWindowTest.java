package cn.jiangyin.warehouse.credit.fact;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.credit.rule.PublicationPeriod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing the publication window of a fact from the periods, made up here. */
class PublicationWindowTest {
  private static final String PENALTY = "administrative_penalty";
  private static final List<PublicationPeriod> PERIODS =
      List.of(
          new PublicationPeriod(PENALTY, null, null, true, 3, 12, "NDRC 58", "p.yaml:1"),
          new PublicationPeriod(PENALTY, "严重", null, true, 12, 36, "NDRC 58", "p.yaml:2"),
          new PublicationPeriod(PENALTY, null, "警告", false, 0, 0, "NDRC 58", "p.yaml:3"),
          new PublicationPeriod(PENALTY, null, "责令停产停业", true, 6, 24, "made up", "p.yaml:4"));

  @Test
  void severityNarrowsThePeriod() {
    assertThat(PublicationWindow.of(PERIODS, PENALTY, "一般", "罚款"))
        .contains(new PublicationWindow(true, 3, 12, "p.yaml:1"));
    assertThat(PublicationWindow.of(PERIODS, PENALTY, "严重", "罚款"))
        .contains(new PublicationWindow(true, 12, 36, "p.yaml:2"));
  }

  @Test
  void aWarningAloneIsNotPublished() {
    assertThat(PublicationWindow.of(PERIODS, PENALTY, "一般", "警告"))
        .contains(new PublicationWindow(false, null, null, "p.yaml:3"));
  }

  @Test
  void withSeveralPenaltiesTheLongestPublishedPeriodApplies() {
    // a warning with a fine is published, for the fine's period
    assertThat(PublicationWindow.of(PERIODS, PENALTY, "一般", "警告并处罚款"))
        .contains(new PublicationWindow(true, 3, 12, "p.yaml:1"));
    // 责令停产停业 (6–24) is longer than a fine of 一般 (3–12)
    assertThat(PublicationWindow.of(PERIODS, PENALTY, "一般", "责令停产停业并处罚款"))
        .contains(new PublicationWindow(true, 6, 24, "p.yaml:4"));
    // …but shorter than any penalty of 严重 (12–36)
    assertThat(PublicationWindow.of(PERIODS, PENALTY, "严重", "责令停产停业、罚款"))
        .contains(new PublicationWindow(true, 12, 36, "p.yaml:2"));
  }

  @Test
  void aCategoryWithoutPeriodHasNoWindow() {
    assertThat(PublicationWindow.of(PERIODS, "honour", null, null)).isEmpty();
  }

  @Test
  void penaltyKindsAreSplitAtTheirSeparators() {
    assertThat(PublicationWindow.penaltyKinds("责令停产停业并处罚款")).containsExactly("责令停产停业", "罚款");
    assertThat(PublicationWindow.penaltyKinds(" 警告、罚款 ")).containsExactly("警告", "罚款");
    assertThat(PublicationWindow.penaltyKinds(null)).containsExactly((String) null);
  }
}
