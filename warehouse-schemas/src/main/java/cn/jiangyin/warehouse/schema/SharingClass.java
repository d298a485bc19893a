package cn.jiangyin.warehouse.schema;

import java.util.Arrays;
import java.util.Optional;

/** 共享类型 — sharing class of a government data resource (政务数据资源目录). */
public enum SharingClass {
  /** 无条件共享 — any department may use it. */
  UNCONDITIONAL("无条件"),
  /** 有条件共享 — shared on request, for a stated purpose. */
  CONDITIONAL("有条件"),
  /** 不予共享 — not shared (the clear ID numbers, for one). */
  NOT_SHARED("不予共享");

  private final String label;

  SharingClass(String label) {
    this.label = label;
  }

  /** The Chinese label used in table definitions and the catalogue. */
  public String label() {
    return label;
  }

  public static Optional<SharingClass> fromLabel(String label) {
    return Arrays.stream(values()).filter(value -> value.label.equals(label)).findFirst();
  }
}
