package cn.jiangyin.warehouse.dashboards;

import static cn.jiangyin.warehouse.dashboards.BundleFixtures.CHART;
import static cn.jiangyin.warehouse.dashboards.BundleFixtures.DASHBOARD;
import static cn.jiangyin.warehouse.dashboards.BundleFixtures.DATABASE;
import static cn.jiangyin.warehouse.dashboards.BundleFixtures.DATASET;
import static cn.jiangyin.warehouse.dashboards.BundleFixtures.METADATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BundleBuilderTest {
  @Test
  void twoBuildsAreByteIdentical() {
    Bundle again =
        BundleBuilder.forTrino("trino://trino@trino.example:8080/iceberg")
            .build(DashboardDefinitions.bundled(), BundleFixtures.BUILT_AT);
    assertThat(again.zip()).isEqualTo(BundleFixtures.built().zip());
  }

  @Test
  void aLaterBuildDiffersOnlyInTheMetadataTimestamp() {
    Bundle first = BundleFixtures.built();
    Bundle later =
        BundleBuilder.forTrino("trino://trino@trino.example:8080/iceberg")
            .build(DashboardDefinitions.bundled(), Instant.parse("2026-12-01T00:00:00Z"));
    List<String> differing = new ArrayList<>();
    first
        .files()
        .forEach(
            (name, text) -> {
              if (!text.equals(later.files().get(name))) {
                differing.add(name);
              }
            });
    assertThat(later.files().keySet()).containsExactlyElementsOf(first.files().keySet());
    assertThat(differing).containsExactly(METADATA);
  }

  @Test
  void yamlCarriesNoAnchorsOrAliases() {
    // snakeyaml turns shared empty maps into &id001 / *id001; Superset's own exports never do
    assertThat(BundleFixtures.built().files().values())
        .noneMatch(text -> text.contains("&id0") || text.contains("*id0"));
  }

  @Test
  void filesSitInOneTopFolderInSupersetsLayout() {
    Bundle bundle = BundleFixtures.built();
    assertThat(bundle.files().keySet()).allMatch(name -> name.startsWith("jiangyin_dashboards/"));
    assertThat(bundle.files().keySet().iterator().next()).isEqualTo(METADATA);
    assertThat(bundle.files()).containsKeys(DATABASE, DATASET, CHART, DASHBOARD);
    assertThat(yaml(METADATA))
        .containsEntry("version", "1.0.0")
        .containsEntry("type", "Dashboard")
        .containsEntry("timestamp", "2026-11-28T08:00:00.000000+00:00");
    assertThat(bundle.files().keySet().stream().filter(n -> n.contains("/dashboards/"))).hasSize(5);
  }

  @Test
  void objectsAreLinkedByStableUuids() {
    Map<String, Object> database = yaml(DATABASE);
    Map<String, Object> dataset = yaml(DATASET);
    Map<String, Object> chart = yaml(CHART);
    assertThat(database)
        .containsEntry("sqlalchemy_uri", "trino://trino@trino.example:8080/iceberg")
        .containsEntry("uuid", BundleBuilder.databaseUuid().toString());
    assertThat(dataset)
        .containsEntry("database_uuid", database.get("uuid"))
        .containsEntry("uuid", BundleBuilder.datasetUuid("handling_by_channel").toString());
    // Superset reads the dataset's view, which `trino views` creates from the dataset's SQL
    assertThat((String) dataset.get("sql"))
        .isEqualTo("SELECT * FROM iceberg.dashboard.handling_by_channel\n");
    assertThat((String) dataset.get("description")).contains("视图 dashboard.handling_by_channel");
    assertThat(chart)
        .containsEntry("dataset_uuid", dataset.get("uuid"))
        .containsEntry("uuid", BundleBuilder.chartUuid("handling_channel_share").toString())
        .containsEntry("viz_type", "pie")
        .containsEntry("slice_name", "办件受理渠道占比");
    assertThat(UUID.fromString((String) chart.get("uuid")).version()).isEqualTo(5);
  }

  @Test
  @SuppressWarnings("unchecked")
  void dashboardPositionPlacesEveryChartWithItsUuidAndId() {
    Map<String, Object> dashboard = yaml(DASHBOARD);
    assertThat(dashboard).containsEntry("dashboard_title", "政务服务");
    Map<String, Object> position = (Map<String, Object>) dashboard.get("position");
    assertThat(position).containsKeys("ROOT_ID", "GRID_ID", "HEADER_ID", "DASHBOARD_VERSION_KEY");
    Map<String, Object> element =
        (Map<String, Object>) position.get("CHART-handling_channel_share");
    assertThat(element).containsEntry("type", "CHART");
    Map<String, Object> meta = (Map<String, Object>) element.get("meta");
    assertThat(meta)
        .containsEntry("uuid", BundleBuilder.chartUuid("handling_channel_share").toString())
        .containsEntry("width", 6)
        .containsEntry("height", 50);
    assertThat(meta.get("chartId")).isInstanceOf(Integer.class);
    long charts =
        position.values().stream()
            .filter(v -> v instanceof Map<?, ?> m && "CHART".equals(m.get("type")))
            .count();
    assertThat(charts).isEqualTo(9);
  }

  @Test
  void queryContextIsAJsonStringNamingTheChartsQuery() throws Exception {
    Object queryContext = yaml(CHART).get("query_context");
    assertThat(queryContext).isInstanceOf(String.class);
    JsonNode node = new ObjectMapper().readTree((String) queryContext);
    assertThat(node.path("datasource").path("type").asText()).isEqualTo("table");
    assertThat(node.path("queries").get(0).path("columns").get(0).asText()).isEqualTo("channel");
    assertThat(node.path("queries").get(0).path("metrics").get(0).asText()).isEqualTo("handlings");
    assertThat(node.path("form_data").path("viz_type").asText()).isEqualTo("pie");
  }

  @Test
  void nameBasedUuidsFollowRfc4122Version5() {
    // the RFC 4122 / Python uuid.uuid5(NAMESPACE_DNS, "python.org") reference value
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertThat(StableUuids.v5(dns, "python.org"))
        .isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
  }

  @Test
  void trinoUriMustNameTheIcebergCatalogAndNoPassword() {
    assertThatThrownBy(() -> BundleBuilder.forTrino("trino://host:8080/hive"))
        .hasMessageContaining("catalog must be iceberg");
    assertThatThrownBy(() -> BundleBuilder.forTrino("postgresql://host/iceberg"))
        .hasMessageStartingWith("Invalid Trino URI");
    assertThatThrownBy(() -> BundleBuilder.forTrino("trino://admin:secret@host:8080/iceberg"))
        .hasMessageContaining("password")
        .hasMessageNotContaining("secret");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(String file) {
    return (Map<String, Object>) BundleYaml.read(BundleFixtures.built().files().get(file));
  }
}
