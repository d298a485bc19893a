package cn.jiangyin.warehouse.export;

import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Delivers {@code credit.flag} to the systems that act on it: a CSV file (UTF-8 with BOM, so Excel
 * opens the Chinese text correctly) and a {@code manifest.json} with the as-of date, rule version,
 * input snapshot ids, row count and SHA-256 of the file. Written to a hidden temporary folder and
 * moved into place only when complete, so a reader never sees half an export.
 */
public final class FlagExport {
  public static final String FILE = "credit_flags.csv";
  private static final List<String> COLUMNS =
      List.of(
          "subject_id", "subject_name", "flag", "reason", "evidence", "decided_on", "rule_version");

  private final SparkSession spark;

  public FlagExport(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** Where the export went. */
  public record Result(String exportId, Path directory, long rows, String sha256) {}

  public Result run(
      Path exportRoot, LocalDate asOf, String ruleVersion, Map<String, Long> inputSnapshots) {
    String exportId =
        "flags-"
            + OffsetDateTime.now(ZoneOffset.UTC)
                .format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'"));
    List<Row> rows =
        spark
            .sql(
                "SELECT "
                    + String.join(", ", COLUMNS)
                    + " FROM credit.flag ORDER BY subject_id, flag, evidence")
            .collectAsList();
    try {
      Files.createDirectories(exportRoot);
      Path temporary = Files.createTempDirectory(exportRoot, "." + exportId + "-");
      String sha256 = writeCsv(temporary.resolve(FILE), rows);
      String manifest =
          "{\n  \"export_id\": \""
              + exportId
              + "\",\n  \"as_of\": \""
              + asOf
              + "\",\n  \"rule_version\": \""
              + ruleVersion
              + "\",\n  \"input_snapshots\": "
              + inputSnapshots.entrySet().stream()
                  .map(entry -> "\"" + entry.getKey() + "\": " + entry.getValue())
                  .collect(Collectors.joining(", ", "{", "}"))
              + ",\n  \"files\": [{\"name\": \""
              + FILE
              + "\", \"rows\": "
              + rows.size()
              + ", \"sha256\": \""
              + sha256
              + "\"}]\n}\n";
      Files.writeString(temporary.resolve("manifest.json"), manifest, StandardCharsets.UTF_8);
      Path target = exportRoot.resolve(exportId);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      return new Result(exportId, target, rows.size(), sha256);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the flag export under " + exportRoot, e);
    }
  }

  private static String writeCsv(Path file, List<Row> rows) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot compute SHA-256", e);
    }
    try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest);
        BufferedWriter writer =
            new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
      writer.write('\uFEFF');
      writer.write(String.join(",", COLUMNS));
      writer.write("\r\n");
      for (Row row : rows) {
        for (int i = 0; i < COLUMNS.size(); i++) {
          if (i > 0) {
            writer.write(',');
          }
          writer.write(CsvWriter.field(row.isNullAt(i) ? null : row.get(i).toString()));
        }
        writer.write("\r\n");
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
