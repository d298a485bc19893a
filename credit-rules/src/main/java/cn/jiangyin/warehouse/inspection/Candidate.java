package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;

/**
 * 待抽取对象 — one enterprise in a plan's scope, with its risk class, its grid and when it was last
 * drawn for the same department and item, and by whom.
 *
 * @param gridCode the enterprise's grid, or {@code null} when it is on no grid
 */
public record Candidate(
    String subjectId,
    String subjectName,
    String riskClass,
    String gridCode,
    Optional<LocalDate> lastDrawnOn,
    Set<String> lastInspectors) {

  public Candidate {
    requireNonNull(subjectId, "subjectId is null");
    requireNonNull(riskClass, "riskClass is null");
    requireNonNull(lastDrawnOn, "lastDrawnOn is null");
    lastInspectors = Set.copyOf(lastInspectors);
  }

  /** An inspector conflicts with a subject on their own grid or that they inspected last time. */
  public boolean conflictsWith(Inspector inspector) {
    return inspector.gridCode().equals(gridCode) || lastInspectors.contains(inspector.id());
  }
}
