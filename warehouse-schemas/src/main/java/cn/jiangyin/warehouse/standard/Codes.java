package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

/**
 * Checks a code of unknown kind, as found in a free-text 证件号码 column: decides the kind by its
 * shape, then applies that kind's standard.
 *
 * <p>The rule, in order:
 *
 * <ol>
 *   <li>empty, or with leading or trailing whitespace: unrecognised (say so; nothing is trimmed);
 *   <li>15 digits: legacy {@linkplain ResidentIdNumber ID number};
 *   <li>18 characters whose first 17 are digits and whose positions 7–14 look like a date ({@code
 *       18xx}–{@code 20xx}, month 01–12, day 01–31): {@linkplain ResidentIdNumber ID number} —
 *       unless that check fails and the code is a valid {@linkplain UnifiedSocialCreditCode USCC}
 *       (an all-digit USCC can look like a date), then USCC;
 *   <li>any other 18 characters: {@linkplain UnifiedSocialCreditCode USCC};
 *   <li>9 characters, or 10 with a hyphen at position 9: {@linkplain OrganizationCode organisation
 *       code};
 *   <li>anything else: unrecognised, with its length.
 * </ol>
 */
public final class Codes {
  private Codes() {}

  /** Classifies the code by shape and checks it against the standard of that kind. */
  public static CodeCheck check(String code) {
    requireNonNull(code, "code is null");
    if (code.isEmpty()) {
      return unrecognised(code, "unrecognised code: empty");
    }
    if (!code.strip().equals(code)) {
      return unrecognised(code, "unrecognised code: leading or trailing whitespace");
    }
    int length = code.length();
    if (length == 15 && allDigits(code, 15)) {
      return ResidentIdNumber.check(code);
    }
    if (length == 18) {
      if (allDigits(code, 17) && looksLikeDate(code.substring(6, 14))) {
        CodeCheck asIdNumber = ResidentIdNumber.check(code);
        if (asIdNumber.valid()) {
          return asIdNumber;
        }
        CodeCheck asUscc = UnifiedSocialCreditCode.check(code);
        return asUscc.valid() ? asUscc : asIdNumber;
      }
      return UnifiedSocialCreditCode.check(code);
    }
    if (length == 9 || (length == 10 && code.charAt(8) == '-')) {
      return OrganizationCode.check(code);
    }
    return unrecognised(code, "unrecognised code: length " + length);
  }

  private static CodeCheck unrecognised(String code, String reason) {
    return CodeCheck.rejected(code, CodeKind.UNRECOGNISED, reason);
  }

  private static boolean allDigits(String code, int count) {
    for (int i = 0; i < count; i++) {
      if (code.charAt(i) < '0' || code.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** Loose on purpose, so a wrong date (19990231) is still reported as an ID number's. */
  private static boolean looksLikeDate(String yyyymmdd) {
    int century = Integer.parseInt(yyyymmdd.substring(0, 2));
    int month = Integer.parseInt(yyyymmdd.substring(4, 6));
    int day = Integer.parseInt(yyyymmdd.substring(6, 8));
    return century >= 18 && century <= 20 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
}
