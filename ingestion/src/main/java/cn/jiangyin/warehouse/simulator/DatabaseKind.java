package cn.jiangyin.warehouse.simulator;

/**
 * The database products a simulated department can live on. The city also runs Oracle, SQL Server
 * and Kingbase; here PostgreSQL and MariaDB (standing in for MySQL) are what change capture is
 * tested against.
 */
public enum DatabaseKind {
  POSTGRESQL,
  MARIADB
}
