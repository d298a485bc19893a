package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * 失信惩戒措施 — one measure of the 全国失信惩戒措施基础清单, applied to subjects of {@code subjectType} on one of
 * {@code lists}, carried out by {@code department} on {@code matterTypes}.
 */
public record Measure(
    String code,
    String name,
    Effect effect,
    String basis,
    String subjectType,
    List<String> lists,
    String department,
    List<String> matterTypes,
    String definedAt) {

  public Measure {
    requireNonNull(code, "code is null");
    requireNonNull(name, "name is null");
    requireNonNull(effect, "effect is null");
    requireNonNull(basis, "basis is null");
    requireNonNull(subjectType, "subjectType is null");
    lists = List.copyOf(lists);
    requireNonNull(department, "department is null");
    matterTypes = List.copyOf(matterTypes);
    requireNonNull(definedAt, "definedAt is null");
  }

  /** What a measure does to the subject's verdict status. */
  public enum Effect {
    /** 限制 — the verdict is {@code restricted}. */
    RESTRICT,
    /** 关注 — the verdict is at least {@code warn}. */
    WARN
  }
}
