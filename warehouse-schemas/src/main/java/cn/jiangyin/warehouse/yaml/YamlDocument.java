package cn.jiangyin.warehouse.yaml;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML file that people edit (table definitions, source registry, rules, platform configuration),
 * read so that every complaint names {@code file:line}. This is the one YAML reader of the project:
 * every other reader walks {@link Entry} values from here and reports problems with {@link
 * Entry#invalid}.
 */
public final class YamlDocument {
  private final String file;
  private final Entry root;

  private YamlDocument(String file, Entry root) {
    this.file = file;
    this.root = root;
  }

  public static YamlDocument read(Path path) {
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      return parse(path.toString(), reader);
    } catch (IOException e) {
      throw new InvalidFileException(path.toString(), 0, "cannot read file: " + e.getMessage());
    }
  }

  public static YamlDocument parse(String file, String text) {
    return parse(file, new StringReader(text));
  }

  private static YamlDocument parse(String file, Reader reader) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try {
      Node node = new Yaml(options).compose(reader);
      if (node == null) {
        throw new InvalidFileException(file, 1, "file is empty");
      }
      return new YamlDocument(file, new Entry(file, "", node));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = mark == null ? 0 : mark.getLine() + 1;
      throw new InvalidFileException(file, line, "not valid YAML: " + e.getProblem());
    }
  }

  public String file() {
    return file;
  }

  public Entry root() {
    return root;
  }

  /** One node of the document, with where it stands, so that problems with it can be reported. */
  public static final class Entry {
    private final String file;
    private final String path;
    private final Node node;

    private Entry(String file, String path, Node node) {
      this.file = file;
      this.path = path;
      this.node = requireNonNull(node, "node is null");
    }

    /** 1-based line of this node in its file. */
    public int line() {
      return node.getStartMark().getLine() + 1;
    }

    /** Dotted path from the document root, e.g. {@code columns[2].type}. */
    public String path() {
      return path;
    }

    public String file() {
      return file;
    }

    public boolean isMapping() {
      return node instanceof MappingNode;
    }

    public boolean isSequence() {
      return node instanceof SequenceNode;
    }

    public boolean isScalar() {
      return node instanceof ScalarNode;
    }

    /** The entries of a mapping in file order; complains if this is not a mapping. */
    public Map<String, Entry> mapping() {
      if (!(node instanceof MappingNode mapping)) {
        throw invalid("%s must be a mapping (key: value)", describe());
      }
      Map<String, Entry> entries = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
          throw new InvalidFileException(
              file, tuple.getKeyNode().getStartMark().getLine() + 1, "keys must be plain text");
        }
        String childPath = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
        entries.put(key.getValue(), new Entry(file, childPath, tuple.getValueNode()));
      }
      return entries;
    }

    /** The mapping's entries, complaining about any key outside {@code allowed} (catches typos). */
    public Map<String, Entry> mapping(Set<String> allowed) {
      Map<String, Entry> entries = mapping();
      for (Map.Entry<String, Entry> entry : entries.entrySet()) {
        if (!allowed.contains(entry.getKey())) {
          throw entry
              .getValue()
              .invalid(
                  "unknown key '%s' (allowed: %s)", entry.getKey(), String.join(", ", allowed));
        }
      }
      return entries;
    }

    public List<Entry> sequence() {
      if (!(node instanceof SequenceNode sequence)) {
        throw invalid("%s must be a list", describe());
      }
      List<Entry> items = new ArrayList<>();
      List<Node> values = sequence.getValue();
      for (int i = 0; i < values.size(); i++) {
        items.add(new Entry(file, path + "[" + i + "]", values.get(i)));
      }
      return items;
    }

    public String text() {
      if (!(node instanceof ScalarNode scalar)) {
        throw invalid("%s must be a single value", describe());
      }
      return scalar.getValue();
    }

    public int integer() {
      try {
        return Integer.parseInt(text().trim());
      } catch (NumberFormatException e) {
        throw invalid("%s must be a whole number, found '%s'", describe(), text());
      }
    }

    public double number() {
      try {
        return Double.parseDouble(text().trim());
      } catch (NumberFormatException e) {
        throw invalid("%s must be a number, found '%s'", describe(), text());
      }
    }

    public boolean flag() {
      String value = text().trim();
      if (value.equals("true") || value.equals("false")) {
        return Boolean.parseBoolean(value);
      }
      throw invalid("%s must be true or false, found '%s'", describe(), value);
    }

    /** The problem, located at this entry; the caller throws it. */
    public InvalidFileException invalid(String format, Object... arguments) {
      return new InvalidFileException(file, line(), String.format(format, arguments));
    }

    private String describe() {
      return path.isEmpty() ? "the document" : "'" + path + "'";
    }
  }

  /** Reads a required key of a mapping, with a message naming the key and the mapping's line. */
  public static Entry required(Entry mapping, Map<String, Entry> entries, String key) {
    Entry value = entries.get(key);
    if (value == null) {
      throw mapping.invalid("missing required key '%s'", key);
    }
    return value;
  }

  public static Optional<Entry> optional(Map<String, Entry> entries, String key) {
    return Optional.ofNullable(entries.get(key));
  }
}
