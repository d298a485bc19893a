package cn.jiangyin.warehouse.export;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.export.ExportVerifier.Problem;
import cn.jiangyin.warehouse.export.ExportVerifier.ProblemKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three file formats and the verifier, on rows made here (no Spark session): what a receiving
 * system sees byte for byte, and that each kind of tampering is reported.
 */
class ExportFilesTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("subject_id", DataTypes.StringType)
          .add("subject_name", DataTypes.StringType)
          .add("score", DataTypes.IntegerType)
          .add("valid_from", DataTypes.DateType)
          .add("computed_at", DataTypes.TimestampType);

  private static final List<Row> ROWS =
      List.of(
          RowFactory.create(
              "A1",
              "江阴,甲\"乙\"公司\n第二行",
              7,
              Date.valueOf(LocalDate.of(2026, 11, 1)),
              Timestamp.from(Instant.parse("2026-11-28T04:00:00.123Z"))),
          RowFactory.create("B2", null, null, null, null),
          RowFactory.create("C3", "", 0, Date.valueOf(LocalDate.of(2026, 1, 2)), null));

  @TempDir Path folder;

  @Test
  void csvHasByteOrderMarkCrlfAndQuotesCommasQuotesAndLineBreaks() throws IOException {
    Path file = folder.resolve("x.csv");
    write(new CsvFile(file, SCHEMA));
    byte[] bytes = Files.readAllBytes(file);
    // EF BB BF: what makes Excel read the file as UTF-8 instead of the local code page
    assertThat(bytes).startsWith(0xEF - 256, 0xBB - 256, 0xBF - 256);
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertThat(text)
        .isEqualTo(
            "\uFEFFsubject_id,subject_name,score,valid_from,computed_at\r\n"
                + "A1,\"江阴,甲\"\"乙\"\"公司\n第二行\",7,2026-11-01,2026-11-28T12:00:00.123+08:00\r\n"
                + "B2,,,,\r\n"
                + "C3,\"\",0,2026-01-02,\r\n");
    // the line break inside the quoted name does not start a record
    assertThat(CsvFile.countRecords(file)).isEqualTo(3);
  }

  @Test
  void jsonLinesHoldOneTypedObjectPerLine() throws IOException {
    Path file = folder.resolve("x.jsonl");
    write(new JsonLinesFile(file, SCHEMA));
    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
        .containsExactly(
            "{\"subject_id\":\"A1\",\"subject_name\":\"江阴,甲\\\"乙\\\"公司\\n第二行\",\"score\":7,"
                + "\"valid_from\":\"2026-11-01\",\"computed_at\":\"2026-11-28T12:00:00.123+08:00\"}",
            "{\"subject_id\":\"B2\",\"subject_name\":null,\"score\":null,\"valid_from\":null,"
                + "\"computed_at\":null}",
            "{\"subject_id\":\"C3\",\"subject_name\":\"\",\"score\":0,\"valid_from\":\"2026-01-02\","
                + "\"computed_at\":null}");
    assertThat(JsonLinesFile.countLines(file)).isEqualTo(3);
  }

  @Test
  void parquetOfTheSameRowsIsTheSameBytes() throws IOException {
    Path first = folder.resolve("first.parquet");
    Path second = folder.resolve("second.parquet");
    write(new ParquetFile(first, SCHEMA));
    write(new ParquetFile(second, SCHEMA));
    assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    assertThat(ParquetFile.countRows(first)).isEqualTo(3);
  }

  @Test
  void verifierAcceptsAnIntactExportAndReportsEachKindOfTampering() throws IOException {
    Path export = export();
    assertThat(ExportVerifier.verify(export)).isEmpty();

    // a changed byte in the CSV, the JSON Lines file gone, a stray file added
    Path csv = export.resolve("x.csv");
    Files.writeString(
        csv,
        Files.readString(csv, StandardCharsets.UTF_8).replace("C3", "C4"),
        StandardCharsets.UTF_8);
    Files.delete(export.resolve("x.jsonl"));
    Files.writeString(export.resolve("notes.txt"), "added by hand");

    List<Problem> problems = ExportVerifier.verify(export);
    assertThat(problems)
        .extracting(Problem::kind, Problem::file)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(ProblemKind.CHANGED_FILE, "x.csv"),
            org.assertj.core.groups.Tuple.tuple(ProblemKind.MISSING_FILE, "x.jsonl"),
            org.assertj.core.groups.Tuple.tuple(ProblemKind.EXTRA_FILE, "notes.txt"));
    assertThat(problems.get(0).message()).contains("SHA-256");
  }

  @Test
  void verifyCommandExitsNonZeroAndPrintsEachProblem() throws IOException {
    Path export = export();
    assertThat(verifyCommand(export)).startsWith("0 OK x-full-1: 3 files match the manifest");

    Files.delete(export.resolve("x.parquet"));
    Files.writeString(export.resolve("x.csv.bak"), "a copy left behind");
    assertThat(verifyCommand(export))
        .isEqualTo(
            "1 PROBLEM x.parquet: missing: listed in the manifest, not found\n"
                + "PROBLEM x.csv.bak: extra: not listed in the manifest\n"
                + "2 problem(s) in "
                + export
                + "\n");
  }

  @Test
  void exportVerdictsNeedsEitherFullOrSince() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream errors = new java.io.PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(
            cn.jiangyin.warehouse.cli.WarehouseCommand.execute(
                System.out, errors, "export", "verdicts", "--full", "--since", "verdicts-full-1"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("mutually exclusive");
    err.reset();
    assertThat(
            cn.jiangyin.warehouse.cli.WarehouseCommand.execute(
                System.out, errors, "export", "verdicts"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--full", "--since");
  }

  private static String verifyCommand(Path export) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code =
        cn.jiangyin.warehouse.cli.WarehouseCommand.execute(
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
            "export",
            "verify",
            export.toString());
    return code + " " + out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void verifierReportsARowCountThatDisagreesWithTheManifest() throws IOException {
    Path export = export();
    ExportManifest manifest = ExportManifest.read(export);
    List<ExportManifest.ExportedFile> files = new ArrayList<>(manifest.files());
    ExportManifest.ExportedFile parquet = files.get(0);
    files.set(
        0,
        new ExportManifest.ExportedFile(
            parquet.name(), parquet.format(), parquet.rows() + 1, parquet.sha256()));
    manifest(files).write(export);

    assertThat(ExportVerifier.verify(export))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.kind()).isEqualTo(ProblemKind.ROW_COUNT_MISMATCH);
              assertThat(problem.message()).isEqualTo("holds 3 rows, the manifest says 4");
            });
  }

  @Test
  void verifierReportsAMalformedManifestNamingTheField() throws IOException {
    Path export = export();
    String json = Files.readString(export.resolve(ExportManifest.FILE));
    Files.writeString(
        export.resolve(ExportManifest.FILE), json.replace("\"snapshot_id\"", "\"snapshot\""));
    assertThat(ExportVerifier.verify(export))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.kind()).isEqualTo(ProblemKind.MALFORMED_MANIFEST);
              assertThat(problem.message()).contains("field snapshot_id is missing");
            });

    Files.writeString(export.resolve(ExportManifest.FILE), "{ not json");
    assertThat(ExportVerifier.verify(export))
        .extracting(Problem::kind)
        .containsExactly(ProblemKind.MALFORMED_MANIFEST);
  }

  @Test
  void manifestReadsBackAsWritten() throws IOException {
    Path export = export();
    ExportManifest read = ExportManifest.read(export);
    assertThat(read.toJson()).isEqualTo(Files.readString(export.resolve(ExportManifest.FILE)));
    assertThat(read.inputSnapshots()).isEqualTo(Map.of("credit.fact", List.of(11L, 12L)));
  }

  private Path export() throws IOException {
    Path export = Files.createDirectory(folder.resolve("export"));
    write(new ParquetFile(export.resolve("x.parquet"), SCHEMA));
    write(new CsvFile(export.resolve("x.csv"), SCHEMA));
    write(new JsonLinesFile(export.resolve("x.jsonl"), SCHEMA));
    List<ExportManifest.ExportedFile> files = new ArrayList<>();
    for (String format : List.of("parquet", "csv", "jsonl")) {
      Path file = export.resolve("x." + format);
      files.add(
          new ExportManifest.ExportedFile(
              file.getFileName().toString(), format, 3, ExportVerifier.sha256(file)));
    }
    manifest(files).write(export);
    return export;
  }

  private static ExportManifest manifest(List<ExportManifest.ExportedFile> files) {
    return new ExportManifest(
        "x-full-1",
        "x",
        ExportKind.FULL,
        Optional.empty(),
        "credit.x",
        List.of("subject_id"),
        1,
        Optional.empty(),
        "2026-11-28T12:00:00+08:00",
        LocalDate.of(2026, 11, 28),
        List.of("2026.1"),
        Map.of("credit.fact", List.of(12L, 11L)),
        files);
  }

  private static void write(RowFile file) throws IOException {
    try (file) {
      for (Row row : ROWS) {
        file.write(row);
      }
    }
  }
}
