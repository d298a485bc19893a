package cn.jiangyin.warehouse.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GB 32100-2015, worked by hand. Alphabet 0-9 → 0-9, A=10 B=11 C=12 D=13 E=14 F=15 G=16 H=17 J=18
 * K=19 L=20 M=21 N=22 P=23 Q=24 R=25 T=26 U=27 W=28 X=29 Y=30; weights 1, 3, 9, 27, 19, 26, 16, 17,
 * 20, 29, 25, 13, 8, 24, 10, 30, 28; check = alphabet[(31 − Σ mod 31) mod 31].
 */
class UnifiedSocialCreditCodeTest {
  /** Given by the city. */
  private static final String CITY_EXAMPLE = "91320281142232229Q";

  @Test
  void cityExampleIsValid() {
    // 9*1 + 1*3 + 3*9 + 2*27 + 0*19 + 2*26 + 8*16 + 1*17 + 1*20 + 4*29 + 2*25 + 2*13 + 3*8
    //   + 2*24 + 2*10 + 2*30 + 9*28 = 906; 906 mod 31 = 7; 31 - 7 = 24 → 'Q'
    assertThat(UnifiedSocialCreditCode.checkCharacter("91320281142232229")).isEqualTo('Q');
    CodeCheck check = UnifiedSocialCreditCode.check(CITY_EXAMPLE);
    assertThat(check.valid()).isTrue();
    assertThat(check.kind()).isEqualTo(CodeKind.USCC);
    assertThat(check.reason()).isEmpty();
    assertThat(check.line()).isEqualTo("91320281142232229Q valid uscc");
    assertThat(UnifiedSocialCreditCode.isValid(CITY_EXAMPLE)).isTrue();
  }

  @Test
  void organizationCodeIsPositions9To17() {
    assertThat(UnifiedSocialCreditCode.organizationCode(CITY_EXAMPLE)).isEqualTo("142232229");
    assertThat(OrganizationCode.isValid("14223222-9")).isTrue();
  }

  @Test
  void handComputedEnterpriseWithLettersInOrganizationCode() {
    // org code MA1XL8R0 (GB 11714 values M=22 A=10 X=33 L=21 R=27):
    //   22*3 + 10*7 + 1*9 + 33*10 + 21*5 + 8*8 + 27*4 + 0*2 = 752; 752 mod 11 = 4; 11 - 4 = 7
    assertThat(OrganizationCode.checkCharacter("MA1XL8R0")).isEqualTo('7');
    // 9*1 + 1*3 + 3*9 + 2*27 + 0*19 + 2*26 + 8*16 + 1*17 + 21*20 + 10*29 + 1*25 + 29*13 + 20*8
    //   + 8*24 + 25*10 + 0*30 + 7*28 = 2200; 2200 mod 31 = 30; 31 - 30 = 1 → '1'
    assertThat(UnifiedSocialCreditCode.checkCharacter("91320281MA1XL8R07")).isEqualTo('1');
    assertThat(UnifiedSocialCreditCode.check("91320281MA1XL8R071").valid()).isTrue();
    assertThat(UnifiedSocialCreditCode.organizationCode("91320281MA1XL8R071"))
        .isEqualTo("MA1XL8R07");
  }

  @Test
  void handComputedPrivateNonEnterpriseUnit() {
    // 民政 (5) / 民办非企业单位 (2); org code 50123456:
    //   5*3 + 0*7 + 1*9 + 2*10 + 3*5 + 4*8 + 5*4 + 6*2 = 123; 123 mod 11 = 2; 11 - 2 = 9
    // 5*1 + 2*3 + 3*9 + 2*27 + 0*19 + 2*26 + 8*16 + 1*17 + 5*20 + 0*29 + 1*25 + 2*13 + 3*8
    //   + 4*24 + 5*10 + 6*30 + 9*28 = 1042; 1042 mod 31 = 19; 31 - 19 = 12 → 'C'
    assertThat(UnifiedSocialCreditCode.checkCharacter("52320281501234569")).isEqualTo('C');
    assertThat(UnifiedSocialCreditCode.isValid("52320281501234569C")).isTrue();
  }

  @Test
  void sumDivisibleBy31GivesZeroNotAlphabetIndex31() {
    // org code MA1J0P2U (GB 11714 J=19, P=25, U=30):
    //   22*3 + 10*7 + 1*9 + 19*10 + 0*5 + 25*8 + 2*4 + 30*2 = 603; 603 mod 11 = 9; 11 - 9 = 2
    // USCC (J=18, P=23, U=27): 9*1 + 1*3 + 3*9 + 2*27 + 0*19 + 2*26 + 8*16 + 1*17 + 21*20 + 10*29
    //   + 1*25 + 18*13 + 0*8 + 23*24 + 2*10 + 27*30 + 2*28 = 2697 = 87 * 31; (31 - 0) mod 31 = 0
    assertThat(UnifiedSocialCreditCode.checkCharacter("91320281MA1J0P2U2")).isEqualTo('0');
    assertThat(UnifiedSocialCreditCode.isValid("91320281MA1J0P2U20")).isTrue();
  }

  @Test
  void wrongCheckCharacter() {
    assertThat(reason("91320281142232229R"))
        .isEqualTo("bad check character: expected 'Q', found 'R'");
  }

  @Test
  void everySingleCharacterChangeIsCaught() {
    // 31 is prime and every weight is a power of 3, so one changed character always changes Σ mod
    // 31.
    for (int position = 0; position < 18; position++) {
      for (char replacement : UnifiedSocialCreditCode.ALPHABET.toCharArray()) {
        if (replacement == CITY_EXAMPLE.charAt(position)) {
          continue;
        }
        String corrupted =
            CITY_EXAMPLE.substring(0, position)
                + replacement
                + CITY_EXAMPLE.substring(position + 1);
        assertThat(UnifiedSocialCreditCode.isValid(corrupted)).as(corrupted).isFalse();
      }
    }
  }

  @Test
  void changedDigitInDivisionOrOrganizationCodeIsABadCheckCharacter() {
    for (int position = 2; position < 17; position++) {
      char original = CITY_EXAMPLE.charAt(position);
      char replacement = original == '5' ? '6' : '5';
      String corrupted =
          CITY_EXAMPLE.substring(0, position) + replacement + CITY_EXAMPLE.substring(position + 1);
      assertThat(reason(corrupted)).as(corrupted).startsWith("bad check character: expected '");
    }
  }

  @ParameterizedTest
  @ValueSource(chars = {'I', 'O', 'S', 'V', 'Z'})
  void lettersOutsideTheAlphabet(char letter) {
    String corrupted = CITY_EXAMPLE.substring(0, 4) + letter + CITY_EXAMPLE.substring(5);
    assertThat(reason(corrupted))
        .isEqualTo("character '" + letter + "' at position 5 is not in the GB 32100 alphabet");
    assertThatThrownBy(() -> UnifiedSocialCreditCode.checkCharacter(corrupted.substring(0, 17)))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessageContaining("character '" + letter + "' at position 5");
  }

  @Test
  void wrongLength() {
    assertThat(reason("91320281142232229")).isEqualTo("length 17, expected 18");
    assertThat(reason("91320281142232229QQ")).isEqualTo("length 19, expected 18");
    assertThat(reason("")).isEqualTo("length 0, expected 18");
  }

  @Test
  void lowerCase() {
    assertThat(reason("91320281142232229q"))
        .isEqualTo("lower-case character 'q' at position 18; GB 32100 uses upper case");
    assertThat(reason("91320281ma1xl8r071"))
        .isEqualTo("lower-case character 'm' at position 9; GB 32100 uses upper case");
    // 'o' is not in the alphabet in either case
    assertThat(reason("91320281o42232229Q"))
        .isEqualTo("character 'o' at position 9 is not in the GB 32100 alphabet");
  }

  @Test
  void unknownRegistrationAuthority() {
    String first17 = "B1320281142232229";
    String code = first17 + UnifiedSocialCreditCode.checkCharacter(first17);
    assertThat(reason(code)).isEqualTo("unknown registration authority 'B' at position 1");
  }

  @Test
  void unknownEntityTypeForItsAuthority() {
    // 工商 (9) registers only 企业 1, 个体工商户 2, 农民专业合作社 3
    String first17 = "94320281142232229";
    String code = first17 + UnifiedSocialCreditCode.checkCharacter(first17);
    assertThat(reason(code))
        .isEqualTo("unknown entity type '4' at position 2 for registration authority '9'");
    String cooperative = "93320281142232229";
    assertThat(
            UnifiedSocialCreditCode.isValid(
                cooperative + UnifiedSocialCreditCode.checkCharacter(cooperative)))
        .isTrue();
  }

  @Test
  void divisionCodeMustBeDigits() {
    String first17 = "9132A281142232229";
    String code = first17 + UnifiedSocialCreditCode.checkCharacter(first17);
    assertThat(reason(code)).isEqualTo("division code '32A281' at positions 3-8 is not 6 digits");
  }

  @Test
  void embeddedOrganizationCodeMustPassGb11714() {
    // 14223222-8 is the city example's org code with a wrong check digit (expected 9); the USCC's
    // own check character is recomputed so only the embedded code is wrong:
    // 906 - 9*28 + 8*28 = 878; 878 mod 31 = 10; 31 - 10 = 21 → 'M'
    assertThat(UnifiedSocialCreditCode.checkCharacter("91320281142232228")).isEqualTo('M');
    assertThat(reason("91320281142232228M"))
        .isEqualTo("embedded organisation code 14223222-8 fails GB 11714");
  }

  @Test
  void organizationCodeOfAnInvalidCodeIsRefused() {
    assertThatThrownBy(() -> UnifiedSocialCreditCode.organizationCode("91320281142232229R"))
        .isInstanceOfSatisfying(
            InvalidCodeException.class,
            e -> {
              assertThat(e.code()).isEqualTo("91320281142232229R");
              assertThat(e.kind()).isEqualTo(CodeKind.USCC);
              assertThat(e.reason()).isEqualTo("bad check character: expected 'Q', found 'R'");
            })
        .hasMessage(
            "Invalid uscc 91320281142232229R: bad check character: expected 'Q', found 'R'");
  }

  @Test
  void checkCharacterNeeds17Characters() {
    assertThatThrownBy(() -> UnifiedSocialCreditCode.checkCharacter("9132028114223222"))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessageContaining("length 16, expected 17");
  }

  @Test
  void nullIsNotValid() {
    assertThat(UnifiedSocialCreditCode.isValid(null)).isFalse();
    assertThatThrownBy(() -> UnifiedSocialCreditCode.check(null))
        .isInstanceOf(NullPointerException.class);
  }

  private static String reason(String code) {
    CodeCheck check = UnifiedSocialCreditCode.check(code);
    assertThat(check.valid()).as(code).isFalse();
    assertThat(check.line()).endsWith(" invalid " + check.reason().orElseThrow());
    return check.reason().orElseThrow();
  }
}
