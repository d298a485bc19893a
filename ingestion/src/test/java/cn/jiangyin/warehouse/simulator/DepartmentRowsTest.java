package cn.jiangyin.warehouse.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Row generation without a server: determinism, valid codes at invalid share 0, DDL per dialect.
 */
class DepartmentRowsTest {
  /** The settings of the market regulator's tests: seed 5, scale 0.3. */
  private static final SimulationSettings MARKET = SimulationSettings.of(5, 0.3);

  /** The market regulator's rows of {@code world}, generated with {@link #MARKET}. */
  private static Map<Table, List<Object[]>> marketRegulation(World world) {
    return new DepartmentRows(world, MARKET, Department.MARKET_REGULATION)
        .generate(Department.MARKET_REGULATION);
  }

  @Test
  void sameSettingsGiveSameRows() {
    SimulationSettings settings = SimulationSettings.of(5, 0.1);
    for (Department department : Department.values()) {
      Map<Table, List<Object[]>> a =
          new DepartmentRows(World.generate(settings), settings, department).generate(department);
      Map<Table, List<Object[]>> b =
          new DepartmentRows(World.generate(settings), settings, department).generate(department);
      assertThat(a.keySet()).containsExactlyElementsOf(DepartmentTables.of(department));
      a.forEach(
          (table, rows) -> {
            assertThat(rows).as(table.name()).isNotEmpty();
            assertThat(rows.stream().map(Arrays::deepToString).toList())
                .isEqualTo(b.get(table).stream().map(Arrays::deepToString).toList());
          });
    }
  }

  @Test
  void inspectionResultsReferenceRealActiveEnterprisesWithEveryFinding() {
    World world = World.generate(MARKET);
    Map<Table, List<Object[]>> rows = marketRegulation(world);
    Set<String> active = new HashSet<>();
    world.enterprises.stream()
        .filter(enterprise -> enterprise.status().equals("存续"))
        .forEach(enterprise -> active.add(enterprise.uscc() + "|" + enterprise.name()));
    List<Object[]> results = rows.get(DepartmentTables.INSPECTION_RESULT);
    for (Object[] row : results) {
      // id, plan_id, subject_uscc, subject_name, inspected_on, inspector_count, finding, summary
      assertThat(active).contains(row[2] + "|" + row[3]);
      assertThat((Integer) row[5]).isBetween(2, 3);
    }
    assertThat(results.stream().map(row -> (String) row[6]).distinct())
        .containsExactlyInAnyOrder("未发现问题", "发现问题", "责令整改", "立案查处");
    // two plans, each about one active enterprise in twelve
    assertThat(results.size()).isGreaterThan(world.enterprises.size() / 12);
  }

  /**
   * Bug caught: equal parts (a min-share rule could not tell a major shareholder from the others),
   * or parts adding up to more than the registered capital.
   */
  @Test
  void firstShareholderHoldsMoreThanHalfAndThePartsFitTheCapital() {
    World world = World.generate(MARKET);
    Map<Table, List<Object[]>> rows = marketRegulation(world);
    Map<Object, BigDecimal> capital = new HashMap<>();
    for (Object[] enterprise : rows.get(DepartmentTables.ENTERPRISE)) {
      // id, uscc, registration_number, name, entity_type, legal_representative, …_id, capital
      capital.put(enterprise[0], (BigDecimal) enterprise[7]);
    }
    // id, enterprise_id, enterprise_uscc, shareholder_type, name, code, subscribed_capital, …
    Map<Object, List<BigDecimal>> parts = new LinkedHashMap<>();
    for (Object[] holder : rows.get(DepartmentTables.SHAREHOLDER)) {
      parts.computeIfAbsent(holder[1], any -> new ArrayList<>()).add((BigDecimal) holder[6]);
    }
    int several = 0;
    for (Map.Entry<Object, List<BigDecimal>> enterprise : parts.entrySet()) {
      BigDecimal total = enterprise.getValue().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      BigDecimal registered = capital.get(enterprise.getKey());
      assertThat(total).isLessThanOrEqualTo(registered);
      if (enterprise.getValue().size() > 1 && registered.signum() > 0) {
        several++;
        BigDecimal first = enterprise.getValue().get(0);
        assertThat(first.doubleValue() / total.doubleValue()).isGreaterThan(0.5);
        for (BigDecimal other : enterprise.getValue().subList(1, enterprise.getValue().size())) {
          assertThat(other.doubleValue() / total.doubleValue()).isLessThan(0.5);
        }
      }
    }
    assertThat(several).isPositive();
    assertThat(DepartmentRows.subscribedCapital(new BigDecimal("100.00"), 4, 0))
        .isEqualByComparingTo("62.50");
    assertThat(DepartmentRows.subscribedCapital(new BigDecimal("100.00"), 4, 3))
        .isEqualByComparingTo("12.50");
    assertThat(DepartmentRows.subscribedCapital(new BigDecimal("100.01"), 1, 0))
        .isEqualByComparingTo("100.01");
  }

  @Test
  void codesAreValidWhenNoInvalidShareIsAsked() {
    SimulationSettings settings = SimulationSettings.of(9, 0.2).withInvalidShare(0);
    World world = World.generate(settings);
    for (World.Enterprise enterprise : world.enterprises) {
      assertThat(UnifiedSocialCreditCode.isValid(enterprise.uscc())).as(enterprise.uscc()).isTrue();
    }
    for (World.Person person : world.persons) {
      assertThat(ResidentIdNumber.isValid(person.idNumber())).isTrue();
    }
  }

  @Test
  void ddlIsSpelledPerDialect() {
    String postgresql =
        DepartmentTables.APPLICATION.createStatements(DatabaseKind.POSTGRESQL).get(0);
    String mariadb = DepartmentTables.APPLICATION.createStatements(DatabaseKind.MARIADB).get(0);
    assertThat(postgresql).contains("accepted_at timestamptz NULL".replace(" NULL", " NOT NULL"));
    assertThat(postgresql).contains("materials jsonb").contains("PRIMARY KEY (id)");
    assertThat(mariadb).contains("accepted_at DATETIME(6)").contains("materials JSON");
  }

  @Test
  void settingsRejectNonsense() {
    assertThatThrownBy(() -> SimulationSettings.of(1, 0)).hasMessageStartingWith("Invalid scale");
    assertThatThrownBy(() -> SimulationSettings.of(1, 1).withInvalidShare(2))
        .hasMessageStartingWith("Invalid invalidShare");
    assertThatThrownBy(() -> new ChangeStreamSettings(1, 10, 0, java.time.Duration.ZERO, 1))
        .hasMessageStartingWith("Cannot run a change stream");
  }
}
