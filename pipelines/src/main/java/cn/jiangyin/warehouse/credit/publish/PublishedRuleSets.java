package cn.jiangyin.warehouse.credit.publish;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.credit.rule.RuleSet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 已发布的规则集 — the rule set versions published into {@value #TABLE}, with their files, so the
 * evaluation uses the version in effect on its as-of date and an old verdict can be recomputed with
 * the rules of its time. Publishing is explicit ({@code warehouse rules publish}); only a rule set
 * without problems is published, and a version is never published twice with different content.
 */
public final class PublishedRuleSets {
  public static final String TABLE = "credit.rule_set";

  /** What {@code source} says of the bundled default rule set. */
  public static final String DEFAULT_SOURCE =
      "内置默认规则集 (credit-rules " + RuleSet.DEFAULT_RESOURCE + ")";

  private static final Logger LOG = LoggerFactory.getLogger(PublishedRuleSets.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;

  public PublishedRuleSets(SparkSession spark) {
    this.spark = requireNonNull(spark, "spark is null");
  }

  /** One published version: its rules (read back from the stored files) and their digest. */
  public record Published(RuleSet rules, String sha256, String source) {
    public String version() {
      return rules.version();
    }
  }

  /** What {@link #publish} did. */
  public record Outcome(Published published, boolean alreadyPublished) {}

  /** A rule set cannot be published; the message says why. */
  public static final class RefusedException extends IllegalArgumentException {
    public RefusedException(String message) {
      super(message);
    }
  }

  /**
   * Publishes the rule set in {@code directory}.
   *
   * @throws cn.jiangyin.warehouse.credit.rule.InvalidRuleSetException if it has problems
   * @throws RefusedException if its version is published with other content
   */
  public Outcome publish(Path directory) {
    RuleSet rules = RuleSet.load(directory);
    return publish(rules, readFiles(directory), directory.toAbsolutePath().normalize().toString());
  }

  /** Publishes the bundled default rule set (as {@link RuleSet#load()}). */
  public Outcome publishDefault() {
    return publish(RuleSet.load(), defaultFiles(), DEFAULT_SOURCE);
  }

  private Outcome publish(RuleSet rules, Map<String, String> files, String source) {
    String sha256 = sha256(files);
    Optional<Published> existing = version(rules.version());
    if (existing.isPresent()) {
      if (existing.get().sha256().equals(sha256)) {
        LOG.info("Rule set {} is already published with the same content", rules.version());
        return new Outcome(existing.get(), true);
      }
      throw new RefusedException(
          "Rule set version "
              + rules.version()
              + " is already published with other content (sha256 "
              + existing.get().sha256()
              + ", from "
              + existing.get().source()
              + "); give the edited rule set a new version in ruleset.yaml");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("version", rules.version());
    args.put("name", rules.name());
    args.put("effective_from", rules.effectiveFrom().toString());
    args.put("sha256", sha256);
    args.put("files", json(files));
    args.put("source", source);
    args.put("published_at", System.currentTimeMillis());
    spark.sql(
        "INSERT INTO "
            + TABLE
            + " SELECT :version, :name, CAST(:effective_from AS DATE), :sha256, :files, :source,"
            + " timestamp_millis(:published_at)",
        args);
    LOG.info("Published rule set {} (sha256 {}) from {}", rules.version(), sha256, source);
    return new Outcome(new Published(rules, sha256, source), false);
  }

  /** The published version {@code version}, its files checked again. */
  public Optional<Published> version(String version) {
    List<Row> rows =
        spark
            .sql(
                "SELECT files, sha256, source FROM " + TABLE + " WHERE version = :version",
                Map.of("version", version))
            .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row row = rows.get(0);
    return Optional.of(published(row.getString(0), row.getString(1), row.getString(2)));
  }

  /**
   * The rule set in effect on {@code asOf}: the published one with the latest effective date on or
   * before it (the latest published among equals). When none is published yet, the bundled default
   * is published first (said in the log). When none is effective yet on that date, the earliest
   * effective is used, with a warning (the evaluation then warns that it is a backtest).
   */
  public Published inForce(LocalDate asOf) {
    if (spark.table(TABLE).isEmpty()) {
      LOG.warn(
          "No credit rule set is published yet: publishing the bundled default rule set (use"
              + " 'warehouse rules publish DIR' to publish the credit office's own)");
      publishDefault();
    }
    List<Row> rows =
        spark
            .sql(
                "SELECT files, sha256, source, effective_from <= CAST(:as_of AS DATE) FROM "
                    + TABLE
                    + " ORDER BY effective_from <= CAST(:as_of AS DATE) DESC,"
                    + " CASE WHEN effective_from <= CAST(:as_of AS DATE) THEN effective_from END"
                    + " DESC, effective_from, published_at DESC LIMIT 1",
                Map.of("as_of", asOf.toString()))
            .collectAsList();
    Row row = rows.get(0);
    Published published = published(row.getString(0), row.getString(1), row.getString(2));
    if (!row.getBoolean(3)) {
      LOG.warn(
          "No published rule set is in effect on {}: using {} (effective from {})",
          asOf,
          published.version(),
          published.rules().effectiveFrom());
    }
    return published;
  }

  private static Published published(String filesJson, String sha256, String source) {
    Map<String, String> files;
    try {
      files = JSON.readValue(filesJson, new TypeReference<LinkedHashMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read the files of a published rule set", e);
    }
    if (!sha256(files).equals(sha256)) {
      throw new IllegalStateException(
          "A published rule set's files do not match its sha256 "
              + sha256
              + ": "
              + TABLE
              + " was altered");
    }
    return new Published(load(files), sha256, source);
  }

  /** The rule set of stored files, read from a temporary directory. */
  static RuleSet load(Map<String, String> files) {
    Path directory = null;
    try {
      directory = Files.createTempDirectory("published-rule-set-");
      for (Map.Entry<String, String> file : files.entrySet()) {
        Files.writeString(directory.resolve(file.getKey()), file.getValue());
      }
      return RuleSet.load(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (directory != null) {
        try (Stream<Path> paths = Files.walk(directory)) {
          paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
          LOG.warn("Cannot remove {}", directory, e);
        }
      }
    }
  }

  /** The files of a rule set directory, in {@link RuleSet#FILES} order, those present. */
  static Map<String, String> readFiles(Path directory) {
    Map<String, String> files = new LinkedHashMap<>();
    for (String name : RuleSet.FILES) {
      Path file = directory.resolve(name);
      if (Files.isRegularFile(file)) {
        try {
          files.put(name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return files;
  }

  private static Map<String, String> defaultFiles() {
    Map<String, String> files = new LinkedHashMap<>();
    for (String name : RuleSet.FILES) {
      try (InputStream stream =
          RuleSet.class.getClassLoader().getResourceAsStream(RuleSet.DEFAULT_RESOURCE + name)) {
        if (stream != null) {
          files.put(name, new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return files;
  }

  /** SHA-256 over each file in order: its name, a newline, its UTF-8 content, a NUL. */
  static String sha256(Map<String, String> files) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, String> file : files.entrySet()) {
        digest.update((file.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
        digest.update(file.getValue().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(Map<String, String> files) {
    try {
      return JSON.writeValueAsString(files);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
