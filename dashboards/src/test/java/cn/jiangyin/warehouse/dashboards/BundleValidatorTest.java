package cn.jiangyin.warehouse.dashboards;

import static cn.jiangyin.warehouse.dashboards.BundleFixtures.CHART;
import static cn.jiangyin.warehouse.dashboards.BundleFixtures.DASHBOARD;
import static cn.jiangyin.warehouse.dashboards.BundleFixtures.DATABASE;
import static cn.jiangyin.warehouse.dashboards.BundleFixtures.DATASET;
import static cn.jiangyin.warehouse.dashboards.BundleFixtures.METADATA;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BundleValidatorTest {
  private static final String MISSING = "Missing data for required field.";
  private static final String DANGLING = "3f0a4e8e-0000-4000-8000-000000000001";

  @Test
  void builtBundleValidatesClean() throws Exception {
    Bundle bundle = BundleFixtures.built();
    assertThat(BundleValidator.validate(bundle)).isEmpty();
    // and so does the ZIP read back, so the written bytes are what was checked
    Bundle reread = Bundle.readZip(new ByteArrayInputStream(bundle.zip()));
    assertThat(reread.files()).isEqualTo(bundle.files());
    assertThat(BundleValidator.validate(reread)).isEmpty();
  }

  @Test
  void missingMetadataIsRejectedAsSupersetDoes() {
    assertThat(BundleValidator.validate(BundleFixtures.without(METADATA)))
        .containsExactly(new BundleProblem("metadata.yaml", "", "Missing metadata.yaml"));
  }

  @Test
  void wrongVersionIsRejected() {
    Bundle bundle = BundleFixtures.withYaml(METADATA, metadata -> metadata.put("version", "2.0.0"));
    assertThat(BundleValidator.validate(bundle))
        .containsExactly(new BundleProblem(METADATA, "version", "Must be equal to 1.0.0."));
  }

  @Test
  void wrongTypeIsRejected() {
    Bundle bundle = BundleFixtures.withYaml(METADATA, metadata -> metadata.put("type", "Slice"));
    assertThat(BundleValidator.validate(bundle))
        .containsExactly(new BundleProblem(METADATA, "type", "Must be equal to Dashboard."));
  }

  @Test
  void unquotedTimestampIsNotADatetimeString() {
    Bundle bundle =
        BundleFixtures.withText(
            METADATA, "version: 1.0.0\ntype: Dashboard\ntimestamp: 2026-11-28 08:00:00\n");
    assertThat(BundleValidator.validate(bundle))
        .containsExactly(new BundleProblem(METADATA, "timestamp", "Not a valid datetime."));
  }

  @ParameterizedTest(name = "{0} without {1}")
  @CsvSource({
    "database, database_name",
    "database, sqlalchemy_uri",
    "database, uuid",
    "database, version",
    "dataset, table_name",
    "dataset, uuid",
    "dataset, version",
    "dataset, database_uuid",
    "chart, slice_name",
    "chart, viz_type",
    "chart, uuid",
    "chart, version",
    "chart, dataset_uuid",
    "dashboard, dashboard_title",
    "dashboard, uuid",
    "dashboard, version",
  })
  void missingRequiredFieldIsRejected(String kind, String key) {
    String file = file(kind);
    Bundle bundle = BundleFixtures.withYaml(file, document -> document.remove(key));
    assertThat(BundleValidator.validate(bundle)).contains(new BundleProblem(file, key, MISSING));
  }

  @ParameterizedTest(name = "{0} with {1}")
  @CsvSource({
    "database, owner",
    "dataset, is_sqllab_view",
    "chart, owners",
    "dashboard, theme_uuid"
  })
  void unknownKeyIsRejected(String kind, String key) {
    String file = file(kind);
    Bundle bundle = BundleFixtures.withYaml(file, document -> document.put(key, "x"));
    assertThat(BundleValidator.validate(bundle))
        .containsExactly(new BundleProblem(file, key, "Unknown field."));
  }

  @Test
  @SuppressWarnings("unchecked")
  void unknownKeyInANestedSchemaNamesItsPath() {
    Bundle bundle =
        BundleFixtures.withYaml(
            DATASET,
            dataset ->
                ((Map<String, Object>) ((List<Object>) dataset.get("columns")).get(0))
                    .put("colour", "red"));
    assertThat(BundleValidator.validate(bundle))
        .containsExactly(new BundleProblem(DATASET, "columns.0.colour", "Unknown field."));
  }

  @Test
  void keysSupersetRewritesBeforeLoadingAreAccepted() {
    // fix_allow_csv_upload renames allow_file_upload; fix_extra parses extra given as a JSON string
    Bundle renamed =
        BundleFixtures.withYaml(
            DATABASE,
            database -> database.put("allow_file_upload", database.remove("allow_csv_upload")));
    Bundle extraAsJson =
        BundleFixtures.withYaml(
            DATASET, dataset -> dataset.put("extra", "{\"warning_markdown\": \"x\"}"));
    assertThat(BundleValidator.validate(renamed)).isEmpty();
    assertThat(BundleValidator.validate(extraAsJson)).isEmpty();
  }

  @Test
  void wrongValueTypesGetMarshmallowsMessages() {
    Bundle bundle =
        BundleFixtures.withYaml(
            DATABASE,
            database -> {
              database.put("expose_in_sqllab", "maybe");
              database.put("cache_timeout", "soon");
              database.put("database_name", null);
            });
    assertThat(BundleValidator.validate(bundle))
        .containsExactlyInAnyOrder(
            new BundleProblem(DATABASE, "expose_in_sqllab", "Not a valid boolean."),
            new BundleProblem(DATABASE, "cache_timeout", "Not a valid integer."),
            new BundleProblem(DATABASE, "database_name", "Field may not be null."));
  }

  @Test
  void chartWithDatasetOutsideTheBundleIsDangling() {
    Bundle bundle = BundleFixtures.withYaml(CHART, chart -> chart.put("dataset_uuid", DANGLING));
    assertThat(BundleValidator.validate(bundle))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.file()).isEqualTo(CHART);
              assertThat(problem.key()).isEqualTo("dataset_uuid");
              assertThat(problem.message())
                  .startsWith("No dataset in the bundle has uuid " + DANGLING);
            });
  }

  @Test
  void datasetWithDatabaseOutsideTheBundleIsDangling() {
    Bundle bundle =
        BundleFixtures.withYaml(DATASET, dataset -> dataset.put("database_uuid", DANGLING));
    assertThat(BundleValidator.validate(bundle))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.file()).isEqualTo(DATASET);
              assertThat(problem.key()).isEqualTo("database_uuid");
              assertThat(problem.message())
                  .startsWith("No database in the bundle has uuid " + DANGLING);
            });
  }

  @Test
  @SuppressWarnings("unchecked")
  void dashboardPositionNamingAChartOutsideTheBundleIsDangling() {
    Bundle bundle =
        BundleFixtures.withYaml(
            DASHBOARD,
            dashboard -> {
              Map<String, Object> position = (Map<String, Object>) dashboard.get("position");
              Map<String, Object> chart =
                  (Map<String, Object>) position.get("CHART-handling_channel_share");
              ((Map<String, Object>) chart.get("meta")).put("uuid", DANGLING);
            });
    assertThat(BundleValidator.validate(bundle))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.file()).isEqualTo(DASHBOARD);
              assertThat(problem.key())
                  .isEqualTo("position.CHART-handling_channel_share.meta.uuid");
              assertThat(problem.message())
                  .startsWith("No chart in the bundle has uuid " + DANGLING);
            });
  }

  @Test
  @SuppressWarnings("unchecked")
  void dashboardChartWithoutChartIdIsRejected() {
    Bundle bundle =
        BundleFixtures.withYaml(
            DASHBOARD,
            dashboard -> {
              Map<String, Object> position = (Map<String, Object>) dashboard.get("position");
              Map<String, Object> chart =
                  (Map<String, Object>) position.get("CHART-handling_channel_share");
              ((Map<String, Object>) chart.get("meta")).remove("chartId");
            });
    assertThat(BundleValidator.validate(bundle))
        .containsExactly(
            new BundleProblem(
                DASHBOARD, "position.CHART-handling_channel_share.meta.chartId", MISSING));
  }

  @Test
  void queryContextThatIsNotJsonIsRejected() {
    Bundle bundle =
        BundleFixtures.withYaml(CHART, chart -> chart.put("query_context", "{datasource: 1"));
    assertThat(BundleValidator.validate(bundle))
        .containsExactly(new BundleProblem(CHART, "query_context", "JSON not valid"));
  }

  @Test
  void queryContextWrittenAsAMappingIsNotAString() {
    Map<String, Object> mapping = new LinkedHashMap<>();
    mapping.put("datasource", Map.of("id", 1));
    Bundle bundle = BundleFixtures.withYaml(CHART, chart -> chart.put("query_context", mapping));
    assertThat(BundleValidator.validate(bundle))
        .containsExactly(new BundleProblem(CHART, "query_context", "Not a valid string."));
  }

  @Test
  void uuidThatIsNotAUuidIsRejected() {
    Bundle bundle = BundleFixtures.withYaml(DATABASE, database -> database.put("uuid", "jiangyin"));
    assertThat(BundleValidator.validate(bundle))
        .contains(new BundleProblem(DATABASE, "uuid", "Not a valid UUID."));
  }

  @Test
  void fileThatIsNotYamlIsRejected() {
    Bundle bundle = BundleFixtures.withText(CHART, "slice_name: [unclosed\n");
    assertThat(BundleValidator.validate(bundle))
        .contains(new BundleProblem(CHART, "", "Not a valid YAML file"));
  }

  @Test
  void filesOutsideTheOneTopFolderAreRejected() {
    Map<String, String> files = new LinkedHashMap<>(BundleFixtures.built().files());
    files.put("other/charts/stray.yaml", files.get(CHART));
    assertThat(BundleValidator.validate(new Bundle(files)))
        .singleElement()
        .satisfies(problem -> assertThat(problem.file()).isEqualTo("other/charts/stray.yaml"));
  }

  private static String file(String kind) {
    return switch (kind) {
      case "database" -> DATABASE;
      case "dataset" -> DATASET;
      case "chart" -> CHART;
      default -> DASHBOARD;
    };
  }
}
