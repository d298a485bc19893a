package cn.jiangyin.warehouse.standard;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * 行政区划代码 — administrative division codes (GB/T 2260 for the county, the statistics bureau's 统计用区划代码
 * for the townships below it) of Jiangyin.
 *
 * <p>The township codes in {@code standards/jiangyin-towns.csv} are <b>simulated</b>: of our own
 * making, {@code 320281} + a 3-digit number + {@code 000}, numbered in the ranges the statistics
 * bureau's coding rules give as we understand them (001–099 streets, 100–199 towns, 400–599 other
 * township-level units such as development zones) but not checked against its list, and every row
 * says {@code simulated=true}. Production takes the real codes from the statistics bureau's
 * division code list; only the names and kinds come from public sources.
 */
public final class DivisionCodes {
  /** GB/T 2260 code of 江阴市, a county-level city of 无锡市, 江苏省. */
  public static final String JIANGYIN = "320281";

  static final String RESOURCE = "/standards/jiangyin-towns.csv";
  private static final String HEADER = "name,pinyin,kind,code,simulated";

  private DivisionCodes() {}

  /** Every township-level division of Jiangyin, in file order (streets, towns, zones). */
  public static List<Town> towns() {
    return Loaded.TOWNS;
  }

  /** The town with this Chinese name (e.g. 华士镇) or 12-digit code, if there is one. */
  public static Optional<Town> town(String nameOrCode) {
    requireNonNull(nameOrCode, "nameOrCode is null");
    return Loaded.TOWNS.stream()
        .filter(town -> town.name().equals(nameOrCode) || town.code().equals(nameOrCode))
        .findFirst();
  }

  /** Loaded on first use; a broken file fails the first caller with the line at fault. */
  private static final class Loaded {
    static final List<Town> TOWNS = load();

    private static List<Town> load() {
      try (InputStream stream = DivisionCodes.class.getResourceAsStream(RESOURCE)) {
        if (stream == null) {
          throw new IllegalStateException("Cannot find resource " + RESOURCE);
        }
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        return parse(reader.lines().toList());
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + RESOURCE, e);
      }
    }
  }

  static List<Town> parse(List<String> lines) {
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IllegalStateException(RESOURCE + ":1: expected header " + HEADER);
    }
    List<Town> towns = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      String where = RESOURCE + ":" + (i + 1) + ": ";
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] fields = lines.get(i).split(",", -1);
      if (fields.length != 5) {
        throw new IllegalStateException(where + "expected 5 fields, found " + fields.length);
      }
      Town town;
      try {
        town =
            new Town(
                fields[3],
                fields[0],
                fields[1],
                TownKind.fromLabel(fields[2]),
                parseSimulated(fields[4]));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(where + e.getMessage(), e);
      }
      if (!town.code().startsWith(JIANGYIN)) {
        throw new IllegalStateException(where + "code " + town.code() + " is not in " + JIANGYIN);
      }
      if (!seen.add(town.code()) || !seen.add(town.name())) {
        throw new IllegalStateException(where + "duplicate " + town.name() + " " + town.code());
      }
      towns.add(town);
    }
    return List.copyOf(towns);
  }

  private static boolean parseSimulated(String field) {
    if (field.equals("true") || field.equals("false")) {
      return Boolean.parseBoolean(field);
    }
    throw new IllegalArgumentException("Invalid simulated flag, expected true or false: " + field);
  }
}
