package cn.jiangyin.warehouse.dashboards;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A Superset import bundle: files by their path inside the ZIP (top folder included), in the order
 * they are written. Written with fixed entry times so two builds of the same definitions give the
 * same bytes.
 */
public final class Bundle {
  /** Entry time of every file; a fixed value keeps the ZIP reproducible. */
  static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);

  private final Map<String, String> files;

  public Bundle(Map<String, String> files) {
    requireNonNull(files, "files is null");
    this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /** Path inside the ZIP → UTF-8 text. */
  public Map<String, String> files() {
    return files;
  }

  public byte[] zip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    writeZip(bytes);
    return bytes.toByteArray();
  }

  public void writeZip(Path path) {
    try {
      if (path.toAbsolutePath().getParent() != null) {
        Files.createDirectories(path.toAbsolutePath().getParent());
      }
      Files.write(path, zip());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write bundle " + path, e);
    }
  }

  private void writeZip(OutputStream out) {
    try (ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8)) {
      for (Map.Entry<String, String> file : files.entrySet()) {
        ZipEntry entry = new ZipEntry(file.getKey());
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write bundle", e);
    }
  }

  public static Bundle readZip(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return readZip(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read bundle " + path, e);
    }
  }

  public static Bundle readZip(InputStream in) throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(in, StandardCharsets.UTF_8)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        if (!entry.isDirectory()) {
          files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
    }
    return new Bundle(files);
  }
}
