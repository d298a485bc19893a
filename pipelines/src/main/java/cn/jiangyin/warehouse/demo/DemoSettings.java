package cn.jiangyin.warehouse.demo;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * How the demo runs: where the embedded platform keeps its state, how big the simulated departments
 * are, and the simulator's seed (the same seed gives the same departments, so the same counts).
 */
public record DemoSettings(Path home, double scale, long seed) {
  public static final double SCALE_DEFAULT = 1.0;
  public static final long SEED_DEFAULT = 20_261_128L;

  public DemoSettings {
    requireNonNull(home, "home is null");
    if (!(scale > 0 && scale <= 100)) {
      throw new IllegalArgumentException("Invalid scale: " + scale + " (must be in (0, 100])");
    }
  }
}
