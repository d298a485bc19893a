package cn.jiangyin.warehouse.export;

import java.util.Locale;

/** What an export holds: the whole table (全量), or what changed since an earlier export (增量). */
public enum ExportKind {
  FULL,
  INCREMENTAL;

  /** The name in manifests and export ids: {@code full}, {@code incremental}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ExportKind fromLabel(String label) {
    for (ExportKind kind : values()) {
      if (kind.label().equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("Invalid export kind: " + label);
  }
}
