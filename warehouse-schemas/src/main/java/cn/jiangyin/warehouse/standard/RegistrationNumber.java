package cn.jiangyin.warehouse.standard;

/**
 * 注册号 — the 15-digit enterprise registration number used before the 2015 USCC reform (工商行政管理市场主体注册号
 * 编制规则, GS 15-2006): 6-digit authority code, 8-digit sequence, and an ISO 7064 MOD 11,10 check
 * digit. Old records still carry it; the enterprise library maps it to the USCC.
 */
public final class RegistrationNumber {
  private RegistrationNumber() {}

  /** The ISO 7064 MOD 11,10 check digit of the first 14 digits. */
  public static char checkDigit(String first14) {
    if (first14 == null || !first14.matches("\\d{14}")) {
      throw new InvalidCodeException(
          String.valueOf(first14),
          CodeKind.UNRECOGNISED,
          "a registration number body is 14 digits");
    }
    int product = 10;
    for (int i = 0; i < 14; i++) {
      int sum = (product + first14.charAt(i) - '0') % 10;
      if (sum == 0) {
        sum = 10;
      }
      product = (sum * 2) % 11;
    }
    return (char) ('0' + (11 - product) % 10);
  }

  public static boolean isValid(String code) {
    return code != null
        && code.matches("\\d{15}")
        && checkDigit(code.substring(0, 14)) == code.charAt(14);
  }
}
