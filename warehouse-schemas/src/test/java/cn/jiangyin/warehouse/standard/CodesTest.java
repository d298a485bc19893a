package cn.jiangyin.warehouse.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CodesTest {
  @Test
  void classifiesEachKindByShape() {
    assertThat(Codes.check("91320281142232229Q").line()).isEqualTo("91320281142232229Q valid uscc");
    assertThat(Codes.check("14223222-9").line()).isEqualTo("14223222-9 valid org-code");
    assertThat(Codes.check("142232229").line()).isEqualTo("142232229 valid org-code");
    assertThat(Codes.check("32028119900307123X").line())
        .isEqualTo("320281********123X valid id-number");
    assertThat(Codes.check("320281900307123").line()).isEqualTo("320281*****7123 valid id-number");
  }

  @Test
  void reasonsComeFromTheStandardOfTheKind() {
    assertThat(Codes.check("91320281142232229R").kind()).isEqualTo(CodeKind.USCC);
    assertThat(Codes.check("14223222-8").kind()).isEqualTo(CodeKind.ORG_CODE);
    CodeCheck badDate = Codes.check("320281199902310010");
    assertThat(badDate.kind()).isEqualTo(CodeKind.ID_NUMBER);
    assertThat(badDate.line()).isEqualTo("320281********0010 invalid invalid birth date 19990231");
    CodeCheck lowerCaseX = Codes.check("32028119900307123x");
    assertThat(lowerCaseX.kind()).isEqualTo(CodeKind.ID_NUMBER);
  }

  @Test
  void allDigitUsccThatLooksLikeAnIdNumber() {
    // 事业单位 (1, 2) registered in a division ending 19, org code 90010105:
    //   9*3 + 0*7 + 0*9 + 1*10 + 0*5 + 1*8 + 0*4 + 5*2 = 55; 55 mod 11 = 0 → '0'
    // USCC: 1*1 + 2*3 + 3*9 + 2*27 + 0*19 + 2*26 + 1*16 + 9*17 + 9*20 + 0*29 + 0*25 + 1*13 + 0*8
    //   + 1*24 + 0*10 + 5*30 + 0*28 = 676; 676 mod 31 = 25; 31 - 25 = 6 → '6'
    // As an ID number (born 1990-01-01) its check would be '5' (Σ = 172, 172 mod 11 = 7), so the
    // ID check fails and the valid USCC wins.
    assertThat(ResidentIdNumber.checkCharacter("12320219900101050")).isEqualTo('5');
    CodeCheck check = Codes.check("123202199001010506");
    assertThat(check.kind()).isEqualTo(CodeKind.USCC);
    assertThat(check.valid()).isTrue();
  }

  @Test
  void unrecognised() {
    assertThat(Codes.check("320281199003").line())
        .isEqualTo("320281199003 invalid unrecognised code: length 12");
    assertThat(Codes.check("").reason()).isEqualTo(Optional.of("unrecognised code: empty"));
    CodeCheck padded = Codes.check(" 91320281142232229Q");
    assertThat(padded.kind()).isEqualTo(CodeKind.UNRECOGNISED);
    assertThat(padded.reason()).contains("unrecognised code: leading or trailing whitespace");
    // 15 characters that are not all digits are not a legacy ID number
    assertThat(Codes.check("32028190030712X").reason()).contains("unrecognised code: length 15");
  }

  @Test
  void linesNeverShowAnIdNumberInClear() {
    assertThat(Codes.check("32028119900307123X").toString()).doesNotContain("19900307");
    assertThat(Codes.check("320281199003071231").line())
        .isEqualTo("320281********1231 invalid bad check character: expected 'X', found '1'");
  }

  @Test
  void codeCheckInvariants() {
    assertThatThrownBy(() -> new CodeCheck("x", CodeKind.UNRECOGNISED, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CodeCheck("x", CodeKind.USCC, Optional.of(" ")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CodeCheck(null, CodeKind.USCC, Optional.empty()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("code is null");
  }

  @Test
  void kindLabels() {
    assertThat(CodeKind.USCC.label()).isEqualTo("uscc");
    assertThat(CodeKind.ORG_CODE.label()).isEqualTo("org-code");
    assertThat(CodeKind.ID_NUMBER.label()).isEqualTo("id-number");
  }
}
