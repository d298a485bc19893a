package cn.jiangyin.warehouse.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Fills all eight departments on the machine's PostgreSQL and MariaDB and checks what is there. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DepartmentalSimulatorIT {
  private static final double SCALE = 0.4;
  private static final double INVALID_SHARE = 0.05;
  private static final Pattern USCC = Pattern.compile("9[12]320281[0-9A-Z]{10}");
  private static final Pattern ID_NUMBER = Pattern.compile("[1-6][0-9]{16}[0-9X]");

  private Map<Department, JdbcTarget> first;
  private Map<Department, JdbcTarget> second;
  private Map<Department, JdbcTarget> otherSeed;
  private FillReport report;

  @BeforeAll
  void fill() {
    SimulationSettings settings = SimulationSettings.of(42, SCALE).withInvalidShare(INVALID_SHARE);
    first = TestServers.freshTargets("a");
    second = TestServers.freshTargets("b");
    otherSeed = TestServers.freshTargets("c");
    report = new DepartmentalSimulator(settings).fill(first);
    new DepartmentalSimulator(settings).fill(second);
    new DepartmentalSimulator(SimulationSettings.of(43, SCALE).withInvalidShare(INVALID_SHARE))
        .fill(otherSeed);
  }

  @AfterAll
  void dropDatabases() {
    TestServers.drop(first);
    TestServers.drop(second);
    TestServers.drop(otherSeed);
  }

  @Test
  void everyTableIsFilledInProportion() throws Exception {
    for (Department department : Department.values()) {
      for (String table : DepartmentalSimulator.tableNames(department)) {
        long rows = TestServers.scalar(first.get(department), "SELECT COUNT(*) FROM " + table);
        assertThat(rows)
            .as(department + "." + table)
            .isPositive()
            .isEqualTo(report.rows(department, table));
      }
    }
    long enterprises = report.rows(Department.MARKET_REGULATION, "enterprise");
    assertThat(enterprises).isEqualTo(400);
    assertThat(report.rows(Department.MARKET_REGULATION, "annual_report"))
        .isBetween(enterprises * 2, enterprises * 5);
    assertThat(report.rows(Department.ADMINISTRATIVE_APPROVAL, "application")).isEqualTo(1000);
    assertThat(report.rows(Department.GRID_CENTER, "grid_event")).isEqualTo(600);
    assertThat(report.rows(Department.TAXATION, "tax_credit_grade"))
        .isBetween(enterprises, enterprises * 3);
    assertThat(report.rows(Department.COMPREHENSIVE_ENFORCEMENT, "penalty_decision"))
        .isBetween(enterprises / 20, enterprises / 2);
    assertThat(
            TestServers.scalar(
                first.get(Department.TAXATION), "SELECT COUNT(*) FROM tax_credit_grade"))
        .isPositive();
    assertThat(first.get(Department.TAXATION).kind()).isEqualTo(DatabaseKind.MARIADB);
  }

  @Test
  void sameSeedGivesSameContentAndAnotherSeedDifferent() throws Exception {
    for (Department department : Department.values()) {
      for (String table : DepartmentalSimulator.tableNames(department)) {
        String a = checksum(first.get(department), table);
        String b = checksum(second.get(department), table);
        assertThat(b).as(department + "." + table).isEqualTo(a);
        if (!table.equals("matter")) {
          assertThat(checksum(otherSeed.get(department), table)).as(table).isNotEqualTo(a);
        }
      }
    }
  }

  @Test
  void invalidShareIsRoughlyAsConfigured() throws Exception {
    int codes = 0;
    int invalid = 0;
    for (String value : allValues(first)) {
      if (USCC.matcher(value).matches()) {
        codes++;
        invalid +=
            value.charAt(17) == UnifiedSocialCreditCode.checkCharacter(value.substring(0, 17))
                ? 0
                : 1;
      } else if (ID_NUMBER.matcher(value).matches()) {
        codes++;
        invalid +=
            value.charAt(17) == ResidentIdNumber.checkCharacter(value.substring(0, 17)) ? 0 : 1;
      }
    }
    assertThat(codes).isGreaterThan(2_000);
    assertThat((double) invalid / codes).isBetween(INVALID_SHARE * 0.7, INVALID_SHARE * 1.3);
  }

  @Test
  void enterprisesShowUpAcrossDepartmentsWithLegacyCodesAndVariantNames() throws Exception {
    Set<String> registry = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (List<String> row :
        TestServers.rows(first.get(Department.MARKET_REGULATION), "enterprise")) {
      registry.add(row.get(1));
      names.add(row.get(3));
    }
    Map<String, Integer> departmentsOf = new HashMap<>();
    int legacy = 0;
    int variants = 0;
    Pattern legacyCode = Pattern.compile("320281[0-9]{9}|[0-9A-Z]{8}-?[0-9X]");
    for (Department department : Department.values()) {
      Set<String> seen = new HashSet<>();
      for (String table : DepartmentalSimulator.tableNames(department)) {
        for (List<String> row : TestServers.rows(first.get(department), table)) {
          for (String value : row) {
            if (value == null) {
              continue;
            }
            if (registry.contains(value)) {
              seen.add(value);
            }
            if (department != Department.MARKET_REGULATION) {
              legacy += legacyCode.matcher(value).matches() ? 1 : 0;
              boolean companyLike = value.contains("公司") || value.contains("合伙");
              variants += companyLike && !names.contains(value) ? 1 : 0;
            }
          }
        }
      }
      seen.forEach(code -> departmentsOf.merge(code, 1, Integer::sum));
    }
    assertThat(departmentsOf.values().stream().filter(count -> count >= 3).count()).isPositive();
    assertThat(legacy).isPositive();
    assertThat(variants).isPositive();
  }

  private static List<String> allValues(Map<Department, JdbcTarget> targets) throws Exception {
    List<String> values = new java.util.ArrayList<>();
    for (Department department : Department.values()) {
      for (String table : DepartmentalSimulator.tableNames(department)) {
        for (List<String> row : TestServers.rows(targets.get(department), table)) {
          row.stream().filter(java.util.Objects::nonNull).forEach(values::add);
        }
      }
    }
    return values;
  }

  private static String checksum(JdbcTarget target, String table) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (List<String> row : TestServers.rows(target, table)) {
      digest.update(String.valueOf(row).getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
