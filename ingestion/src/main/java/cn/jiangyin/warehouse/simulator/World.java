package cn.jiangyin.warehouse.simulator;

import cn.jiangyin.warehouse.standard.DivisionCodes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The simulated city every department records a part of: its people, its market subjects and its
 * towns. Built from the seed alone, so each department, filled on its own or with the others, sees
 * the same enterprises.
 */
final class World {
  /** The simulated "today": dates are generated relative to it, never to the clock. */
  static final LocalDate TODAY = LocalDate.of(2025, 6, 30);

  /** The USCC reform (三证合一): registrations before it also had a 注册号 and 组织机构代码. */
  static final LocalDate REFORM = LocalDate.of(2015, 10, 1);

  record Person(String name, String idNumber, LocalDate birth) {}

  record Town(String code, String name) {}

  record Enterprise(
      long id,
      String uscc,
      String registrationNumber,
      String name,
      String entityType,
      Person legalRepresentative,
      BigDecimal registeredCapital,
      LocalDate establishedOn,
      String status,
      Words.Industry industry,
      String address,
      Town town,
      boolean troubled) {
    boolean individualBusiness() {
      return entityType.equals("个体工商户");
    }

    boolean hasLegacyCodes() {
      return registrationNumber != null;
    }

    boolean active() {
      return status.equals("存续");
    }
  }

  final List<Town> towns;
  final List<Person> persons;
  final List<Enterprise> enterprises;

  private World(List<Town> towns, List<Person> persons, List<Enterprise> enterprises) {
    this.towns = List.copyOf(towns);
    this.persons = List.copyOf(persons);
    this.enterprises = List.copyOf(enterprises);
  }

  static World generate(SimulationSettings settings) {
    Random random = new Random(settings.seed() * 0x9E3779B97F4A7C15L + 1);
    List<Town> towns = new ArrayList<>();
    for (var town : DivisionCodes.towns()) {
      towns.add(new Town(town.code(), town.name()));
    }
    int subjects = settings.scaled(1000);
    List<Person> persons = new ArrayList<>();
    for (int i = 0, count = subjects * 3 / 2 + settings.scaled(300); i < count; i++) {
      LocalDate birth = TODAY.minusDays(18 * 365 + random.nextInt(50 * 365));
      persons.add(
          new Person(
              Words.personName(random),
              Identifiers.residentIdNumber(random, birth, random.nextBoolean()),
              birth));
    }
    List<Enterprise> enterprises = new ArrayList<>(subjects);
    for (int i = 0; i < subjects; i++) {
      enterprises.add(enterprise(random, i + 1, towns, persons));
    }
    return new World(towns, persons, enterprises);
  }

  private static Enterprise enterprise(
      Random random, long id, List<Town> towns, List<Person> persons) {
    LocalDate established = TODAY.minusDays(30 + random.nextInt(30 * 365));
    boolean afterReform = !established.isBefore(REFORM);
    int kind = random.nextInt(100);
    String type;
    Words.Industry industry;
    String name;
    Town town = Words.pick(random, towns);
    Person legal = Words.pick(random, persons);
    if (kind < 20) {
      type = "个体工商户";
      industry = Words.pick(random, Words.SHOP_INDUSTRIES);
      name =
          "江阴市"
              + town.name()
              + legal.name().charAt(0)
              + Words.pick(random, "记氏家")
              + industry.word();
    } else {
      industry = Words.pick(random, Words.INDUSTRIES);
      String sign = Words.shopSign(random);
      if (kind < 82) {
        type = "有限责任公司";
        name = "江阴市" + sign + industry.word() + "有限公司";
      } else if (kind < 90) {
        type = "股份有限公司";
        name = "江阴" + sign + industry.word() + "股份有限公司";
      } else if (kind < 95) {
        type = "个人独资企业";
        name = "江阴市" + town.name() + sign + industry.word() + "厂";
      } else {
        type = "合伙企业";
        name = "江阴" + sign + industry.word() + "合伙企业（有限合伙）";
      }
    }
    // Some put the place in brackets after the shop sign: 华兴纺织（江阴）有限公司.
    if (random.nextInt(8) == 0 && type.equals("有限责任公司")) {
      name = name.replace("有限公司", "（江阴）有限公司").replace("江阴市", "");
    }
    String uscc = Identifiers.uscc(random, type.equals("个体工商户"), afterReform);
    String registrationNumber =
        !afterReform && random.nextInt(10) < 8 ? Identifiers.registrationNumber(random) : null;
    BigDecimal capital =
        type.equals("个体工商户")
            ? BigDecimal.valueOf(1 + random.nextInt(50)).setScale(2, RoundingMode.UNNECESSARY)
            : BigDecimal.valueOf(random.nextInt(5_000_000) + 10_000, 2)
                .multiply(BigDecimal.valueOf(1 + random.nextInt(3)));
    int statusDraw = random.nextInt(100);
    String status = statusDraw < 82 ? "存续" : statusDraw < 90 ? "注销" : statusDraw < 97 ? "吊销" : "迁出";
    String address =
        "江苏省江阴市"
            + town.name()
            + Words.road(random)
            + (1 + random.nextInt(399))
            + "号"
            + (random.nextInt(4) == 0 ? (1 + random.nextInt(20)) + "幢" : "");
    boolean troubled = random.nextInt(100) < 12 || !status.equals("存续") && random.nextBoolean();
    return new Enterprise(
        id,
        uscc,
        registrationNumber,
        name,
        type,
        legal,
        capital.setScale(2, RoundingMode.HALF_UP),
        established,
        status,
        industry,
        address,
        town,
        troubled);
  }
}
