package cn.jiangyin.warehouse.trino;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrinoConfigurationTest {
  private static final String PASSWORD = "pa$$-not-in-any-file";

  @TempDir Path temporary;

  private TrinoSettings settings() {
    return TrinoSettings.of(
        "jdbc:postgresql://127.0.0.1:5432/lake_catalog",
        "lake",
        PASSWORD,
        "/srv/lake/warehouse/",
        temporary.resolve("trino"));
  }

  @Test
  void catalogReadsTheSharedJdbcCatalogAndLocalFiles() {
    assertThat(TrinoConfiguration.catalogProperties(settings()))
        .containsEntry("connector.name", "iceberg")
        .containsEntry("iceberg.catalog.type", "jdbc")
        .containsEntry("iceberg.jdbc-catalog.catalog-name", "lake")
        .containsEntry("iceberg.jdbc-catalog.driver-class", "org.postgresql.Driver")
        .containsEntry(
            "iceberg.jdbc-catalog.connection-url", "jdbc:postgresql://127.0.0.1:5432/lake_catalog")
        .containsEntry("iceberg.jdbc-catalog.connection-user", "lake")
        .containsEntry("iceberg.jdbc-catalog.connection-password", "${ENV:LAKE_CATALOG_PASSWORD}")
        .containsEntry("iceberg.jdbc-catalog.schema-version", "V1")
        .containsEntry("iceberg.jdbc-catalog.default-warehouse-dir", "file:/srv/lake/warehouse")
        .containsEntry("fs.native-local.enabled", "true")
        .containsEntry("local.location", "/")
        .doesNotContainKey("fs.hadoop.enabled");
  }

  @Test
  void catalogNameFollowsTheSettings() {
    assertThat(TrinoConfiguration.catalogProperties(settings().withCatalogName("lake_test")))
        .containsEntry("iceberg.jdbc-catalog.catalog-name", "lake_test");
  }

  @Test
  void emptyPasswordLeavesThePasswordOut() {
    TrinoSettings trust =
        TrinoSettings.of(
            "jdbc:postgresql://127.0.0.1:5432/lake_catalog",
            "postgres",
            "",
            "file:///srv/lake",
            temporary);
    assertThat(TrinoConfiguration.catalogProperties(trust))
        .doesNotContainKey("iceberg.jdbc-catalog.connection-password")
        .containsEntry("iceberg.jdbc-catalog.default-warehouse-dir", "file:///srv/lake");
  }

  @Test
  void objectStorageWarehouseUsesNativeS3() {
    TrinoSettings s3 =
        TrinoSettings.of(
            "jdbc:postgresql://catalog:5432/lake", "lake", "", "s3://lake/warehouse", temporary);
    assertThat(TrinoConfiguration.catalogProperties(s3))
        .containsEntry("fs.native-s3.enabled", "true")
        .doesNotContainKeys("fs.native-local.enabled", "local.location");
  }

  @Test
  void productionConfigurationHasCoordinatorWorkerCatalogAndJvm() throws IOException {
    Path target = temporary.resolve("production");
    TrinoConfiguration.writeProduction(
        settings().withMaxHeap("48G"), URI.create("http://trino-coordinator:8080"), target);

    Properties coordinator = load(target.resolve("coordinator/config.properties"));
    assertThat(coordinator)
        .containsEntry("coordinator", "true")
        .containsEntry("node-scheduler.include-coordinator", "false")
        .containsEntry("http-server.http.port", "8080")
        .containsEntry("discovery.uri", "http://trino-coordinator:8080");
    Properties worker = load(target.resolve("worker/config.properties"));
    assertThat(worker)
        .containsEntry("coordinator", "false")
        .containsEntry("discovery.uri", "http://trino-coordinator:8080");
    Properties catalog = load(target.resolve("catalog/iceberg.properties"));
    assertThat(catalog)
        .containsEntry("iceberg.jdbc-catalog.catalog-name", "lake")
        .containsEntry("local.location", "/");
    assertThat(Files.readAllLines(target.resolve("jvm.config"), UTF_8))
        .contains("-Xmx48G", "--add-modules=jdk.incubator.vector");
    assertNoFileContainsPassword(target);
  }

  @Test
  void productionCoordinatorAppliesTheRulesAndAuthenticatesByPasswordOverHttps()
      throws IOException {
    Path target = temporary.resolve("production");
    TrinoConfiguration.writeProduction(
        settings(), URI.create("http://trino-coordinator:8080"), target);

    assertThat(load(target.resolve("coordinator/access-control.properties")))
        .containsEntry("access-control.name", "file")
        .containsEntry("security.config-file", "/etc/trino/rules.json");
    assertThat(Files.readString(target.resolve("coordinator/rules.json"), UTF_8).strip())
        .isEqualTo(TrinoAccess.rules().strip());
    assertThat(load(target.resolve("coordinator/group-provider.properties")))
        .containsEntry("group-provider.name", "file")
        .containsEntry("file.group-file", "/etc/trino/group.txt");
    assertThat(load(target.resolve("coordinator/config.properties")))
        .containsEntry("http-server.authentication.type", "PASSWORD")
        .containsEntry("http-server.https.enabled", "true")
        .containsEntry("http-server.https.keystore.key", "${ENV:TRINO_KEYSTORE_PASSWORD}")
        .containsEntry("internal-communication.shared-secret", "${ENV:TRINO_SHARED_SECRET}");
    assertThat(load(target.resolve("coordinator/password-authenticator.properties")))
        .containsEntry("password-authenticator.name", "ldap")
        .containsEntry("ldap.url", "${ENV:TRINO_LDAP_URL}");
    assertThat(load(target.resolve("worker/config.properties")))
        .containsEntry("internal-communication.shared-secret", "${ENV:TRINO_SHARED_SECRET}");
    for (String role : List.of("coordinator", "worker")) {
      assertThat(load(target.resolve(role + "/node.properties")))
          .containsEntry("node.environment", "jiangyin")
          .containsEntry("node.id", "${ENV:TRINO_NODE_ID}")
          .containsEntry("node.data-dir", "/var/lib/trino/data");
    }
    // every ${ENV:…} a file names is one the operators are told about
    try (Stream<Path> files = Files.walk(target)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        java.util.regex.Matcher reference =
            java.util.regex.Pattern.compile("\\$\\{ENV:([A-Z_]+)}")
                .matcher(Files.readString(file, UTF_8));
        while (reference.find()) {
          assertThat(TrinoConfiguration.PRODUCTION_VARIABLES)
              .as(file.toString())
              .contains(reference.group(1));
        }
      }
    }
  }

  @Test
  void localServerAppliesTheSameRulesWithDevelopmentGroups() throws IOException {
    TrinoSettings settings = settings();
    TrinoConfiguration.writeLocal(
        settings, 18080, TrinoDistribution.at(temporary.resolve("server")));
    Path etc = settings.dataDirectory().resolve("etc");
    assertThat(load(etc.resolve("access-control.properties")))
        .containsEntry("access-control.name", "file")
        .containsEntry("security.config-file", etc.resolve("rules.json").toString());
    assertThat(Files.readString(etc.resolve("rules.json"), UTF_8).strip())
        .isEqualTo(TrinoAccess.rules().strip());
    assertThat(load(etc.resolve("group-provider.properties")))
        .containsEntry("file.group-file", etc.resolve("group.txt").toString());
    assertThat(Files.readAllLines(etc.resolve("group.txt"), UTF_8))
        .contains("analyst:analyst", "credit_office:credit_office");
  }

  @Test
  void localServerConfigurationBindsToLoopbackAndHoldsNoPassword() throws IOException {
    TrinoSettings settings = settings();
    TrinoDistribution distribution = TrinoDistribution.at(temporary.resolve("server"));
    TrinoConfiguration.writeLocal(settings, 18080, distribution);

    Path etc = settings.dataDirectory().resolve("etc");
    assertThat(load(etc.resolve("config.properties")))
        .containsEntry("coordinator", "true")
        .containsEntry("node-scheduler.include-coordinator", "true")
        .containsEntry("http-server.http.port", "18080")
        .containsEntry("discovery.uri", "http://127.0.0.1:18080")
        .containsEntry("plugin.dir", distribution.pluginDirectory().toString())
        .containsEntry("catalog.config-dir", etc.resolve("catalog").toString());
    assertThat(load(etc.resolve("node.properties")))
        .containsEntry("node.environment", "jiangyin")
        .containsEntry("node.bind-ip", "127.0.0.1");
    assertThat(load(etc.resolve("catalog/iceberg.properties")))
        .containsEntry("iceberg.jdbc-catalog.catalog-name", "lake");
    assertThat(Files.readAllLines(etc.resolve("jvm.config"), UTF_8)).contains("-Xmx2G");
    assertNoFileContainsPassword(settings.dataDirectory());

    List<String> command =
        TrinoServer.command(Path.of("/jdk/bin/java"), distribution, settings.dataDirectory());
    assertThat(command)
        .startsWith("/jdk/bin/java", "-cp", distribution.libDirectory().resolve("*").toString())
        .contains("-Xmx2G", "-Dnode.environment=jiangyin")
        .endsWith("io.trino.server.TrinoServer");
    assertThat(String.join(" ", command)).doesNotContain(PASSWORD);
  }

  @Test
  void settingsNeverShowThePassword() {
    assertThat(settings().toString()).doesNotContain(PASSWORD).contains("catalogPassword=****");
  }

  @Test
  void settingsRejectWhatTrinoCannotServe() {
    assertThatThrownBy(
            () ->
                TrinoSettings.of(
                    "jdbc:mysql://127.0.0.1:3306/lake", "lake", "", "/srv/lake", temporary))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid catalog URL");
    assertThatThrownBy(
            () ->
                TrinoSettings.of(
                    "jdbc:postgresql://127.0.0.1/lake", "lake", "", "relative/lake", temporary))
        .hasMessageStartingWith("Invalid warehouse location");
    assertThatThrownBy(
            () ->
                TrinoSettings.of(
                    "jdbc:postgresql://127.0.0.1/lake", "lake", "", "file://host/lake", temporary))
        .hasMessageStartingWith("Invalid warehouse location");
    assertThatThrownBy(() -> settings().withHttpPort(70000))
        .hasMessageStartingWith("Invalid HTTP port: 70000");
    assertThatThrownBy(() -> settings().withMaxHeap("lots"))
        .hasMessageStartingWith("Invalid max heap");
    assertThatThrownBy(() -> settings().withCatalogName("lake; drop"))
        .hasMessageStartingWith("Invalid catalog name");
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }

  private static void assertNoFileContainsPassword(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file, UTF_8)).as(file.toString()).doesNotContain(PASSWORD);
      }
    }
  }
}
