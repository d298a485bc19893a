package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * 统一社会信用代码 — the 18-character unified social credit code of every legal entity and other
 * organisation (GB 32100-2015). The warehouse identifies enterprises by it, so only codes that pass
 * every rule below are accepted.
 *
 * <pre>
 * position  1     登记管理部门代码  registration authority (table below)
 * position  2     机构类别代码      entity type within that authority (table below)
 * positions 3–8   登记管理机关行政区划码  GB/T 2260 division of the registering office (6 digits)
 * positions 9–17  主体标识码        the GB 11714 organisation code, with its own check character
 * position  18    校验码            check character
 * </pre>
 *
 * <p>Alphabet {@code 0123456789ABCDEFGHJKLMNPQRTUWXY} (31 characters, no I, O, S, V, Z), value =
 * index; weight of position i is 3^(i−1) mod 31; check = alphabet[(31 − Σ mod 31) mod 31].
 */
public final class UnifiedSocialCreditCode {
  static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  private static final int[] WEIGHTS = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
  };

  /**
   * Registration authority (position 1) → legal entity types (position 2).
   *
   * <p>1 机构编制, 5 民政, 9 工商 and Y 其他 with their types are table 1 of GB 32100-2015 as it is widely
   * reproduced (every source we found agrees; we could not read the standard's own text). The other
   * authorities — 2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, A 中央军委改革和编制办公室, N 农业 (rural collective
   * economic organisations) — were assigned later and are in use (law firms 31…, village
   * collectives N2…); their type lists are as commonly published, not checked against an official
   * text. A pair missing here is rejected: extend the table rather than loosen the check.
   */
  private static final Map<Character, String> ENTITY_TYPES =
      Map.ofEntries(
          Map.entry('1', "1239"), // 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
          Map.entry('2', "19"), // 外国常驻新闻机构, 其他
          Map.entry('3', "123459"), // 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
          Map.entry('4', "19"), // 外国在华文化中心, 其他
          Map.entry('5', "1239"), // 社会团体, 民办非企业单位, 基金会, 其他
          Map.entry('6', "129"), // 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地代表机构, 其他
          Map.entry('7', "129"), // 宗教活动场所, 宗教院校, 其他
          Map.entry('8', "19"), // 基层工会, 其他
          Map.entry('9', "123"), // 企业, 个体工商户, 农民专业合作社
          Map.entry('A', "19"), // 军队事业单位, 其他
          Map.entry('N', "1239"), // 组级, 村级, 乡镇级集体经济组织, 其他
          Map.entry('Y', "1")); // 其他

  private UnifiedSocialCreditCode() {}

  /** The check character (position 18) for the first 17 characters. */
  public static char checkCharacter(String first17) {
    requireNonNull(first17, "first17 is null");
    if (first17.length() != 17) {
      throw new InvalidCodeException(
          first17, CodeKind.USCC, "length " + first17.length() + ", expected 17 before the check");
    }
    for (int i = 0; i < 17; i++) {
      String problem = alphabetProblem(first17.charAt(i), i + 1);
      if (problem != null) {
        throw new InvalidCodeException(first17, CodeKind.USCC, problem);
      }
    }
    return checkCharacterOfValidPrefix(first17);
  }

  /**
   * Checks every rule of GB 32100 in order: length, alphabet, registration authority, entity type,
   * division digits, check character, embedded organisation code. The first rule broken is the
   * reason.
   */
  public static CodeCheck check(String code) {
    requireNonNull(code, "code is null");
    if (code.length() != 18) {
      return reject(code, "length " + code.length() + ", expected 18");
    }
    for (int i = 0; i < 18; i++) {
      String problem = alphabetProblem(code.charAt(i), i + 1);
      if (problem != null) {
        return reject(code, problem);
      }
    }
    char authority = code.charAt(0);
    String types = ENTITY_TYPES.get(authority);
    if (types == null) {
      return reject(code, "unknown registration authority '" + authority + "' at position 1");
    }
    char type = code.charAt(1);
    if (types.indexOf(type) < 0) {
      return reject(
          code,
          "unknown entity type '"
              + type
              + "' at position 2 for registration authority '"
              + authority
              + "'");
    }
    // Only the shape is checked: real division codes change every year (GB/T 2260 is amended by
    // the Ministry of Civil Affairs), and a code keeps the division of the office that issued it.
    String division = code.substring(2, 8);
    if (!division.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return reject(code, "division code '" + division + "' at positions 3-8 is not 6 digits");
    }
    char expected = checkCharacterOfValidPrefix(code.substring(0, 17));
    char found = code.charAt(17);
    if (found != expected) {
      return reject(code, OrganizationCode.badCheckCharacter(expected, found));
    }
    String organizationCode = code.substring(8, 17);
    if (!OrganizationCode.isValid(organizationCode)) {
      return reject(
          code,
          "embedded organisation code "
              + OrganizationCode.hyphenated(organizationCode)
              + " fails GB 11714");
    }
    return CodeCheck.accepted(code, CodeKind.USCC);
  }

  /** Whether {@link #check(String)} accepts the code; {@code false} for {@code null}. */
  public static boolean isValid(String code) {
    return code != null && check(code).valid();
  }

  /**
   * The embedded GB 11714 organisation code (positions 9–17, 9 characters, no hyphen) of a valid
   * USCC.
   *
   * @throws InvalidCodeException if {@code uscc} is not a valid USCC
   */
  public static String organizationCode(String uscc) {
    CodeCheck check = check(uscc);
    if (!check.valid()) {
      throw InvalidCodeException.of(check);
    }
    return uscc.substring(8, 17);
  }

  private static CodeCheck reject(String code, String reason) {
    return CodeCheck.rejected(code, CodeKind.USCC, reason);
  }

  private static String alphabetProblem(char character, int position) {
    if (ALPHABET.indexOf(character) >= 0) {
      return null;
    }
    if (character >= 'a'
        && character <= 'z'
        && ALPHABET.indexOf(Character.toUpperCase(character)) >= 0) {
      return "lower-case character '"
          + character
          + "' at position "
          + position
          + "; GB 32100 uses upper case";
    }
    return "character '"
        + character
        + "' at position "
        + position
        + " is not in the GB 32100 alphabet";
  }

  private static char checkCharacterOfValidPrefix(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
    }
    return ALPHABET.charAt((31 - sum % 31) % 31);
  }
}
