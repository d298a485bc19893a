package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;

/**
 * 工作日历 — which days government offices work, for promised time limits (承诺时限) counted in working
 * days. A day is a working day when it is Monday to Friday and not a public holiday (法定节假日), or
 * when it is a weekend day made a working day by the holiday arrangement (调休上班). The days come from
 * {@code calendar/working-calendar.csv} ({@code date,kind,name}, kind {@code holiday} or {@code
 * workday}), copied from the State Council's yearly notice; years it does not list count weekends
 * only.
 */
public final class WorkingCalendar implements Serializable {
  public static final String RESOURCE = "calendar/working-calendar.csv";
  private static final long serialVersionUID = 1L;

  private final Set<LocalDate> holidays;
  private final Set<LocalDate> workdays;

  private WorkingCalendar(Set<LocalDate> holidays, Set<LocalDate> workdays) {
    this.holidays = Set.copyOf(holidays);
    this.workdays = Set.copyOf(workdays);
    for (LocalDate day : this.holidays) {
      if (this.workdays.contains(day)) {
        throw new IllegalArgumentException(
            "Invalid working calendar: " + day + " is both a holiday and a working day");
      }
    }
  }

  /** The calendar shipped in {@value #RESOURCE}. */
  public static WorkingCalendar load() {
    try (InputStream in = WorkingCalendar.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find resource " + RESOURCE);
      }
      return parse(RESOURCE, in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }

  /** Reads a calendar file; {@code file} names it in error messages. */
  public static WorkingCalendar parse(String file, InputStream in) throws IOException {
    requireNonNull(file, "file is null");
    Set<LocalDate> holidays = new HashSet<>();
    Set<LocalDate> workdays = new HashSet<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#") || text.startsWith("date,")) {
        continue;
      }
      String[] fields = text.split(",", -1);
      if (fields.length != 3) {
        throw new InvalidFileException(file, number, "expected date,kind,name but got " + text);
      }
      LocalDate day;
      try {
        day = LocalDate.parse(fields[0].strip());
      } catch (DateTimeParseException e) {
        throw new InvalidFileException(file, number, "invalid date " + fields[0]);
      }
      boolean added =
          switch (fields[1].strip()) {
            case "holiday" -> holidays.add(day);
            case "workday" -> workdays.add(day);
            default ->
                throw new InvalidFileException(
                    file, number, "invalid kind " + fields[1] + ", expected holiday or workday");
          };
      if (!added || (holidays.contains(day) && workdays.contains(day))) {
        throw new InvalidFileException(file, number, day + " is listed twice");
      }
    }
    return new WorkingCalendar(holidays, workdays);
  }

  /** A calendar of the given holidays and adjusted working days (调休上班日). */
  public static WorkingCalendar of(Set<LocalDate> holidays, Set<LocalDate> workdays) {
    return new WorkingCalendar(
        requireNonNull(holidays, "holidays is null"), requireNonNull(workdays, "workdays is null"));
  }

  public boolean isWorkingDay(LocalDate day) {
    requireNonNull(day, "day is null");
    if (workdays.contains(day)) {
      return true;
    }
    DayOfWeek weekday = day.getDayOfWeek();
    return weekday != DayOfWeek.SATURDAY && weekday != DayOfWeek.SUNDAY && !holidays.contains(day);
  }

  /**
   * The working days after {@code from} up to and including {@code to}: the day of acceptance (受理)
   * is not counted, the day of completion (办结) is, so a same-day completion took 0 working days.
   */
  public int workingDaysBetween(LocalDate from, LocalDate to) {
    requireNonNull(from, "from is null");
    requireNonNull(to, "to is null");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("Invalid span: " + to + " is before " + from);
    }
    int days = 0;
    for (LocalDate day = from.plusDays(1); !day.isAfter(to); day = day.plusDays(1)) {
      if (isWorkingDay(day)) {
        days++;
      }
    }
    return days;
  }
}
