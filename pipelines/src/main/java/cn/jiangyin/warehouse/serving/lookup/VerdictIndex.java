package cn.jiangyin.warehouse.serving.lookup;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.serving.lookup.PublishedVerdict.Matter;
import cn.jiangyin.warehouse.serving.lookup.PublishedVerdict.Measure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What the lookup answers from, held in memory: the published verdicts of {@code export.verdict} by
 * subject, the subjects the libraries know ({@code lib.enterprise} USCCs, {@code lib.person}
 * person_keys) and the matters of {@code lib.matter}. Immutable: a reload builds a new index, so a
 * request sees one consistent state. Read with Iceberg's Java API (no Spark), once per snapshot.
 */
public final class VerdictIndex {
  static final TableIdentifier VERDICT = TableIdentifier.of("export", "verdict");
  static final TableIdentifier ENTERPRISE = TableIdentifier.of("lib", "enterprise");
  static final TableIdentifier PERSON = TableIdentifier.of("lib", "person");
  static final TableIdentifier MATTER = TableIdentifier.of("lib", "matter");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, PublishedVerdict> verdicts;
  private final Set<String> enterprises;
  private final Set<String> persons;
  private final Map<String, Matter> matters;
  private final String snapshots;
  private final Optional<LocalDate> latestAsOf;

  private VerdictIndex(
      Map<String, PublishedVerdict> verdicts,
      Set<String> enterprises,
      Set<String> persons,
      Map<String, Matter> matters,
      String snapshots) {
    this.verdicts = Map.copyOf(verdicts);
    this.enterprises = Set.copyOf(enterprises);
    this.persons = Set.copyOf(persons);
    this.matters = Map.copyOf(matters);
    this.snapshots = snapshots;
    this.latestAsOf =
        verdicts.values().stream().map(PublishedVerdict::asOf).max(LocalDate::compareTo);
  }

  /** Loads every published verdict, known subject and matter (for the long-running service). */
  public static VerdictIndex load(Catalog catalog, Consumer<String> progress) {
    return load(catalog, Optional.empty(), progress);
  }

  /**
   * Loads what one lookup of {@code subjectId} needs (for the command line): its verdict, whether
   * the libraries know it, and the matters.
   */
  public static VerdictIndex loadSubject(Catalog catalog, String subjectId) {
    return load(catalog, Optional.of(subjectId), line -> {});
  }

  private static VerdictIndex load(
      Catalog catalog, Optional<String> subject, Consumer<String> progress) {
    requireNonNull(catalog, "catalog is null");
    long started = System.nanoTime();
    Map<String, PublishedVerdict> verdicts = new HashMap<>();
    for (Record row : rows(catalog, VERDICT, filter("subject_id", subject), true)) {
      PublishedVerdict verdict = verdict(row);
      verdicts.put(verdict.subjectId(), verdict);
    }
    Set<String> enterprises = new HashSet<>();
    for (Record row : rows(catalog, ENTERPRISE, filter("uscc", subject), false)) {
      enterprises.add((String) row.getField("uscc"));
    }
    Set<String> persons = new HashSet<>();
    for (Record row : rows(catalog, PERSON, filter("person_key", subject), false)) {
      persons.add((String) row.getField("person_key"));
    }
    Map<String, Matter> matters = new HashMap<>();
    for (Record row : rows(catalog, MATTER, Expressions.alwaysTrue(), false)) {
      String code = (String) row.getField("matter_code");
      matters.put(
          code,
          new Matter(
              code,
              Optional.ofNullable((String) row.getField("name")),
              Optional.ofNullable((String) row.getField("matter_type"))));
    }
    progress.accept(
        String.format(
            "Loaded %d published verdicts, %d enterprises, %d persons, %d matters in %d ms",
            verdicts.size(),
            enterprises.size(),
            persons.size(),
            matters.size(),
            (System.nanoTime() - started) / 1_000_000));
    return new VerdictIndex(verdicts, enterprises, persons, matters, snapshots(catalog));
  }

  /**
   * The current snapshot ids of the tables the index reads, as one string: a different string means
   * the index is out of date.
   */
  public static String snapshots(Catalog catalog) {
    StringBuilder ids = new StringBuilder();
    for (TableIdentifier identifier : List.of(VERDICT, ENTERPRISE, PERSON, MATTER)) {
      Optional<Table> table = table(catalog, identifier);
      Snapshot snapshot = table.map(Table::currentSnapshot).orElse(null);
      ids.append(identifier).append('=').append(snapshot == null ? "-" : snapshot.snapshotId());
      ids.append(' ');
    }
    return ids.toString().strip();
  }

  /** The snapshot ids this index was loaded from ({@link #snapshots(Catalog)}). */
  public String loadedSnapshots() {
    return snapshots;
  }

  public Optional<PublishedVerdict> verdict(String subjectId) {
    return Optional.ofNullable(verdicts.get(subjectId));
  }

  /** Whether {@code lib.enterprise} or {@code lib.person} holds the subject. */
  public boolean known(String subjectId) {
    return enterprises.contains(subjectId) || persons.contains(subjectId);
  }

  public Optional<Matter> matter(String code) {
    return Optional.ofNullable(matters.get(code));
  }

  /** The latest as-of date of the published verdicts, the as-of of a "clear by definition". */
  public Optional<LocalDate> latestAsOf() {
    return latestAsOf;
  }

  public int size() {
    return verdicts.size();
  }

  private static Expression filter(String column, Optional<String> subject) {
    return subject.map(id -> (Expression) Expressions.equal(column, id)).orElse(alwaysTrue());
  }

  private static Expression alwaysTrue() {
    return Expressions.alwaysTrue();
  }

  private static List<Record> rows(
      Catalog catalog, TableIdentifier identifier, Expression filter, boolean required) {
    Optional<Table> table = table(catalog, identifier);
    if (table.isEmpty()) {
      if (required) {
        throw new LookupException(
            "Cannot find table " + identifier + ": run 'warehouse schemas migrate' and publish");
      }
      return List.of();
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table.get()).where(filter).build()) {
      for (Record record : records) {
        rows.add(record.copy());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + identifier, e);
    }
    return rows;
  }

  private static Optional<Table> table(Catalog catalog, TableIdentifier identifier) {
    try {
      return Optional.of(catalog.loadTable(identifier));
    } catch (NoSuchTableException e) {
      return Optional.empty();
    }
  }

  private static PublishedVerdict verdict(Record row) {
    String subjectId = (String) row.getField("subject_id");
    return new PublishedVerdict(
        (String) row.getField("subject_type"),
        subjectId,
        Optional.ofNullable((String) row.getField("subject_name")),
        (String) row.getField("status"),
        Optional.ofNullable((String) row.getField("grade")),
        measures(subjectId, (String) row.getField("measures")),
        (String) row.getField("reasons"),
        (String) row.getField("rule_version"),
        (LocalDate) row.getField("valid_from"),
        Optional.ofNullable((LocalDate) row.getField("valid_to")),
        (LocalDate) row.getField("as_of"),
        (String) row.getField("publication_id"));
  }

  /** The measures JSON the evaluation writes: code, name, legal_basis, department, matter_types. */
  static List<Measure> measures(String subjectId, String json) {
    try {
      List<Measure> measures = new ArrayList<>();
      for (JsonNode node : JSON.readTree(json)) {
        List<String> matterTypes = new ArrayList<>();
        node.path("matter_types").forEach(type -> matterTypes.add(type.asText()));
        measures.add(
            new Measure(
                node.path("code").asText(),
                node.path("name").asText(),
                node.path("legal_basis").asText(),
                node.path("department").asText(),
                matterTypes));
      }
      return measures;
    } catch (IOException e) {
      throw new LookupException(
          "Invalid measures JSON in " + VERDICT + " for subject " + subjectId + ": " + json, e);
    }
  }
}
