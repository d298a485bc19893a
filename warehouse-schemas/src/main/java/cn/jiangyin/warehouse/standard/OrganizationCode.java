package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

/**
 * 组织机构代码 — the 9-character organisation code of GB 11714: an 8-character body of digits and
 * upper-case letters, then a check character. It is usually written with a hyphen before the check
 * character ({@code 14223222-9}); both forms are accepted. Since 2015 it lives on as positions 9–17
 * of the {@link UnifiedSocialCreditCode}.
 *
 * <p>Check character (GB 11714, MOD 11 variant): letter values A=10 … Z=35, weights 3, 7, 9, 10, 5,
 * 8, 4, 2; C = 11 − (Σ mod 11), written 'X' for 10 and '0' for 11.
 */
public final class OrganizationCode {
  private static final int[] WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};

  private OrganizationCode() {}

  /** The check character for an 8-character body, e.g. {@code '9'} for {@code 14223222}. */
  public static char checkCharacter(String first8) {
    requireNonNull(first8, "first8 is null");
    if (first8.length() != 8) {
      throw new InvalidCodeException(
          first8,
          CodeKind.ORG_CODE,
          "length " + first8.length() + ", expected an 8-character body");
    }
    for (int i = 0; i < 8; i++) {
      String problem = bodyCharacterProblem(first8.charAt(i), i + 1);
      if (problem != null) {
        throw new InvalidCodeException(first8, CodeKind.ORG_CODE, problem);
      }
    }
    return checkCharacterOfValidBody(first8);
  }

  /** Checks a code written as {@code 142232229} or {@code 14223222-9}. */
  public static CodeCheck check(String code) {
    requireNonNull(code, "code is null");
    boolean hyphenated = code.length() == 10 && code.charAt(8) == '-';
    if (code.length() != 9 && !hyphenated) {
      return CodeCheck.rejected(
          code,
          CodeKind.ORG_CODE,
          "length "
              + code.length()
              + ", expected 9, or 10 with a hyphen before the check character");
    }
    for (int i = 0; i < 8; i++) {
      String problem = bodyCharacterProblem(code.charAt(i), i + 1);
      if (problem != null) {
        return CodeCheck.rejected(code, CodeKind.ORG_CODE, problem);
      }
    }
    int checkPosition = hyphenated ? 10 : 9;
    char found = code.charAt(checkPosition - 1);
    if (found == 'x') {
      return CodeCheck.rejected(
          code,
          CodeKind.ORG_CODE,
          "lower-case character 'x' at position " + checkPosition + ", expected 'X'");
    }
    char expected = checkCharacterOfValidBody(code.substring(0, 8));
    if (found != expected) {
      return CodeCheck.rejected(code, CodeKind.ORG_CODE, badCheckCharacter(expected, found));
    }
    return CodeCheck.accepted(code, CodeKind.ORG_CODE);
  }

  /** Whether {@link #check(String)} accepts the code; {@code false} for {@code null}. */
  public static boolean isValid(String code) {
    return code != null && check(code).valid();
  }

  /** The usual written form {@code 14223222-9} of a 9-character code (not checked). */
  static String hyphenated(String nineCharacters) {
    return nineCharacters.substring(0, 8) + "-" + nineCharacters.substring(8);
  }

  static String badCheckCharacter(char expected, char found) {
    return "bad check character: expected '" + expected + "', found '" + found + "'";
  }

  private static String bodyCharacterProblem(char character, int position) {
    if ((character >= '0' && character <= '9') || (character >= 'A' && character <= 'Z')) {
      return null;
    }
    if (character >= 'a' && character <= 'z') {
      return "lower-case character '"
          + character
          + "' at position "
          + position
          + "; GB 11714 uses upper case";
    }
    return "character '" + character + "' at position " + position + " is not in [0-9A-Z]";
  }

  private static char checkCharacterOfValidBody(String body) {
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      sum += Character.digit(body.charAt(i), 36) * WEIGHTS[i];
    }
    int check = 11 - sum % 11;
    if (check == 10) {
      return 'X';
    }
    return check == 11 ? '0' : (char) ('0' + check);
  }
}
