package cn.jiangyin.warehouse.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DivisionCodesTest {
  @Test
  void allNineteenTownsOfJiangyin() {
    // 7 streets, 10 towns, 2 development zones in /work/shared/data/jiangyin-towns.csv
    assertThat(DivisionCodes.towns()).hasSize(19);
    assertThat(DivisionCodes.towns()).filteredOn(town -> town.kind() == TownKind.STREET).hasSize(7);
    assertThat(DivisionCodes.towns()).filteredOn(town -> town.kind() == TownKind.TOWN).hasSize(10);
    assertThat(DivisionCodes.towns())
        .filteredOn(town -> town.kind() == TownKind.DEVELOPMENT_ZONE)
        .hasSize(2);
  }

  @Test
  void everyTownIsUniqueAndInJiangyin() {
    List<Town> towns = DivisionCodes.towns();
    assertThat(towns).extracting(Town::code).doesNotHaveDuplicates();
    assertThat(towns).extracting(Town::name).doesNotHaveDuplicates();
    assertThat(towns).extracting(Town::pinyin).doesNotHaveDuplicates();
    assertThat(towns)
        .allSatisfy(
            town -> {
              assertThat(town.code())
                  .startsWith(DivisionCodes.JIANGYIN)
                  .hasSize(12)
                  .endsWith("000");
              assertThat(town.simulated()).isTrue();
            });
    assertThat(DivisionCodes.JIANGYIN).isEqualTo("320281");
  }

  @Test
  void codesFollowTheStatisticsBureauRanges() {
    assertThat(DivisionCodes.towns())
        .allSatisfy(
            town -> {
              int number = Integer.parseInt(town.code().substring(6, 9));
              switch (town.kind()) {
                case STREET -> assertThat(number).isBetween(1, 99);
                case TOWN -> assertThat(number).isBetween(100, 199);
                case DEVELOPMENT_ZONE -> assertThat(number).isBetween(400, 599);
              }
            });
  }

  @Test
  void lookupByNameAndByCode() {
    Town huashi = DivisionCodes.town("华士镇").orElseThrow();
    assertThat(huashi.pinyin()).isEqualTo("huashi");
    assertThat(huashi.kind()).isEqualTo(TownKind.TOWN);
    assertThat(DivisionCodes.town(huashi.code())).contains(huashi);
    assertThat(DivisionCodes.town("320281001000").orElseThrow().name()).isEqualTo("澄江街道");
    assertThat(DivisionCodes.town("临港经济开发区").orElseThrow().kind())
        .isEqualTo(TownKind.DEVELOPMENT_ZONE);
    assertThat(DivisionCodes.town("华士")).isEmpty();
    assertThat(DivisionCodes.town("320281999000")).isEmpty();
  }

  @Test
  void brokenFileNamesTheLine() {
    String header = "name,pinyin,kind,code,simulated";
    assertThatThrownBy(
            () ->
                DivisionCodes.parse(
                    List.of(
                        header,
                        "澄江街道,chengjiang,street,320281001000,true",
                        "南闸街道,nanzha,village,320281002000,true")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("/standards/jiangyin-towns.csv:3: Invalid town kind: village");
    assertThatThrownBy(
            () ->
                DivisionCodes.parse(
                    List.of(
                        header,
                        "澄江街道,chengjiang,street,320281001000,true",
                        "南闸街道,nanzha,street,320281001000,true")))
        .hasMessage("/standards/jiangyin-towns.csv:3: duplicate 南闸街道 320281001000");
    assertThatThrownBy(
            () -> DivisionCodes.parse(List.of(header, "澄江街道,chengjiang,street,320282001000,true")))
        .hasMessage("/standards/jiangyin-towns.csv:2: code 320282001000 is not in 320281");
    assertThatThrownBy(() -> DivisionCodes.parse(List.of("name,pinyin,kind")))
        .hasMessageContaining(":1: expected header");
  }
}
