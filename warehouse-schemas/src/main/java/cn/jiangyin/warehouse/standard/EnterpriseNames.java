package cn.jiangyin.warehouse.standard;

import java.text.Normalizer;
import java.util.Locale;

/**
 * 企业名称规范化 — the form of an enterprise name used to link records that carry no usable code. Two
 * names that differ only in how a clerk typed them normalise to the same text:
 *
 * <ul>
 *   <li>full-width and half-width forms (NFKC: {@code ＡＢＣ１２３} → {@code ABC123}), Latin letters
 *       upper-cased;
 *   <li>Chinese and ASCII brackets ({@code （）【】[]} all become {@code ()});
 *   <li>all whitespace, including the ideographic space U+3000 and no-break spaces, removed;
 *   <li>the company-form variants 有限责任公司 / 有限公司 written as 有限公司 (股份有限公司 is left as it is: it is a
 *       different company form).
 * </ul>
 *
 * <p>The result is for matching only, never shown as the enterprise's name.
 */
public final class EnterpriseNames {
  private static final String LIMITED_LIABILITY = "有限责任公司";
  private static final String LIMITED = "有限公司";

  private EnterpriseNames() {}

  /** The normalised name, or {@code null} when the name is null or holds nothing but spaces. */
  public static String normalise(String name) {
    if (name == null) {
      return null;
    }
    String text = Normalizer.normalize(name, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u200B' || c == '\uFEFF') {
        continue;
      }
      switch (c) {
        case '（', '【', '[', '〔' -> out.append('(');
        case '）', '】', ']', '〕' -> out.append(')');
        default -> out.appendCodePoint(c);
      }
    }
    String compact = out.toString().toUpperCase(Locale.ROOT);
    if (compact.isEmpty()) {
      return null;
    }
    return compact.replace(LIMITED_LIABILITY, LIMITED);
  }
}
