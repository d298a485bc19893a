package cn.jiangyin.warehouse.dashboards;

import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * YAML as Superset reads and writes it: written block style in the maps' insertion order (so two
 * builds give the same bytes), read the way Python's {@code yaml.safe_load} reads (plain types
 * only). Strings that would read back as another type (a timestamp, {@code true}) are quoted.
 */
final class BundleYaml {
  private BundleYaml() {}

  static String write(Map<String, ?> document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setAllowUnicode(true);
    options.setWidth(4096);
    options.setSplitLines(false);
    options.setIndent(2);
    options.setIndicatorIndent(0);
    options.setLineBreak(DumperOptions.LineBreak.UNIX);
    // Superset's exports carry no anchors; shared empty maps and lists must not become &id001
    options.setDereferenceAliases(true);
    return new Yaml(new Representer(options), options).dump(document);
  }

  static Object read(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options)).load(text);
  }
}
