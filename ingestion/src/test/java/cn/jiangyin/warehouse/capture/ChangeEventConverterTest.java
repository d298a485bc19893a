package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import org.junit.jupiter.api.Test;

class ChangeEventConverterTest {
  @Test
  void idNumbersAreRecognisedButOrganisationCodesAreNot() {
    String id = "32028119900307231" + ResidentIdNumber.checkCharacter("32028119900307231");
    assertThat(ChangeEventConverter.looksLikeIdNumber(id)).isTrue();
    // an invalid number of the right shape is still somebody's number
    String wrongCheck = id.substring(0, 17) + (id.charAt(17) == '1' ? '2' : '1');
    assertThat(ChangeEventConverter.looksLikeIdNumber(wrongCheck)).isTrue();
    assertThat(ChangeEventConverter.looksLikeIdNumber("91320281142232229Q")).isFalse();
    assertThat(ChangeEventConverter.looksLikeIdNumber("14223222-9")).isFalse();
  }

  @Test
  void positionsOrderAsNumbersNotAsText() {
    assertThat(Position.binlogFileNumber("mariadb-bin.000010")).isEqualTo(10);
    String ninth = Position.of(9, 4_000_000_000L, 0);
    String tenth = Position.of(10, 4, 0);
    assertThat(ninth.compareTo(tenth)).isNegative();
    assertThat(Position.snapshot(1L << 40, 5).compareTo(Position.of(1, 0, 0))).isNegative();
    assertThat(Position.snapshot(7, 900).compareTo(Position.snapshot(8, 1))).isNegative();
    assertThat(tenth).hasSize(Position.LENGTH);
  }
}
