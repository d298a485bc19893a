package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * 关联惩戒 — persons holding {@code role} (法定代表人, 股东 with at least {@code minimumShare}) in an
 * enterprise on one of {@code lists} get {@code measures}, with the link as the reason.
 */
public record Propagation(
    String role,
    double minimumShare,
    List<String> lists,
    List<String> measures,
    String basis,
    String definedAt) {

  public static final String LEGAL_REPRESENTATIVE = "法定代表人";
  public static final String SHAREHOLDER = "股东";

  public Propagation {
    requireNonNull(role, "role is null");
    lists = List.copyOf(lists);
    measures = List.copyOf(measures);
    requireNonNull(basis, "basis is null");
    requireNonNull(definedAt, "definedAt is null");
  }
}
