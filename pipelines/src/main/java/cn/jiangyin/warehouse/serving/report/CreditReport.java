package cn.jiangyin.warehouse.serving.report;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.serving.lookup.LookupException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * 公共信用信息报告 — what the report of one enterprise holds as of a date: the enterprise, its published
 * verdict, and its credit facts by section. Only facts in public view on the report date appear:
 * published, publication started ({@code publish_from} ≤ date), not ended ({@code publish_until} ≥
 * date or none) and not repaired (信用修复 ends publication at once).
 */
public record CreditReport(
    String uscc,
    Optional<String> name,
    Optional<String> registrationStatus,
    LocalDate reportDate,
    Optional<String> verdictStatus,
    Optional<String> grade,
    Optional<String> ruleVersion,
    Map<ReportSection, List<Fact>> sections) {
  public CreditReport {
    requireNonNull(uscc, "uscc is null");
    requireNonNull(reportDate, "reportDate is null");
    sections = Map.copyOf(sections);
  }

  /** One fact as the report shows it. */
  public record Fact(
      String factId,
      String categoryName,
      String department,
      LocalDate decidedOn,
      Optional<String> decisionNumber,
      Optional<String> detail,
      Optional<String> severity,
      Optional<String> penaltyKind,
      Optional<BigDecimal> amount,
      Optional<String> grade,
      Optional<String> legalBasis,
      Optional<LocalDate> publishFrom,
      Optional<LocalDate> publishUntil) {}

  public List<Fact> facts(ReportSection section) {
    return sections.getOrDefault(section, List.of());
  }

  /** Whether a fact row is in public view on {@code date}. */
  static boolean inPublicView(Record fact, LocalDate date) {
    if (!Boolean.TRUE.equals(fact.getField("published"))) {
      return false;
    }
    if ("repaired".equals(fact.getField("repair_status"))) {
      return false;
    }
    LocalDate from = (LocalDate) fact.getField("publish_from");
    LocalDate until = (LocalDate) fact.getField("publish_until");
    return (from == null || !from.isAfter(date)) && (until == null || !until.isBefore(date));
  }

  /**
   * Reads the report of {@code uscc} on {@code date} from {@code credit.fact}, {@code
   * lib.enterprise} and {@code export.verdict}.
   *
   * @throws LookupException if {@code credit.fact} does not exist
   */
  public static CreditReport read(Catalog catalog, String uscc, LocalDate date) {
    Map<ReportSection, List<Fact>> sections = new EnumMap<>(ReportSection.class);
    for (Record row : rows(catalog, "credit", "fact", "subject_id", uscc, true)) {
      if (!inPublicView(row, date)) {
        continue;
      }
      sections
          .computeIfAbsent(
              ReportSection.of((String) row.getField("category")), s -> new ArrayList<>())
          .add(fact(row));
    }
    sections.replaceAll(
        (section, facts) ->
            facts.stream()
                .sorted(
                    Comparator.comparing(Fact::decidedOn).reversed().thenComparing(Fact::factId))
                .toList());
    Optional<Record> enterprise =
        rows(catalog, "lib", "enterprise", "uscc", uscc, false).stream().findFirst();
    Optional<Record> verdict =
        rows(catalog, "export", "verdict", "subject_id", uscc, false).stream().findFirst();
    Optional<String> name =
        enterprise
            .map(e -> (String) e.getField("name"))
            .or(() -> verdict.map(v -> (String) v.getField("subject_name")));
    return new CreditReport(
        uscc,
        name,
        enterprise.map(e -> (String) e.getField("status")),
        date,
        verdict.map(v -> (String) v.getField("status")),
        verdict.map(v -> (String) v.getField("grade")),
        verdict.map(v -> (String) v.getField("rule_version")),
        sections);
  }

  private static Fact fact(Record row) {
    return new Fact(
        (String) row.getField("fact_id"),
        (String) row.getField("category_name"),
        (String) row.getField("department"),
        (LocalDate) row.getField("decided_on"),
        text(row, "decision_number"),
        text(row, "detail"),
        text(row, "severity"),
        text(row, "penalty_kind"),
        Optional.ofNullable((BigDecimal) row.getField("amount")),
        text(row, "grade"),
        text(row, "legal_basis"),
        Optional.ofNullable((LocalDate) row.getField("publish_from")),
        Optional.ofNullable((LocalDate) row.getField("publish_until")));
  }

  private static Optional<String> text(Record row, String column) {
    return Optional.ofNullable((String) row.getField(column)).filter(value -> !value.isBlank());
  }

  private static List<Record> rows(
      Catalog catalog,
      String namespace,
      String name,
      String column,
      String value,
      boolean required) {
    TableIdentifier identifier = TableIdentifier.of(namespace, name);
    Table table;
    try {
      table = catalog.loadTable(identifier);
    } catch (NoSuchTableException e) {
      if (required) {
        throw new LookupException(
            "Cannot find table " + identifier + ": run 'warehouse build' first", e);
      }
      return List.of();
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).where(Expressions.equal(column, value)).build()) {
      records.forEach(record -> rows.add(record.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + identifier, e);
    }
    return rows;
  }
}
