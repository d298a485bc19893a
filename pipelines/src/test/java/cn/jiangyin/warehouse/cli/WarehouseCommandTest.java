package cn.jiangyin.warehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.config.ConfigOption;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.export.CsvWriter;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line without servers: help, code checks, CSV, configuration help and errors. */
class WarehouseCommandTest {
  private static final String VALID_USCC = "91320281142232229Q";

  @Test
  void everyHelpTextFormats() {
    // picocli formats descriptions and footers with String.format: a lone '%' (as in "1 % of
    // the rows") fails, and the help then prints a warning and the raw text
    List<String> broken = new java.util.ArrayList<>();
    java.util.ArrayDeque<picocli.CommandLine> commands = new java.util.ArrayDeque<>();
    commands.add(
        WarehouseCommand.commandLine(
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()),
            name -> null));
    while (!commands.isEmpty()) {
      picocli.CommandLine line = commands.poll();
      commands.addAll(line.getSubcommands().values());
      picocli.CommandLine.Model.UsageMessageSpec usage = line.getCommandSpec().usageMessage();
      List<String> texts = new java.util.ArrayList<>();
      texts.addAll(Arrays.asList(usage.description()));
      texts.addAll(Arrays.asList(usage.footer()));
      line.getCommandSpec()
          .options()
          .forEach(option -> texts.addAll(Arrays.asList(option.description())));
      for (String text : texts) {
        try {
          String.format(text);
        } catch (java.util.IllegalFormatException e) {
          broken.add(line.getCommandSpec().qualifiedName() + ": " + e.getMessage() + " in " + text);
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void helpListsEverySubcommand() {
    Run run = run("--help");

    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("demo", "sql", "codes", "schemas", "trino", "config");
    for (String command :
        WarehouseCommand.commandLine(nowhere(), nowhere(), System::getenv)
            .getSubcommands()
            .keySet()) {
      assertThat(run.out()).containsPattern("(?m)^  " + command + " +\\S");
      assertThat(run(command, "--help").code()).as(command + " --help").isZero();
    }
  }

  @Test
  void nestedSubcommandsHaveHelp() {
    assertThat(run("schemas", "--help").out()).contains("migrate", "list");
    assertThat(run("trino", "--help").out()).contains("start", "stop", "status");
    assertThat(run("codes", "check", "--help").out()).contains("CODE");
  }

  @Test
  void checksValidCodes() {
    // the organisation code is the USCC's characters 9–17 (GB 32100, 4.2)
    String organizationCode = "14223222-9";
    String first17 = "32028119900307123";
    String idNumber = first17 + ResidentIdNumber.checkCharacter(first17);

    Run run = run("codes", "check", VALID_USCC, organizationCode, idNumber);

    assertThat(run.code()).isZero();
    assertThat(run.out().lines().toList())
        .containsExactly(
            "91320281142232229Q valid uscc",
            "14223222-9 valid org-code",
            ResidentIdNumber.mask(idNumber) + " valid id-number");
    assertThat(run.out()).doesNotContain(idNumber);
  }

  @Test
  void invalidCodeFailsTheCheck() {
    Run run = run("codes", "check", VALID_USCC, "91320281142232229A");

    assertThat(run.code()).isEqualTo(WarehouseCommand.EXIT_FAILURE);
    assertThat(run.out().lines().toList())
        .containsExactly(
            "91320281142232229Q valid uscc",
            "91320281142232229A invalid bad check character: expected 'Q', found 'A'");
  }

  @Test
  void badArgumentsAreOneLineAndExitTwo() {
    Run missing = run("codes", "check");
    Run unknown = run("sql", "--no-such-option", "SELECT 1");

    assertThat(missing.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(missing.err().lines().toList())
        .singleElement()
        .asString()
        .startsWith("error: Missing required parameter")
        .endsWith("(see 'warehouse codes check --help')");
    assertThat(unknown.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(unknown.err()).startsWith("error: Unknown option: '--no-such-option'");
    assertThat(unknown.out()).isEmpty();
  }

  @Test
  void invalidConfigurationIsOneLineAndExitsTwo(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("warehouse.yaml");
    Files.writeString(file, "catalog:\n  jdbc-url: mysql://nope\n");

    Run run = run("--config", file.toString(), "config");

    assertThat(run.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(run.err().lines().toList())
        .singleElement()
        .asString()
        .startsWith("error: " + file + ":2: 'catalog.jdbc-url' must be a jdbc:postgresql:// URL");
  }

  @Test
  void configPrintsTheDeploymentWithSecretsHidden(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("deployment.yaml");
    Files.writeString(
        file,
        "catalog:\n  jdbc-url: jdbc:postgresql://db.example:5432/catalog\nspark:\n  master: yarn\n");

    Run run =
        runWith(
            Map.of("WAREHOUSE_DB_PASSWORD", "S3cr3tDb", "PERSON_KEY_SECRET", "S3cr3tKey"),
            "--config",
            file.toString(),
            "config");

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("catalog.jdbc-url=jdbc:postgresql://db.example:5432/catalog")
        .contains("spark.master=yarn")
        .contains("catalog.password=****")
        .doesNotContain("S3cr3tDb", "S3cr3tKey");
    assertThat(run.err()).contains("deployment configured by " + file);
  }

  @Test
  void missingSecretIsAUserError(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("deployment.yaml");
    Files.writeString(file, "catalog:\n  jdbc-url: jdbc:postgresql://db.example:5432/catalog\n");

    Run run = runWith(Map.of(), "--config", file.toString(), "config");

    assertThat(run.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(run.err().strip())
        .isEqualTo(
            "error: "
                + file
                + ":1: 'catalog.password' reads environment variable WAREHOUSE_DB_PASSWORD, which is"
                + " not set");
  }

  @Test
  void configHelpListsEveryOption() {
    String help = run("config", "--help").out();

    for (ConfigOption option : PlatformConfig.OPTIONS) {
      assertThat(help).contains(option.key());
      option.defaultValue().ifPresent(value -> assertThat(help).contains("default " + value));
      assertThat(help.replaceAll("\\s+", " ")).contains(option.description());
    }
    // picocli would otherwise read ${env:…} as a variable and print the secret's value
    assertThat(help).contains("${env:WAREHOUSE_DB_PASSWORD}");
  }

  @Test
  void exampleFileIsCurrentAndLoads(@TempDir Path directory) throws Exception {
    Path example = Path.of("..", "warehouse.example.yaml");
    assertThat(Files.readString(example, StandardCharsets.UTF_8))
        .as(
            "warehouse.example.yaml is generated: ./warehouse config --example > warehouse.example.yaml")
        .isEqualTo(ConfigCommand.exampleFile());
    assertThat(run("config", "--example").out()).isEqualTo(ConfigCommand.exampleFile());

    Path copy = Files.copy(example, directory.resolve("warehouse.yaml"));
    PlatformConfig config =
        PlatformConfig.load(
            copy, Map.of("WAREHOUSE_DB_PASSWORD", "pw", "PERSON_KEY_SECRET", "k")::get);
    for (ConfigOption option : PlatformConfig.OPTIONS) {
      option
          .defaultValue()
          .filter(value -> option.kind() == ConfigOption.Kind.TEXT)
          .ifPresent(value -> assertThat(config.value(option)).isEqualTo(value));
    }
    assertThat(config.catalogJdbcUrl()).startsWith("jdbc:postgresql://");
  }

  @Test
  void configFileIsChosenInOrder(@TempDir Path directory) throws Exception {
    Path option = Path.of("given.yaml");
    Map<String, String> environment = Map.of(Platform.CONFIG_VARIABLE, "/etc/warehouse.yaml");

    assertThat(Platform.configFile(Optional.of(option), environment::get, directory))
        .contains(option);
    assertThat(Platform.configFile(Optional.empty(), environment::get, directory))
        .contains(Path.of("/etc/warehouse.yaml"));
    assertThat(Platform.configFile(Optional.empty(), Map.<String, String>of()::get, directory))
        .isEmpty();
    Path local = Files.writeString(directory.resolve("warehouse.yaml"), "");
    assertThat(Platform.configFile(Optional.empty(), Map.<String, String>of()::get, directory))
        .contains(local);
  }

  @Test
  void csvQuotesWhatNeedsQuoting() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CsvWriter csv = new CsvWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    csv.write(List.of("plain", "a,b", "say \"hi\"", "two\nlines", "江阴市,澄江街道"));
    csv.write(Arrays.asList(null, "", "cr\r", "1"));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"江阴市,澄江街道\"\n"
                + ",\"\",\"cr\r\",1\n");
  }

  @Test
  void demoRefusesAScaleOutOfRange() {
    Run run = run("demo", "--scale", "0");

    assertThat(run.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(run.err()).startsWith("error: Invalid scale: 0.0");
  }

  @Test
  void versionComesFromTheBuild() {
    assertThat(run("--version").out()).startsWith("warehouse 0.");
  }

  private static PrintStream nowhere() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static Run run(String... args) {
    return runWith(Map.of(), args);
  }

  private static Run runWith(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            environment::get,
            args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  record Run(int code, String out, String err) {}
}
