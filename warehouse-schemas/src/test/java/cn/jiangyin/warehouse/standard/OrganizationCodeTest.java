package cn.jiangyin.warehouse.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * GB 11714 worked by hand: letter values A=10 … Z=35 (all 26 letters), weights 3, 7, 9, 10, 5, 8,
 * 4, 2; C = 11 − Σ mod 11, 10 → 'X', 11 → '0'.
 */
class OrganizationCodeTest {
  @Test
  void cityExampleWithAndWithoutHyphen() {
    // 1*3 + 4*7 + 2*9 + 2*10 + 3*5 + 2*8 + 2*4 + 2*2 = 112; 112 mod 11 = 2; 11 - 2 = 9
    assertThat(OrganizationCode.checkCharacter("14223222")).isEqualTo('9');
    assertThat(OrganizationCode.check("14223222-9").line()).isEqualTo("14223222-9 valid org-code");
    assertThat(OrganizationCode.check("142232229").line()).isEqualTo("142232229 valid org-code");
  }

  @Test
  void remainderOneGivesX() {
    // 4*3 + 0 + … + 0 = 12; 12 mod 11 = 1; 11 - 1 = 10 → 'X'
    assertThat(OrganizationCode.checkCharacter("40000000")).isEqualTo('X');
    assertThat(OrganizationCode.isValid("40000000-X")).isTrue();
    assertThat(OrganizationCode.check("40000000-x").reason())
        .contains("lower-case character 'x' at position 10, expected 'X'");
  }

  @Test
  void remainderZeroGivesZero() {
    // 0*3 + 1*7 + 0*9 + 0*10 + 0*5 + 0*8 + 0*4 + 2*2 = 11; 11 mod 11 = 0; 11 - 0 = 11 → '0'
    assertThat(OrganizationCode.checkCharacter("01000002")).isEqualTo('0');
    assertThat(OrganizationCode.isValid("010000020")).isTrue();
  }

  @Test
  void lettersIncludingThoseTheUsccAlphabetLacks() {
    // Z=35 is legal in GB 11714 (though not inside a USCC): 35*3 + 1*7 = 112 → same as above, 9
    assertThat(OrganizationCode.checkCharacter("Z1000000")).isEqualTo('9');
    assertThat(OrganizationCode.isValid("Z1000000-9")).isTrue();
  }

  @Test
  void wrongCheckCharacter() {
    assertThat(OrganizationCode.check("14223222-8").reason())
        .contains("bad check character: expected '9', found '8'");
  }

  @Test
  void wrongShape() {
    assertThat(OrganizationCode.check("1422322-29").reason())
        .contains("length 10, expected 9, or 10 with a hyphen before the check character");
    assertThat(OrganizationCode.check("1422322").reason())
        .contains("length 7, expected 9, or 10 with a hyphen before the check character");
    assertThat(OrganizationCode.check("1422_222-9").reason())
        .contains("character '_' at position 5 is not in [0-9A-Z]");
    assertThat(OrganizationCode.check("ma1xl8r07").reason())
        .contains("lower-case character 'm' at position 1; GB 11714 uses upper case");
  }

  @Test
  void checkCharacterRefusesABadBody() {
    assertThatThrownBy(() -> OrganizationCode.checkCharacter("1422322"))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessage("Invalid org-code 1422322: length 7, expected an 8-character body");
    assertThatThrownBy(() -> OrganizationCode.checkCharacter("1422322-"))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessageContaining("character '-' at position 8");
  }

  @Test
  void nullIsNotValid() {
    assertThat(OrganizationCode.isValid(null)).isFalse();
  }
}
