package cn.jiangyin.warehouse.simulator;

/**
 * How a simulation is sized and seeded. Same settings, same rows: every generated value derives
 * from {@link #seed()}, nothing from the clock.
 *
 * @param seed the seed of every random choice
 * @param scale linear size: 1 ≈ 1,000 market subjects (市场主体) and a few thousand rows per department
 * @param invalidShare share of written identifiers (USCC, ID numbers) given a wrong check
 *     character, so data quality has something to find
 * @param legacyCodeShare share of references from other departments to an enterprise that has a
 *     legacy code which use its 注册号 or 组织机构代码 instead of the USCC
 * @param variantNameShare share of references from other departments that write an enterprise's
 *     name differently (full-width brackets, 有限公司 vs 有限责任公司, extra spaces)
 */
public record SimulationSettings(
    long seed, double scale, double invalidShare, double legacyCodeShare, double variantNameShare) {
  public static final double INVALID_SHARE_DEFAULT = 0.02;
  public static final double LEGACY_CODE_SHARE_DEFAULT = 0.15;
  public static final double VARIANT_NAME_SHARE_DEFAULT = 0.10;

  public SimulationSettings {
    if (!(scale > 0) || scale > 10_000) {
      throw new IllegalArgumentException("Invalid scale (0 < scale <= 10000): " + scale);
    }
    checkShare("invalidShare", invalidShare);
    checkShare("legacyCodeShare", legacyCodeShare);
    checkShare("variantNameShare", variantNameShare);
  }

  /** Settings with the default shares. */
  public static SimulationSettings of(long seed, double scale) {
    return new SimulationSettings(
        seed, scale, INVALID_SHARE_DEFAULT, LEGACY_CODE_SHARE_DEFAULT, VARIANT_NAME_SHARE_DEFAULT);
  }

  public SimulationSettings withInvalidShare(double share) {
    return new SimulationSettings(seed, scale, share, legacyCodeShare, variantNameShare);
  }

  public SimulationSettings withLegacyCodeShare(double share) {
    return new SimulationSettings(seed, scale, invalidShare, share, variantNameShare);
  }

  public SimulationSettings withVariantNameShare(double share) {
    return new SimulationSettings(seed, scale, invalidShare, legacyCodeShare, share);
  }

  /** {@code base × scale}, rounded, at least 1. */
  int scaled(double base) {
    return (int) Math.max(1, Math.round(base * scale));
  }

  private static void checkShare(String name, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("Invalid " + name + " (0..1): " + share);
    }
  }
}
