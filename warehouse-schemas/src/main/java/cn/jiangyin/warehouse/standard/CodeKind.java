package cn.jiangyin.warehouse.standard;

/** The kinds of identifying code the data standards define, with the label used in reports. */
public enum CodeKind {
  /** 统一社会信用代码 — unified social credit code, GB 32100-2015. */
  USCC("uscc"),
  /** 组织机构代码 — organisation code, GB 11714. */
  ORG_CODE("org-code"),
  /** 公民身份号码 — resident identity card number, GB 11643-1999. */
  ID_NUMBER("id-number"),
  /**
   * Input whose shape fits none of the kinds above; only {@link Codes#check(String)} reports it,
   * always as invalid.
   */
  UNRECOGNISED("unrecognised");

  private final String label;

  CodeKind(String label) {
    this.label = label;
  }

  /** The lower-case label printed in reports, e.g. {@code org-code}. */
  public String label() {
    return label;
  }
}
