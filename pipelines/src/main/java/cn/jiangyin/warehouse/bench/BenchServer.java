package cn.jiangyin.warehouse.bench;

import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.capture.SourceKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A source server of the benchmark — the machine's PostgreSQL or MariaDB, set up for capture as
 * {@code .ci/services} does (a {@code capture} account with the replication grants) — and the SQL
 * that builds, loads, changes and removes its administrative-penalty table (行政处罚决定).
 */
enum BenchServer {
  POSTGRESQL("postgresql", "pg", SourceKind.POSTGRESQL, 5432),
  MARIADB("mariadb", "maria", SourceKind.MARIADB, 3306);

  static final String TABLE = "penalty";
  private static final String HOST = "127.0.0.1";
  private static final String CAPTURE_USER = "capture";
  private static final int LOAD_CHUNK = 100_000;

  private final String label;
  private final String shortName;
  private final SourceKind kind;
  private final int port;

  BenchServer(String label, String shortName, SourceKind kind, int port) {
    this.label = label;
    this.shortName = shortName;
    this.kind = kind;
    this.port = port;
  }

  String label() {
    return label;
  }

  String shortName() {
    return shortName;
  }

  static BenchServer of(String label) {
    for (BenchServer server : values()) {
      if (server.label.equals(label.toLowerCase(Locale.ROOT))) {
        return server;
      }
    }
    throw new IllegalArgumentException(
        "Invalid server " + label + ": expected postgresql or mariadb");
  }

  /** A connection as the server's administrator, to {@code database} (empty: the server). */
  Connection administrator(String database) throws SQLException {
    return switch (this) {
      case POSTGRESQL ->
          DriverManager.getConnection(
              "jdbc:postgresql://"
                  + HOST
                  + ":"
                  + port
                  + "/"
                  + (database.isEmpty() ? "postgres" : database),
              "postgres",
              "");
      case MARIADB ->
          DriverManager.getConnection(
              "jdbc:mariadb://" + HOST + ":" + port + "/" + database, "root", "");
    };
  }

  /**
   * Creates {@code database} with an empty penalty table, as a DBA would prepare it for capture
   * (PostgreSQL: full replica identity, the {@code jy_<database>} publication, SELECT for the
   * capture account).
   */
  void create(String database) throws SQLException {
    switch (this) {
      case POSTGRESQL -> {
        execute("", "CREATE DATABASE " + database);
        execute(
            database,
            "CREATE TABLE penalty (id bigint PRIMARY KEY, decision_number varchar(40) NOT NULL,"
                + " subject_code varchar(18), subject_name varchar(100), severity varchar(8),"
                + " penalty_kind varchar(16), amount numeric(18,2), legal_basis text,"
                + " decision_on date, origin_department varchar(64), published_at timestamptz,"
                + " updated_at timestamp)",
            "ALTER TABLE penalty REPLICA IDENTITY FULL",
            "GRANT SELECT ON penalty TO " + CAPTURE_USER,
            "CREATE PUBLICATION " + replicationName(database) + " FOR TABLE penalty");
      }
      case MARIADB -> {
        execute("", "CREATE DATABASE " + database + " CHARACTER SET utf8mb4");
        execute(
            database,
            "CREATE TABLE penalty (id BIGINT PRIMARY KEY, decision_number VARCHAR(40) NOT NULL,"
                + " subject_code VARCHAR(18), subject_name VARCHAR(100), severity VARCHAR(8),"
                + " penalty_kind VARCHAR(16), amount DECIMAL(18,2), legal_basis TEXT,"
                + " decision_on DATE, origin_department VARCHAR(64), published_at TIMESTAMP(6) NULL,"
                + " updated_at DATETIME(6))");
      }
    }
  }

  /** Loads rows 1..{@code rows} server-side, in chunks; {@code progress} gets the rows so far. */
  void load(String database, long rows, LongConsumer progress) throws SQLException {
    try (Connection connection = administrator(database);
        Statement statement = connection.createStatement()) {
      for (long from = 1; from <= rows; from += LOAD_CHUNK) {
        long to = Math.min(rows, from + LOAD_CHUNK - 1);
        statement.execute(loadSql(from, to));
        progress.accept(to);
      }
      if (this == POSTGRESQL) {
        statement.execute("ANALYZE penalty");
      }
    }
  }

  private String loadSql(long from, long to) {
    return switch (this) {
      case POSTGRESQL ->
          "INSERT INTO penalty SELECT g, '澄环罚〔2025〕' || g || '号',"
              + " '91320281' || lpad((g % 1000000000)::text, 9, '0') || 'X',"
              + " '江阴市第' || (g % 9973) || '织造有限公司', (ARRAY['一般','较重','严重'])[1 + g % 3],"
              + " (ARRAY['警告','罚款','没收违法所得','责令停产停业'])[1 + g % 4],"
              + " round((g % 100000) * 1.37, 2),"
              + " '《中华人民共和国大气污染防治法》第' || (g % 120 + 1) || '条',"
              + " date '2020-01-01' + (g % 2000)::int, '江阴市生态环境局',"
              + " timestamptz '2020-01-02 08:00:00+08' + (g % 2000) * interval '1 day',"
              + " timestamp '2020-01-02 08:00:00' + g * interval '1 second'"
              + " FROM generate_series("
              + from
              + ", "
              + to
              + ") g";
      case MARIADB ->
          "INSERT INTO penalty SELECT seq, CONCAT('澄环罚〔2025〕', seq, '号'),"
              + " CONCAT('91320281', LPAD(seq % 1000000000, 9, '0'), 'X'),"
              + " CONCAT('江阴市第', seq % 9973, '织造有限公司'), ELT(1 + seq % 3, '一般','较重','严重'),"
              + " ELT(1 + seq % 4, '警告','罚款','没收违法所得','责令停产停业'),"
              + " ROUND((seq % 100000) * 1.37, 2),"
              + " CONCAT('《中华人民共和国大气污染防治法》第', seq % 120 + 1, '条'),"
              + " DATE_ADD('2020-01-01', INTERVAL seq % 2000 DAY), '江阴市生态环境局',"
              + " TIMESTAMP('2020-01-02 00:00:00') + INTERVAL (seq % 2000) DAY,"
              + " TIMESTAMP('2020-01-02 08:00:00') + INTERVAL seq SECOND"
              + " FROM seq_"
              + from
              + "_to_"
              + to;
    };
  }

  /** Settings of the writer's session: PostgreSQL commits without waiting for the WAL flush. */
  void prepareWriter(Connection connection) throws SQLException {
    if (this == POSTGRESQL) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET synchronous_commit = off");
      }
    }
  }

  static PreparedStatement update(Connection connection) throws SQLException {
    return connection.prepareStatement(
        "UPDATE penalty SET amount = amount + 1, severity = ?, updated_at = ? WHERE id = ?");
  }

  static PreparedStatement marker(Connection connection) throws SQLException {
    return connection.prepareStatement(
        "INSERT INTO penalty (id, decision_number, subject_name, amount, updated_at)"
            + " VALUES (?, ?, '江阴市新桥镇测点', 0.01, ?)");
  }

  /**
   * The capture of {@code database} under source name {@code name}, on its own replication slot
   * ({@code jy_<database>_<slotSuffix>}) so two captures of one database do not share a position.
   */
  SourceDefinition source(String name, String database, String slotSuffix) {
    String password = System.getenv().getOrDefault("CAPTURE_PASSWORD", "capture");
    return switch (this) {
      case POSTGRESQL ->
          new SourceDefinition(
              name,
              kind,
              HOST,
              port,
              database,
              CAPTURE_USER,
              password,
              List.of("public." + TABLE),
              Map.of(),
              SourceDefinition.SnapshotMode.INITIAL,
              Map.of(
                  "publication.autocreate.mode",
                  "disabled",
                  "slot.name",
                  slotName(database, slotSuffix)));
      case MARIADB ->
          new SourceDefinition(
              name,
              kind,
              HOST,
              port,
              database,
              CAPTURE_USER,
              password,
              List.of(database + "." + TABLE),
              Map.of(),
              SourceDefinition.SnapshotMode.INITIAL,
              Map.of());
    };
  }

  /** Drops a capture's replication slot (PostgreSQL), waiting until its sender has stopped. */
  void dropSlot(String database, String slotSuffix) throws SQLException, InterruptedException {
    if (this != POSTGRESQL) {
      return;
    }
    String slot = slotName(database, slotSuffix);
    try (Connection connection = administrator("");
        PreparedStatement active =
            connection.prepareStatement(
                "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      active.setString(1, slot);
      for (int attempt = 0; attempt < 100; attempt++) {
        try (ResultSet result = active.executeQuery()) {
          if (!result.next()) {
            return;
          }
          if (!result.getBoolean(1)) {
            try (Statement statement = connection.createStatement()) {
              statement.execute("SELECT pg_drop_replication_slot('" + slot + "')");
            }
            return;
          }
        }
        Thread.sleep(100);
      }
      throw new BenchmarkException("Cannot drop replication slot " + slot + ": still active");
    }
  }

  /** Drops the benchmark's database. */
  void drop(String database) throws SQLException {
    switch (this) {
      case POSTGRESQL -> execute("", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      case MARIADB -> execute("", "DROP DATABASE IF EXISTS " + database);
    }
  }

  private void execute(String database, String... statements) throws SQLException {
    try (Connection connection = administrator(database);
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static String replicationName(String database) {
    return "jy_" + database;
  }

  private static String slotName(String database, String suffix) {
    return replicationName(database) + "_" + suffix;
  }
}
