package cn.jiangyin.warehouse.trino;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.dashboards.DashboardDefinitions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The analyst layer (分析视图) and the export views, defined as SQL files under {@code trino/views/}
 * (listed in {@code trino/views/index.txt}) and created in the {@code iceberg} catalog by the admin
 * user.
 *
 * <p>Trino 476's Iceberg connector stores views in the JDBC catalog as Iceberg views (trinodb/trino
 * #22576, catalog schema version V1), with their comments. They are {@code SECURITY DEFINER}: they
 * read the tables with the rights of {@link TrinoAccess#ADMIN_USER}, so whatever a view shows,
 * every role allowed to read it sees; a view must therefore hold no clear personal data itself.
 *
 * <p>The leadership dashboards' datasets ({@code dashboards/*.yaml}) are views too, in schema
 * {@value Dataset#VIEW_SCHEMA} ({@link #dashboardDefinitions}): Superset and the report read those
 * views, and the {@code dashboard} role may read nothing else but the analyst views. Their SQL
 * aggregates; {@code DashboardDefinitionsTest} checks it names no personal column.
 *
 * <p>Creating is idempotent ({@code CREATE OR REPLACE VIEW}). A view whose tables do not exist yet
 * (e.g. ods tables before the first capture) fails alone; the others are created.
 */
public final class TrinoViews {
  private static final Logger log = LoggerFactory.getLogger(TrinoViews.class);

  /** The resource directory of the view files. */
  public static final String DIRECTORY = "trino/views/";

  private static final Pattern STATEMENT_END = Pattern.compile(";\\s*$", Pattern.MULTILINE);
  private static final Pattern VIEW_NAME =
      Pattern.compile("CREATE\\s+OR\\s+REPLACE\\s+VIEW\\s+([a-z_]+)\\.([a-z_0-9]+)");

  /** One view file: its resource path, the view it creates and its statements. */
  public record Definition(String file, String schema, String view, List<String> statements) {
    public Definition {
      requireNonNull(file, "file is null");
      requireNonNull(schema, "schema is null");
      requireNonNull(view, "view is null");
      statements = List.copyOf(statements);
    }

    /** {@code schema.view}. */
    public String name() {
      return schema + "." + view;
    }
  }

  /** What happened to one view: created, or the error of the statement that failed. */
  public record Outcome(Definition definition, Optional<String> error) {
    public Outcome {
      requireNonNull(definition, "definition is null");
      requireNonNull(error, "error is null");
    }

    public boolean created() {
      return error.isEmpty();
    }
  }

  private TrinoViews() {}

  /** The view definitions in index order. */
  public static List<Definition> definitions() {
    List<Definition> definitions = new ArrayList<>();
    for (String line : resource(DIRECTORY + "index.txt").lines().toList()) {
      String file = line.strip();
      if (file.isEmpty() || file.startsWith("#")) {
        continue;
      }
      definitions.add(parse(DIRECTORY + file, resource(DIRECTORY + file)));
    }
    return definitions;
  }

  /** The view files' definitions, then the dashboard datasets' ({@link #dashboardDefinitions}). */
  public static List<Definition> all() {
    List<Definition> all = new ArrayList<>(definitions());
    all.addAll(dashboardDefinitions());
    return all;
  }

  /**
   * One view per dataset of the bundled dashboards, {@code dashboard.<dataset>}; its "file" is the
   * dashboard file and the dataset, as in {@code dashboards/grid.yaml dataset grid_events_by_grid}.
   */
  public static List<Definition> dashboardDefinitions() {
    List<Definition> definitions = new ArrayList<>();
    for (DashboardDefinition dashboard : DashboardDefinitions.bundled()) {
      for (Dataset dataset : dashboard.datasets()) {
        definitions.add(
            new Definition(
                dashboard.file() + " dataset " + dataset.name(),
                Dataset.VIEW_SCHEMA,
                dataset.name(),
                dataset.viewStatements()));
      }
    }
    return definitions;
  }

  /** The schemas the views live in, in order of first use. */
  public static Set<String> schemas(List<Definition> definitions) {
    Set<String> schemas = new LinkedHashSet<>();
    definitions.forEach(definition -> schemas.add(definition.schema()));
    return schemas;
  }

  /**
   * Creates the view schemas and every view ({@link #all}) through {@code connection}, which must
   * be the admin user's on the {@code iceberg} catalog; prints no data, logs one line per view.
   */
  public static List<Outcome> create(Connection connection) {
    return create(connection, all());
  }

  /** Creates {@code definitions} and their schemas, as {@link #create(Connection)}. */
  public static List<Outcome> create(Connection connection, List<Definition> definitions) {
    requireNonNull(connection, "connection is null");
    requireNonNull(definitions, "definitions is null");
    List<Outcome> outcomes = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      for (String schema : schemas(definitions)) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      }
      for (Definition definition : definitions) {
        Optional<String> error = Optional.empty();
        for (String sql : definition.statements()) {
          try {
            statement.execute(sql);
          } catch (SQLException e) {
            error = Optional.of(e.getMessage());
            break;
          }
        }
        if (error.isEmpty()) {
          log.info("Created view {} ({})", definition.name(), definition.file());
        } else {
          log.warn(
              "Cannot create view {} ({}): {}", definition.name(), definition.file(), error.get());
        }
        outcomes.add(new Outcome(definition, error));
      }
    } catch (SQLException e) {
      throw new TrinoServerException(
          TrinoServerException.Code.CONFIGURATION_FAILED,
          "Cannot create the view schemas " + schemas(definitions) + ": " + e.getMessage(),
          e);
    }
    return outcomes;
  }

  static Definition parse(String file, String text) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    String[] lines = text.split("\n", -1);
    for (int number = 1; number <= lines.length; number++) {
      String line = lines[number - 1];
      if (line.strip().startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      Matcher end = STATEMENT_END.matcher(line);
      if (end.find()) {
        String sql = current.toString().strip();
        statements.add(sql.substring(0, sql.length() - 1).strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalArgumentException(
          "Invalid view file " + file + ": the last statement does not end with ';'");
    }
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("Invalid view file " + file + ": no statement");
    }
    Matcher view = VIEW_NAME.matcher(statements.get(0));
    if (!view.lookingAt()) {
      throw new IllegalArgumentException(
          "Invalid view file "
              + file
              + ":1: expected it to start with CREATE OR REPLACE VIEW schema.view");
    }
    String expectedSchema = file.substring(DIRECTORY.length()).split("/")[0];
    if (!view.group(1).equals(expectedSchema)) {
      throw new IllegalArgumentException(
          "Invalid view file "
              + file
              + ": creates a view in schema "
              + view.group(1)
              + ", expected "
              + expectedSchema);
    }
    return new Definition(file, view.group(1), view.group(2), statements);
  }

  private static String resource(String path) {
    try (InputStream in = TrinoViews.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Cannot find " + path + " on the class path");
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path, e);
    }
  }
}
