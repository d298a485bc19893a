package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.demo.Demo;
import cn.jiangyin.warehouse.demo.DemoSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse demo}: the whole flow on the embedded platform, from simulated departmental
 * databases to the credit export, with counts per stage.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the whole flow on the embedded platform with simulated departments.",
    footer = {
      "",
      "Simulated departmental databases → change capture → raw → ods → lib.enterprise → credit"
          + " flags → export. State stays under --home, so 'warehouse sql' can look at it afterwards."
    })
final class DemoCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

  @Spec private CommandSpec spec;

  @Option(
      names = "--scale",
      paramLabel = "N",
      description = "Size of the simulated departments, in (0, 100] (default: ${DEFAULT-VALUE}).")
  private double scale = DemoSettings.SCALE_DEFAULT;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Seed of the simulator; the same seed gives the same departments (default: ${DEFAULT-VALUE}).")
  private long seed = DemoSettings.SEED_DEFAULT;

  @Override
  public Integer call() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    Optional<Path> configFile = root.configFile();
    configFile.ifPresent(
        file -> LOG.warn("The demo runs on the embedded platform; not using {}", file));
    DemoSettings settings;
    try {
      settings = new DemoSettings(root.home(), scale, seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Demo.run(settings, root.out());
    return 0;
  }
}
