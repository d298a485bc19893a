package cn.jiangyin.warehouse.dashboards;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The bundle built from the shipped definitions, and ways to break one file of it. */
final class BundleFixtures {
  static final Instant BUILT_AT = Instant.parse("2026-11-28T08:00:00Z");
  static final String TOP = BundleBuilder.TOP_FOLDER + "/";
  static final String METADATA = TOP + "metadata.yaml";
  static final String DATABASE = TOP + "databases/jiangyin_lake.yaml";
  static final String DATASET = TOP + "datasets/jiangyin_lake/handling_by_channel.yaml";
  static final String CHART = TOP + "charts/handling_channel_share.yaml";
  static final String DASHBOARD = TOP + "dashboards/government_services.yaml";

  /** Built once: a bundle is immutable, and building it for every case would slow the suite. */
  private static final Bundle BUILT =
      BundleBuilder.forTrino("trino://trino@trino.example:8080/iceberg")
          .build(DashboardDefinitions.bundled(), BUILT_AT);

  private BundleFixtures() {}

  static Bundle built() {
    return BUILT;
  }

  /** The built bundle with {@code file}'s YAML changed by {@code change}. */
  @SuppressWarnings("unchecked")
  static Bundle withYaml(String file, Consumer<Map<String, Object>> change) {
    Map<String, String> files = new LinkedHashMap<>(built().files());
    Map<String, Object> document = (Map<String, Object>) BundleYaml.read(files.get(file));
    change.accept(document);
    files.put(file, BundleYaml.write(document));
    return new Bundle(files);
  }

  static Bundle withText(String file, String text) {
    Map<String, String> files = new LinkedHashMap<>(built().files());
    files.put(file, text);
    return new Bundle(files);
  }

  static Bundle without(String file) {
    Map<String, String> files = new LinkedHashMap<>(built().files());
    files.remove(file);
    return new Bundle(files);
  }
}
