package cn.jiangyin.warehouse.credit.rule;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * 公示期限 — how long one kind of credit fact is published, counted from its decision date: at least
 * {@code minimumMonths} (after which the subject may apply for credit repair) and at most {@code
 * maximumMonths} (after which publication stops). A period with {@code published = false} (a
 * warning alone, for example) publishes nothing.
 *
 * <p>{@code severity} and {@code penaltyKind} narrow the period; {@code null} matches any value.
 * Where several periods match a fact, the most specific wins (see {@link #select}).
 *
 * @param category fact category code, as in {@code credit.fact.category}
 * @param severity 情节 (一般 / 较重 / 严重), or {@code null} for any
 * @param penaltyKind 处罚种类 (警告, 罚款 …), or {@code null} for any
 * @param published whether such facts are published at all
 * @param minimumMonths minimum publication period in months (0 when not published)
 * @param maximumMonths maximum publication period in months (0 when not published)
 * @param basis legal basis of the period, as the credit office wrote it
 * @param definedAt {@code file:line} of the rule, for messages
 */
public record PublicationPeriod(
    String category,
    String severity,
    String penaltyKind,
    boolean published,
    int minimumMonths,
    int maximumMonths,
    String basis,
    String definedAt) {

  public PublicationPeriod {
    requireNonNull(category, "category is null");
    requireNonNull(basis, "basis is null");
    requireNonNull(definedAt, "definedAt is null");
    if (published && (minimumMonths < 0 || maximumMonths < minimumMonths)) {
      throw new IllegalArgumentException(
          definedAt
              + ": invalid publication period "
              + minimumMonths
              + "–"
              + maximumMonths
              + " months");
    }
  }

  /** Whether this period applies to a fact of the given category, severity and penalty kind. */
  public boolean matches(String factCategory, String factSeverity, String factPenaltyKind) {
    return category.equals(factCategory)
        && (severity == null || severity.equals(factSeverity))
        && (penaltyKind == null || penaltyKind.equals(factPenaltyKind));
  }

  /** How many of severity and penalty kind this period fixes: more is more specific. */
  public int specificity() {
    return (severity == null ? 0 : 1) + (penaltyKind == null ? 0 : 2);
  }

  /** The most specific period matching a fact, if any. */
  public static Optional<PublicationPeriod> select(
      List<PublicationPeriod> periods, String category, String severity, String penaltyKind) {
    return periods.stream()
        .filter(period -> period.matches(category, severity, penaltyKind))
        .max(Comparator.comparingInt(PublicationPeriod::specificity));
  }
}
