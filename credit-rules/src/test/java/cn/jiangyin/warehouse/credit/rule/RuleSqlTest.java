package cn.jiangyin.warehouse.credit.rule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL of 关联惩戒 to shareholders, without a Spark session: every view parses, and a 股东 propagation
 * reads the shares of lib.person_role summed per person and enterprise against its min-share. (What
 * the views compute is checked on a real lake by IncrementalEvaluationIT.)
 */
class RuleSqlTest {
  private static final LocalDate AS_OF = LocalDate.of(2026, 11, 1);

  @TempDir Path directory;

  @Test
  void everyViewOfTheDefaultRuleSetParses() {
    Map<String, String> views = new RuleSql(RuleSet.load(), AS_OF).views();
    views.forEach(
        (view, sql) ->
            assertThatCode(() -> CatalystSqlParser$.MODULE$.parsePlan(sql))
                .as(view)
                .doesNotThrowAnyException());
    // the default rule set propagates to the legal representative only: no share is read
    assertThat(views.get("rule_measure_hit")).contains("role = '法定代表人'").doesNotContain("share)");
  }

  /**
   * Bug caught: min-share ignored, compared per row instead of per holder, or not in the reason.
   */
  @Test
  void shareholderPropagationComparesTheSummedShareWithMinShare() throws IOException {
    copyDefault();
    Path measures = directory.resolve("measures.yaml");
    String text = Files.readString(measures, StandardCharsets.UTF_8);
    Files.writeString(
        measures,
        text
            + "  - role: 股东\n"
            + "    min-share: 0.5\n"
            + "    lists: [serious_dishonesty]\n"
            + "    measures: [M05]\n"
            + "    basis: 测试依据\n",
        StandardCharsets.UTF_8);
    String hits = new RuleSql(RuleSet.load(directory), AS_OF).views().get("rule_measure_hit");
    assertThatCode(() -> CatalystSqlParser$.MODULE$.parsePlan(hits)).doesNotThrowAnyException();
    assertThat(hits)
        .contains(
            "WHERE role = '股东' GROUP BY person_key, enterprise_uscc HAVING sum(share) >= 0.5",
            "的股东（持股 ', format_number(r.share * 100, '#.##'), '%），该企业被列入'",
            "的法定代表人，该企业被列入'");
  }

  private void copyDefault() throws IOException {
    for (String file : RuleSet.FILES) {
      try (InputStream stream =
          getClass().getClassLoader().getResourceAsStream(RuleSet.DEFAULT_RESOURCE + file)) {
        Files.write(directory.resolve(file), stream.readAllBytes());
      }
    }
  }
}
