package cn.jiangyin.warehouse.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class WorkingCalendarTest {
  private final WorkingCalendar calendar = WorkingCalendar.load();

  @Test
  void aSpanAcrossAWeekendAndTheDragonBoatHolidayCountsOnlyWorkingDays() {
    // Thu 2024-06-06 → Wed 2024-06-12: Fri 7, (Sat 8, Sun 9, Mon 10 端午), Tue 11, Wed 12
    assertThat(calendar.workingDaysBetween(LocalDate.of(2024, 6, 6), LocalDate.of(2024, 6, 12)))
        .isEqualTo(3);
    assertThat(calendar.isWorkingDay(LocalDate.of(2024, 6, 10))).isFalse();
  }

  @Test
  void anAdjustedSaturdayIsAWorkingDay() {
    // Thu 2025-02-06 → Mon 2025-02-10: Fri 7, Sat 8 (春节调休上班), (Sun 9), Mon 10
    assertThat(calendar.isWorkingDay(LocalDate.of(2025, 2, 8))).isTrue();
    assertThat(calendar.workingDaysBetween(LocalDate.of(2025, 2, 6), LocalDate.of(2025, 2, 10)))
        .isEqualTo(3);
    // the National Day week: 1–8 October off, Saturday 11 October worked
    assertThat(calendar.workingDaysBetween(LocalDate.of(2025, 9, 30), LocalDate.of(2025, 10, 11)))
        .isEqualTo(3);
  }

  @Test
  void the2026SpringFestivalAndNationalDayFollowTheStateCouncilNotice() {
    // Fri 2026-02-13 → Tue 2026-02-24: Sat 14 worked (调休), 15–23 off, Tue 24
    assertThat(calendar.isWorkingDay(LocalDate.of(2026, 2, 14))).isTrue();
    assertThat(calendar.workingDaysBetween(LocalDate.of(2026, 2, 13), LocalDate.of(2026, 2, 24)))
        .isEqualTo(2);
    // Sun 20 September worked; 中秋 25–27 September; 国庆 1–7 October, then Thu 8, Fri 9 and
    // Sat 10 October (worked)
    assertThat(calendar.isWorkingDay(LocalDate.of(2026, 9, 20))).isTrue();
    assertThat(calendar.isWorkingDay(LocalDate.of(2026, 9, 25))).isFalse();
    assertThat(calendar.workingDaysBetween(LocalDate.of(2026, 9, 30), LocalDate.of(2026, 10, 10)))
        .isEqualTo(3);
    // 元旦 1–3 January, Sunday 4 January worked
    assertThat(calendar.isWorkingDay(LocalDate.of(2026, 1, 2))).isFalse();
    assertThat(calendar.isWorkingDay(LocalDate.of(2026, 1, 4))).isTrue();
  }

  @Test
  void theAcceptanceDayIsNotCountedAndYearsNotListedCountWeekendsOnly() {
    LocalDate monday = LocalDate.of(2023, 3, 6);
    assertThat(calendar.workingDaysBetween(monday, monday)).isZero();
    assertThat(calendar.workingDaysBetween(monday, monday.plusDays(7))).isEqualTo(5);
    assertThatThrownBy(() -> calendar.workingDaysBetween(monday, monday.minusDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid span");
  }

  @Test
  void aBadLineNamesTheFileAndLine() {
    String text = "date,kind,name\n2024-01-01,holiday,元旦\n2024-01-02,rest,?\n";
    assertThatThrownBy(
            () ->
                WorkingCalendar.parse(
                    "c.csv", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("c.csv:3:");
  }
}
