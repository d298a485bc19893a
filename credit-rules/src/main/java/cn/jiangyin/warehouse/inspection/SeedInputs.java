package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * 随机种子的输入 — everything a draw's seed is derived from, all recorded with the draw so that anyone can
 * recompute it (docs/operations/inspections.md):
 *
 * <pre>
 * seed = SHA-256(UTF-8(public value + "\n" + plan id + "\n" + plan file SHA-256 (hex) + "\n"
 *                      + for each input table in name order: table + "=" + snapshot id or "none" + "\n"))
 * </pre>
 *
 * @param publicValue a value published before the draw and outside the drawer's control (e.g. a
 *     lottery result or a block hash)
 */
public record SeedInputs(
    String publicValue,
    String planId,
    String planSha256,
    SortedMap<String, Optional<Long>> snapshots) {

  public SeedInputs {
    requireNonNull(publicValue, "publicValue is null");
    requireNonNull(planId, "planId is null");
    requireNonNull(planSha256, "planSha256 is null");
    if (publicValue.isBlank()) {
      throw new IllegalArgumentException("Invalid public value: must not be blank");
    }
    snapshots = new TreeMap<>(snapshots);
  }

  public static SeedInputs of(
      String publicValue, PlanFile plan, Map<String, Optional<Long>> snapshots) {
    return new SeedInputs(publicValue, plan.plan().id(), plan.sha256(), new TreeMap<>(snapshots));
  }

  /** The exact text that is hashed into the seed. */
  public String canonicalText() {
    StringBuilder text = new StringBuilder();
    text.append(publicValue)
        .append('\n')
        .append(planId)
        .append('\n')
        .append(planSha256)
        .append('\n');
    snapshots.forEach(
        (table, snapshot) ->
            text.append(table)
                .append('=')
                .append(snapshot.map(String::valueOf).orElse("none"))
                .append('\n'));
    return text.toString();
  }

  /** The seed, 32 bytes. */
  public byte[] seed() {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(canonicalText().getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot compute SHA-256: no provider", e);
    }
  }

  public String seedHex() {
    return HexFormat.of().formatHex(seed());
  }
}
