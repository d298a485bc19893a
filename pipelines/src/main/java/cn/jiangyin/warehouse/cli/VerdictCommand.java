package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.serving.lookup.LookupAudit;
import cn.jiangyin.warehouse.serving.lookup.VerdictIndex;
import cn.jiangyin.warehouse.serving.lookup.VerdictLookup;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse verdict <code>}: the published verdict of one subject (结论查询), as the HTTP lookup
 * answers it, logged to the same lookup log with the command line's user as the caller.
 */
@Command(
    name = "verdict",
    mixinStandardHelpOptions = true,
    description =
        "Print a subject's published credit verdict (export.verdict) as JSON: status, measures,"
            + " reasons, rule version, validity.",
    footer = {
      "",
      "Exit codes: 0 a verdict (or clear: the subject is known and has no credit record),"
          + " 1 no verdict and unknown subject (HTTP 404), 2 malformed code or unknown matter"
          + " (HTTP 400).",
      "Every lookup is logged to <home>/" + LookupAudit.FILE + " with ID numbers masked."
    })
final class VerdictCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(
      paramLabel = "CODE",
      description = "统一社会信用代码 (USCC) or 身份证号码 (ID number, looked up by its person_key).")
  private String code;

  @Option(
      names = "--matter",
      paramLabel = "MATTER_CODE",
      description = "Only the measures affecting this matter (its type in lib.matter).")
  private String matter;

  @Override
  public Integer call() throws Exception {
    WarehouseCommand root = WarehouseCommand.of(spec);
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      VerdictLookup lookup =
          new VerdictLookup(
              subjectId -> VerdictIndex.loadSubject(catalog, subjectId),
              new PersonKeys(platform.config().personKeySecret()),
              LookupAudit.under(root.home()),
              Clock.systemUTC());
      VerdictLookup.Answer answer =
          lookup.lookup(code, Optional.ofNullable(matter), user(root), "cli");
      if (answer.status() == 200) {
        root.out().println(answer.json());
        return 0;
      }
      root.err().println("error: " + answer.body().path("message").asText());
      return answer.status() == 404
          ? WarehouseCommand.EXIT_FAILURE
          : WarehouseCommand.EXIT_USER_ERROR;
    }
  }

  private static String user(WarehouseCommand root) {
    String user = root.environment().apply("USER");
    return "cli:" + (user == null || user.isBlank() ? System.getProperty("user.name") : user);
  }
}
