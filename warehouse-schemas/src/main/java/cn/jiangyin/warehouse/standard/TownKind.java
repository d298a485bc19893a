package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

/** The kinds of township-level division (乡级行政区划) Jiangyin has. */
public enum TownKind {
  /** 街道 — urban sub-district. */
  STREET("street"),
  /** 镇 — town. */
  TOWN("town"),
  /** 开发区 — development zone administered as a township-level unit. */
  DEVELOPMENT_ZONE("development-zone");

  private final String label;

  TownKind(String label) {
    this.label = label;
  }

  /** The label used in data files, e.g. {@code development-zone}. */
  public String label() {
    return label;
  }

  /**
   * The kind with this label.
   *
   * @throws IllegalArgumentException if no kind has it
   */
  public static TownKind fromLabel(String label) {
    requireNonNull(label, "label is null");
    for (TownKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("Invalid town kind: " + label);
  }
}
