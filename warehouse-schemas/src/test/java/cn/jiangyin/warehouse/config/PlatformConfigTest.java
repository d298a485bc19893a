package cn.jiangyin.warehouse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformConfigTest {
  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "WAREHOUSE_DB_PASSWORD", "catalog-secret", "PERSON_KEY_SECRET", "person-key-secret-0000");

  @TempDir Path folder;

  @Test
  void loadsNestedKeysResolvesSecretsAndRelativeLocations() throws IOException {
    Path file =
        write(
            """
            catalog:
              jdbc-url: jdbc:postgresql://db.internal:5432/warehouse_catalog
            lake:
              location: lake
            """);
    PlatformConfig config = PlatformConfig.load(file, ENVIRONMENT::get);
    assertThat(config.catalogName()).isEqualTo("lake");
    assertThat(config.catalogPassword()).isEqualTo("catalog-secret");
    assertThat(config.lakeLocation()).isEqualTo("file:" + folder.resolve("lake"));
    assertThat(config.toString())
        .doesNotContain("catalog-secret")
        .contains("catalog.password=****");
  }

  @Test
  void unknownKeyIsNamedWithItsLine() throws IOException {
    Path file =
        write(
            """
            catalog:
              jdbc-url: jdbc:postgresql://db.internal:5432/warehouse_catalog
              pasword: x
            """);
    assertThatThrownBy(() -> PlatformConfig.load(file, ENVIRONMENT::get))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith(file + ":3: unknown key 'catalog.pasword'");
  }

  @Test
  void secretWrittenInTheFileIsRefused() throws IOException {
    Path file =
        write(
            """
            catalog:
              jdbc-url: jdbc:postgresql://db.internal:5432/warehouse_catalog
              password: hunter2
            """);
    assertThatThrownBy(() -> PlatformConfig.load(file, ENVIRONMENT::get))
        .hasMessage(
            file
                + ":3: 'catalog.password' is a secret: write ${env:VARIABLE} and set the variable,"
                + " not the value itself");
  }

  @Test
  void missingRequiredKeyAndUnsetVariableAreNamed() throws IOException {
    assertThatThrownBy(
            () -> PlatformConfig.load(write("lake:\n  location: lake\n"), ENVIRONMENT::get))
        .hasMessageEndingWith("missing required key 'catalog.jdbc-url'");
    Path file = write("catalog:\n  jdbc-url: jdbc:postgresql://h:5432/c\n");
    assertThatThrownBy(() -> PlatformConfig.load(file, name -> null))
        .hasMessageContaining("reads environment variable WAREHOUSE_DB_PASSWORD, which is not set");
    assertThatThrownBy(
            () ->
                PlatformConfig.load(
                    write("catalog:\n  jdbc-url: jdbc:mysql://h/c\n"), ENVIRONMENT::get))
        .hasMessageEndingWith(
            "'catalog.jdbc-url' must be a jdbc:postgresql:// URL, found 'jdbc:mysql://h/c'");
  }

  private Path write(String text) throws IOException {
    Path file = Files.createTempFile(folder, "warehouse", ".yaml");
    Files.writeString(file, text);
    return file;
  }
}
