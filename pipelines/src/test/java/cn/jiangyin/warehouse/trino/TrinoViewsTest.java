package cn.jiangyin.warehouse.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.dashboards.DashboardDefinition;
import cn.jiangyin.warehouse.dashboards.DashboardDefinition.Dataset;
import cn.jiangyin.warehouse.dashboards.DashboardDefinitions;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrinoViewsTest {
  @Test
  void everyViewFileParsesIntoACreateAndItsColumnComments() {
    List<TrinoViews.Definition> definitions = TrinoViews.definitions();
    assertThat(definitions)
        .extracting(TrinoViews.Definition::name)
        .containsExactly(
            "analyst.enterprise_profile",
            "analyst.enterprise_licence",
            "analyst.penalty_by_department_month",
            "analyst.service_timeliness",
            "analyst.service_2440",
            "analyst.grid_event_summary",
            "analyst.data_quality",
            "analyst.credit_verdict",
            "analyst.credit_score_by_grade",
            "analyst.enterprise_credit_profile");
    assertThat(TrinoViews.schemas(definitions)).containsExactly("analyst");
    for (TrinoViews.Definition definition : definitions) {
      assertThat(definition.statements().get(0))
          .as(definition.file())
          .startsWith("CREATE OR REPLACE VIEW " + definition.name())
          .contains("COMMENT '")
          .contains("SECURITY DEFINER");
      // every other statement documents a column of this view, in Chinese
      assertThat(definition.statements().subList(1, definition.statements().size()))
          .as(definition.file())
          .isNotEmpty()
          .allSatisfy(
              comment ->
                  assertThat(comment)
                      .startsWith("COMMENT ON COLUMN " + definition.name() + ".")
                      .containsPattern("\\p{IsHan}")
                      .doesNotEndWith(";"));
    }
  }

  @Test
  void everyDashboardDatasetIsAViewWithItsColumnsDocumented() {
    List<DashboardDefinition> dashboards = DashboardDefinitions.bundled();
    List<TrinoViews.Definition> definitions = TrinoViews.dashboardDefinitions();
    assertThat(definitions)
        .extracting(TrinoViews.Definition::name)
        .containsExactlyElementsOf(
            dashboards.stream()
                .flatMap(dashboard -> dashboard.datasets().stream())
                .map(dataset -> "dashboard." + dataset.name())
                .toList());
    assertThat(TrinoViews.schemas(TrinoViews.all())).containsExactly("analyst", "dashboard");
    Dataset grid =
        dashboards.stream()
            .flatMap(dashboard -> dashboard.datasets().stream())
            .filter(dataset -> dataset.name().equals("grid_events_by_grid"))
            .findFirst()
            .orElseThrow();
    TrinoViews.Definition view =
        definitions.stream()
            .filter(definition -> definition.view().equals("grid_events_by_grid"))
            .findFirst()
            .orElseThrow();
    assertThat(view.file()).isEqualTo("dashboards/grid.yaml dataset grid_events_by_grid");
    assertThat(view.statements().get(0))
        .startsWith("CREATE OR REPLACE VIEW dashboard.grid_events_by_grid\nCOMMENT '看板数据集 — ")
        .contains("SECURITY DEFINER AS\n" + grid.sql());
    assertThat(view.statements())
        .hasSize(1 + grid.columns().size())
        .contains("COMMENT ON COLUMN dashboard.grid_events_by_grid.event_count IS '事件数'");
    assertThat(grid.servedSql()).isEqualTo("SELECT * FROM iceberg.dashboard.grid_events_by_grid");
  }

  @Test
  void aFileWithoutAFinalSemicolonOrInTheWrongSchemaIsRejected() {
    assertThatThrownBy(
            () ->
                TrinoViews.parse(
                    "trino/views/analyst/x.sql", "CREATE OR REPLACE VIEW analyst.x AS SELECT 1"))
        .hasMessage(
            "Invalid view file trino/views/analyst/x.sql: the last statement does not end with"
                + " ';'");
    assertThatThrownBy(
            () ->
                TrinoViews.parse(
                    "trino/views/analyst/x.sql", "CREATE OR REPLACE VIEW export.x AS SELECT 1;"))
        .hasMessageContaining("creates a view in schema export, expected analyst");
    assertThatThrownBy(() -> TrinoViews.parse("trino/views/analyst/x.sql", "SELECT 1;"))
        .hasMessageContaining("expected it to start with CREATE OR REPLACE VIEW");
  }

  @Test
  void commentLinesAreDroppedAndStatementsSplitAtLineEndSemicolons() {
    TrinoViews.Definition definition =
        TrinoViews.parse(
            "trino/views/analyst/x.sql",
            "-- 说明; not a statement end\n"
                + "CREATE OR REPLACE VIEW analyst.x COMMENT 'a;b' AS\nSELECT 1 AS y;\n"
                + "COMMENT ON COLUMN analyst.x.y IS '列';\n");
    assertThat(definition.statements())
        .containsExactly(
            "CREATE OR REPLACE VIEW analyst.x COMMENT 'a;b' AS\nSELECT 1 AS y",
            "COMMENT ON COLUMN analyst.x.y IS '列'");
  }
}
