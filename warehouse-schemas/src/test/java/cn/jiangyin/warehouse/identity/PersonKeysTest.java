package cn.jiangyin.warehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import org.junit.jupiter.api.Test;

class PersonKeysTest {
  // Built from Jiangyin's division code, a birth date and a sequence; the check character is
  // computed.
  private static final String FIFTEEN_DIGITS = "320281850101123";
  private static final String EIGHTEEN_DIGITS =
      "32028119850101123" + ResidentIdNumber.checkCharacter("32028119850101123");

  private final PersonKeys keys = new PersonKeys("a-secret-of-the-big-data-centre");

  @Test
  void keyIsAStableKeyedHashThatNeverContainsTheNumber() {
    String key = keys.key(EIGHTEEN_DIGITS);
    assertThat(key).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(keys.key(EIGHTEEN_DIGITS));
    assertThat(key).doesNotContain("19850101");
    assertThat(new PersonKeys("another-secret-entirely-000").key(EIGHTEEN_DIGITS))
        .isNotEqualTo(key);
  }

  @Test
  void legacyFifteenDigitNumberAndLowerCaseXGiveTheSameKeyAsTheNormalForm() {
    assertThat(keys.key(FIFTEEN_DIGITS)).isEqualTo(keys.key(EIGHTEEN_DIGITS));
    assertThat(keys.key(" " + EIGHTEEN_DIGITS.toLowerCase() + " "))
        .isEqualTo(keys.key(EIGHTEEN_DIGITS));
  }

  @Test
  void maskKeepsSixAndFour() {
    assertThat(PersonKeys.mask(EIGHTEEN_DIGITS))
        .isEqualTo("320281********" + EIGHTEEN_DIGITS.substring(14));
    assertThat(PersonKeys.mask("12345")).isEqualTo("*****");
  }

  @Test
  void shortSecretIsRefused() {
    assertThatThrownBy(() -> new PersonKeys("short"))
        .hasMessage("Invalid person key secret: at least 16 characters are needed, found 5");
  }
}
