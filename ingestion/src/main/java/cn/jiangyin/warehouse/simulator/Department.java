package cn.jiangyin.warehouse.simulator;

import static java.util.Objects.requireNonNull;

/**
 * The city departments (委办局) whose databases the simulator stands in for. Each lives in a database
 * of its own, named {@link #databaseName()}; {@link #defaultKind()} is where the city runs it
 * (taxation and human resources on MySQL, simulated on MariaDB), which a caller may override per
 * target.
 */
public enum Department {
  /** 市场监管局 — market regulation: enterprises, shareholders, annual reports, 经营异常名录. */
  MARKET_REGULATION("market_regulation", "市场监管局", DatabaseKind.POSTGRESQL),
  /** 行政审批局 — administrative approval: 事项库, 办件, licences. */
  ADMINISTRATIVE_APPROVAL("administrative_approval", "行政审批局", DatabaseKind.POSTGRESQL),
  /** 综合执法局 — comprehensive enforcement: penalty decisions. */
  COMPREHENSIVE_ENFORCEMENT("comprehensive_enforcement", "综合执法局", DatabaseKind.POSTGRESQL),
  /** 法院 — the court: 失信被执行人 (dishonest judgment debtors). */
  COURT("court", "法院", DatabaseKind.POSTGRESQL),
  /** 税务局 — taxation: credit grades, major violations, arrears. */
  TAXATION("taxation", "税务局", DatabaseKind.MARIADB),
  /** 人社局 — human resources and social security: social-insurance arrears. */
  HUMAN_RESOURCES("human_resources", "人社局", DatabaseKind.MARIADB),
  /** 生态环境局 — ecology and environment: environmental penalties. */
  ECOLOGY_ENVIRONMENT("ecology_environment", "生态环境局", DatabaseKind.POSTGRESQL),
  /** 网格中心 — grid command centre: grids and grid events. */
  GRID_CENTER("grid_center", "网格中心", DatabaseKind.POSTGRESQL),
  /**
   * 信用办 — the credit office: 信用修复决定, 异议, 联合惩戒反馈 and 表彰奖励 (守信激励). Last, so the random sequences of
   * the departments before it stay as they were.
   */
  CREDIT_OFFICE("credit_office", "信用办", DatabaseKind.POSTGRESQL);

  private final String databaseName;
  private final String chineseName;
  private final DatabaseKind defaultKind;

  Department(String databaseName, String chineseName, DatabaseKind defaultKind) {
    this.databaseName = requireNonNull(databaseName, "databaseName is null");
    this.chineseName = requireNonNull(chineseName, "chineseName is null");
    this.defaultKind = requireNonNull(defaultKind, "defaultKind is null");
  }

  /** The default database name, also the source name in {@code raw.<source>__<table>}. */
  public String databaseName() {
    return databaseName;
  }

  public String chineseName() {
    return chineseName;
  }

  public DatabaseKind defaultKind() {
    return defaultKind;
  }
}
