package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;

import cn.jiangyin.warehouse.identity.PersonKeys;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ChangeEventConverterTest {
  @Test
  void idNumbersAreRecognisedButOrganisationCodesAreNot() {
    String id = "32028119900307231" + ResidentIdNumber.checkCharacter("32028119900307231");
    assertThat(ChangeEventConverter.looksLikeIdNumber(id)).isTrue();
    // an invalid number of the right shape is still somebody's number
    String wrongCheck = id.substring(0, 17) + (id.charAt(17) == '1' ? '2' : '1');
    assertThat(ChangeEventConverter.looksLikeIdNumber(wrongCheck)).isTrue();
    assertThat(ChangeEventConverter.looksLikeIdNumber("91320281142232229Q")).isFalse();
    assertThat(ChangeEventConverter.looksLikeIdNumber("14223222-9")).isFalse();
  }

  @Test
  void positionsOrderAsNumbersNotAsText() {
    assertThat(Position.binlogFileNumber("mariadb-bin.000010")).isEqualTo(10);
    String ninth = Position.of(9, 4_000_000_000L, 0);
    String tenth = Position.of(10, 4, 0);
    assertThat(ninth.compareTo(tenth)).isNegative();
    assertThat(Position.snapshot(1L << 40, 5).compareTo(Position.of(1, 0, 0))).isNegative();
    assertThat(Position.snapshot(7, 900).compareTo(Position.snapshot(8, 1))).isNegative();
    assertThat(tenth).hasSize(Position.LENGTH);
  }

  /**
   * A transaction that began before the snapshot point and committed after it is streamed with
   * event LSNs below the snapshot's LSN and no preceding commit: its position must still follow
   * every snapshot row.
   */
  @Test
  void firstStreamedChangeFollowsTheSnapshotEvenWithLowerEventLsn() {
    SourceDefinition source =
        new SourceDefinition(
            "enforcement",
            SourceKind.POSTGRESQL,
            "127.0.0.1",
            5432,
            "enforcement",
            "capture",
            "unused",
            List.of("public.penalty"),
            Map.of(),
            SourceDefinition.SnapshotMode.INITIAL,
            Map.of());
    ChangeEventConverter converter =
        new ChangeEventConverter(source, new PersonKeys("converter-test-secret-0000"));
    String snapshotRow = position(converter.convert(record("r", 5_000, null)));
    String straddling = position(converter.convert(record("c", 4_000, null)));
    String next = position(converter.convert(record("c", 6_000, 5_500L)));
    assertThat(snapshotRow).isEqualTo(Position.snapshot(5_000, 1));
    assertThat(straddling).isGreaterThan(snapshotRow);
    assertThat(next).isGreaterThan(straddling);
  }

  private static String position(ChangeEventConverter.Result result) {
    assertThat(result).isInstanceOf(ChangeEventConverter.Converted.class);
    return ((ChangeEventConverter.Converted) result).change().position();
  }

  private static SourceRecord record(String op, long lsn, Long lastCommit) {
    Schema row = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).build();
    Schema sourceSchema =
        SchemaBuilder.struct()
            .field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    Schema envelope =
        SchemaBuilder.struct()
            .field(
                "before",
                SchemaBuilder.struct().optional().field("id", Schema.INT64_SCHEMA).build())
            .field(
                "after", SchemaBuilder.struct().optional().field("id", Schema.INT64_SCHEMA).build())
            .field("source", sourceSchema)
            .field("op", Schema.STRING_SCHEMA)
            .build();
    Struct info =
        new Struct(sourceSchema)
            .put("schema", "public")
            .put("table", "penalty")
            .put("lsn", lsn)
            .put(
                "sequence",
                "["
                    + (lastCommit == null ? "null" : "\"" + lastCommit + "\"")
                    + ",\""
                    + lsn
                    + "\"]")
            .put("ts_ms", 1_700_000_000_000L)
            .put("txId", 42L);
    Struct after = new Struct(envelope.field("after").schema()).put("id", 7L);
    Struct value = new Struct(envelope).put("after", after).put("source", info).put("op", op);
    Struct key = new Struct(row).put("id", 7L);
    return new SourceRecord(
        Map.of("server", "enforcement"),
        Map.of("lsn", lsn),
        "enforcement.public.penalty",
        row,
        key,
        envelope,
        value);
  }
}
