package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * 双随机 — draws a plan's subjects and inspectors from a seed, deterministically, so that anyone with
 * the seed inputs, the plan file and the input snapshots can re-derive the draw
 * (docs/operations/inspections.md is the public description of this algorithm):
 *
 * <ol>
 *   <li>Candidates drawn for the same department and item within {@code exclusion-months} before
 *       the reference date are excluded.
 *   <li>Within each risk class, candidates are ranked by {@code HMAC-SHA256(seed, "subject:" +
 *       USCC)} (ascending, as lower-case hex; ties — impossible in practice — by USCC) and the
 *       first {@code ⌈share · n / 100⌉} are drawn, n being the class's candidates.
 *   <li>For each drawn subject, the roster is ranked by {@code HMAC-SHA256(seed, "inspector:" +
 *       USCC + ":" + inspector id)} and the first inspectors without a conflict (same grid as the
 *       subject, or among those who inspected it last time on this item) are assigned.
 * </ol>
 */
public final class RandomDraw {

  private RandomDraw() {}

  public static Draw draw(InspectionPlan plan, SeedInputs inputs, List<Candidate> candidates) {
    requireNonNull(plan, "plan is null");
    requireNonNull(inputs, "inputs is null");
    if (!inputs.planId().equals(plan.id())) {
      throw new IllegalArgumentException(
          "Invalid seed inputs: plan id " + inputs.planId() + " is not the plan's " + plan.id());
    }
    byte[] seed = inputs.seed();
    TreeMap<String, List<Candidate>> byClass = new TreeMap<>();
    TreeMap<String, Integer> excluded = new TreeMap<>();
    for (String riskClass : plan.sharePercent().keySet()) {
      byClass.put(riskClass, new ArrayList<>());
      excluded.put(riskClass, 0);
    }
    LocalDate windowStart = plan.referenceDate().minusMonths(plan.exclusionMonths());
    for (Candidate candidate : candidates) {
      List<Candidate> members = byClass.get(candidate.riskClass());
      if (members == null) {
        throw new IllegalArgumentException(
            "Invalid candidate "
                + candidate.subjectId()
                + ": risk class '"
                + candidate.riskClass()
                + "' has no share in plan "
                + plan.id());
      }
      boolean recent =
          plan.exclusionMonths() > 0
              && candidate.lastDrawnOn().map(drawn -> drawn.isAfter(windowStart)).orElse(false);
      if (recent) {
        excluded.merge(candidate.riskClass(), 1, Integer::sum);
      } else {
        members.add(candidate);
      }
    }
    TreeMap<String, Integer> counts = new TreeMap<>();
    List<Selection> selections = new ArrayList<>();
    for (Map.Entry<String, List<Candidate>> entry : byClass.entrySet()) {
      List<Candidate> members = entry.getValue();
      counts.put(entry.getKey(), members.size());
      int take = drawnCount(plan.sharePercent().get(entry.getKey()), members.size());
      List<Ranked<Candidate>> ranked = new ArrayList<>();
      for (Candidate member : members) {
        ranked.add(
            new Ranked<>(rank(seed, "subject:" + member.subjectId()), member.subjectId(), member));
      }
      ranked.sort(Ranked.ORDER);
      for (Ranked<Candidate> drawn : ranked.subList(0, take)) {
        selections.add(
            new Selection(
                drawn.value().subjectId(),
                drawn.value().subjectName(),
                drawn.value().riskClass(),
                drawn.rank(),
                inspectors(plan, seed, drawn.value())));
      }
    }
    return new Draw(plan.id(), inputs, inputs.seedHex(), counts, excluded, selections);
  }

  /** ⌈share · n / 100⌉ with integers, so no floating-point rounding enters a draw. */
  public static int drawnCount(int sharePercent, int candidates) {
    return (sharePercent * candidates + 99) / 100;
  }

  /** {@code HMAC-SHA256(seed, message)} as lower-case hex. */
  public static String rank(byte[] seed, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(seed, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("Cannot compute HMAC-SHA256", e);
    }
  }

  private static List<String> inspectors(InspectionPlan plan, byte[] seed, Candidate subject) {
    List<Ranked<Inspector>> ranked = new ArrayList<>();
    for (Inspector inspector : plan.roster()) {
      ranked.add(
          new Ranked<>(
              rank(seed, "inspector:" + subject.subjectId() + ":" + inspector.id()),
              inspector.id(),
              inspector));
    }
    ranked.sort(Ranked.ORDER);
    List<String> assigned = new ArrayList<>();
    for (Ranked<Inspector> each : ranked) {
      if (assigned.size() == plan.inspectorsPerInspection()) {
        break;
      }
      if (!subject.conflictsWith(each.value())) {
        assigned.add(each.value().id());
      }
    }
    if (assigned.size() < plan.inspectorsPerInspection()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot assign %d inspectors to %s in plan %s: only %d of the %d on the roster have"
                  + " no conflict (own grid %s or inspected it last time)",
              plan.inspectorsPerInspection(),
              subject.subjectId(),
              plan.id(),
              assigned.size(),
              plan.roster().size(),
              subject.gridCode()));
    }
    return assigned;
  }

  private record Ranked<T>(String rank, String key, T value) {
    static final Comparator<Ranked<?>> ORDER =
        Comparator.<Ranked<?>, String>comparing(Ranked::rank).thenComparing(Ranked::key);
  }
}
