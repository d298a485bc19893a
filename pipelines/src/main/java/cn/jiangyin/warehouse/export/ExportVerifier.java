package cn.jiangyin.warehouse.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a delivered export against its {@code manifest.json} (核验), as a receiving system would:
 * each listed file is present, has the SHA-256 and the row count listed, and no other file is in
 * the folder. Reports every problem found, not only the first.
 */
public final class ExportVerifier {
  /** What can be wrong with a delivered export. */
  public enum ProblemKind {
    MALFORMED_MANIFEST,
    MISSING_FILE,
    CHANGED_FILE,
    ROW_COUNT_MISMATCH,
    EXTRA_FILE,
    UNREADABLE_FILE
  }

  /** One problem, with the file it concerns and a sentence saying what is wrong. */
  public record Problem(ProblemKind kind, String file, String message) {}

  /** The problems of the export in {@code folder}; empty when it matches its manifest. */
  public static List<Problem> verify(Path export) {
    Path folder = export.toAbsolutePath().normalize();
    List<Problem> problems = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      problems.add(
          new Problem(
              ProblemKind.MALFORMED_MANIFEST,
              ExportManifest.FILE,
              "no export folder at " + folder));
      return problems;
    }
    ExportManifest manifest;
    try {
      manifest = ExportManifest.read(folder);
    } catch (ExportManifest.MalformedManifestException e) {
      problems.add(
          new Problem(ProblemKind.MALFORMED_MANIFEST, ExportManifest.FILE, e.getMessage()));
      return problems;
    }
    Set<String> listed = new TreeSet<>();
    for (ExportManifest.ExportedFile file : manifest.files()) {
      listed.add(file.name());
      Path path = folder.resolve(file.name()).normalize();
      if (!folder.equals(path.getParent())) {
        problems.add(
            new Problem(
                ProblemKind.MALFORMED_MANIFEST,
                file.name(),
                "the manifest lists a file outside the export folder: " + file.name()));
        continue;
      }
      if (!Files.isRegularFile(path)) {
        problems.add(
            new Problem(
                ProblemKind.MISSING_FILE,
                file.name(),
                "missing: listed in the manifest, not found"));
        continue;
      }
      try {
        String actual = sha256(path);
        if (!actual.equalsIgnoreCase(file.sha256())) {
          problems.add(
              new Problem(
                  ProblemKind.CHANGED_FILE,
                  file.name(),
                  "changed: SHA-256 is " + actual + ", the manifest says " + file.sha256()));
        }
        long rows = rows(path, file.format());
        if (rows != file.rows()) {
          problems.add(
              new Problem(
                  ProblemKind.ROW_COUNT_MISMATCH,
                  file.name(),
                  "holds " + rows + " rows, the manifest says " + file.rows()));
        }
      } catch (IOException | RuntimeException e) {
        problems.add(
            new Problem(
                ProblemKind.UNREADABLE_FILE,
                file.name(),
                "cannot be read as " + file.format() + ": " + e.getMessage()));
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
      Set<String> extra = new TreeSet<>();
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (!name.equals(ExportManifest.FILE) && !listed.contains(name)) {
          extra.add(name);
        }
      }
      for (String name : extra) {
        problems.add(
            new Problem(ProblemKind.EXTRA_FILE, name, "extra: not listed in the manifest"));
      }
    } catch (IOException e) {
      problems.add(
          new Problem(
              ProblemKind.UNREADABLE_FILE, folder.toString(), "cannot list: " + e.getMessage()));
    }
    return problems;
  }

  private static long rows(Path file, String format) throws IOException {
    return switch (format) {
      case "parquet" -> ParquetFile.countRows(file);
      case "csv" -> CsvFile.countRecords(file);
      case "jsonl" -> JsonLinesFile.countLines(file);
      default -> throw new IOException("unknown format '" + format + "'");
    };
  }

  /** The SHA-256 of a file, lower-case hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot compute SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
