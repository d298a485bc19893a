package cn.jiangyin.warehouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.util.List;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class TableRegistryTest {
  @Test
  void shippedDefinitionsLoadWithChineseDocs() {
    TableRegistry registry = TableRegistry.load();
    TableDefinition enterprise = registry.table("lib.enterprise");
    assertThat(enterprise.sharing()).isEqualTo(SharingClass.CONDITIONAL);
    assertThat(enterprise.column("uscc").orElseThrow().required()).isTrue();
    assertThat(enterprise.column("registered_capital").orElseThrow().type())
        .isEqualTo(Types.DecimalType.of(18, 2));
    assertThat(registry.table("restricted.person_identity").sharing())
        .isEqualTo(SharingClass.NOT_SHARED);
    for (TableDefinition table : registry.tables()) {
      assertThat(table.doc()).as(table.qualifiedName()).isNotBlank();
      for (ColumnDefinition column : table.columns()) {
        assertThat(column.doc())
            .as(table.qualifiedName() + "." + column.name())
            .containsPattern("\\p{IsHan}");
      }
    }
  }

  @Test
  void unknownTypeIsReportedWithFileAndLine() {
    String text =
        """
        namespace: lib
        doc: 测试
        tables:
          - name: t
            doc: 测试表
            owner: 大数据中心
            sharing: 有条件
            update-frequency: daily
            columns:
              - {name: a, type: string, doc: 甲}
              - {name: b, type: strng, doc: 乙}
        """;
    assertThatThrownBy(() -> TableRegistry.of(List.of(YamlDocument.parse("lib.yaml", text))))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("lib.yaml:11: unknown type 'strng' for column b");
  }

  @Test
  void sharingClassMustBeOneOfTheThreeLabels() {
    String text =
        """
        namespace: lib
        doc: 测试
        tables:
          - name: t
            doc: 测试表
            owner: 大数据中心
            sharing: 公开
            update-frequency: daily
            columns:
              - {name: a, type: string, doc: 甲}
        """;
    assertThatThrownBy(() -> TableRegistry.of(List.of(YamlDocument.parse("lib.yaml", text))))
        .hasMessage("lib.yaml:7: sharing must be one of 无条件, 有条件, 不予共享; found '公开'");
  }

  @Test
  void misspelledKeyAndUnknownPartitionColumnAreRejected() {
    String misspelled =
        """
        namespace: lib
        doc: 测试
        tables:
          - name: t
            doc: 测试表
            owner: 大数据中心
            sharing: 有条件
            update-frequncy: daily
            columns: []
        """;
    assertThatThrownBy(() -> TableRegistry.of(List.of(YamlDocument.parse("lib.yaml", misspelled))))
        .hasMessageStartingWith("lib.yaml:8: unknown key 'update-frequncy'");
    String partition =
        """
        namespace: lib
        doc: 测试
        tables:
          - name: t
            doc: 测试表
            owner: 大数据中心
            sharing: 有条件
            update-frequency: daily
            partition: [day(decided_on)]
            columns:
              - {name: a, type: string, doc: 甲}
        """;
    assertThatThrownBy(() -> TableRegistry.of(List.of(YamlDocument.parse("lib.yaml", partition))))
        .hasMessage("lib.yaml:9: partition 'day(decided_on)' names unknown column decided_on");
  }
}
