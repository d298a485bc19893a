package cn.jiangyin.warehouse.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegistrationNumberTest {
  // ISO 7064 MOD 11,10 worked by hand for 32028101234567: p starts at 10; for each digit d,
  // s = (p + d) mod 10 (0 → 10), p = 2s mod 11. p runs 10, 6, 5, 10, 4, 4, 10, 9, 9, 2, 10, 8, 6,
  // 4, 2,
  // so the check digit is (11 - 2) mod 10 = 9.
  @Test
  void checkDigitFollowsIso7064Mod1110() {
    assertThat(RegistrationNumber.checkDigit("32028101234567")).isEqualTo('9');
    assertThat(RegistrationNumber.checkDigit("32028100000000")).isEqualTo('3');
    assertThat(RegistrationNumber.isValid("320281012345679")).isTrue();
    assertThat(RegistrationNumber.isValid("320281012345678")).isFalse();
    assertThat(RegistrationNumber.isValid("32028101234567")).isFalse();
  }

  @Test
  void bodyMustBeFourteenDigits() {
    assertThatThrownBy(() -> RegistrationNumber.checkDigit("3202810123456A"))
        .isInstanceOf(InvalidCodeException.class);
  }
}
