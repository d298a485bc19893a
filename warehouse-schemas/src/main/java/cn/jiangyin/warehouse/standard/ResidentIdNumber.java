package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;

/**
 * 公民身份号码 — the resident identity card number of GB 11643-1999: a 6-digit division code of the place
 * of household registration, an 8-digit birth date {@code yyyyMMdd}, a 3-digit sequence code (odd
 * for men, even for women) and a check character (ISO 7064 MOD 11-2: weights 7, 9, 10, 5, 8, 4, 2,
 * 1, 6, 3, 7, 9, 10, 5, 8, 4, 2; check = {@code "10X98765432"}[Σ mod 11]).
 *
 * <p>Legacy 15-digit numbers (GB 11643-1989: 2-digit year, no check character) are still found in
 * old records; they are valid if their birth date is, and {@link #normalize(String)} turns them
 * into the 18-digit form the warehouse keys persons by. The clear number must never reach a log:
 * use {@link #mask(String)}.
 */
public final class ResidentIdNumber {
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CHECK_CHARACTERS = "10X98765432";
  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  private ResidentIdNumber() {}

  /** The check character for the first 17 digits, e.g. {@code 'X'}. */
  public static char checkCharacter(String first17) {
    requireNonNull(first17, "first17 is null");
    if (first17.length() != 17) {
      throw new InvalidCodeException(
          first17, CodeKind.ID_NUMBER, "length " + first17.length() + ", expected 17 digits");
    }
    String problem = digitProblem(first17, 17);
    if (problem != null) {
      throw new InvalidCodeException(first17, CodeKind.ID_NUMBER, problem);
    }
    return checkCharacterOfDigits(first17);
  }

  /**
   * Checks an 18-digit number (length, digits, birth date, check character, in that order) or a
   * legacy 15-digit one (digits, birth date). A lower-case {@code x} is reported: use {@link
   * #normalize(String)} to accept it.
   */
  public static CodeCheck check(String code) {
    requireNonNull(code, "code is null");
    if (code.length() == 15) {
      String problem = digitProblem(code, 15);
      if (problem == null) {
        problem = birthDateProblem("19" + code.substring(6, 12));
      }
      return problem == null ? CodeCheck.accepted(code, CodeKind.ID_NUMBER) : reject(code, problem);
    }
    if (code.length() != 18) {
      return reject(code, "length " + code.length() + ", expected 18 (or 15 for a legacy number)");
    }
    String problem = digitProblem(code, 17);
    if (problem != null) {
      return reject(code, problem);
    }
    problem = birthDateProblem(code.substring(6, 14));
    if (problem != null) {
      return reject(code, problem);
    }
    char found = code.charAt(17);
    if (found == 'x') {
      return reject(code, "lower-case character 'x' at position 18, expected 'X'");
    }
    if (!(found >= '0' && found <= '9') && found != 'X') {
      return reject(code, "character '" + found + "' at position 18 is not a digit or 'X'");
    }
    char expected = checkCharacterOfDigits(code.substring(0, 17));
    if (found != expected) {
      return reject(code, OrganizationCode.badCheckCharacter(expected, found));
    }
    return CodeCheck.accepted(code, CodeKind.ID_NUMBER);
  }

  /** Whether {@link #check(String)} accepts the number; {@code false} for {@code null}. */
  public static boolean isValid(String code) {
    return code != null && check(code).valid();
  }

  /**
   * The 18-digit form the warehouse stores and keys persons by: trimmed, {@code x} upper-cased, a
   * legacy 15-digit number widened (insert {@code 19} before its 2-digit year, append the check
   * character).
   *
   * @throws InvalidCodeException if the result is not a valid number
   */
  public static String normalize(String code) {
    requireNonNull(code, "code is null");
    String trimmed = code.strip().toUpperCase(Locale.ROOT);
    CodeCheck check = check(trimmed);
    if (!check.valid()) {
      // the code as given, so the user recognises it; the reason is about the trimmed form
      throw new InvalidCodeException(code, CodeKind.ID_NUMBER, check.reason().orElseThrow());
    }
    if (trimmed.length() == 18) {
      return trimmed;
    }
    String first17 = trimmed.substring(0, 6) + "19" + trimmed.substring(6);
    return first17 + checkCharacterOfDigits(first17);
  }

  /**
   * The birth date encoded in a number (normalised first).
   *
   * @throws InvalidCodeException if the number is not valid
   */
  public static LocalDate birthDate(String code) {
    String normalized = normalize(code);
    return LocalDate.of(
        Integer.parseInt(normalized.substring(6, 10)),
        Integer.parseInt(normalized.substring(10, 12)),
        Integer.parseInt(normalized.substring(12, 14)));
  }

  /**
   * The gender encoded in a number (normalised first): odd 17th digit male, even female.
   *
   * @throws InvalidCodeException if the number is not valid
   */
  public static Gender gender(String code) {
    int digit = normalize(code).charAt(16) - '0';
    return digit % 2 == 1 ? Gender.MALE : Gender.FEMALE;
  }

  /**
   * The masked form used everywhere but the one restricted table: first 6 characters, 8 {@code *},
   * last 4, e.g. {@code 320281********123X} (normalised first).
   *
   * @throws InvalidCodeException if the number is not valid
   */
  public static String mask(String code) {
    String normalized = normalize(code);
    return normalized.substring(0, 6) + "********" + normalized.substring(14);
  }

  /**
   * Masks anything that may be an ID number, valid or not — after trimming, 14 to 19 characters,
   * all digits except perhaps a final {@code X} — keeping the first 6 and the last 4; anything else
   * is returned as given. For messages about codes that may be invalid, where {@link #mask(String)}
   * would refuse. A USCC of digits ending in a digit is masked too: better too much than too
   * little.
   */
  public static String maskIfPersonal(String code) {
    String trimmed = code.strip();
    int length = trimmed.length();
    if (length < 14 || length > 19 || digitProblem(trimmed, length - 1) != null) {
      return code;
    }
    char last = trimmed.charAt(length - 1);
    if (!(last >= '0' && last <= '9') && last != 'X' && last != 'x') {
      return code;
    }
    return trimmed.substring(0, 6) + "*".repeat(length - 10) + trimmed.substring(length - 4);
  }

  private static CodeCheck reject(String code, String reason) {
    return CodeCheck.rejected(code, CodeKind.ID_NUMBER, reason);
  }

  private static String digitProblem(String code, int count) {
    for (int i = 0; i < count; i++) {
      char character = code.charAt(i);
      if (character < '0' || character > '9') {
        return "character '" + character + "' at position " + (i + 1) + " is not a digit";
      }
    }
    return null;
  }

  /** Birth date {@code yyyyMMdd}: a real calendar date, from 1900 on, not in the future. */
  private static String birthDateProblem(String yyyymmdd) {
    LocalDate date;
    try {
      date =
          LocalDate.of(
              Integer.parseInt(yyyymmdd.substring(0, 4)),
              Integer.parseInt(yyyymmdd.substring(4, 6)),
              Integer.parseInt(yyyymmdd.substring(6, 8)));
    } catch (DateTimeException e) {
      return "invalid birth date " + yyyymmdd;
    }
    if (date.getYear() < 1900) {
      return "birth date " + yyyymmdd + " is before 1900";
    }
    if (date.isAfter(LocalDate.now(CHINA))) {
      return "birth date " + yyyymmdd + " is in the future";
    }
    return null;
  }

  private static char checkCharacterOfDigits(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    }
    return CHECK_CHARACTERS.charAt(sum % 11);
  }
}
