package cn.jiangyin.warehouse.capture;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of departmental database we capture from, with the Debezium connector for each. */
public enum SourceKind {
  POSTGRESQL("postgresql", "io.debezium.connector.postgresql.PostgresConnector", 5432),
  MARIADB("mariadb", "io.debezium.connector.mariadb.MariaDbConnector", 3306),
  MYSQL("mysql", "io.debezium.connector.mysql.MySqlConnector", 3306);

  private final String label;
  private final String connectorClass;
  private final int defaultPort;

  SourceKind(String label, String connectorClass, int defaultPort) {
    this.label = label;
    this.connectorClass = connectorClass;
    this.defaultPort = defaultPort;
  }

  public String label() {
    return label;
  }

  public String connectorClass() {
    return connectorClass;
  }

  public int defaultPort() {
    return defaultPort;
  }

  /** MariaDB and MySQL read the binlog; PostgreSQL reads logical replication. */
  public boolean readsBinlog() {
    return this != POSTGRESQL;
  }

  public static Optional<SourceKind> fromLabel(String label) {
    return Arrays.stream(values()).filter(kind -> kind.label.equals(label)).findFirst();
  }
}
