package cn.jiangyin.warehouse.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.standard.CodeKind;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityChecksTest {
  private static final TableRegistry REGISTRY = TableRegistry.load();

  @Test
  void shippedChecksLoadWithTheirKindsAndBlockingFlags() {
    List<QualityCheck> checks = QualityChecks.load().checks();
    assertThat(checks)
        .extracting(check -> check.table() + " " + check.name() + " " + check.blocking())
        .contains(
            "lib.enterprise uscc_valid true",
            "lib.enterprise name_present true",
            "lib.enterprise uscc_unique true",
            "ods.market_regulation__enterprise uscc_valid false");
    assertThat(checks.get(0).rule()).isEqualTo(new QualityCheck.ValidCode("uscc", CodeKind.USCC));
    assertThat(checks.get(0).definedAt()).startsWith("quality/checks.yaml:");
  }

  @Test
  void readsEveryKind() {
    List<QualityCheck> checks =
        parse(
            """
            tables:
              - table: lib.enterprise
                key: [uscc]
                checks:
                  - {name: a, kind: not_null, columns: [name, status], blocking: false}
                  - {name: b, kind: unique, columns: [uscc], blocking: true}
                  - {name: c, kind: freshness, column: as_of, max-age-hours: 24, blocking: false}
              - table: ods.administrative_approval__licence
                key: [id]
                checks:
                  - {name: d, kind: reference, column: holder_code, references: lib.enterprise.uscc, blocking: false}
            """);
    assertThat(checks)
        .extracting(QualityCheck::rule)
        .containsExactly(
            new QualityCheck.NotNull(List.of("name", "status")),
            new QualityCheck.Unique(List.of("uscc")),
            new QualityCheck.Freshness("as_of", 24),
            new QualityCheck.Reference("holder_code", "lib.enterprise", "uscc"));
    assertThat(checks.get(3).definedAt()).isEqualTo("checks.yaml:11");
  }

  @Test
  void aBadKindIsReportedAtItsLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    tables:
                      - table: lib.enterprise
                        key: [uscc]
                        checks:
                          - {name: a, kind: valid_code, column: uscc, code: uscc, blocking: true}
                          - {name: b, kind: distinct, columns: [uscc], blocking: true}
                    """))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("checks.yaml:6: unknown check kind 'distinct'");
  }

  @Test
  void anUnknownColumnOfADeclaredTableIsReportedAtItsLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    tables:
                      - table: lib.enterprise
                        key: [uscc]
                        checks:
                          - name: a
                            kind: not_null
                            columns:
                              - name
                              - nickname
                            blocking: true
                    """))
        .isInstanceOf(InvalidFileException.class)
        .hasMessage("checks.yaml:9: unknown column nickname in lib.enterprise");
  }

  @Test
  void otherMistakesNameTheLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    tables:
                      - table: lib.enterprise
                        key: [uscc]
                        checks:
                          - {name: a, kind: valid_code, column: uscc, code: passport, blocking: true}
                    """))
        .hasMessageStartingWith("checks.yaml:5: unknown code kind 'passport'");
    assertThatThrownBy(
            () ->
                parse(
                    """
                    tables:
                      - table: lib.nowhere
                        key: [id]
                        checks: []
                    """))
        .hasMessageStartingWith("checks.yaml:2: unknown table lib.nowhere");
    assertThatThrownBy(
            () ->
                parse(
                    """
                    tables:
                      - table: lib.enterprise
                        key: [uscc]
                        checks:
                          - {name: a, kind: unique, columns: [uscc]}
                    """))
        .hasMessageStartingWith("checks.yaml:5: missing required key 'blocking'");
  }

  @Test
  void masksIdNumberShapedSamples() {
    assertThat(QualityJob.mask("320281199001011234")).isEqualTo("320281********1234");
    assertThat(QualityJob.mask("91320281MA1XXXXX0Y")).isEqualTo("91320281MA1XXXXX0Y");
  }

  private static List<QualityCheck> parse(String text) {
    return QualityChecks.of(YamlDocument.parse("checks.yaml", text), REGISTRY).checks();
  }
}
