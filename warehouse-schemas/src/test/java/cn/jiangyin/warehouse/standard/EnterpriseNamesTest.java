package cn.jiangyin.warehouse.standard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnterpriseNamesTest {
  private static final String REGISTERED = "江阴市澄江（华士）机械制造有限公司";

  @Test
  void variantsAClerkTypesNormaliseToTheRegisteredName() {
    String expected = EnterpriseNames.normalise(REGISTERED);
    // ASCII brackets for Chinese ones
    assertThat(EnterpriseNames.normalise("江阴市澄江(华士)机械制造有限公司")).isEqualTo(expected);
    // 有限责任公司 for 有限公司
    assertThat(EnterpriseNames.normalise("江阴市澄江（华士）机械制造有限责任公司")).isEqualTo(expected);
    // spaces inside, before and after, the ideographic space and a no-break space
    assertThat(EnterpriseNames.normalise(" 江阴市澄江（华士）  机械\u3000制造有限公司\u00A0\t")).isEqualTo(expected);
    // full-width brackets and 【】 all become one form
    assertThat(EnterpriseNames.normalise("江阴市澄江【华士】机械制造有限公司")).isEqualTo(expected);
  }

  @Test
  void fullWidthLettersAndDigitsBecomeHalfWidthUpperCase() {
    assertThat(EnterpriseNames.normalise("江阴ＡＢＣ１２３科技有限公司"))
        .isEqualTo(EnterpriseNames.normalise("江阴abc123科技有限公司"))
        .isEqualTo("江阴ABC123科技有限公司");
  }

  @Test
  void aJointStockCompanyStaysDistinctFromALimitedCompany() {
    // 股份有限公司 is another company form: the rewrite must not turn it into a different name
    assertThat(EnterpriseNames.normalise("江阴澄星股份有限公司")).isEqualTo("江阴澄星股份有限公司");
    assertThat(EnterpriseNames.normalise("江阴澄星股份有限公司"))
        .isNotEqualTo(EnterpriseNames.normalise("江阴澄星有限公司"));
  }

  @Test
  void differentNamesStayDifferent() {
    assertThat(EnterpriseNames.normalise("江阴甲机械有限公司"))
        .isNotEqualTo(EnterpriseNames.normalise("江阴乙机械有限公司"));
  }

  @Test
  void nothingButSpacesIsNoName() {
    assertThat(EnterpriseNames.normalise(null)).isNull();
    assertThat(EnterpriseNames.normalise(" \u3000 ")).isNull();
  }
}
