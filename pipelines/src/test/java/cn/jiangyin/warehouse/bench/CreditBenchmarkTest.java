package cn.jiangyin.warehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.cli.WarehouseCommand;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code bench credit}'s settings and generated codes, checked before anything touches a server.
 */
class CreditBenchmarkTest {
  private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));

  @Test
  void countyScaleIsFiveMillionFactsForThreeHundredThousandEnterprisesAndTwoMillionPersons() {
    CreditBenchmark.Settings county = new CreditBenchmark.Settings(1, 7, 0.01, TEMP);
    assertThat(county.sizes())
        .isEqualTo(new CreditBenchmarkData.Sizes(5_000_000, 300_000, 2_000_000));
    assertThat(county.newFacts()).isEqualTo(50_000);
    assertThat(new CreditBenchmark.Settings(0.001, 7, 0.01, TEMP).sizes())
        .isEqualTo(new CreditBenchmarkData.Sizes(5_000, 300, 2_000));
  }

  @Test
  void rejectsScalesAndShareOutOfRange() {
    assertThatThrownBy(() -> new CreditBenchmark.Settings(0, 7, 0.01, TEMP))
        .hasMessageContaining("--scale 0.0");
    assertThatThrownBy(() -> new CreditBenchmark.Settings(11, 7, 0.01, TEMP))
        .hasMessageContaining("--scale 11.0");
    assertThatThrownBy(() -> new CreditBenchmark.Settings(1, 7, 0, TEMP))
        .hasMessageContaining("--new-share");
  }

  /** Bug caught: generated enterprises with codes the platform rejects as invalid USCCs. */
  @Test
  void generatedEnterpriseCodesAreValidAndDistinct() {
    assertThat(UnifiedSocialCreditCode.isValid(CreditBenchmarkData.uscc(0L))).isTrue();
    assertThat(UnifiedSocialCreditCode.isValid(CreditBenchmarkData.uscc(299_999L))).isTrue();
    assertThat(CreditBenchmarkData.uscc(1L)).isNotEqualTo(CreditBenchmarkData.uscc(2L));
  }

  @Test
  void invalidScaleOnTheCommandLineIsAUsageError() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "bench",
            "credit",
            "--scale",
            "-1");

    assertThat(code).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid --scale -1.0");
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("bench credit:");
  }

  @Test
  void helpStatesWhatCountyScaleIs() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            "bench",
            "credit",
            "--help");

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--scale", "--new-share", "5,000,000 facts", "written straight into Iceberg");
  }
}
