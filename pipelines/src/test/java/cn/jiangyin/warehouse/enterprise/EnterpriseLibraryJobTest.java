package cn.jiangyin.warehouse.enterprise;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.RegistrationNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import org.junit.jupiter.api.Test;

class EnterpriseLibraryJobTest {
  @Test
  void aWellFormedCodeOfAnyStandardIsNotReplacedByANameGuess() {
    String organization = "M1000010" + OrganizationCode.checkCharacter("M1000010");
    String first17 = "91320281" + organization;
    String uscc = first17 + UnifiedSocialCreditCode.checkCharacter(first17);
    String registration = "32028100012345" + RegistrationNumber.checkDigit("32028100012345");

    assertThat(EnterpriseLibraryJob.anyValidCode(uscc)).isTrue();
    assertThat(EnterpriseLibraryJob.anyValidCode(registration)).isTrue();
    assertThat(EnterpriseLibraryJob.anyValidCode(organization)).isTrue();
    assertThat(
            EnterpriseLibraryJob.anyValidCode(
                organization.substring(0, 8) + "-" + organization.charAt(8)))
        .isTrue();
    // a spoiled check character, or no code at all: the name may decide
    char wrong = uscc.charAt(17) == '0' ? '1' : '0';
    assertThat(EnterpriseLibraryJob.anyValidCode(uscc.substring(0, 17) + wrong)).isFalse();
    assertThat(EnterpriseLibraryJob.anyValidCode(null)).isFalse();
    assertThat(EnterpriseLibraryJob.anyValidCode("")).isFalse();
  }

  @Test
  void confidencesFallFromCodesToNames() {
    assertThat(EnterpriseLibraryJob.MatchMethod.USCC.confidence()).isEqualTo(1.0);
    assertThat(EnterpriseLibraryJob.MatchMethod.values())
        .extracting(EnterpriseLibraryJob.MatchMethod::confidence)
        .isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(EnterpriseLibraryJob.MatchMethod.UNMATCHED.confidence()).isZero();
    assertThat(EnterpriseLibraryJob.MatchMethod.NAME_NORMALISED.label())
        .isEqualTo("name_normalised");
  }
}
