package cn.jiangyin.warehouse.schema;

/** A table definition asks for a change the lake cannot make in place without losing data. */
public final class SchemaEvolutionException extends IllegalStateException {
  private final String table;
  private final String column;

  public SchemaEvolutionException(String table, String column, String message) {
    super(message);
    this.table = table;
    this.column = column;
  }

  public String table() {
    return table;
  }

  public String column() {
    return column;
  }
}
