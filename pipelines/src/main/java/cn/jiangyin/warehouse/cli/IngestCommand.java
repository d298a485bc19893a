package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.capture.CaptureEngine;
import cn.jiangyin.warehouse.capture.CaptureStatistics;
import cn.jiangyin.warehouse.capture.SourceDefinition;
import cn.jiangyin.warehouse.capture.SourceRegistry;
import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warehouse ingest}: capture the sources of a registry into the lake until caught up. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    description =
        "Capture the departmental databases of a source registry into raw.* until caught up.",
    footer = {
      "",
      "Each source resumes from the offsets committed with its data in the lake; the first run"
          + " takes an initial snapshot. The registry format is in docs/sources.example.yaml."
    })
final class IngestCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--sources",
      required = true,
      paramLabel = "FILE",
      description = "The source registry (YAML).")
  private Path sources;

  @Option(
      names = "--quiet-seconds",
      paramLabel = "N",
      description =
          "Caught up means streaming and no change for this long (default: ${DEFAULT-VALUE}).")
  private int quietSeconds = 3;

  @Override
  public Integer call() throws InterruptedException {
    WarehouseCommand root = WarehouseCommand.of(spec);
    SourceRegistry registry = SourceRegistry.read(YamlDocument.read(sources), root.environment());
    List<SourceDefinition> definitions = registry.sources();
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      PersonKeys keys = new PersonKeys(platform.config().personKeySecret());
      for (int i = 0; i < definitions.size(); i++) {
        SourceDefinition source = definitions.get(i);
        root.err().printf("(%d/%d) capturing %s …%n", i + 1, definitions.size(), source.name());
        try (CaptureEngine engine =
            new CaptureEngine(source, catalog, keys, platform.config().captureStateLocation())) {
          CaptureStatistics statistics =
              engine.runUntilQuiet(Duration.ofSeconds(quietSeconds), Duration.ofHours(6));
          root.out().println(source.name() + ": " + statistics);
        }
      }
    }
    return 0;
  }
}
