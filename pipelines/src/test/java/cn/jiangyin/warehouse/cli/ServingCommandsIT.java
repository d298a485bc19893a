package cn.jiangyin.warehouse.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.config.PlatformConfig;
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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict lookup (command line and HTTP) and the credit report, on hand-made rows of {@code
 * export.verdict}, the libraries and {@code credit.fact} written with Spark into a real JdbcCatalog
 * on the machine's PostgreSQL.
 */
class ServingCommandsIT {
  private static final String DATABASE =
      "serving_it_" + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
  private static final String SECRET = "serving-it-secret-0000000000000";
  private static final PersonKeys KEYS = new PersonKeys(SECRET);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String LISTED = uscc("2000000");
  private static final String CLEAN = uscc("2000001");
  private static final String UNKNOWN = uscc("2000002");
  private static final String LATE = uscc("2000003");
  private static final String PERSON = idNumber("32028119800101123");
  private static final String PERSON_MASKED = PersonKeys.mask(PERSON);

  private static final Function<String, String> ENVIRONMENT =
      name ->
          switch (name) {
            case "PERSON_KEY_SECRET" -> SECRET;
            case "WAREHOUSE_DB_PASSWORD" -> "trust-authentication-ignores-it";
            case "USER" -> "clerk-wang";
            default -> null;
          };

  @TempDir static Path home;
  private static Path configFile;
  private static PlatformConfig config;
  private static SparkSession spark;

  @BeforeAll
  static void createLakeAndRows() throws Exception {
    sql("CREATE DATABASE " + DATABASE);
    configFile = home.resolve("warehouse.yaml");
    Files.writeString(
        configFile,
        "catalog:\n  jdbc-url: jdbc:postgresql://127.0.0.1:5432/"
            + DATABASE
            + "\n  user: postgres\nlake:\n  location: "
            + home.resolve("lake")
            + "\nspark:\n  master: \"local[2]\"\n");
    config = PlatformConfig.load(configFile, ENVIRONMENT);
    try (JdbcCatalog catalog = CatalogFactory.open(config)) {
      new SchemaMigrator(catalog).migrate(TableRegistry.load().tables());
    }
    spark = SparkSessions.create(config, "serving-it");
    String asOf = "TIMESTAMP '2026-03-01 08:00:00+08:00'";
    spark.sql(
        "INSERT INTO lib.enterprise (uscc, name, status, lineage, as_of) VALUES ('"
            + LISTED
            + "', '江阴甲贸易有限公司', '存续', 'e#1', "
            + asOf
            + "), ('"
            + CLEAN
            + "', '江阴乙有限公司', '存续', 'e#2', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO lib.person (person_key, masked_id, id_valid, lineage, as_of) VALUES ('"
            + KEYS.key(PERSON)
            + "', '"
            + PERSON_MASKED
            + "', true, 'p#1', "
            + asOf
            + ")");
    spark.sql(
        "INSERT INTO lib.matter (matter_code, name, department, matter_type, lineage, as_of) VALUES"
            + " ('MT-PROCURE', '政府采购供应商资格审查', '市财政局', '政府采购', 'm#1', "
            + asOf
            + "), ('MT-SETUP', '企业开办', '行政审批局', '企业设立登记', 'm#2', "
            + asOf
            + ")");
    String measuresEnterprise =
        "[{\"code\":\"M01\",\"name\":\"限制参加政府采购活动\",\"legal_basis\":\"政府采购法第二十二条\","
            + "\"department\":\"市财政局\",\"matter_types\":[\"政府采购\"]},"
            + "{\"code\":\"M03\",\"name\":\"列为重点监管对象\",\"legal_basis\":\"办法第二十二条\","
            + "\"department\":\"市市场监管局\",\"matter_types\":[\"双随机抽查\"]}]";
    String measuresPerson =
        "[{\"code\":\"M05\",\"name\":\"不得担任法定代表人\",\"legal_basis\":\"条例第十二条\","
            + "\"department\":\"市市场监管局\",\"matter_types\":[\"企业设立登记\"]}]";
    String reasons =
        "[{\"list\":\"严重违法失信名单\",\"entry_id\":\"serious_dishonesty:x:f1\",\"reason\":\"严重违法\"}]";
    spark.sql(
        "INSERT INTO export.verdict VALUES"
            + verdictRow("enterprise", LISTED, "'江阴甲贸易有限公司'", measuresEnterprise, reasons)
            + ","
            + verdictRow("person", KEYS.key(PERSON), "NULL", measuresPerson, reasons));
    spark.sql(
        "INSERT INTO credit.fact (fact_id, category, category_name, polarity, subject_type,"
            + " subject_id, subject_name, match_method, match_confidence, severity, penalty_kind,"
            + " amount, legal_basis, department, decided_on, published, publish_from,"
            + " publish_until, repair_status, repaired_on, source, source_table, source_key,"
            + " source_position, as_of, decision_number, detail) VALUES"
            + factRow(
                "f-open",
                "administrative_penalty",
                "行政处罚",
                "'2026-01-05'",
                "'2029-01-05'",
                "none",
                "JYF-2026-001")
            + ","
            + factRow(
                "f-repaired",
                "administrative_penalty",
                "行政处罚",
                "'2025-06-01'",
                "'2028-06-01'",
                "repaired",
                "JYF-2025-077")
            + ","
            + factRow(
                "f-expired",
                "abnormal_list",
                "经营异常名录",
                "'2022-01-01'",
                "'2025-01-01'",
                "none",
                "JYA-2022-009")
            + ","
            + factRow(
                "f-debtor",
                "dishonest_debtor",
                "失信被执行人",
                "'2026-02-01'",
                "NULL",
                "none",
                "(2026)苏0281执1号"));
  }

  @AfterAll
  static void stopSparkAndDropLake() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    sql("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
  }

  @Test
  void commandLineAnswersAKnownSubjectWithItsVerdictAndFiltersMeasuresByMatter() throws Exception {
    Run run = run("verdict", LISTED);
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode answer = JSON.readTree(run.out());
    assertThat(answer.path("status").asText()).isEqualTo("restricted");
    assertThat(answer.path("rule_version").asText()).isEqualTo("rules-2026.1");
    assertThat(answer.path("valid_to").asText()).isEqualTo("2029-03-01");
    assertThat(answer.path("reasons").get(0).path("reason").asText()).isEqualTo("严重违法");
    assertThat(codes(answer)).containsExactly("M01", "M03");

    Run procurement = run("verdict", LISTED, "--matter", "MT-PROCURE");
    assertThat(codes(JSON.readTree(procurement.out()))).containsExactly("M01");
    Run setup = run("verdict", LISTED, "--matter", "MT-SETUP");
    assertThat(codes(JSON.readTree(setup.out()))).isEmpty();
  }

  @Test
  void commandLineFindsAPersonByIdNumberAndNeverShowsItInClear() throws Exception {
    Run run = run("verdict", PERSON, "--matter", "MT-SETUP");
    assertThat(run.code()).as(run.err()).isZero();
    JsonNode answer = JSON.readTree(run.out());
    assertThat(answer.path("subject").asText()).isEqualTo(PERSON_MASKED);
    assertThat(answer.path("subject_id").asText()).isEqualTo(KEYS.key(PERSON));
    assertThat(codes(answer)).containsExactly("M05");
    assertThat(run.out() + run.err()).doesNotContain(PERSON);
    List<String> log = Files.readAllLines(home.resolve(LookupAudit.FILE), UTF_8);
    assertThat(String.join("\n", log)).doesNotContain(PERSON);
    assertThat(log)
        .anySatisfy(
            line -> {
              JsonNode entry = JSON.readTree(line);
              assertThat(entry.path("subject").asText()).isEqualTo(PERSON_MASKED);
              assertThat(entry.path("caller").asText()).isEqualTo("cli:clerk-wang");
              assertThat(entry.path("channel").asText()).isEqualTo("cli");
              assertThat(entry.path("matter").asText()).isEqualTo("MT-SETUP");
              assertThat(entry.path("result").asText()).isEqualTo("restricted");
            });
  }

  @Test
  void commandLineSaysClearUnknownAndMalformed() throws Exception {
    Run clean = run("verdict", CLEAN);
    assertThat(clean.code()).isZero();
    assertThat(JSON.readTree(clean.out()).path("status").asText()).isEqualTo("clear");
    assertThat(JSON.readTree(clean.out()).path("basis").asText()).isEqualTo("no_credit_record");

    Run unknown = run("verdict", UNKNOWN);
    assertThat(unknown.code()).isEqualTo(WarehouseCommand.EXIT_FAILURE);
    assertThat(unknown.err()).contains("No verdict published for " + UNKNOWN);

    String badPerson = PERSON.substring(0, 17) + (PERSON.charAt(17) == '1' ? '2' : '1');
    Run malformed = run("verdict", badPerson);
    assertThat(malformed.code()).isEqualTo(WarehouseCommand.EXIT_USER_ERROR);
    assertThat(malformed.err())
        .contains("bad check character: expected '" + PERSON.charAt(17) + "'")
        .doesNotContain(badPerson);
  }

  @Test
  void httpAnswersFromMemoryAndReloadsWhenTheTableChanges() throws Exception {
    try (JdbcCatalog catalog = CatalogFactory.open(config);
        RefreshingIndex index = RefreshingIndex.start(catalog, Duration.ofHours(1), line -> {})) {
      VerdictLookup lookup =
          new VerdictLookup(
              subjectId -> index.current(), KEYS, LookupAudit.under(home), Clock.systemUTC());
      try (LookupHttpServer server =
          LookupHttpServer.start(new InetSocketAddress("127.0.0.1", 0), lookup, 4)) {
        HttpResponse<String> listed = get(server, LISTED + "?matter=MT-PROCURE");
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(codes(JSON.readTree(listed.body()))).containsExactly("M01");

        HttpResponse<String> person = get(server, PERSON);
        assertThat(person.statusCode()).isEqualTo(200);
        assertThat(person.body()).doesNotContain(PERSON).contains(PERSON_MASKED);

        String badUscc = LISTED.substring(0, 17) + (LISTED.charAt(17) == '0' ? '1' : '0');
        HttpResponse<String> malformed = get(server, badUscc);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).path("message").asText())
            .isEqualTo(
                "Invalid code "
                    + ResidentIdNumber.maskIfPersonal(badUscc)
                    + ": bad check character: expected '"
                    + LISTED.charAt(17)
                    + "', found '"
                    + badUscc.charAt(17)
                    + "'");

        assertThat(get(server, LATE).statusCode()).isEqualTo(404);
        assertThat(get(server, LISTED + "?matter=NO-SUCH").statusCode()).isEqualTo(400);

        spark.sql(
            "INSERT INTO export.verdict VALUES "
                + verdictRow("enterprise", LATE, "'江阴丁有限公司'", "[]", "[]"));
        assertThat(index.refreshIfChanged()).isTrue();
        HttpResponse<String> late = get(server, LATE);
        assertThat(late.statusCode()).isEqualTo(200);
        assertThat(index.refreshIfChanged()).isFalse();
      }
    }
    assertThat(Files.readString(home.resolve(LookupAudit.FILE)))
        .contains("\"caller\":\"window-3\"")
        .contains("\"http_status\":404")
        .doesNotContain(PERSON);
  }

  @Test
  void reportShowsPublishedFactsInTheirSectionsAndLeavesOutRepairedAndExpiredOnes()
      throws Exception {
    Path out = home.resolve("reports");
    Run run = run("report", LISTED, "--out", out.toString(), "--as-of", "2026-03-01");
    assertThat(run.code()).as(run.err()).isZero();
    String html = Files.readString(out.resolve(LISTED + "-2026-03-01.html"));
    assertThat(section(html, "administration"))
        .contains("JYF-2026-001")
        .contains("2026-01-05 至 2029-01-05")
        .contains("综合执法局");
    assertThat(section(html, "serious_dishonesty")).contains("(2026)苏0281执1号").contains("至 长期");
    assertThat(html).doesNotContain("JYF-2025-077").doesNotContain("JYA-2022-009");
    assertThat(section(html, "abnormal_operation")).contains("暂无记录");
    assertThat(html).contains("江阴甲贸易有限公司").contains("限制（restricted）");

    Path pdf = out.resolve(LISTED + "-2026-03-01.pdf");
    assertThat(Files.readAllBytes(pdf)).startsWith("%PDF-".getBytes(UTF_8));
    try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
      // table cells wrap: compare without line breaks
      String text = new PDFTextStripper().getText(document).replaceAll("\\s", "");
      assertThat(text)
          .contains("江阴甲贸易有限公司")
          .contains("公共信用信息报告")
          .contains("JYF-2026-001")
          .contains("第1页");
      assertThat(text).doesNotContain("JYF-2025-077");
    }
  }

  private static String section(String html, String id) {
    int start = html.indexOf("<section id=\"" + id + "\">");
    assertThat(start).as("section " + id).isNotNegative();
    return html.substring(start, html.indexOf("</section>", start));
  }

  private static List<String> codes(JsonNode answer) {
    return java.util.stream.StreamSupport.stream(answer.path("measures").spliterator(), false)
        .map(measure -> measure.path("code").asText())
        .toList();
  }

  private static HttpResponse<String> get(LookupHttpServer server, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + LookupHttpServer.PATH + path))
                .header("X-Caller", "window-3")
                .build(),
            HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all =
        new java.util.ArrayList<>(
            List.of("--config", configFile.toString(), "--home", home.toString()));
    all.addAll(List.of(args));
    int code =
        WarehouseCommand.execute(
            new PrintStream(out, true, UTF_8),
            new PrintStream(err, true, UTF_8),
            ENVIRONMENT,
            all.toArray(String[]::new));
    return new Run(code, out.toString(UTF_8), err.toString(UTF_8));
  }

  private static String verdictRow(
      String type, String subject, String name, String measures, String reasons) {
    return " ('"
        + type
        + "', '"
        + subject
        + "', "
        + name
        + ", '"
        + (measures.equals("[]") ? "clear" : "restricted")
        + "', 'D', '"
        + measures
        + "', '"
        + reasons
        + "', 'rules-2026.1', DATE '2026-03-01', DATE '2029-03-01', DATE '2026-03-01', '{}',"
        + " 'pub-1', TIMESTAMP '2026-03-01 08:00:00+08:00')";
  }

  private static String factRow(
      String id,
      String category,
      String categoryName,
      String from,
      String until,
      String repair,
      String number) {
    return " ('"
        + id
        + "', '"
        + category
        + "', '"
        + categoryName
        + "', 'negative', 'enterprise', '"
        + LISTED
        + "', '江阴甲贸易有限公司', 'uscc', 1.0, '一般', '罚款', 5000.00, '条例第十条', '综合执法局',"
        + " DATE "
        + from
        + ", true, DATE "
        + from
        + ", "
        + (until.equals("NULL") ? "NULL" : "DATE " + until)
        + ", '"
        + repair
        + "', "
        + (repair.equals("repaired") ? "DATE '2026-02-01'" : "NULL")
        + ", 'src', 'src.t', '"
        + id
        + "', '0001', TIMESTAMP '2026-03-01 08:00:00+08:00', '"
        + number
        + "', '案情')";
  }

  private static String idNumber(String first17) {
    return first17 + ResidentIdNumber.checkCharacter(first17);
  }

  private static String uscc(String organizationPrefix) {
    String first8 = "M" + organizationPrefix;
    String first17 = "91320281" + first8 + OrganizationCode.checkCharacter(first8);
    return first17 + UnifiedSocialCreditCode.checkCharacter(first17);
  }

  private static void sql(String statement) throws Exception {
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
        Statement jdbc = connection.createStatement()) {
      jdbc.execute(statement);
    }
  }
}
