package cn.jiangyin.warehouse.trino;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrinoAccessTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void restrictedIsReadableByTheCreditOfficeAndTheAdminOnly() throws Exception {
    List<String> readers = new ArrayList<>();
    for (JsonNode rule : JSON.readTree(TrinoAccess.rules()).path("tables")) {
      String schema = rule.path("schema").asText(".*");
      if ("restricted".matches(schema)) {
        readers.add(rule.has("group") ? rule.get("group").asText() : rule.get("user").asText());
      }
    }
    assertThat(readers).containsExactly(TrinoAccess.ADMIN_USER, "credit_office");
  }

  @Test
  void exportReaderReachesExportAndDashboardOnlyViews() throws Exception {
    for (JsonNode rule : JSON.readTree(TrinoAccess.rules()).path("tables")) {
      String group = rule.path("group").asText("");
      if (group.equals("export_reader")) {
        assertThat(rule.get("schema").asText()).isEqualTo("export");
      }
      if (group.equals("dashboard")) {
        // the analyst views and the dashboards' dataset views, never a table
        assertThat(rule.get("schema").asText()).isEqualTo("analyst|dashboard");
      }
    }
  }

  @Test
  void everyAnalystRuleOnPersonalColumnsMasksThem() throws Exception {
    // the capture's personal columns (SimulatedSources) and the libraries' masked ID columns
    List<String> personal =
        List.of(
            "legal_representative_id",
            "shareholder_code",
            "id_number",
            "applicant_code",
            "subject_code",
            "taxpayer_code",
            "employer_code");
    int checked = 0;
    for (JsonNode rule : JSON.readTree(TrinoAccess.rules()).path("tables")) {
      if (rule.path("group").asText().equals("analyst")
          && "ods".matches(rule.path("schema").asText())) {
        List<String> masked = new ArrayList<>();
        rule.path("columns").forEach(column -> masked.add(column.get("name").asText()));
        assertThat(masked).as(rule.toString()).containsAll(personal);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(1);
  }

  @Test
  void developmentGroupsPutEachRoleUserInItsGroup() {
    assertThat(TrinoAccess.developmentGroups())
        .containsExactly(
            "analyst:analyst",
            "credit_office:credit_office",
            "export_reader:export_reader",
            "dashboard:dashboard");
  }
}
