package cn.jiangyin.warehouse.enterprise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Attribute;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Choice;
import cn.jiangyin.warehouse.enterprise.EnterpriseAttributeMap.Rule;
import cn.jiangyin.warehouse.schema.TableRegistry;
import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EnterpriseAttributeMapTest {
  private static final String HEADER =
      """
      register: {source: market_regulation, table: enterprise, code: uscc, name: name}
      references:
        - {source: taxation, table: tax_credit_grade, code: taxpayer_code, name: taxpayer_name, doc: 纳税信用等级}
      attributes:
      """;

  @Test
  void theShippedMapGivesEveryColumnOneSource() {
    EnterpriseAttributeMap map = EnterpriseAttributeMap.load();
    Map<String, Attribute> byName =
        map.attributes().stream().collect(Collectors.toMap(Attribute::name, Function.identity()));
    assertThat(byName.get("status").choice()).isEqualTo(Choice.REGISTER);
    assertThat(byName.get("status").odsTable()).isEqualTo("ods.market_regulation__enterprise");
    assertThat(byName.get("tax_credit_grade").odsTable())
        .isEqualTo("ods.taxation__tax_credit_grade");
    assertThat(byName.get("tax_credit_grade").choice()).isEqualTo(Choice.LATEST);
    assertThat(byName.get("employee_count").where().orElseThrow().column()).isEqualTo("filed");
    assertThat(byName.get("organization_code").rule()).contains(Rule.ORGANIZATION_CODE);
    assertThat(byName.get("grid_code").table()).contains("lib.enterprise_grid");
    assertThat(map.references())
        .extracting(EnterpriseAttributeMap.Reference::odsTable)
        .contains(
            "ods.taxation__tax_credit_grade",
            "ods.market_regulation__annual_report",
            "ods.comprehensive_enforcement__penalty_decision");
  }

  @Test
  void rulesDeriveTheirParts() {
    assertThat(Rule.ORGANIZATION_CODE.apply("91320281MA1X2Y3Z4K")).isEqualTo("MA1X2Y3Z4");
    assertThat(Rule.INDUSTRY_SECTION.apply("C1311")).isEqualTo("C");
    assertThat(Rule.INDUSTRY_SECTION.apply("9999")).isNull();
  }

  @Test
  void anUnknownAttributeNamesTheFileAndLine() {
    assertThatThrownBy(
            () ->
                parse(
                    HEADER
                        + """
                          - {attribute: name, source: market_regulation, table: enterprise, column: name, choose: register, doc: 名称}
                          - {attribute: nickname, source: market_regulation, table: enterprise, column: name, choose: register, doc: 别名}
                        """))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith(
            "map.yaml:6: attribute 'nickname' is not an attribute column of lib.enterprise");
  }

  @Test
  void aLatestAttributeFromATableOutsideTheReferencesIsRejected() {
    assertThatThrownBy(
            () ->
                parse(
                    HEADER
                        + """
                          - {attribute: employee_count, source: market_regulation, table: annual_report,
                             column: employee_count, choose: latest, order-by: report_year, doc: 从业人数}
                        """))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith(
            "map.yaml:5: 'choose: latest' needs market_regulation.annual_report listed in references");
  }

  @Test
  void aSecondSourceForOneAttributeIsRejected() {
    assertThatThrownBy(
            () ->
                parse(
                    HEADER
                        + """
                          - {attribute: name, source: market_regulation, table: enterprise, column: name, choose: register, doc: 名称}
                          - {attribute: name, source: taxation, table: tax_credit_grade, column: taxpayer_name, choose: latest, order-by: assessment_year, doc: 名称}
                        """))
        .isInstanceOf(InvalidFileException.class)
        .hasMessage("map.yaml:6: attribute 'name' is declared twice: one attribute, one source");
  }

  @Test
  void anUnknownChoiceAndAMissingColumnAreReported() {
    assertThatThrownBy(
            () ->
                parse(
                    HEADER
                        + """
                          - {attribute: name, source: market_regulation, table: enterprise, column: name, choose: newest, doc: 名称}
                        """))
        .hasMessageStartingWith("map.yaml:5: unknown choice 'newest'");
    // every column of lib.enterprise needs a source
    assertThatThrownBy(
            () ->
                parse(
                    HEADER
                        + """
                          - {attribute: name, source: market_regulation, table: enterprise, column: name, choose: register, doc: 名称}
                        """))
        .hasMessageStartingWith(
            "map.yaml:1: columns of lib.enterprise without a declared source: entity_type");
  }

  private static EnterpriseAttributeMap parse(String text) {
    return EnterpriseAttributeMap.parse(YamlDocument.parse("map.yaml", text), TableRegistry.load());
  }
}
