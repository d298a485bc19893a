package cn.jiangyin.warehouse.credit.fact;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.rule.PublicationPeriod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * 公示期限 of one kind of fact (category, severity, penalty kind), chosen from the credit office's
 * {@link PublicationPeriod}s: the months added to the decision date for the minimum period (after
 * which repair may be applied for) and the maximum period (after which publication stops).
 *
 * <p>A decision may impose several penalties at once ({@code 责令停产停业并处罚款}): each kind is looked up
 * on its own and the longest published period applies (NDRC Order No. 58: with several penalties
 * the longest period applies); a warning alone publishes nothing.
 *
 * @param published whether the fact is published at all
 * @param minimumMonths minimum period in months, {@code null} when not published
 * @param maximumMonths maximum period in months, {@code null} when not published
 * @param definedAt {@code file:line} of the period that decided, for lineage
 */
public record PublicationWindow(
    boolean published, Integer minimumMonths, Integer maximumMonths, String definedAt) {
  /** How decisions join several penalty kinds: 责令停产停业并处罚款, 警告、罚款. */
  private static final Pattern KIND_SEPARATOR = Pattern.compile("并处|并|、|，|,|；|;");

  public PublicationWindow {
    requireNonNull(definedAt, "definedAt is null");
  }

  /**
   * The window of a fact, or empty when no period matches (the rule set says nothing about such
   * facts).
   */
  public static Optional<PublicationWindow> of(
      List<PublicationPeriod> periods, String category, String severity, String penaltyKind) {
    requireNonNull(periods, "periods is null");
    requireNonNull(category, "category is null");
    List<PublicationPeriod> matched = new ArrayList<>();
    for (String kind : penaltyKinds(penaltyKind)) {
      PublicationPeriod.select(periods, category, severity, kind).ifPresent(matched::add);
    }
    if (matched.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        matched.stream()
            .filter(PublicationPeriod::published)
            .max(
                Comparator.comparingInt(PublicationPeriod::maximumMonths)
                    .thenComparingInt(PublicationPeriod::minimumMonths))
            .map(
                period ->
                    new PublicationWindow(
                        true, period.minimumMonths(), period.maximumMonths(), period.definedAt()))
            .orElseGet(() -> new PublicationWindow(false, null, null, matched.get(0).definedAt())));
  }

  /** The single penalty kinds of a decision's penalty kind; {@code [null]} for none. */
  static List<String> penaltyKinds(String penaltyKind) {
    List<String> kinds = new ArrayList<>();
    if (penaltyKind != null) {
      for (String kind : KIND_SEPARATOR.split(penaltyKind)) {
        if (!kind.isBlank()) {
          kinds.add(kind.strip());
        }
      }
    }
    if (kinds.isEmpty()) {
      kinds.add(null);
    }
    return kinds;
  }
}
