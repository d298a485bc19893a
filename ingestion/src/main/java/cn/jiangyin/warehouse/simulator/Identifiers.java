package cn.jiangyin.warehouse.simulator;

import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.RegistrationNumber;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/** Makes valid identifiers, and spoils their check character on purpose. */
final class Identifiers {
  static final String JIANGYIN = "320281";

  /** GB 32100 alphabet: no I, O, S, V, Z. */
  static final String USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

  private static final String ID_CHECK_ALPHABET = "0123456789X";
  private static final String[] BIRTH_DIVISIONS = {
    JIANGYIN, JIANGYIN, JIANGYIN, JIANGYIN, "320282", "320211", "320581", "321281", "320602",
    "340122"
  };
  private static final DateTimeFormatter BASIC = DateTimeFormatter.BASIC_ISO_DATE;

  private Identifiers() {}

  /**
   * 统一社会信用代码: registration authority 9 (市场监管), entity type 1 (enterprise) or 2 (individual
   * business), division 320281, the 9-character organisation code (GB 11714), the GB 32100 check.
   * Codes given after the 2015 reform carry an organisation body starting "MA".
   */
  static String uscc(Random random, boolean individualBusiness, boolean afterReform) {
    StringBuilder body = new StringBuilder(8);
    if (afterReform) {
      body.append("MA");
      while (body.length() < 8) {
        body.append(USCC_ALPHABET.charAt(random.nextInt(USCC_ALPHABET.length())));
      }
    } else {
      while (body.length() < 8) {
        body.append((char) ('0' + random.nextInt(10)));
      }
    }
    String organization = body.toString() + OrganizationCode.checkCharacter(body.toString());
    String first17 = "9" + (individualBusiness ? "2" : "1") + JIANGYIN + organization;
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  /** The organisation code (组织机构代码) embedded in a USCC, written the old way with a hyphen. */
  static String organizationCode(String uscc, boolean withHyphen) {
    return withHyphen ? uscc.substring(8, 16) + "-" + uscc.charAt(16) : uscc.substring(8, 17);
  }

  /** 注册号: the 15-digit pre-2015 registration number, ISO 7064 MOD 11,10 check digit last. */
  static String registrationNumber(Random random) {
    StringBuilder number = new StringBuilder(JIANGYIN).append('0');
    while (number.length() < 14) {
      number.append((char) ('0' + random.nextInt(10)));
    }
    return number.append(RegistrationNumber.checkDigit(number.toString())).toString();
  }

  /** 公民身份号码 (GB 11643): division, birth date, sequence (odd for men), check character. */
  static String residentIdNumber(Random random, LocalDate birth, boolean male) {
    int sequence = random.nextInt(500) * 2 + (male ? 1 : 0);
    String first17 =
        BIRTH_DIVISIONS[random.nextInt(BIRTH_DIVISIONS.length)]
            + birth.format(BASIC)
            + String.format("%03d", sequence);
    return first17 + ResidentIdNumber.checkCharacter(first17);
  }

  /** The code with its last (check) character replaced by another one of the same alphabet. */
  static String withWrongCheck(Random random, String code) {
    String alphabet =
        code.length() == 18 && code.charAt(0) == '9' ? USCC_ALPHABET : ID_CHECK_ALPHABET;
    char right = code.charAt(code.length() - 1);
    char wrong;
    do {
      wrong = alphabet.charAt(random.nextInt(alphabet.length()));
    } while (wrong == right);
    return code.substring(0, code.length() - 1) + wrong;
  }
}
