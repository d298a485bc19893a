package cn.jiangyin.warehouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.cli.WarehouseCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code bench build}'s settings, checked before anything touches a server. */
class BuildBenchmarkTest {
  private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));

  @Test
  void countyScaleIsThreeHundredThousandMarketSubjects() {
    // the simulator's scale 1 ≈ 1,000 market subjects; a wrong factor would bench the wrong size
    assertThat(new BuildBenchmark.Settings(1, 7, 0.01, TEMP).simulatorScale()).isEqualTo(300);
    assertThat(new BuildBenchmark.Settings(0.01, 7, 0.01, TEMP).simulatorScale()).isEqualTo(3);
  }

  @Test
  void rejectsScalesAndShareOutOfRange() {
    assertThatThrownBy(() -> new BuildBenchmark.Settings(0, 7, 0.01, TEMP))
        .hasMessageContaining("--scale 0.0");
    assertThatThrownBy(() -> new BuildBenchmark.Settings(11, 7, 0.01, TEMP))
        .hasMessageContaining("--scale 11.0");
    assertThatThrownBy(() -> new BuildBenchmark.Settings(1, 7, 0, TEMP))
        .hasMessageContaining("--change-share");
    assertThatThrownBy(() -> new BuildBenchmark.Settings(1, 7, 1.5, TEMP))
        .hasMessageContaining("--change-share");
  }

  @Test
  void invalidScaleOnTheCommandLineIsAUsageErrorBeforeAnyDatabaseIsMade() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "bench",
            "build",
            "--scale",
            "-1");

    assertThat(code).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid --scale -1.0");
    assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("bench build:");
  }

  @Test
  void helpStatesWhatCountyScaleIs() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            "bench",
            "build",
            "--help");

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--scale", "--change-share", "300,000");
  }
}
