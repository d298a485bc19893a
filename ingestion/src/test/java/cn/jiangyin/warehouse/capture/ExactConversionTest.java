package cn.jiangyin.warehouse.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The schema-evolution rule on values: a raw column that kept its type after a source change
 * receives the new values exactly, or not at all.
 */
class ExactConversionTest {
  @Test
  void widerTypesTakeValuesExactly() {
    assertThat(LakeWriter.coerce(7, Types.LongType.get(), "c")).isEqualTo(7L);
    assertThat(LakeWriter.coerce(1.5f, Types.DoubleType.get(), "c")).isEqualTo(1.5d);
    assertThat(LakeWriter.coerce(new BigDecimal("1.5000"), Types.DecimalType.of(20, 2), "c"))
        .isEqualTo(new BigDecimal("1.50"));
    assertThat(LakeWriter.coerce(42L, Types.DecimalType.of(20, 2), "c"))
        .isEqualTo(new BigDecimal("42.00"));
    assertThat(LakeWriter.coerce(new BigDecimal("12"), Types.LongType.get(), "c")).isEqualTo(12L);
    assertThat(LakeWriter.coerce("15", Types.LongType.get(), "c")).isEqualTo(15L);
    assertThat(LakeWriter.coerce("-3.25", Types.DecimalType.of(10, 2), "c"))
        .isEqualTo(new BigDecimal("-3.25"));
    assertThat(LakeWriter.coerce(42, Types.StringType.get(), "c")).isEqualTo("42");
    assertThat(LakeWriter.coerce(new BigDecimal("1E+3"), Types.StringType.get(), "c"))
        .isEqualTo("1000");
    assertThat(LakeWriter.coerce(LocalDate.of(1900, 3, 1), Types.StringType.get(), "c"))
        .isEqualTo("1900-03-01");
    assertThat(
            LakeWriter.coerce(
                Arrays.asList(1, null), Types.ListType.ofOptional(9, Types.LongType.get()), "c"))
        .isEqualTo(Arrays.asList(1L, null));
  }

  @Test
  void valuesThatCannotBeStoredExactlyAreRefused() {
    for (Object[] refused :
        new Object[][] {
          {new BigDecimal("1.2345"), Types.DecimalType.of(20, 2)},
          {new BigDecimal("123456789012345678901"), Types.DecimalType.of(20, 0)},
          {5_000_000_000L, Types.IntegerType.get()},
          {"many", Types.LongType.get()},
          {"015", Types.LongType.get()},
          {"1e3", Types.DecimalType.of(10, 0)},
          {new BigDecimal("1.5"), Types.LongType.get()},
          {(1L << 53) + 1, Types.DoubleType.get()},
          {1.5d, Types.FloatType.get()},
          {"true", Types.BooleanType.get()},
          {LocalDateTime.of(2026, 1, 1, 0, 0), Types.TimestampType.withZone()},
          {
            OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
            Types.TimestampType.withoutZone()
          },
          {ByteBuffer.wrap(new byte[] {1}), Types.StringType.get()},
          {List.of("x"), Types.ListType.ofOptional(9, Types.IntegerType.get())}
        }) {
      assertThatThrownBy(
              () -> LakeWriter.coerce(refused[0], (org.apache.iceberg.types.Type) refused[1], "c"))
          .as("%s into %s", refused[0], refused[1])
          .isInstanceOf(UnconvertibleValueException.class)
          .hasMessageStartingWith("Cannot store");
    }
  }

  @Test
  void rawColumnsWidenInPlaceAndNeverNarrow() {
    assertThat(RawTables.widened(Types.IntegerType.get(), Types.LongType.get()))
        .contains(Types.LongType.get());
    assertThat(RawTables.widened(Types.DecimalType.of(10, 2), Types.DecimalType.of(20, 2)))
        .contains(Types.DecimalType.of(20, 2));
    // more scale: the raw scale stays, the integer digits grow
    assertThat(RawTables.widened(Types.DecimalType.of(10, 2), Types.DecimalType.of(24, 4)))
        .contains(Types.DecimalType.of(22, 2));
    assertThat(RawTables.widened(Types.DecimalType.of(20, 2), Types.DecimalType.of(22, 4)))
        .isEmpty();
    assertThat(RawTables.widened(Types.LongType.get(), Types.IntegerType.get())).isEmpty();
    assertThat(RawTables.widened(Types.StringType.get(), Types.IntegerType.get())).isEmpty();
    assertThat(RawTables.widened(Types.IntegerType.get(), Types.StringType.get())).isEmpty();
    assertThat(
            RawSchemas.sameType(
                Types.ListType.ofOptional(3, Types.IntegerType.get()),
                Types.ListType.ofOptional(0, Types.IntegerType.get())))
        .isTrue();
  }
}
