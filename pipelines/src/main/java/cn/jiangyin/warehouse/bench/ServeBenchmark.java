package cn.jiangyin.warehouse.bench;

import static java.util.Objects.requireNonNull;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
import cn.jiangyin.warehouse.export.ExportedTable;
import cn.jiangyin.warehouse.export.TableExport;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.lake.SparkSessions;
import cn.jiangyin.warehouse.schema.SchemaMigrator;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.serving.http.LookupHttpServer;
import cn.jiangyin.warehouse.serving.lookup.LookupAudit;
import cn.jiangyin.warehouse.serving.lookup.RefreshingIndex;
import cn.jiangyin.warehouse.serving.lookup.VerdictLookup;
import cn.jiangyin.warehouse.standard.OrganizationCode;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import cn.jiangyin.warehouse.trino.TrinoServer;
import cn.jiangyin.warehouse.trino.TrinoSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code warehouse bench serve}: how fast other systems get a verdict. On generated {@code
 * export.verdict} rows at county scale (its own catalog database and lake, removed at the end): the
 * time of a full export, p50/p95 of a single-subject query through Trino, and p50/p95 of the HTTP
 * lookup under concurrent clients.
 */
final class ServeBenchmark {
  /** What to run. */
  record Settings(
      int enterprises,
      int persons,
      int clients,
      int requestsPerClient,
      int trinoQueries,
      Path workDirectory) {
    Settings {
      requireNonNull(workDirectory, "workDirectory is null");
    }
  }

  /** One figure of the result table. */
  record Line(String measure, String value, String goal) {}

  private static final PersonKeys KEYS = new PersonKeys("bench-serve-person-key-secret-00");
  private final Settings settings;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String run = Long.toString(System.currentTimeMillis(), 36);
  private final List<Line> lines = new ArrayList<>();

  ServeBenchmark(Settings settings, PrintWriter out, PrintWriter err) {
    this.settings = requireNonNull(settings, "settings is null");
    this.out = requireNonNull(out, "out is null");
    this.err = requireNonNull(err, "err is null");
  }

  List<Line> run() throws Exception {
    Path work = settings.workDirectory().resolve("bench-serve-" + run);
    Files.createDirectories(work);
    String catalogDatabase = "bench_serve_" + run + "_catalog";
    try (Connection connection = BenchServer.POSTGRESQL.administrator("");
        java.sql.Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + catalogDatabase);
    }
    PlatformConfig config =
        PlatformConfig.of(
            Map.of(
                "catalog.jdbc-url",
                "jdbc:postgresql://127.0.0.1:5432/" + catalogDatabase,
                "catalog.user",
                "postgres",
                "lake.location",
                work.resolve("lake").toString(),
                "spark.master",
                "local[2]"),
            name -> "unused-by-trust-auth-0000",
            work);
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
      List<String> codes = generate(config, work);
      httpLookup(catalog, work, codes);
      trinoQuery(config, work, codes);
    } finally {
      try (Connection connection = BenchServer.POSTGRESQL.administrator("");
          java.sql.Statement statement = connection.createStatement()) {
        statement.execute("DROP DATABASE IF EXISTS " + catalogDatabase + " WITH (FORCE)");
      }
      deleteRecursively(work);
    }
    out.printf("%-58s %16s %12s%n", "measure", "value", "goal");
    for (Line line : lines) {
      out.printf("%-58s %16s %12s%n", line.measure(), line.value(), line.goal());
    }
    out.flush();
    return List.copyOf(lines);
  }

  /** Writes the verdict rows with Spark and times a full export; returns the codes to ask for. */
  private List<String> generate(PlatformConfig config, Path work) {
    List<String> codes = new ArrayList<>(settings.enterprises() + settings.persons());
    List<String> rows = new ArrayList<>(settings.enterprises() + settings.persons());
    SplittableRandom random = new SplittableRandom(42);
    String[] statuses = {
      "clear", "clear", "clear", "clear", "clear", "clear", "warn", "restricted"
    };
    String measures =
        "[{\"code\":\"M01\",\"name\":\"限制参加政府采购活动\",\"legal_basis\":\"政府采购法第二十二条\","
            + "\"department\":\"市财政局\",\"matter_types\":[\"政府采购\"]}]";
    String reasons = "[{\"list\":\"严重违法失信名单\",\"entry_id\":\"x\",\"reason\":\"严重违法\"}]";
    for (int i = 0; i < settings.enterprises(); i++) {
      String first8 = "M" + String.format("%07d", i);
      String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
      String uscc = first17 + UnifiedSocialCreditCode.checkCharacter(first17);
      codes.add(uscc);
      rows.add("enterprise\t" + uscc + "\t江阴企业" + i + "\t" + statuses[random.nextInt(8)]);
    }
    LocalDate born = LocalDate.of(1950, 1, 1);
    for (int i = 0; i < settings.persons(); i++) {
      String first17 =
          "320281"
              + born.plusDays(i / 1000).toString().replace("-", "")
              + String.format("%03d", i % 1000);
      String id = first17 + ResidentIdNumber.checkCharacter(first17);
      codes.add(id);
      rows.add("person\t" + KEYS.key(id) + "\t\t" + statuses[random.nextInt(8)]);
    }
    err.printf("Generated %d subjects; writing export.verdict%n", rows.size());
    err.flush();
    SparkSession spark = SparkSessions.create(config, "bench-serve");
    try {
      Dataset<String> generated = spark.createDataset(rows, Encoders.STRING());
      Dataset<Row> parts = generated.selectExpr("split(value, '\\t') AS f");
      parts.createOrReplaceTempView("generated");
      spark.sql(
          "INSERT INTO export.verdict SELECT f[0], f[1], nullif(f[2], ''), f[3],"
              + " CASE f[3] WHEN 'restricted' THEN 'D' WHEN 'warn' THEN 'C' ELSE 'A' END,"
              + " CASE f[3] WHEN 'clear' THEN '[]' ELSE '"
              + measures
              + "' END, CASE f[3] WHEN 'clear' THEN '[]' ELSE '"
              + reasons
              + "' END, 'bench-1', DATE '2026-03-01', NULL, DATE '2026-03-01', '{}', 'pub-bench',"
              + " TIMESTAMP '2026-03-01 08:00:00+08:00' FROM generated");
      long started = System.nanoTime();
      TableExport.Result result =
          new TableExport(
                  spark,
                  new ExportedTable(
                      "export.verdict", List.of("subject_type", "subject_id"), "verdicts"),
                  line -> {})
              .full(work.resolve("export"));
      long millis = (System.nanoTime() - started) / 1_000_000;
      long exported = result.manifest().files().get(0).rows();
      lines.add(
          new Line(
              "full export of " + exported + " verdicts (Parquet, CSV, JSONL)",
              String.format("%.1f s", millis / 1000.0),
              ""));
    } finally {
      spark.stop();
    }
    return codes;
  }

  private void httpLookup(JdbcCatalog catalog, Path work, List<String> codes) throws Exception {
    long loadStarted = System.nanoTime();
    try (RefreshingIndex index = RefreshingIndex.start(catalog, Duration.ofHours(1), line -> {})) {
      lines.add(
          new Line(
              "lookup index load (" + index.current().size() + " verdicts)",
              String.format("%.1f s", (System.nanoTime() - loadStarted) / 1e9),
              ""));
      VerdictLookup lookup =
          new VerdictLookup(
              subjectId -> index.current(), KEYS, LookupAudit.under(work), Clock.systemUTC());
      try (LookupHttpServer server =
          LookupHttpServer.start(new InetSocketAddress("127.0.0.1", 0), lookup, 32)) {
        String base = "http://127.0.0.1:" + server.port() + LookupHttpServer.PATH;
        HttpClient client =
            HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
        // warm-up: the JIT and the connection pool
        clients(client, base, codes, Math.min(settings.clients(), 20), 50);
        err.printf(
            "HTTP lookup: %d clients x %d requests%n",
            settings.clients(), settings.requestsPerClient());
        err.flush();
        long started = System.nanoTime();
        long[] latencies =
            clients(client, base, codes, settings.clients(), settings.requestsPerClient());
        double seconds = (System.nanoTime() - started) / 1e9;
        Arrays.sort(latencies);
        lines.add(
            new Line(
                "HTTP lookup p50, " + settings.clients() + " concurrent clients",
                millis(percentile(latencies, 50)),
                ""));
        lines.add(
            new Line(
                "HTTP lookup p95, " + settings.clients() + " concurrent clients",
                millis(percentile(latencies, 95)),
                "≤ 50 ms"));
        lines.add(
            new Line(
                "HTTP lookup throughput",
                String.format("%.0f req/s", latencies.length / seconds),
                ""));
      }
    }
  }

  private static long[] clients(
      HttpClient client, String base, List<String> codes, int clients, int requests)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<long[]>> futures = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        SplittableRandom random = new SplittableRandom(c);
        futures.add(
            pool.submit(
                () -> {
                  long[] latencies = new long[requests];
                  for (int r = 0; r < requests; r++) {
                    String code = codes.get(random.nextInt(codes.size()));
                    long started = System.nanoTime();
                    HttpResponse<String> response =
                        client.send(
                            HttpRequest.newBuilder(URI.create(base + code))
                                .header("X-Caller", "bench")
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    latencies[r] = System.nanoTime() - started;
                    if (response.statusCode() != 200) {
                      throw new BenchmarkException(
                          "Lookup of a generated subject answered " + response.statusCode());
                    }
                  }
                  return latencies;
                }));
      }
      List<long[]> all = new ArrayList<>();
      for (Future<long[]> future : futures) {
        all.add(future.get());
      }
      return all.stream().flatMapToLong(Arrays::stream).toArray();
    } finally {
      pool.shutdownNow();
    }
  }

  private void trinoQuery(PlatformConfig config, Path work, List<String> codes) throws Exception {
    err.println("Starting Trino");
    err.flush();
    TrinoServer server =
        TrinoServer.start(
            TrinoSettings.of(
                    config.catalogJdbcUrl(),
                    config.catalogUser(),
                    config.catalogPassword(),
                    config.lakeLocation(),
                    work.resolve("trino"))
                .withCatalogName(config.catalogName()));
    try (Connection connection =
            DriverManager.getConnection(server.jdbcUrl(), "export_reader", null);
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT status, measures, reasons FROM export.verdict WHERE subject_id = ?")) {
      SplittableRandom random = new SplittableRandom(7);
      int warmUp = Math.min(20, settings.trinoQueries());
      long[] latencies = new long[settings.trinoQueries()];
      for (int i = -warmUp; i < settings.trinoQueries(); i++) {
        String code = codes.get(random.nextInt(settings.enterprises()));
        long started = System.nanoTime();
        query.setString(1, code);
        try (ResultSet result = query.executeQuery()) {
          if (!result.next()) {
            throw new BenchmarkException("Trino found no verdict for " + code);
          }
        }
        if (i >= 0) {
          latencies[i] = System.nanoTime() - started;
        }
      }
      Arrays.sort(latencies);
      lines.add(
          new Line(
              "Trino single-subject query p50 (export_reader)",
              millis(percentile(latencies, 50)),
              ""));
      lines.add(
          new Line(
              "Trino single-subject query p95 (export_reader)",
              millis(percentile(latencies, 95)),
              "≤ 300 ms"));
    } finally {
      server.stop();
    }
  }

  private static long percentile(long[] sorted, int percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String millis(long nanos) {
    return String.format("%.1f ms", nanos / 1e6);
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
