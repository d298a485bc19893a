package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * 抽查计划 — one 双随机 inspection plan: who inspects what, among which enterprises, how large a share of
 * each credit-risk class (信用风险分类) is drawn, with how many inspectors per inspection and from which
 * roster.
 *
 * @param referenceDate 基准日: the risk classes are those evaluated on or before it and the exclusion
 *     window ends on it
 * @param sharePercent share (整数百分比) of each risk class's candidates that is drawn
 * @param unscoredClass the class of enterprises with no credit score (no credit facts)
 * @param exclusionMonths an enterprise drawn for the same department and item within this many
 *     months before the reference date is not drawn again (0: no exclusion)
 */
public record InspectionPlan(
    String id,
    String name,
    String department,
    String item,
    LocalDate referenceDate,
    SubjectFilter filter,
    SortedMap<String, Integer> sharePercent,
    String unscoredClass,
    int inspectorsPerInspection,
    int exclusionMonths,
    List<Inspector> roster) {

  /**
   * Local practice (本地分类监管): the share range allowed for each risk class, in percent. Class A is
   * never 0 %: 不免抽, a low-risk enterprise is drawn less often, never exempt.
   */
  public static final Map<String, int[]> SHARE_RANGES =
      Map.of(
          "A", new int[] {1, 5},
          "B", new int[] {5, 20},
          "C", new int[] {21, 60},
          "D", new int[] {61, 100});

  /** 双随机: an inspection needs at least two inspectors (执法人员不少于两人). */
  public static final int MINIMUM_INSPECTORS = 2;

  public InspectionPlan {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(department, "department is null");
    requireNonNull(item, "item is null");
    requireNonNull(referenceDate, "referenceDate is null");
    requireNonNull(filter, "filter is null");
    sharePercent = new TreeMap<>(sharePercent);
    requireNonNull(unscoredClass, "unscoredClass is null");
    roster = List.copyOf(roster);
  }
}
