package cn.jiangyin.warehouse.enterprise;

import static cn.jiangyin.warehouse.yaml.YamlDocument.optional;
import static cn.jiangyin.warehouse.yaml.YamlDocument.required;
import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.schema.ColumnDefinition;
import cn.jiangyin.warehouse.schema.TableDefinition;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import cn.jiangyin.warehouse.yaml.YamlDocument.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * 企业库「一数一源」— the map from each attribute of {@code lib.enterprise} to its one authoritative source,
 * and the list of departmental tables that refer to enterprises. Read from {@code
 * sources/enterprise-attributes.yaml}; every problem is reported as {@code file:line: what is
 * wrong}. The map is checked against the table registry: every attribute is a column of {@code
 * lib.enterprise}, and a {@code latest} attribute's table is one of the references (its records are
 * tied to enterprises through {@code lib.enterprise_reference}).
 */
public record EnterpriseAttributeMap(
    Register register, List<Attribute> attributes, List<Reference> references) {
  public static final String RESOURCE = "sources/enterprise-attributes.yaml";

  /** The library table the map fills. */
  public static final String LIBRARY = "lib.enterprise";

  /** Columns of {@link #LIBRARY} that are not attributes: the key and the row's own lineage. */
  public static final Set<String> NOT_ATTRIBUTES = Set.of("uscc", "lineage", "as_of");

  /** A derivation may start from the register's code itself. */
  public static final String USCC = "uscc";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern LIBRARY_TABLE = Pattern.compile("[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*");
  private static final Set<String> FILE_KEYS = Set.of("register", "attributes", "references");
  private static final Set<String> REGISTER_KEYS =
      Set.of("source", "table", "code", "name", "registration-number");
  private static final Set<String> ATTRIBUTE_KEYS =
      Set.of(
          "attribute",
          "source",
          "table",
          "column",
          "choose",
          "where",
          "order-by",
          "from",
          "rule",
          "doc");
  private static final Set<String> REFERENCE_KEYS =
      Set.of("source", "table", "code", "name", "where", "doc");
  private static final Set<String> WHERE_KEYS = Set.of("column", "equals");

  public EnterpriseAttributeMap {
    requireNonNull(register, "register is null");
    attributes = List.copyOf(attributes);
    references = List.copyOf(references);
  }

  /** The register (登记库): the table whose valid codes make the rows of lib.enterprise. */
  public record Register(
      String source,
      String table,
      String codeColumn,
      String nameColumn,
      Optional<String> registrationNumberColumn) {
    public Register {
      requireNonNull(source, "source is null");
      requireNonNull(table, "table is null");
      requireNonNull(codeColumn, "codeColumn is null");
      requireNonNull(nameColumn, "nameColumn is null");
      requireNonNull(registrationNumberColumn, "registrationNumberColumn is null");
    }

    /** {@code ods.<source>__<table>}. */
    public String odsTable() {
      return "ods." + source + "__" + table;
    }
  }

  /** How the record an attribute is read from is chosen. */
  public enum Choice {
    /** The enterprise's own record in the register. */
    REGISTER,
    /** The referring record with the greatest {@code order-by}, then the newest position. */
    LATEST,
    /** Computed from another attribute by a {@link Rule}. */
    DERIVED,
    /** Read from a library table keyed by uscc. */
    LIBRARY;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A derivation rule. */
  public enum Rule {
    /** GB/T 4754 section: the letter that starts the industry code. */
    INDUSTRY_SECTION("industry-section"),
    /** GB 11714 organisation code: characters 9–17 of the USCC. */
    ORGANIZATION_CODE("organization-code");

    private final String label;

    Rule(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The derived value, or null when the input has no such part. */
    public String apply(String value) {
      if (value == null) {
        return null;
      }
      return switch (this) {
        case INDUSTRY_SECTION ->
            !value.isEmpty() && value.charAt(0) >= 'A' && value.charAt(0) <= 'T'
                ? value.substring(0, 1)
                : null;
        case ORGANIZATION_CODE -> value.length() == 18 ? value.substring(8, 17) : null;
      };
    }
  }

  /** Keep only records whose column, as text, equals the value. */
  public record Filter(String column, String equals) {
    public Filter {
      requireNonNull(column, "column is null");
      requireNonNull(equals, "equals is null");
    }
  }

  /**
   * One attribute and its source.
   *
   * @param source the department (database) name; for a derived attribute, that of its base
   * @param table the department's table, or {@code namespace.table} for a library
   * @param column the column read; for a derived attribute, the base attribute
   * @param definedAt {@code file:line}
   */
  public record Attribute(
      String name,
      Choice choice,
      Optional<String> source,
      Optional<String> table,
      Optional<String> column,
      Optional<Filter> where,
      Optional<String> orderBy,
      Optional<String> from,
      Optional<Rule> rule,
      String doc,
      String definedAt) {
    public Attribute {
      requireNonNull(name, "name is null");
      requireNonNull(choice, "choice is null");
      requireNonNull(doc, "doc is null");
      requireNonNull(definedAt, "definedAt is null");
    }

    /** {@code ods.<source>__<table>} for register and latest attributes. */
    public String odsTable() {
      return "ods." + source.orElseThrow() + "__" + table.orElseThrow();
    }
  }

  /** A departmental table that names enterprises (by code, and perhaps by name). */
  public record Reference(
      String source,
      String table,
      String codeColumn,
      Optional<String> nameColumn,
      Optional<Filter> where,
      String doc) {
    public Reference {
      requireNonNull(source, "source is null");
      requireNonNull(table, "table is null");
      requireNonNull(codeColumn, "codeColumn is null");
      requireNonNull(nameColumn, "nameColumn is null");
      requireNonNull(where, "where is null");
      requireNonNull(doc, "doc is null");
    }

    public String odsTable() {
      return "ods." + source + "__" + table;
    }
  }

  /** The map on the classpath, checked against the table registry on the classpath. */
  public static EnterpriseAttributeMap load() {
    try (InputStream in =
        EnterpriseAttributeMap.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new InvalidFileException(RESOURCE, 0, "not found on the classpath");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return parse(YamlDocument.parse(RESOURCE, text), TableRegistry.load());
    } catch (IOException e) {
      throw new InvalidFileException(RESOURCE, 0, "cannot read: " + e.getMessage());
    }
  }

  /** Reads and checks a map; throws {@link InvalidFileException} naming file:line. */
  public static EnterpriseAttributeMap parse(YamlDocument document, TableRegistry registry) {
    TableDefinition library = registry.table(LIBRARY);
    Entry root = document.root();
    Map<String, Entry> top = root.mapping(FILE_KEYS);
    Register register = register(required(root, top, "register"));

    List<Reference> references = new ArrayList<>();
    Set<String> referenced = new HashSet<>();
    for (Entry item : required(root, top, "references").sequence()) {
      Reference reference = reference(item);
      if (!referenced.add(reference.source() + "." + reference.table())) {
        throw item.invalid(
            "table %s.%s is listed twice in references", reference.source(), reference.table());
      }
      references.add(reference);
    }

    List<Attribute> attributes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Entry item : required(root, top, "attributes").sequence()) {
      Attribute attribute = attribute(item, register, referenced, names);
      if (library.column(attribute.name()).isEmpty() || NOT_ATTRIBUTES.contains(attribute.name())) {
        throw item.invalid(
            "attribute '%s' is not an attribute column of %s (columns: %s)",
            attribute.name(),
            LIBRARY,
            library.columns().stream()
                .map(ColumnDefinition::name)
                .filter(column -> !NOT_ATTRIBUTES.contains(column))
                .collect(Collectors.joining(", ")));
      }
      if (!names.add(attribute.name())) {
        throw item.invalid(
            "attribute '%s' is declared twice: one attribute, one source", attribute.name());
      }
      attributes.add(attribute);
    }
    List<String> missing =
        library.columns().stream()
            .map(ColumnDefinition::name)
            .filter(column -> !NOT_ATTRIBUTES.contains(column) && !names.contains(column))
            .toList();
    if (!missing.isEmpty()) {
      throw root.invalid(
          "columns of %s without a declared source: %s", LIBRARY, String.join(", ", missing));
    }
    return new EnterpriseAttributeMap(register, attributes, references);
  }

  private static Register register(Entry entry) {
    Map<String, Entry> keys = entry.mapping(REGISTER_KEYS);
    return new Register(
        name(required(entry, keys, "source")),
        name(required(entry, keys, "table")),
        name(required(entry, keys, "code")),
        name(required(entry, keys, "name")),
        optional(keys, "registration-number").map(EnterpriseAttributeMap::name));
  }

  private static Reference reference(Entry entry) {
    Map<String, Entry> keys = entry.mapping(REFERENCE_KEYS);
    return new Reference(
        name(required(entry, keys, "source")),
        name(required(entry, keys, "table")),
        name(required(entry, keys, "code")),
        optional(keys, "name").map(EnterpriseAttributeMap::name),
        optional(keys, "where").map(EnterpriseAttributeMap::filter),
        doc(required(entry, keys, "doc")));
  }

  private static Attribute attribute(
      Entry entry, Register register, Set<String> referenced, Set<String> declared) {
    Map<String, Entry> keys = entry.mapping(ATTRIBUTE_KEYS);
    String name = name(required(entry, keys, "attribute"));
    Entry chooseEntry = required(entry, keys, "choose");
    Choice choice = choice(chooseEntry);
    Optional<Entry> source = optional(keys, "source");
    Optional<Entry> table = optional(keys, "table");
    Optional<Entry> column = optional(keys, "column");
    Optional<Entry> where = optional(keys, "where");
    Optional<Entry> orderBy = optional(keys, "order-by");
    Optional<Entry> from = optional(keys, "from");
    Optional<Entry> rule = optional(keys, "rule");
    String doc = doc(required(entry, keys, "doc"));
    String definedAt = entry.file() + ":" + entry.line();
    if (choice == Choice.DERIVED) {
      for (Optional<Entry> unwanted : List.of(source, table, column, where, orderBy)) {
        if (unwanted.isPresent()) {
          throw unwanted
              .get()
              .invalid(
                  "'%s' does not apply to a derived attribute: it takes the source of its base",
                  unwanted.get().path().replaceAll(".*\\.", ""));
        }
      }
      Entry fromEntry = required(entry, keys, "from");
      String base = name(fromEntry);
      if (!base.equals(USCC) && !declared.contains(base)) {
        throw fromEntry.invalid(
            "'from: %s' must name uscc or an attribute declared above this one", base);
      }
      return new Attribute(
          name,
          choice,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.of(base),
          Optional.of(rule(required(entry, keys, "rule"))),
          doc,
          definedAt);
    }
    for (Optional<Entry> unwanted : List.of(from, rule)) {
      if (unwanted.isPresent()) {
        throw unwanted
            .get()
            .invalid(
                "'%s' applies only to 'choose: derived'",
                unwanted.get().path().replaceAll(".*\\.", ""));
      }
    }
    String sourceName = name(required(entry, keys, "source"));
    Entry tableEntry = required(entry, keys, "table");
    String tableName = tableEntry.text().trim();
    String columnName = name(required(entry, keys, "column"));
    switch (choice) {
      case REGISTER -> {
        if (!sourceName.equals(register.source()) || !tableName.equals(register.table())) {
          throw tableEntry.invalid(
              "'choose: register' reads the register %s.%s, not %s.%s",
              register.source(), register.table(), sourceName, tableName);
        }
        if (where.isPresent() || orderBy.isPresent()) {
          throw entry.invalid("'where' and 'order-by' apply only to 'choose: latest'");
        }
      }
      case LATEST -> {
        if (!referenced.contains(sourceName + "." + tableName)) {
          throw tableEntry.invalid(
              "'choose: latest' needs %s.%s listed in references: its records are tied to"
                  + " enterprises through lib.enterprise_reference",
              sourceName, tableName);
        }
        if (orderBy.isEmpty()) {
          throw entry.invalid("'choose: latest' needs 'order-by'");
        }
      }
      case LIBRARY -> {
        if (!LIBRARY_TABLE.matcher(tableName).matches()) {
          throw tableEntry.invalid(
              "'choose: library' needs a table written namespace.table, found '%s'", tableName);
        }
        if (where.isPresent() || orderBy.isPresent()) {
          throw entry.invalid("'where' and 'order-by' apply only to 'choose: latest'");
        }
      }
      default -> throw new IllegalStateException("unreachable: " + choice);
    }
    if (choice != Choice.LIBRARY) {
      name(tableEntry);
    }
    return new Attribute(
        name,
        choice,
        Optional.of(sourceName),
        Optional.of(tableName),
        Optional.of(columnName),
        where.map(EnterpriseAttributeMap::filter),
        orderBy.map(EnterpriseAttributeMap::name),
        Optional.empty(),
        Optional.empty(),
        doc,
        definedAt);
  }

  private static Choice choice(Entry entry) {
    String text = entry.text().trim();
    for (Choice choice : Choice.values()) {
      if (choice.label().equals(text)) {
        return choice;
      }
    }
    throw entry.invalid(
        "unknown choice '%s' (allowed: register, latest, derived, library)", entry.text());
  }

  private static Rule rule(Entry entry) {
    String text = entry.text().trim();
    for (Rule rule : Rule.values()) {
      if (rule.label().equals(text)) {
        return rule;
      }
    }
    throw entry.invalid(
        "unknown rule '%s' (allowed: industry-section, organization-code)", entry.text());
  }

  private static Filter filter(Entry entry) {
    Map<String, Entry> keys = entry.mapping(WHERE_KEYS);
    return new Filter(
        name(required(entry, keys, "column")), required(entry, keys, "equals").text());
  }

  private static String name(Entry entry) {
    String text = entry.text().trim();
    if (!NAME.matcher(text).matches()) {
      throw entry.invalid(
          "'%s' is not a valid name (lower-case letters, digits and _, starting with a letter)",
          text);
    }
    return text;
  }

  private static String doc(Entry entry) {
    String text = entry.text().trim();
    if (text.isEmpty()) {
      throw entry.invalid("doc is empty: say what the attribute is, in Chinese");
    }
    return text;
  }
}
