package cn.jiangyin.warehouse.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the rows of one department from the {@link World}. Each department draws from its own
 * random sequence (seed and department), so filling one department alone gives the same rows as
 * filling all. Rows hold the table's columns in order, without {@code row_version} and {@code
 * updated_at}.
 */
final class DepartmentRows {
  static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  /** A matter of the catalogue (事项); {@code licence} names the licence it issues, if any. */
  record Matter(
      String code, String name, String department, String type, int days, String licence) {}

  static final List<Matter> MATTERS = matters();

  private static final String[] ORIGIN_DEPARTMENTS = {
    "城市管理局",
    "市场监管局",
    "住房和城乡建设局",
    "交通运输局",
    "应急管理局",
    "生态环境局",
    "卫生健康委员会",
    "水利局",
    "自然资源和规划局",
    "文体广电和旅游局",
    "农业农村局",
    "商务局",
    "消防救援大队"
  };
  private static final String[] LEGAL_BASES = {
    "《江苏省城乡规划条例》第六十三条", "《城市市容和环境卫生管理条例》第三十六条",
    "《中华人民共和国食品安全法》第一百二十六条", "《中华人民共和国安全生产法》第九十九条",
    "《中华人民共和国大气污染防治法》第一百一十五条", "《中华人民共和国消防法》第六十条",
    "《中华人民共和国道路运输条例》第六十三条", "《江苏省河道管理条例》第五十条"
  };
  private static final String[] EVENT_TYPES = {
    "环境卫生", "安全隐患", "矛盾纠纷", "违章搭建", "占道经营", "市场监管", "消防通道", "噪声扰民"
  };

  private final World world;
  private final SimulationSettings settings;
  private final Random random;
  private final References references;

  DepartmentRows(World world, SimulationSettings settings, Department department) {
    this.world = world;
    this.settings = settings;
    this.random = new Random(settings.seed() * 31 + department.ordinal() * 0x5DEECE66DL + 7);
    this.references = new References(random, settings);
  }

  Map<Table, List<Object[]>> generate(Department department) {
    Map<Table, List<Object[]>> rows = new LinkedHashMap<>();
    switch (department) {
      case MARKET_REGULATION -> marketRegulation(rows);
      case ADMINISTRATIVE_APPROVAL -> administrativeApproval(rows);
      case COMPREHENSIVE_ENFORCEMENT ->
          rows.put(DepartmentTables.PENALTY_DECISION, penaltyDecisions());
      case COURT -> rows.put(DepartmentTables.DISHONEST_DEBTOR, dishonestDebtors());
      case TAXATION -> taxation(rows);
      case HUMAN_RESOURCES ->
          rows.put(DepartmentTables.SOCIAL_INSURANCE_ARREARS, socialInsuranceArrears());
      case ECOLOGY_ENVIRONMENT ->
          rows.put(DepartmentTables.ENVIRONMENTAL_PENALTY, environmentalPenalties());
      case GRID_CENTER -> gridCenter(rows);
      case CREDIT_OFFICE -> creditOffice(rows);
    }
    return rows;
  }

  /**
   * 认缴出资额 of holder {@code h} of {@code holders}, without drawing a random number (every other
   * simulated value stays as it was): the first holder, the legal representative, subscribes half
   * the registered capital plus an equal part of the other half, the others an equal part each; so
   * with several holders the first holds more than half and each other less. Rounded down to the
   * cent: the parts never add up to more than the registered capital.
   */
  static BigDecimal subscribedCapital(BigDecimal registeredCapital, int holders, int h) {
    BigDecimal part =
        registeredCapital.divide(BigDecimal.valueOf(2L * holders), 10, RoundingMode.DOWN);
    BigDecimal subscribed =
        holders == 1
            ? registeredCapital
            : h == 0 ? registeredCapital.divide(BigDecimal.valueOf(2)).add(part) : part;
    return subscribed.setScale(2, RoundingMode.DOWN);
  }

  private void marketRegulation(Map<Table, List<Object[]>> rows) {
    List<Object[]> enterprises = new ArrayList<>();
    List<Object[]> shareholders = new ArrayList<>();
    List<Object[]> managers = new ArrayList<>();
    List<Object[]> reports = new ArrayList<>();
    List<Object[]> abnormal = new ArrayList<>();
    for (World.Enterprise e : world.enterprises) {
      String uscc = references.uscc(e);
      enterprises.add(
          new Object[] {
            e.id(),
            uscc,
            e.registrationNumber(),
            e.name(),
            e.entityType(),
            e.legalRepresentative().name(),
            references.idNumber(e.legalRepresentative()),
            e.registeredCapital(),
            e.establishedOn(),
            e.status(),
            e.industry().code(),
            e.address(),
            e.town().code()
          });
      if (!e.individualBusiness()) {
        int holders = e.entityType().equals("个人独资企业") ? 1 : 1 + random.nextInt(4);
        for (int h = 0; h < holders; h++) {
          BigDecimal subscribed = subscribedCapital(e.registeredCapital(), holders, h);
          boolean person = h == 0 || random.nextInt(5) > 0;
          String name;
          String code;
          if (person) {
            World.Person p = h == 0 ? e.legalRepresentative() : Words.pick(random, world.persons);
            name = p.name();
            code = references.idNumber(p);
          } else {
            World.Enterprise investor = Words.pick(random, world.enterprises);
            name = investor.name();
            code = references.uscc(investor);
          }
          shareholders.add(
              new Object[] {
                (long) shareholders.size() + 1,
                e.id(),
                uscc,
                person ? "自然人股东" : "企业法人",
                name,
                code,
                subscribed,
                e.establishedOn()
              });
        }
        String[] positions =
            random.nextBoolean()
                ? new String[] {"执行董事兼总经理", "监事"}
                : new String[] {"董事长", "总经理", "监事", "财务负责人"};
        for (int m = 0; m < positions.length; m++) {
          World.Person p = m == 0 ? e.legalRepresentative() : Words.pick(random, world.persons);
          managers.add(
              new Object[] {
                (long) managers.size() + 1,
                e.id(),
                uscc,
                p.name(),
                references.idNumber(p),
                positions[m],
                e.establishedOn().plusDays(random.nextInt(400))
              });
        }
      }
      Integer unfiledYear = null;
      for (int year = 2020; year <= 2024; year++) {
        if (e.establishedOn().getYear() >= year) {
          continue;
        }
        boolean filed = random.nextInt(100) < (e.troubled() ? 60 : 95);
        LocalDate filedOn =
            filed ? LocalDate.of(year + 1, 1, 1).plusDays(random.nextInt(180)) : null;
        reports.add(
            new Object[] {
              (long) reports.size() + 1,
              e.id(),
              uscc,
              year,
              filed,
              filedOn,
              filed ? 1 + random.nextInt(e.individualBusiness() ? 5 : 300) : null,
              filed ? BigDecimal.valueOf(random.nextInt(50_000_000), 2) : null
            });
        if (!filed && year < 2024) {
          unfiledYear = year;
        }
      }
      if (unfiledYear != null) {
        LocalDate listed = LocalDate.of(unfiledYear + 1, 7, 1).plusDays(random.nextInt(20));
        boolean removed = random.nextInt(10) < 4;
        abnormal.add(
            new Object[] {
              (long) abnormal.size() + 1,
              e.id(),
              uscc,
              references.name(e),
              "01",
              "未依照《企业信息公示暂行条例》第八条规定的期限公示年度报告",
              listed,
              "江阴市市场监督管理局",
              removed ? listed.plusDays(30 + random.nextInt(300)) : null,
              removed ? "补报未报年份的年度报告并公示" : null
            });
      }
      if (e.troubled() && random.nextInt(10) < 3) {
        LocalDate listed = World.TODAY.minusDays(30 + random.nextInt(1500));
        abnormal.add(
            new Object[] {
              (long) abnormal.size() + 1,
              e.id(),
              uscc,
              references.name(e),
              "04",
              "通过登记的住所或者经营场所无法联系",
              listed,
              "江阴市市场监督管理局",
              null,
              null
            });
      }
    }
    rows.put(DepartmentTables.ENTERPRISE, enterprises);
    rows.put(DepartmentTables.SHAREHOLDER, shareholders);
    rows.put(DepartmentTables.SENIOR_MANAGER, managers);
    rows.put(DepartmentTables.ANNUAL_REPORT, reports);
    rows.put(DepartmentTables.ABNORMAL_LIST, abnormal);
    rows.put(DepartmentTables.INSPECTION_RESULT, inspectionResults());
  }

  /**
   * 双随机抽查结果 of two past plans, about one enterprise in twelve each. A generator of its own (seeded
   * from the settings) so that adding this table left every other table's rows unchanged.
   */
  private List<Object[]> inspectionResults() {
    Random draws = new Random(settings.seed() * 31 + 0x1D5EC7L);
    String[][] plans = {{"SAMR-2024H2-GENERAL", "2024-10-08"}, {"SAMR-2025H1-FOOD", "2025-04-07"}};
    String[] findings = {"未发现问题", "发现问题", "责令整改", "立案查处"};
    String[] summaries = {
      "经检查，未发现违法违规行为", "公示信息与实际情况不符", "经营场所卫生条件不符合要求，责令限期整改", "涉嫌销售不符合食品安全标准的食品，已立案调查"
    };
    List<Object[]> results = new ArrayList<>();
    for (String[] plan : plans) {
      LocalDate start = LocalDate.parse(plan[1]);
      for (World.Enterprise e : world.enterprises) {
        if (!e.status().equals("存续") || draws.nextInt(12) != 0) {
          continue;
        }
        int roll = draws.nextInt(100);
        int finding = roll < (e.troubled() ? 40 : 80) ? 0 : roll < 88 ? 1 : roll < 96 ? 2 : 3;
        results.add(
            new Object[] {
              (long) results.size() + 1,
              plan[0],
              e.uscc(),
              e.name(),
              start.plusDays(draws.nextInt(60)),
              2 + draws.nextInt(2),
              findings[finding],
              summaries[finding]
            });
      }
    }
    return results;
  }

  private void administrativeApproval(Map<Table, List<Object[]>> rows) {
    List<Object[]> matters = new ArrayList<>();
    for (Matter m : MATTERS) {
      matters.add(
          new Object[] {
            (long) matters.size() + 1,
            m.code(),
            m.name(),
            m.department(),
            m.type(),
            m.days(),
            m.days() <= 10 || random.nextInt(3) > 0,
            m.days() <= 5 && random.nextBoolean()
          });
    }
    List<Object[]> applications = new ArrayList<>();
    List<Object[]> licences = new ArrayList<>();
    List<Matter> served = MATTERS.stream().filter(m -> !m.type().equals("行政处罚")).toList();
    for (int i = 0, count = settings.scaled(2500); i < count; i++) {
      Matter matter = Words.pick(random, served);
      boolean byEnterprise = random.nextInt(10) < 8;
      World.Enterprise e = Words.pick(random, world.enterprises);
      World.Person p = Words.pick(random, world.persons);
      OffsetDateTime accepted = instantBefore(World.TODAY, 720);
      OffsetDateTime[] stages = new OffsetDateTime[4];
      boolean recent = accepted.toLocalDate().isAfter(World.TODAY.minusDays(30));
      OffsetDateTime at = accepted;
      int reached = recent ? random.nextInt(5) : random.nextInt(100) < 97 ? 4 : 3;
      for (int s = 0; s < reached; s++) {
        at = at.plusMinutes(30 + random.nextInt(matter.days() * 8 * 60 / 3 + 1));
        stages[s] = at;
      }
      // one application in twelve overruns its promised days at 办结 (2 × the limit + 3 calendar
      // days is always more working days than the limit), so on-time and "2440" rates are not all
      // 100 %; chosen by number, not by a draw, so every other simulated value stays as it was
      int overrun = matter.days() * 2 + 3;
      if (reached >= 3
          && (applications.size() + 1) % 12 == 0
          && accepted.toLocalDate().plusDays(overrun + 30L).isBefore(World.TODAY)) {
        for (int s = 2; s < reached; s++) {
          stages[s] = stages[s].plusDays(overrun);
        }
      }
      String stage = new String[] {"受理", "初审", "审核", "办结", "取件"}[reached];
      String channel = random.nextBoolean() ? "窗口" : "网上";
      String materials =
          "{\"materials\": [\"申请书\", \"%s\"], \"copies\": %d, \"channel\": \"%s\"}"
              .formatted(byEnterprise ? "营业执照" : "身份证", 1 + random.nextInt(3), channel);
      long id = applications.size() + 1;
      applications.add(
          new Object[] {
            id,
            "JY%s%06d".formatted(accepted.toLocalDate().toString().replace("-", ""), id),
            matter.code(),
            byEnterprise ? "法人" : "自然人",
            byEnterprise ? references.subjectCode(e) : references.idNumber(p),
            byEnterprise ? references.name(e) : p.name(),
            channel,
            accepted,
            stages[0],
            stages[1],
            stages[2],
            stages[3],
            stage,
            materials
          });
      if (matter.licence() != null && byEnterprise && stages[2] != null) {
        LocalDate issued = stages[2].toLocalDate();
        LocalDate expires = issued.plusYears(random.nextBoolean() ? 3 : 5);
        String status =
            e.status().equals("注销")
                ? "注销"
                : e.status().equals("吊销") ? "吊销" : expires.isBefore(World.TODAY) ? "过期" : "有效";
        licences.add(
            new Object[] {
              (long) licences.size() + 1,
              "JYXK%d%06d".formatted(issued.getYear(), licences.size() + 1),
              matter.licence(),
              matter.code(),
              references.uscc(e),
              references.name(e),
              issued,
              expires,
              status
            });
      }
    }
    rows.put(DepartmentTables.MATTER, matters);
    rows.put(DepartmentTables.APPLICATION, applications);
    rows.put(DepartmentTables.LICENCE, licences);
  }

  private List<Object[]> penaltyDecisions() {
    List<Object[]> rows = new ArrayList<>();
    for (World.Enterprise e : world.enterprises) {
      int count = e.troubled() ? random.nextInt(4) : random.nextInt(100) < 5 ? 1 : 0;
      for (int i = 0; i < count; i++) {
        rows.add(penalty(rows.size() + 1, "法人", references.subjectCode(e), references.name(e)));
      }
    }
    for (int i = 0, count = settings.scaled(40); i < count; i++) {
      World.Person p = Words.pick(random, world.persons);
      rows.add(penalty(rows.size() + 1, "自然人", references.idNumber(p), p.name()));
    }
    return rows;
  }

  Object[] penalty(long id, String subjectType, String code, String name) {
    int draw = random.nextInt(100);
    String severity = draw < 70 ? "一般" : draw < 92 ? "较重" : "严重";
    BigDecimal amount =
        switch (severity) {
          case "一般" -> money(200, 5_000);
          case "较重" -> money(5_000, 50_000);
          default -> money(50_000, 500_000);
        };
    String kind =
        severity.equals("一般") && random.nextInt(4) == 0
            ? "警告"
            : severity.equals("严重") && random.nextBoolean() ? "责令停产停业并处罚款" : "罚款";
    if (kind.equals("警告")) {
      amount = BigDecimal.ZERO.setScale(2);
    }
    LocalDate decided = World.TODAY.minusDays(random.nextInt(3 * 365));
    return new Object[] {
      id,
      "澄综执罚决字〔%d〕第%05d号".formatted(decided.getYear(), id),
      subjectType,
      code,
      name,
      severity,
      kind,
      amount,
      Words.pick(random, List.of(LEGAL_BASES)),
      decided,
      Words.pick(random, List.of(ORIGIN_DEPARTMENTS)),
      decided.plusDays(1 + random.nextInt(7)).atTime(10, random.nextInt(60)).atOffset(CHINA)
    };
  }

  private List<Object[]> dishonestDebtors() {
    List<Object[]> rows = new ArrayList<>();
    for (World.Enterprise e : world.enterprises) {
      if (random.nextInt(100) < (e.troubled() ? 35 : 1)) {
        rows.add(debtor(rows.size() + 1, "法人", references.subjectCode(e), references.name(e)));
      }
    }
    for (int i = 0, count = settings.scaled(30); i < count; i++) {
      World.Person p = Words.pick(random, world.persons);
      rows.add(debtor(rows.size() + 1, "自然人", references.idNumber(p), p.name()));
    }
    return rows;
  }

  private Object[] debtor(long id, String subjectType, String code, String name) {
    LocalDate filed = World.TODAY.minusDays(60 + random.nextInt(5 * 365));
    boolean removed = random.nextInt(10) < 3;
    LocalDate published = filed.plusDays(20 + random.nextInt(60));
    return new Object[] {
      id,
      "(%d)苏0281执%d号".formatted(filed.getYear(), 100 + id),
      subjectType,
      code,
      name,
      filed,
      "支付货款人民币%s元及迟延履行期间的债务利息".formatted(money(10_000, 2_000_000).toPlainString()),
      random.nextBoolean() ? "全部未履行" : "部分未履行",
      removed ? "已屏蔽" : "在列",
      published,
      removed ? published.plusDays(30 + random.nextInt(400)) : null
    };
  }

  private void taxation(Map<Table, List<Object[]>> rows) {
    List<Object[]> grades = new ArrayList<>();
    List<Object[]> violations = new ArrayList<>();
    List<Object[]> arrears = new ArrayList<>();
    String[] taxKinds = {"增值税", "企业所得税", "城镇土地使用税", "房产税", "印花税"};
    String[] caseKinds = {"偷税", "逃避追缴欠税", "虚开增值税专用发票", "骗取出口退税"};
    for (World.Enterprise e : world.enterprises) {
      if (e.individualBusiness()) {
        continue;
      }
      for (int year = 2022; year <= 2024; year++) {
        if (e.establishedOn().getYear() >= year) {
          continue;
        }
        int draw = random.nextInt(100);
        String grade =
            e.troubled()
                ? (draw < 30 ? "B" : draw < 60 ? "M" : draw < 85 ? "C" : "D")
                : (draw < 20 ? "A" : draw < 75 ? "B" : draw < 95 ? "M" : draw < 99 ? "C" : "D");
        int score =
            switch (grade) {
              case "A" -> 90 + random.nextInt(11);
              case "B" -> 70 + random.nextInt(20);
              case "M" -> 70 + random.nextInt(10);
              case "C" -> 40 + random.nextInt(30);
              default -> random.nextInt(40);
            };
        grades.add(
            new Object[] {
              (long) grades.size() + 1,
              references.subjectCode(e),
              references.name(e),
              year,
              grade,
              score,
              LocalDate.of(year + 1, 4, 1).plusDays(random.nextInt(30))
            });
      }
      if (e.troubled() && random.nextInt(100) < 8) {
        LocalDate decided = World.TODAY.minusDays(random.nextInt(1000));
        violations.add(
            new Object[] {
              (long) violations.size() + 1,
              references.subjectCode(e),
              references.name(e),
              caseKinds[random.nextInt(caseKinds.length)],
              money(100_000, 5_000_000),
              decided,
              decided.plusDays(15).atTime(9, 0).atOffset(CHINA)
            });
      }
      if (random.nextInt(100) < (e.troubled() ? 30 : 2)) {
        boolean cleared = random.nextInt(10) < 4;
        LocalDate since = World.TODAY.minusDays(30 + random.nextInt(900));
        arrears.add(
            new Object[] {
              (long) arrears.size() + 1,
              references.subjectCode(e),
              references.name(e),
              taxKinds[random.nextInt(taxKinds.length)],
              money(1_000, 800_000),
              since,
              cleared,
              cleared ? since.plusDays(20 + random.nextInt(200)) : null
            });
      }
    }
    rows.put(DepartmentTables.TAX_CREDIT_GRADE, grades);
    rows.put(DepartmentTables.MAJOR_TAX_VIOLATION, violations);
    rows.put(DepartmentTables.TAX_ARREARS, arrears);
  }

  private List<Object[]> socialInsuranceArrears() {
    List<Object[]> rows = new ArrayList<>();
    String[] kinds = {"企业职工基本养老保险", "职工基本医疗保险", "失业保险", "工伤保险"};
    for (World.Enterprise e : world.enterprises) {
      if (!e.individualBusiness() && random.nextInt(100) < (e.troubled() ? 30 : 2)) {
        int months = 1 + random.nextInt(18);
        int employees = 1 + random.nextInt(120);
        rows.add(
            new Object[] {
              (long) rows.size() + 1,
              references.subjectCode(e),
              references.name(e),
              kinds[random.nextInt(kinds.length)],
              months,
              BigDecimal.valueOf((long) months * employees * (40_000 + random.nextInt(60_000)), 2),
              employees,
              World.TODAY.minusDays(random.nextInt(900)),
              random.nextInt(10) < 3
            });
      }
    }
    return rows;
  }

  private List<Object[]> environmentalPenalties() {
    List<Object[]> rows = new ArrayList<>();
    String[] violations = {"超标排放大气污染物", "未批先建", "危险废物贮存不规范", "污水处理设施不正常运行", "未按规定开展自行监测", "无证排污"};
    for (World.Enterprise e : world.enterprises) {
      boolean industrial = e.industry().code().startsWith("C");
      if (industrial && random.nextInt(100) < (e.troubled() ? 40 : 3)) {
        LocalDate decided = World.TODAY.minusDays(random.nextInt(3 * 365));
        long id = rows.size() + 1;
        rows.add(
            new Object[] {
              id,
              "澄环罚〔%d〕%d号".formatted(decided.getYear(), id),
              references.subjectCode(e),
              references.name(e),
              violations[random.nextInt(violations.length)],
              money(10_000, 1_000_000),
              decided,
              random.nextInt(10) < 7
            });
      }
    }
    return rows;
  }

  private void gridCenter(Map<Table, List<Object[]>> rows) {
    List<Object[]> grids = new ArrayList<>();
    List<String> secondLevel = new ArrayList<>();
    Map<String, String> townOfGrid = new HashMap<>();
    int firstPerTown = settings.scaled(3);
    for (World.Town town : world.towns) {
      for (int f = 1; f <= firstPerTown; f++) {
        String first = town.code() + "%02d".formatted(f);
        grids.add(
            new Object[] {
              (long) grids.size() + 1,
              first,
              "%s第%d网格".formatted(town.name(), f),
              1,
              null,
              town.code(),
              Words.personName(random),
              800 + random.nextInt(400)
            });
        for (int s = 1; s <= 4; s++) {
          String second = first + "%03d".formatted(s);
          grids.add(
              new Object[] {
                (long) grids.size() + 1,
                second,
                "%s第%d网格第%d二级网格".formatted(town.name(), f, s),
                2,
                first,
                town.code(),
                Words.personName(random),
                200 + random.nextInt(100)
              });
          secondLevel.add(second);
          townOfGrid.put(second, town.code());
        }
      }
    }
    Map<String, List<World.Enterprise>> byTown = new HashMap<>();
    for (World.Enterprise e : world.enterprises) {
      byTown.computeIfAbsent(e.town().code(), code -> new ArrayList<>()).add(e);
    }
    List<Object[]> events = new ArrayList<>();
    for (int i = 0, count = settings.scaled(1500); i < count; i++) {
      String grid = Words.pick(random, secondLevel);
      List<World.Enterprise> local = byTown.getOrDefault(townOfGrid.get(grid), List.of());
      String subject =
          !local.isEmpty() && random.nextInt(10) < 4
              ? references.subjectCode(Words.pick(random, local))
              : null;
      String type = EVENT_TYPES[random.nextInt(EVENT_TYPES.length)];
      OffsetDateTime reported = instantBefore(World.TODAY, 365);
      boolean recent = reported.toLocalDate().isAfter(World.TODAY.minusDays(14));
      int reached = recent ? random.nextInt(3) : random.nextInt(100) < 96 ? 2 : 1;
      OffsetDateTime dispatched =
          reached >= 1 ? reported.plusMinutes(5 + random.nextInt(240)) : null;
      OffsetDateTime closed =
          reached >= 2 ? dispatched.plusHours(1 + random.nextInt(24 * 7)) : null;
      long id = events.size() + 1;
      events.add(
          new Object[] {
            id,
            "WG%s%06d".formatted(reported.toLocalDate().toString().replace("-", ""), id),
            type,
            grid,
            subject,
            "网格员巡查发现%s问题，已拍照上报。".formatted(type),
            reported,
            dispatched,
            closed,
            new String[] {"待派遣", "处置中", "已办结"}[reached]
          });
    }
    rows.put(DepartmentTables.GRID, grids);
    rows.put(DepartmentTables.GRID_EVENT, events);
  }

  /**
   * 联合惩戒措施 a department reports on: code, name, implementing department, action — the enterprise
   * measures of the default rule set (credit-rules rules/default/measures.yaml), so feedback
   * matches.
   */
  private static final String[][] MEASURES = {
    {"M01", "限制参加政府采购活动", "市财政局", "在政府采购供应商资格审查中予以限制"},
    {"M02", "限制申请财政性资金项目、享受优惠政策", "市发展改革委", "不予受理其财政补助资金申请"},
    {"M03", "列为重点监管对象，提高检查频次", "市市场监管局", "提高双随机抽查比例和频次"},
    {"M04", "不予授予荣誉称号", "市发展改革委", "取消其评选先进单位资格"}
  };

  /** 表彰奖励 / 守信激励: honour name and awarding department. */
  private static final String[][] HONOURS = {
    {"江阴市守合同重信用企业", "市场监管局"},
    {"纳税信用A级纳税人", "税务局"},
    {"劳动保障守法诚信示范企业", "人社局"},
    {"江阴市文明单位", "市委宣传部"},
    {"环保信用绿色等级企业", "生态环境局"},
    {"江阴市质量奖", "市人民政府"}
  };

  /**
   * The credit office (信用办) works on the other departments' records: repairs (信用修复) and objections
   * (异议) name real penalty decisions and court cases by their number, feedback on joint punishment
   * (联合惩戒) names subjects that have serious penalties or are dishonest debtors, honours go to
   * enterprises without trouble. The other departments' rows are generated again from their own
   * random sequences, so they are exactly the rows those departments hold after a fill.
   */
  private void creditOffice(Map<Table, List<Object[]>> rows) {
    List<Object[]> penalties =
        new DepartmentRows(world, settings, Department.COMPREHENSIVE_ENFORCEMENT)
            .generate(Department.COMPREHENSIVE_ENFORCEMENT)
            .get(DepartmentTables.PENALTY_DECISION);
    List<Object[]> environmental =
        new DepartmentRows(world, settings, Department.ECOLOGY_ENVIRONMENT)
            .generate(Department.ECOLOGY_ENVIRONMENT)
            .get(DepartmentTables.ENVIRONMENTAL_PENALTY);
    List<Object[]> debtors =
        new DepartmentRows(world, settings, Department.COURT)
            .generate(Department.COURT)
            .get(DepartmentTables.DISHONEST_DEBTOR);
    List<Object[]> repairs = new ArrayList<>();
    List<Object[]> objections = new ArrayList<>();
    List<Object[]> feedback = new ArrayList<>();
    for (Object[] p : penalties) {
      String severity = (String) p[5];
      String kind = (String) p[6];
      LocalDate decided = (LocalDate) p[9];
      if (!kind.equals("警告") && random.nextInt(100) < 30) {
        // a repair may be applied for once the minimum publication period has passed
        LocalDate applied =
            decided.plusMonths(severity.equals("一般") ? 3 : 12).plusDays(random.nextInt(60));
        repair(repairs, p[2], (String) p[3], (String) p[4], "综合执法局", (String) p[1], applied);
      }
      if (!severity.equals("一般") && random.nextInt(100) < 20) {
        objection(
            objections,
            (String) p[2],
            (String) p[3],
            (String) p[4],
            "严重失信主体名单",
            "综合执法局",
            (String) p[1],
            decided.plusDays(5 + random.nextInt(25)));
      }
      if (severity.equals("严重") && p[2].equals("法人")) {
        feedback(feedback, (String) p[3], (String) p[4], decided);
      }
    }
    for (Object[] e : environmental) {
      if (random.nextInt(100) < 25) {
        LocalDate applied = ((LocalDate) e[6]).plusMonths(3).plusDays(random.nextInt(60));
        repair(repairs, "法人", (String) e[2], (String) e[3], "生态环境局", (String) e[1], applied);
      }
    }
    for (Object[] d : debtors) {
      LocalDate published = (LocalDate) d[9];
      if (random.nextInt(100) < 10) {
        objection(
            objections,
            (String) d[2],
            (String) d[3],
            (String) d[4],
            "失信被执行人名单",
            "法院",
            (String) d[1],
            published.plusDays(3 + random.nextInt(30)));
      }
      if (d[2].equals("法人") && d[8].equals("在列")) {
        feedback(feedback, (String) d[3], (String) d[4], published);
      }
    }
    List<Object[]> honours = new ArrayList<>();
    for (World.Enterprise e : world.enterprises) {
      if (!e.troubled() && random.nextInt(100) < 6) {
        String[] honour = HONOURS[random.nextInt(HONOURS.length)];
        LocalDate awarded = World.TODAY.minusDays(random.nextInt(3 * 365));
        long id = honours.size() + 1;
        honours.add(
            new Object[] {
              id,
              "澄信表〔%d〕%d号".formatted(awarded.getYear(), id),
              references.subjectCode(e),
              references.name(e),
              honour[0],
              honour[1],
              awarded
            });
      }
    }
    rows.put(DepartmentTables.REPAIR_DECISION, repairs);
    rows.put(DepartmentTables.OBJECTION, objections);
    rows.put(DepartmentTables.MEASURE_FEEDBACK, feedback);
    rows.put(DepartmentTables.HONOUR, honours);
  }

  private void repair(
      List<Object[]> repairs,
      Object subjectType,
      String code,
      String name,
      String factDepartment,
      String factNumber,
      LocalDate applied) {
    LocalDate decided = applied.plusDays(5 + random.nextInt(15));
    if (!decided.isBefore(World.TODAY)) {
      return;
    }
    boolean granted = random.nextInt(100) < 85;
    long id = repairs.size() + 1;
    repairs.add(
        new Object[] {
          id,
          "澄信修〔%d〕%d号".formatted(decided.getYear(), id),
          subjectType,
          references.copied(code),
          name,
          factDepartment,
          factNumber,
          applied,
          decided,
          granted ? "准予" : "不予",
          granted ? "已履行行政处罚决定并完成整改，最短公示期已满" : "申请材料不齐全，未提交信用承诺书"
        });
  }

  private void objection(
      List<Object[]> objections,
      String subjectType,
      String code,
      String name,
      String list,
      String factDepartment,
      String factNumber,
      LocalDate filed) {
    if (!filed.isBefore(World.TODAY)) {
      return;
    }
    boolean pending = filed.isAfter(World.TODAY.minusDays(15));
    String outcome = pending ? "待处理" : random.nextInt(100) < 15 ? "成立" : "不成立";
    long id = objections.size() + 1;
    objections.add(
        new Object[] {
          id,
          "澄信异〔%d〕%d号".formatted(filed.getYear(), id),
          subjectType,
          references.copied(code),
          name,
          list,
          factDepartment,
          random.nextInt(20) == 0 ? null : factNumber,
          filed,
          outcome,
          pending ? null : filed.plusDays(3 + random.nextInt(12))
        });
  }

  /** Implementing departments report the joint-punishment measures they took, some of them. */
  private void feedback(List<Object[]> feedback, String code, String name, LocalDate from) {
    if (random.nextInt(100) >= 60) {
      return;
    }
    for (int i = 0, count = 1 + random.nextInt(2); i < count; i++) {
      String[] measure = MEASURES[random.nextInt(MEASURES.length)];
      LocalDate acted = from.plusDays(10 + random.nextInt(120));
      if (!acted.isBefore(World.TODAY)) {
        continue;
      }
      long id = feedback.size() + 1;
      feedback.add(
          new Object[] {
            id,
            "FK%s%05d".formatted(acted.toString().replace("-", ""), id),
            measure[2],
            references.copied(code),
            name,
            measure[0],
            measure[1],
            measure[3],
            acted
          });
    }
  }

  private OffsetDateTime instantBefore(LocalDate day, int days) {
    LocalDateTime at =
        day.minusDays(1 + random.nextInt(days)).atTime(8 + random.nextInt(10), random.nextInt(60));
    return at.plusSeconds(random.nextInt(60)).atOffset(CHINA);
  }

  private BigDecimal money(long lowYuan, long highYuan) {
    return BigDecimal.valueOf(
        lowYuan * 100 + (long) (random.nextDouble() * (highYuan - lowYuan) * 100), 2);
  }

  private static List<Matter> matters() {
    Object[][] rows = {
      {"食品经营许可", "市场监管局", "行政许可", 10, "食品经营许可证"},
      {"药品零售企业许可", "市场监管局", "行政许可", 15, "药品经营许可证"},
      {"特种设备使用登记", "市场监管局", "行政许可", 5, "特种设备使用登记证"},
      {"建筑工程施工许可", "住房和城乡建设局", "行政许可", 7, "建筑工程施工许可证"},
      {"商品房预售许可", "住房和城乡建设局", "行政许可", 10, "商品房预售许可证"},
      {"排污许可", "生态环境局", "行政许可", 20, "排污许可证"},
      {"建设项目环境影响报告表审批", "生态环境局", "行政许可", 15, null},
      {"道路货物运输经营许可", "交通运输局", "行政许可", 10, "道路运输经营许可证"},
      {"危险化学品经营许可", "应急管理局", "行政许可", 20, "危险化学品经营许可证"},
      {"公共场所卫生许可", "卫生健康委员会", "行政许可", 10, "公共场所卫生许可证"},
      {"建设工程规划许可", "自然资源和规划局", "行政许可", 20, "建设工程规划许可证"},
      {"娱乐场所经营许可", "文体广电和旅游局", "行政许可", 15, "娱乐场所经营许可证"},
      {"城市建筑垃圾处置核准", "城市管理局", "行政许可", 5, "建筑垃圾处置核准证"},
      {"人力资源服务许可", "人力资源和社会保障局", "行政许可", 20, "人力资源服务许可证"},
      {"企业设立登记", "市场监管局", "行政确认", 1, null},
      {"企业变更登记", "市场监管局", "行政确认", 1, null},
      {"不动产登记", "自然资源和规划局", "行政确认", 4, null},
      {"工伤认定", "人力资源和社会保障局", "行政确认", 60, null},
      {"失业保险金申领", "人力资源和社会保障局", "行政给付", 5, null},
      {"高龄津贴发放", "民政局", "行政给付", 10, null},
      {"社会保险登记", "人力资源和社会保障局", "公共服务", 1, null},
      {"个人住房公积金提取", "住房公积金管理中心", "公共服务", 1, null},
      {"对未取得食品经营许可从事经营活动的处罚", "市场监管局", "行政处罚", 90, null},
      {"对违规排放大气污染物的处罚", "生态环境局", "行政处罚", 90, null},
      {"对特种设备安全的行政检查", "市场监管局", "行政检查", 30, null},
      {"安全生产行政检查", "应急管理局", "行政检查", 30, null}
    };
    List<Matter> matters = new ArrayList<>();
    Map<String, String> typeCodes =
        Map.of("行政许可", "XK", "行政确认", "QR", "行政给付", "JF", "公共服务", "GG", "行政处罚", "CF", "行政检查", "JC");
    for (Object[] row : rows) {
      String type = (String) row[2];
      matters.add(
          new Matter(
              "320281-%s-%04d".formatted(typeCodes.get(type), matters.size() + 1),
              (String) row[0],
              (String) row[1],
              type,
              (Integer) row[3],
              (String) row[4]));
    }
    return List.copyOf(matters);
  }
}
