package cn.jiangyin.warehouse.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * GB 11643-1999 worked by hand on numbers we construct (Jiangyin 320281 + birth date + sequence),
 * never a real person's. Weights 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2; check =
 * "10X98765432"[Σ mod 11].
 */
class ResidentIdNumberTest {
  /** Born 1990-03-07, sequence 123 (odd: male). */
  private static final String MALE_1990 = "32028119900307123X";

  /** Born 2000-02-29 (2000 is a leap year: divisible by 400), sequence 002 (even: female). */
  private static final String FEMALE_2000 = "320281200002290022";

  @Test
  void checkCharacterX() {
    // 3*7 + 2*9 + 0*10 + 2*5 + 8*8 + 1*4 + 1*2 + 9*1 + 9*6 + 0*3 + 0*7 + 3*9 + 0*10 + 7*5 + 1*8
    //   + 2*4 + 3*2 = 266; 266 mod 11 = 2 → "10X98765432"[2] = 'X'
    assertThat(ResidentIdNumber.checkCharacter("32028119900307123")).isEqualTo('X');
    assertThat(ResidentIdNumber.isValid(MALE_1990)).isTrue();
  }

  @Test
  void checkCharacterDigit() {
    // 3*7 + 2*9 + 0*10 + 2*5 + 8*8 + 1*4 + 2*2 + 0*1 + 0*6 + 0*3 + 0*7 + 2*9 + 2*10 + 9*5 + 0*8
    //   + 0*4 + 2*2 = 208; 208 mod 11 = 10 → '2'
    assertThat(ResidentIdNumber.checkCharacter("32028120000229002")).isEqualTo('2');
    // 3*7 + 2*9 + 0*10 + 2*5 + 8*8 + 1*4 + 1*2 + 9*1 + 8*6 + 8*3 + 0*7 + 2*9 + 2*10 + 9*5 + 0*8
    //   + 0*4 + 4*2 = 291; 291 mod 11 = 5 → '7'   (1988 is a leap year)
    assertThat(ResidentIdNumber.checkCharacter("32028119880229004")).isEqualTo('7');
    assertThat(ResidentIdNumber.isValid(FEMALE_2000)).isTrue();
    assertThat(ResidentIdNumber.isValid("320281198802290047")).isTrue();
  }

  @Test
  void twentyNinthOfFebruaryOnlyInLeapYears() {
    // 1900 is divisible by 100 but not 400: not a leap year
    assertThat(reason("320281190002290010")).isEqualTo("invalid birth date 19000229");
    assertThat(reason("320281200102290010")).isEqualTo("invalid birth date 20010229");
    assertThat(reason("320281199902310010")).isEqualTo("invalid birth date 19990231");
    assertThat(reason("320281199913010010")).isEqualTo("invalid birth date 19991301");
  }

  @Test
  void birthDateWithinRange() {
    assertThat(reason("320281189912310010")).isEqualTo("birth date 18991231 is before 1900");
    assertThat(reason("320281209912310010")).isEqualTo("birth date 20991231 is in the future");
  }

  @Test
  void wrongCheckCharacter() {
    assertThat(reason("320281199003071231"))
        .isEqualTo("bad check character: expected 'X', found '1'");
    assertThat(reason("320281200002290023"))
        .isEqualTo("bad check character: expected '2', found '3'");
  }

  @Test
  void wrongShape() {
    assertThat(reason("32028119900307123"))
        .isEqualTo("length 17, expected 18 (or 15 for a legacy number)");
    assertThat(reason("3202811990O307123X"))
        .isEqualTo("character 'O' at position 11 is not a digit");
    assertThat(reason("32028119900307123x"))
        .isEqualTo("lower-case character 'x' at position 18, expected 'X'");
    assertThat(reason("32028119900307123Y"))
        .isEqualTo("character 'Y' at position 18 is not a digit or 'X'");
  }

  @Test
  void everySingleDigitChangeIsCaught() {
    // MOD 11-2 detects every single-digit error; a changed date digit may also fail the date rule.
    for (int position = 0; position < 17; position++) {
      for (char digit = '0'; digit <= '9'; digit++) {
        if (digit == MALE_1990.charAt(position)) {
          continue;
        }
        String corrupted =
            MALE_1990.substring(0, position) + digit + MALE_1990.substring(position + 1);
        assertThat(ResidentIdNumber.isValid(corrupted)).as(corrupted).isFalse();
      }
    }
  }

  @Test
  void legacyFifteenDigitNumberWidensTo18() {
    // 320281 900307 123 → insert "19" before the year → 32028119900307123, check 'X' (above)
    assertThat(ResidentIdNumber.isValid("320281900307123")).isTrue();
    assertThat(ResidentIdNumber.normalize("320281900307123")).isEqualTo(MALE_1990);
    assertThat(ResidentIdNumber.check("320281990231123").reason())
        .contains("invalid birth date 19990231");
  }

  @Test
  void normalizeTrimsAndUpperCases() {
    assertThat(ResidentIdNumber.normalize(" 32028119900307123x\t")).isEqualTo(MALE_1990);
    assertThat(ResidentIdNumber.normalize(FEMALE_2000)).isEqualTo(FEMALE_2000);
  }

  @Test
  void normalizeRefusesGarbageWithoutPrintingTheNumber() {
    assertThatThrownBy(() -> ResidentIdNumber.normalize("320281199003071231"))
        .isInstanceOfSatisfying(
            InvalidCodeException.class,
            e -> {
              assertThat(e.code()).isEqualTo("320281********1231");
              assertThat(e.reason()).isEqualTo("bad check character: expected 'X', found '1'");
            })
        .hasMessage(
            "Invalid id-number 320281********1231: bad check character: expected 'X', found '1'")
        .message()
        .doesNotContain("19900307");
    assertThatThrownBy(() -> ResidentIdNumber.normalize("not a number"))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessage(
            "Invalid id-number not a number: length 12, expected 18 (or 15 for a legacy number)");
    // a number one digit short is still personal data: masked too
    assertThatThrownBy(() -> ResidentIdNumber.normalize("32028119900307123"))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessageStartingWith("Invalid id-number 320281*******7123");
  }

  @Test
  void birthDateAndGender() {
    assertThat(ResidentIdNumber.birthDate(MALE_1990)).isEqualTo(LocalDate.of(1990, 3, 7));
    assertThat(ResidentIdNumber.gender(MALE_1990)).isEqualTo(Gender.MALE);
    assertThat(ResidentIdNumber.birthDate(FEMALE_2000)).isEqualTo(LocalDate.of(2000, 2, 29));
    assertThat(ResidentIdNumber.gender(FEMALE_2000)).isEqualTo(Gender.FEMALE);
    assertThat(ResidentIdNumber.birthDate("320281900307123")).isEqualTo(LocalDate.of(1990, 3, 7));
  }

  @Test
  void mask() {
    assertThat(ResidentIdNumber.mask(MALE_1990)).isEqualTo("320281********123X");
    assertThat(ResidentIdNumber.mask("320281900307123")).isEqualTo("320281********123X");
    assertThat(ResidentIdNumber.mask(FEMALE_2000)).isEqualTo("320281********0022");
    assertThat(ResidentIdNumber.check(MALE_1990).line())
        .isEqualTo("320281********123X valid id-number");
    assertThat(ResidentIdNumber.check(MALE_1990).toString()).doesNotContain("19900307");
  }

  private static String reason(String code) {
    CodeCheck check = ResidentIdNumber.check(code);
    assertThat(check.valid()).as(code).isFalse();
    assertThat(check.kind()).isEqualTo(CodeKind.ID_NUMBER);
    return check.reason().orElseThrow();
  }
}
