package cn.jiangyin.warehouse.simulator;

/** Column types of the simulated tables, each with its spelling per dialect. */
enum ColumnType {
  BIGINT("bigint", "BIGINT"),
  INT("integer", "INT"),
  DECIMAL("numeric(18,2)", "DECIMAL(18,2)"),
  DATE("date", "DATE"),
  TIMESTAMP("timestamp(6)", "DATETIME(6)"),
  /** MariaDB has no zoned timestamp: the instant is stored as a UTC {@code DATETIME}. */
  TIMESTAMPTZ("timestamptz", "DATETIME(6)"),
  BOOLEAN("boolean", "BOOLEAN"),
  CODE("varchar(32)", "VARCHAR(32)"),
  NAME("varchar(200)", "VARCHAR(200)"),
  TEXT("text", "TEXT"),
  JSON("jsonb", "JSON");

  private final String postgresql;
  private final String mariadb;

  ColumnType(String postgresql, String mariadb) {
    this.postgresql = postgresql;
    this.mariadb = mariadb;
  }

  String sql(DatabaseKind kind) {
    return switch (kind) {
      case POSTGRESQL -> postgresql;
      case MARIADB -> mariadb;
    };
  }
}
