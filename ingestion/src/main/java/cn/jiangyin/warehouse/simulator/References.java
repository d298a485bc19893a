package cn.jiangyin.warehouse.simulator;

import java.util.Random;

/**
 * How one department writes down a subject it records: mostly the USCC and the registered name, but
 * a share of references use a legacy code (注册号 or 组织机构代码) or a variant of the name, and a share of
 * identifiers carry a wrong check character — the data quality problems the platform must find.
 */
final class References {
  private final Random random;
  private final SimulationSettings settings;

  References(Random random, SimulationSettings settings) {
    this.random = random;
    this.settings = settings;
  }

  /** The enterprise's USCC, spoiled with probability {@code invalidShare}. */
  String uscc(World.Enterprise enterprise) {
    return maybeSpoiled(enterprise.uscc());
  }

  /** The person's ID number, spoiled with probability {@code invalidShare}. */
  String idNumber(World.Person person) {
    return maybeSpoiled(person.idNumber());
  }

  /**
   * Whatever code a department holds for the enterprise: usually the USCC, sometimes a legacy code.
   */
  String subjectCode(World.Enterprise enterprise) {
    if (enterprise.hasLegacyCodes() && random.nextDouble() < settings.legacyCodeShare()) {
      return switch (random.nextInt(3)) {
        case 0 -> enterprise.registrationNumber();
        case 1 -> Identifiers.organizationCode(enterprise.uscc(), true);
        default -> Identifiers.organizationCode(enterprise.uscc(), false);
      };
    }
    return uscc(enterprise);
  }

  /** The name as a clerk typed it: usually as registered, sometimes a variant. */
  String name(World.Enterprise enterprise) {
    String name = enterprise.name();
    if (random.nextDouble() >= settings.variantNameShare()) {
      return name;
    }
    if (name.contains("（") && random.nextBoolean()) {
      return name.replace('（', '(').replace('）', ')');
    }
    if (name.endsWith("有限公司") && !name.endsWith("股份有限公司") && random.nextBoolean()) {
      return name.substring(0, name.length() - 4) + "有限责任公司";
    }
    int cut = 2 + random.nextInt(Math.max(1, name.length() - 3));
    return switch (random.nextInt(3)) {
      case 0 -> name.substring(0, cut) + " " + name.substring(cut);
      case 1 -> name + " ";
      default -> " " + name.substring(0, cut) + "  " + name.substring(cut);
    };
  }

  /** A code copied from another department's record, spoiled with probability invalidShare. */
  String copied(String code) {
    return maybeSpoiled(code);
  }

  private String maybeSpoiled(String code) {
    return random.nextDouble() < settings.invalidShare()
        ? Identifiers.withWrongCheck(random, code)
        : code;
  }
}
