package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.jiangyin.warehouse.yaml.InvalidFileException;
import cn.jiangyin.warehouse.yaml.YamlDocument;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SourceRegistryTest {
  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "ENFORCEMENT_DB_HOST", "10.0.0.12",
          "ENFORCEMENT_CAPTURE_PASSWORD", "s3cret",
          "TAXATION_DB_HOST", "10.0.0.13",
          "TAXATION_CAPTURE_PASSWORD", "s3cret2");

  @Test
  void documentedExampleIsValid() {
    SourceRegistry registry =
        SourceRegistry.read(
            YamlDocument.read(Path.of("../docs/sources.example.yaml")), ENVIRONMENT::get);
    SourceDefinition enforcement = registry.source("comprehensive_enforcement").orElseThrow();
    assertThat(enforcement.kind()).isEqualTo(SourceKind.POSTGRESQL);
    assertThat(enforcement.host()).isEqualTo("10.0.0.12");
    assertThat(enforcement.password()).isEqualTo("s3cret");
    assertThat(enforcement.tables()).containsExactly("public.penalty_decision");
    assertThat(enforcement.personalColumns("public.penalty_decision"))
        .isEqualTo(Set.of("subject_code"));
    assertThat(enforcement.connectorOptions())
        .containsEntry("publication.autocreate.mode", "disabled");
    SourceDefinition taxation = registry.source("taxation").orElseThrow();
    assertThat(taxation.port()).isEqualTo(3306);
    assertThat(taxation.tables())
        .containsExactly("taxation.tax_credit_grade", "taxation.tax_arrears");
    assertThat(enforcement.rawTableName("public.penalty_decision"))
        .isEqualTo("comprehensive_enforcement__penalty_decision");
  }

  @Test
  void passwordWrittenInTheFileIsRefusedWithItsLine() {
    String text =
        """
        sources:
          - name: court
            kind: postgresql
            host: 127.0.0.1
            database: court
            user: capture
            password: hunter2
            tables: [dishonest_debtor]
        """;
    assertThatThrownBy(() -> read(text))
        .isInstanceOf(InvalidFileException.class)
        .hasMessageStartingWith("sources.yaml:7: password must be ${env:VARIABLE}");
  }

  @Test
  void wrongKindUnknownKeyAndUnsetVariableAreReportedWithTheirLines() {
    assertThatThrownBy(
            () ->
                read(
                    """
                    sources:
                      - name: court
                        kind: oracle
                    """))
        .hasMessage("sources.yaml:3: kind must be postgresql, mariadb or mysql; found 'oracle'");
    assertThatThrownBy(
            () ->
                read(
                    """
                    sources:
                      - name: court
                        kind: postgresql
                        hostname: x
                    """))
        .hasMessageStartingWith("sources.yaml:4: unknown key 'hostname'");
    assertThatThrownBy(
            () ->
                read(
                    """
                    sources:
                      - name: court
                        kind: postgresql
                        host: ${env:COURT_HOST}
                        database: court
                        user: capture
                        password: ${env:COURT_PASSWORD}
                        tables: [dishonest_debtor]
                    """))
        .hasMessage("sources.yaml:4: environment variable COURT_HOST is not set");
  }

  private static SourceRegistry read(String text) {
    return SourceRegistry.read(YamlDocument.parse("sources.yaml", text), ENVIRONMENT::get);
  }
}
