package cn.jiangyin.warehouse.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardsCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void buildWritesABundleThatValidateAccepts(@TempDir Path folder) {
    Path zip = folder.resolve("out/dashboards.zip");
    assertThat(
            run("build", "--out", zip.toString(), "--trino-uri", "trino://trino@lake:8080/iceberg"))
        .isEqualTo(0);
    assertThat(zip).isRegularFile();
    assertThat(text(out)).contains("信用总览 (credit_overview): 5 datasets, 9 charts", "Wrote " + zip);
    assertThat(run("validate", zip.toString())).isEqualTo(0);
    assertThat(Bundle.readZip(zip).files().get(BundleFixtures.DATABASE))
        .contains("sqlalchemy_uri: trino://trino@lake:8080/iceberg");
  }

  @Test
  void validateReportsFileKeyAndMessage(@TempDir Path folder) {
    Path zip = folder.resolve("broken.zip");
    BundleFixtures.without(BundleFixtures.METADATA).writeZip(zip);
    assertThat(run("validate", zip.toString())).isEqualTo(1);
    assertThat(text(err)).contains("metadata.yaml: Missing metadata.yaml", "1 problems");
  }

  @Test
  void aBrokenDefinitionStopsTheBuildWithFileAndLine(@TempDir Path folder) throws Exception {
    Files.writeString(
        folder.resolve("bad.yaml"),
        "name: bad\ntitle: 坏\ndatasets: []\ncharts: []\nlayout: []\nowner: x\n");
    Path zip = folder.resolve("never.zip");
    assertThat(run("build", "--out", zip.toString(), "--definitions", folder.toString()))
        .isEqualTo(2);
    assertThat(text(err)).contains("bad.yaml:6: unknown key 'owner'");
    assertThat(zip).doesNotExist();
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run("build")).isEqualTo(2);
    assertThat(run("publish")).isEqualTo(2);
    assertThat(text(err)).contains("Missing --out <zip>", "Unknown command publish", "Usage:");
  }

  private int run(String... args) {
    return DashboardsCommand.run(
        List.of(args),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
