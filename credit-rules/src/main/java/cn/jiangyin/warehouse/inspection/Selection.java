package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * 抽中对象 — one drawn enterprise and the inspectors assigned to it.
 *
 * @param rank the subject's HMAC rank within its class (hex), which put it among the drawn
 */
public record Selection(
    String subjectId,
    String subjectName,
    String riskClass,
    String rank,
    List<String> inspectorIds) {

  public Selection {
    requireNonNull(subjectId, "subjectId is null");
    requireNonNull(riskClass, "riskClass is null");
    requireNonNull(rank, "rank is null");
    inspectorIds = List.copyOf(inspectorIds);
  }
}
