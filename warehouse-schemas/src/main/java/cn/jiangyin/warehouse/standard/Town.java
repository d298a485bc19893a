package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

/**
 * A township-level division (乡级行政区划) of Jiangyin: street, town or development zone.
 *
 * @param code 12-digit township code (county code, 3-digit township number, {@code 000})
 * @param name Chinese name, e.g. 澄江街道
 * @param pinyin name in pinyin without tones or the kind suffix, e.g. {@code chengjiang}
 * @param kind street, town or development zone
 * @param simulated whether the code is of our own making rather than the statistics bureau's
 */
public record Town(String code, String name, String pinyin, TownKind kind, boolean simulated) {
  public Town {
    requireNonNull(code, "code is null");
    requireNonNull(name, "name is null");
    requireNonNull(pinyin, "pinyin is null");
    requireNonNull(kind, "kind is null");
    if (!code.matches("[0-9]{12}")) {
      throw new IllegalArgumentException("Invalid township code, expected 12 digits: " + code);
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("Invalid town name: blank for code " + code);
    }
    if (!pinyin.matches("[a-z]+")) {
      throw new IllegalArgumentException("Invalid pinyin, expected [a-z]+: " + pinyin);
    }
  }
}
