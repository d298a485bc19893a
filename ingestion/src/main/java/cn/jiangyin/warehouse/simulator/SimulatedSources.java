package cn.jiangyin.warehouse.simulator;

import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.capture.SourceKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The source registry entries of the simulated departments, for the demo, the tests and the
 * benchmarks: every table of each department, with the columns that may hold ID numbers (masked and
 * keyed on capture).
 */
public final class SimulatedSources {
  /**
   * Columns that hold, or may hold, a person's ID number (a subject can be a natural person or an
   * individual business); only values shaped like an ID number are masked, so codes of
   * organisations stay readable.
   */
  private static final Map<String, Set<String>> PERSONAL_COLUMNS =
      Map.ofEntries(
          Map.entry("enterprise", Set.of("legal_representative_id")),
          Map.entry("shareholder", Set.of("shareholder_code")),
          Map.entry("senior_manager", Set.of("id_number")),
          Map.entry("application", Set.of("applicant_code")),
          Map.entry("penalty_decision", Set.of("subject_code")),
          Map.entry("dishonest_debtor", Set.of("subject_code")),
          Map.entry("tax_credit_grade", Set.of("taxpayer_code")),
          Map.entry("major_tax_violation", Set.of("taxpayer_code")),
          Map.entry("tax_arrears", Set.of("taxpayer_code")),
          Map.entry("environmental_penalty", Set.of("subject_code")),
          Map.entry("social_insurance_arrears", Set.of("employer_code")),
          Map.entry("grid_event", Set.of("subject_code")),
          Map.entry("repair_decision", Set.of("subject_code")),
          Map.entry("objection", Set.of("subject_code")));

  private SimulatedSources() {}

  /**
   * What a DBA does before capture: PostgreSQL tables get {@code REPLICA IDENTITY FULL}, so a
   * delete carries the whole before-image and not just the key. (MariaDB/MySQL need {@code
   * binlog_row_image=FULL}, a server setting.)
   */
  public static void prepareForCapture(Map<Department, JdbcTarget> targets) {
    for (Map.Entry<Department, JdbcTarget> entry : targets.entrySet()) {
      if (entry.getValue().kind() != DatabaseKind.POSTGRESQL) {
        continue;
      }
      try (java.sql.Connection connection = entry.getValue().connect();
          java.sql.Statement statement = connection.createStatement()) {
        for (String table : DepartmentalSimulator.tableNames(entry.getKey())) {
          statement.execute("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
        }
      } catch (java.sql.SQLException e) {
        throw new SimulationException(
            entry.getValue(),
            "Cannot set REPLICA IDENTITY FULL in " + entry.getValue().database(),
            e);
      }
    }
  }

  /**
   * One source per department in {@code targets}, named after its database, captured by {@code
   * user}; {@code options} are extra Debezium options for the PostgreSQL sources.
   */
  public static List<SourceDefinition> definitions(
      Map<Department, JdbcTarget> targets,
      String user,
      String password,
      Map<String, String> options) {
    List<SourceDefinition> sources = new ArrayList<>();
    for (Map.Entry<Department, JdbcTarget> entry : targets.entrySet()) {
      Department department = entry.getKey();
      JdbcTarget target = entry.getValue();
      SourceKind kind =
          target.kind() == DatabaseKind.POSTGRESQL ? SourceKind.POSTGRESQL : SourceKind.MARIADB;
      String container = kind == SourceKind.POSTGRESQL ? "public" : target.database();
      List<String> tables = new ArrayList<>();
      Map<String, Set<String>> personal = new LinkedHashMap<>();
      for (String table : DepartmentalSimulator.tableNames(department)) {
        tables.add(container + "." + table);
        if (PERSONAL_COLUMNS.containsKey(table)) {
          personal.put(container + "." + table, PERSONAL_COLUMNS.get(table));
        }
      }
      sources.add(
          new SourceDefinition(
              department.databaseName(),
              kind,
              target.host(),
              target.port(),
              target.database(),
              user,
              password,
              tables,
              personal,
              SourceDefinition.SnapshotMode.INITIAL,
              kind == SourceKind.POSTGRESQL ? options : Map.of()));
    }
    return sources;
  }
}
