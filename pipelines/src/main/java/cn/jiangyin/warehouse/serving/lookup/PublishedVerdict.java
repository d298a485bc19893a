package cn.jiangyin.warehouse.serving.lookup;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * 已发布的联合惩戒结论 — one row of {@code export.verdict}, as the lookup answers it. Measures are parsed so
 * a matter filter can select them; the reasons are kept as the JSON the evaluation wrote.
 */
public record PublishedVerdict(
    String subjectType,
    String subjectId,
    Optional<String> subjectName,
    String status,
    Optional<String> grade,
    List<Measure> measures,
    String reasonsJson,
    String ruleVersion,
    LocalDate validFrom,
    Optional<LocalDate> validTo,
    LocalDate asOf,
    String publicationId) {
  public PublishedVerdict {
    requireNonNull(subjectType, "subjectType is null");
    requireNonNull(subjectId, "subjectId is null");
    requireNonNull(subjectName, "subjectName is null");
    requireNonNull(status, "status is null");
    requireNonNull(grade, "grade is null");
    measures = List.copyOf(measures);
    requireNonNull(reasonsJson, "reasonsJson is null");
    requireNonNull(ruleVersion, "ruleVersion is null");
    requireNonNull(validFrom, "validFrom is null");
    requireNonNull(validTo, "validTo is null");
    requireNonNull(asOf, "asOf is null");
    requireNonNull(publicationId, "publicationId is null");
  }

  /**
   * 惩戒措施 — one measure of a verdict: code, name, legal basis, implementing department and the
   * matter types (事项类型) it affects.
   */
  public record Measure(
      String code, String name, String legalBasis, String department, List<String> matterTypes) {
    public Measure {
      requireNonNull(code, "code is null");
      requireNonNull(name, "name is null");
      requireNonNull(legalBasis, "legalBasis is null");
      requireNonNull(department, "department is null");
      matterTypes = List.copyOf(matterTypes);
    }

    /** Whether the measure affects a matter: its type, or its name, is one of the matter types. */
    public boolean affects(Matter matter) {
      return matter.type().map(matterTypes::contains).orElse(false)
          || matter.name().map(matterTypes::contains).orElse(false);
    }
  }

  /** 事项 — a matter of {@code lib.matter}: code, name and type (行政许可、政府采购 …). */
  public record Matter(String code, Optional<String> name, Optional<String> type) {
    public Matter {
      requireNonNull(code, "code is null");
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
    }
  }
}
