package cn.jiangyin.warehouse.inspection;

import java.util.List;

/**
 * 检查对象范围 — which enterprises a plan draws from. Each list is a disjunction and an empty list does
 * not restrict; the lists are combined with AND. Only enterprises in {@code statuses} (登记状态) are
 * drawn.
 */
public record SubjectFilter(
    List<String> industryPrefixes,
    List<String> townCodes,
    List<String> licenceTypes,
    List<String> statuses) {

  public SubjectFilter {
    industryPrefixes = List.copyOf(industryPrefixes);
    townCodes = List.copyOf(townCodes);
    licenceTypes = List.copyOf(licenceTypes);
    statuses = List.copyOf(statuses);
  }

  /** Whether an enterprise with these attributes is in scope. */
  public boolean accepts(
      String industryCode, String townCode, String status, List<String> heldLicenceTypes) {
    return (industryPrefixes.isEmpty()
            || (industryCode != null
                && industryPrefixes.stream().anyMatch(industryCode::startsWith)))
        && (townCodes.isEmpty() || townCodes.contains(townCode))
        && (statuses.isEmpty() || statuses.contains(status))
        && (licenceTypes.isEmpty() || heldLicenceTypes.stream().anyMatch(licenceTypes::contains));
  }
}
