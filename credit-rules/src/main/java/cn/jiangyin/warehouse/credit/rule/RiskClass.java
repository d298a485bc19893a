package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** 信用风险分类 — the risk class of subjects with one of {@code grades}. */
public record RiskClass(String code, String name, List<String> grades, String definedAt) {

  public RiskClass {
    requireNonNull(code, "code is null");
    requireNonNull(name, "name is null");
    grades = List.copyOf(grades);
    requireNonNull(definedAt, "definedAt is null");
  }
}
