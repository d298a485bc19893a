package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Where one department's database lives: a server and the name of the database on it. Host and port
 * are kept apart (rather than one URL) because change capture needs them separately.
 *
 * <p>The database need not exist: the simulator creates it.
 */
public record JdbcTarget(
    DatabaseKind kind, String host, int port, String user, String password, String database) {
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public JdbcTarget {
    requireNonNull(kind, "kind is null");
    requireNonNull(host, "host is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(database, "database is null");
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid port: " + port);
    }
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException(
          "Invalid database name (lower-case snake_case): " + database);
    }
  }

  /** A PostgreSQL database. */
  public static JdbcTarget postgresql(
      String host, int port, String user, String password, String database) {
    return new JdbcTarget(DatabaseKind.POSTGRESQL, host, port, user, password, database);
  }

  /** A MariaDB (or MySQL) database. */
  public static JdbcTarget mariadb(
      String host, int port, String user, String password, String database) {
    return new JdbcTarget(DatabaseKind.MARIADB, host, port, user, password, database);
  }

  /** The same server and credentials, another database. */
  public JdbcTarget withDatabase(String otherDatabase) {
    return new JdbcTarget(kind, host, port, user, password, otherDatabase);
  }

  /** JDBC URL of the database, with batched inserts rewritten into multi-row statements. */
  public String jdbcUrl() {
    return switch (kind) {
      case POSTGRESQL ->
          "jdbc:postgresql://%s:%d/%s?reWriteBatchedInserts=true".formatted(host, port, database);
      case MARIADB -> "jdbc:mariadb://%s:%d/%s?useBulkStmts=true".formatted(host, port, database);
    };
  }

  /** Opens a connection to the database (which must exist). */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), user, password);
  }

  /** Opens a connection to the server, outside {@link #database()}, to create or drop it. */
  Connection connectToServer() throws SQLException {
    String url =
        switch (kind) {
          case POSTGRESQL -> "jdbc:postgresql://%s:%d/postgres".formatted(host, port);
          case MARIADB -> "jdbc:mariadb://%s:%d/".formatted(host, port);
        };
    return DriverManager.getConnection(url, user, password);
  }

  @Override
  public String toString() {
    // Never the password.
    return "%s %s@%s:%d/%s".formatted(kind, user, host, port, database);
  }
}
