package cn.jiangyin.warehouse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.standard.DivisionCodes;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DashboardDefinitionsTest {
  private static final String VALID =
      """
      name: sample
      title: 样例
      datasets:
        - name: sample_events
          tables: [lib.grid_event]
          sql: SELECT status, count(*) AS event_count FROM iceberg.lib.grid_event GROUP BY 1
          columns:
            - {name: status, type: varchar, label: 状态}
            - {name: event_count, type: bigint, label: 事件数}
          metrics:
            - {name: events, label: 事件数, expression: SUM(event_count)}
      charts:
        - {name: sample_chart, title: 事件, kind: pie, dataset: sample_events, x: status, metrics: [events]}
      layout:
        - [sample_chart]
      """;

  @Test
  void shippedDefinitionsCoverTheFiveDashboards() {
    List<DashboardDefinition> dashboards = DashboardDefinitions.bundled();
    assertThat(dashboards)
        .extracting(DashboardDefinition::title)
        .containsExactly("信用总览", "政务服务", "网格", "数据质量", "双随机监管");
  }

  @Test
  void gradeDatasetsDeclareThatTheyNeedCreditScore() {
    List<Dataset> needingScore =
        DashboardDefinitions.bundled().stream()
            .flatMap(d -> d.datasets().stream())
            .filter(d -> d.tables().contains("credit.score"))
            .toList();
    assertThat(needingScore)
        .extracting(Dataset::name)
        .containsExactly(
            "credit_grade_by_town",
            "credit_grade_by_grid",
            "credit_grade_by_industry",
            "inspection_by_grade");
  }

  @Test
  void noDatasetReadsIdNumbersOrRestrictedTables() {
    Pattern personal =
        Pattern.compile(
            "subject_code|masked_id|person_key|_key\\b|legal_representative|restricted\\.|raw\\.");
    for (DashboardDefinition dashboard : DashboardDefinitions.bundled()) {
      for (Dataset dataset : dashboard.datasets()) {
        assertThat(personal.matcher(dataset.sql().toLowerCase(Locale.ROOT)).find())
            .as("dataset %s must not read personal identifiers", dataset.name())
            .isFalse();
      }
    }
  }

  @Test
  void townsPlaceholderExpandsToTheStandardTownList() {
    String sql =
        DashboardDefinitions.bundled().get(0).datasets().stream()
            .filter(d -> d.name().equals("credit_grade_by_town"))
            .findFirst()
            .orElseThrow()
            .sql();
    var town = DivisionCodes.towns().get(0);
    assertThat(sql)
        .doesNotContain(DashboardDefinitions.TOWNS_PLACEHOLDER)
        .contains("('" + town.code() + "', '" + town.name() + "')")
        .contains("AS town (town_code, town_name)");
  }

  @Test
  void validDefinitionParses() {
    DashboardDefinition definition = DashboardDefinitions.parse("sample.yaml", VALID);
    assertThat(definition.charts())
        .singleElement()
        .satisfies(
            chart -> {
              assertThat(chart.width()).isEqualTo(6);
              assertThat(chart.kind().vizType()).isEqualTo("pie");
            });
    assertThat(definition.datasets().get(0).columns().get(0).type()).isEqualTo("VARCHAR");
  }

  @Test
  void tablesListThatDisagreesWithTheSqlIsRejected() {
    String text = VALID.replace("tables: [lib.grid_event]", "tables: [lib.grid]");
    assertThatThrownBy(() -> DashboardDefinitions.parse("sample.yaml", text))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("sample.yaml:5: ")
        .hasMessageContaining("declares tables [lib.grid] but its SQL reads [lib.grid_event]");
  }

  @Test
  void readingTheRestrictedSchemaIsRejected() {
    String text =
        VALID
            .replace("tables: [lib.grid_event]", "tables: [restricted.person_identity]")
            .replace("iceberg.lib.grid_event", "iceberg.restricted.person_identity");
    assertThatThrownBy(() -> DashboardDefinitions.parse("sample.yaml", text))
        .hasMessageContaining("must not read the restricted schema");
  }

  @Test
  void chartNamingAColumnTheDatasetLacksIsRejected() {
    String text = VALID.replace("x: status", "x: grid_name");
    assertThatThrownBy(() -> DashboardDefinitions.parse("sample.yaml", text))
        .hasMessageStartingWith("sample.yaml:13: ")
        .hasMessageContaining(
            "uses column 'grid_name', which dataset 'sample_events' does not have");
  }

  @Test
  void chartNamingAnUndefinedMetricIsRejected() {
    String text = VALID.replace("metrics: [events]", "metrics: [closures]");
    assertThatThrownBy(() -> DashboardDefinitions.parse("sample.yaml", text))
        .hasMessageContaining("uses metric 'closures'");
  }

  @Test
  void layoutThatLeavesAChartOutIsRejected() {
    String text = VALID.replace("  - [sample_chart]", "  []");
    assertThatThrownBy(() -> DashboardDefinitions.parse("sample.yaml", text))
        .hasMessageContaining("layout does not place chart 'sample_chart'");
  }

  @Test
  void misspeltKeyIsRejected() {
    String text = VALID.replace("title: 样例", "titel: 样例");
    assertThatThrownBy(() -> DashboardDefinitions.parse("sample.yaml", text))
        .hasMessageStartingWith("sample.yaml:2: ")
        .hasMessageContaining("unknown key 'titel'");
  }
}
