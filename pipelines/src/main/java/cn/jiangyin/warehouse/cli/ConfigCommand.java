package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.config.ConfigOption;
import cn.jiangyin.warehouse.config.PlatformConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse config}: the effective platform configuration, and the documentation of its keys
 * — both generated from {@link PlatformConfig#OPTIONS}, the one declaration of the options.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Print the effective platform configuration (secrets hidden).")
final class ConfigCommand implements Callable<Integer> {
  private static final int WIDTH = 80;

  @Spec private CommandSpec spec;

  @Option(
      names = "--example",
      description =
          "Print a commented warehouse.yaml with every key instead (warehouse.example.yaml).")
  private boolean example;

  @Override
  public Integer call() {
    WarehouseCommand root = WarehouseCommand.of(spec);
    if (example) {
      root.out().print(exampleFile());
      return 0;
    }
    try (Platform platform = root.openPlatform()) {
      root.err().println("# " + platform.description());
      root.out().println(platform.config());
    }
    return 0;
  }

  /** Adds the list of configuration keys to the usage help of {@code config}. */
  static void describeOptions(CommandSpec spec) {
    List<String> lines = new ArrayList<>();
    for (ConfigOption option : PlatformConfig.OPTIONS) {
      lines.add(
          "  "
              + option.key()
              + " ("
              + option.kind().name().toLowerCase()
              + ", "
              + option.defaultValue().map(value -> "default " + value).orElse("required")
              + ")");
      for (String line : wrap(option.description(), WIDTH - 6)) {
        lines.add("      " + line);
      }
    }
    spec.usageMessage()
        .footerHeading(
            "%nKeys of the configuration file (warehouse.yaml; write them nested, as in"
                + " warehouse.example.yaml):%n")
        .footer(lines.stream().map(ConfigCommand::literal).toArray(String[]::new));
  }

  /**
   * A commented {@code warehouse.yaml} with every key at its default; the repository's {@code
   * warehouse.example.yaml} is this text (a test checks it).
   */
  static String exampleFile() {
    StringBuilder text = new StringBuilder();
    text.append("# Configuration of one deployment of the Jiangyin warehouse (江阴市大数据中心).\n")
        .append(
            "# Copy to warehouse.yaml (or pass --config FILE, or set WAREHOUSE_CONFIG) and edit.\n")
        .append("# Without a configuration file, ./warehouse runs the embedded platform instead.\n")
        .append("# Secrets are never written here: keep ${env:VARIABLE} and set that variable.\n")
        .append(
            "# Relative locations are taken from this file's folder. Values shown are the defaults.\n")
        .append("# Generated from PlatformConfig.OPTIONS: ./warehouse config --example\n");
    String section = null;
    for (ConfigOption option : PlatformConfig.OPTIONS) {
      int dot = option.key().indexOf('.');
      String group = option.key().substring(0, dot);
      String name = option.key().substring(dot + 1);
      if (!group.equals(section)) {
        text.append('\n').append(group).append(":\n");
        section = group;
      } else {
        text.append('\n');
      }
      for (String line : wrap(option.description(), WIDTH - 4)) {
        text.append("  # ").append(line).append('\n');
      }
      if (option.defaultValue().isEmpty()) {
        text.append("  # Required: there is no default.\n");
      }
      text.append("  ")
          .append(name)
          .append(": ")
          .append(yamlScalar(option.defaultValue().orElse(placeholder(option.kind()))))
          .append('\n');
    }
    return text.toString();
  }

  private static String placeholder(ConfigOption.Kind kind) {
    return switch (kind) {
      case TEXT -> "CHANGE_ME";
      case IDENTIFIER -> "change_me";
      case JDBC_URL -> "jdbc:postgresql://HOST:5432/DATABASE";
      case LOCATION -> "/CHANGE/ME";
      case SECRET, SECRET_ON_USE -> "${env:CHANGE_ME}";
    };
  }

  /** Plain scalars where YAML allows, else double-quoted ({@code local[*]}, {@code ${env:…}}). */
  private static String yamlScalar(String value) {
    if (value.matches("[A-Za-z0-9_./:@-]+") && !value.contains(": ")) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** Picocli reads help text as a format string with ${…} variables; this text is literal. */
  private static String literal(String text) {
    return text.replace("%", "%%").replace("${", "$${");
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
