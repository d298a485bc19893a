package cn.jiangyin.warehouse.inspection;

import static java.util.Objects.requireNonNull;

/**
 * 执法检查人员 — one inspector of a plan's roster (执法检查人员名录库), with the department they belong to and the
 * grid (网格) they serve, which they may not inspect.
 */
public record Inspector(String id, String name, String department, String gridCode) {

  public Inspector {
    requireNonNull(id, "id is null");
    requireNonNull(name, "name is null");
    requireNonNull(department, "department is null");
    requireNonNull(gridCode, "gridCode is null");
  }
}
