package cn.jiangyin.warehouse.standard;

/** 性别 — gender as encoded in a resident ID number (GB 11643-1999: odd sequence code = male). */
public enum Gender {
  /** 男. */
  MALE,
  /** 女. */
  FEMALE
}
