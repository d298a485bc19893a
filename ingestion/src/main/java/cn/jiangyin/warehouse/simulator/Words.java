package cn.jiangyin.warehouse.simulator;

import java.util.List;
import java.util.Random;

/**
 * Word lists the simulated names and addresses are built from. Written for this project: common
 * surnames and name characters, shop-sign syllables (字号), industries with a GB/T 4754-2017 class.
 * No real person or company is copied.
 */
final class Words {
  static final String SURNAMES =
      "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
          + "姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤缪"
          + "承薄奚";
  static final String GIVEN =
      "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红志文斌宇浩凯鹏辉慧晨俊佳婷雪琳欣" + "雨涵梓轩子睿博宏达坤峰健云海波亮春梅燕飞鑫晓东彬成龙琴";
  static final String SHOP_SIGN = "华兴澄远达恒盛泰鑫海润新宏通瑞丰金阳晟峰凯源博嘉德利中天永长江南申鼎诚信和顺安隆昌富荣益明亿" + "宇星光辰越锦程";
  static final String ROADS =
      "人民 澄江 虹桥 长山 朝阳 芙蓉 暨阳 延陵 天华 新华 镇澄 环城 五星 青果 大桥 滨江 申港 东外 西郊 "
          + "工业 科技 兴业 通江 府前 花园 红旗 文化 健康 迎宾 中山";
  static final String DISTRICT_SUFFIX = "路街大道";

  /** An industry word used in company names and its GB/T 4754-2017 class code. */
  record Industry(String word, String code) {}

  static final List<Industry> INDUSTRIES =
      List.of(
          new Industry("纺织", "C1711"),
          new Industry("服饰", "C1819"),
          new Industry("化工", "C2614"),
          new Industry("特钢", "C3120"),
          new Industry("金属制品", "C3311"),
          new Industry("机械", "C3499"),
          new Industry("电子", "C3989"),
          new Industry("塑胶", "C2929"),
          new Industry("建设工程", "E4790"),
          new Industry("贸易", "F5199"),
          new Industry("物流", "G5810"),
          new Industry("餐饮管理", "H6210"),
          new Industry("信息技术", "I6513"),
          new Industry("装饰工程", "E5010"),
          new Industry("食品", "C1499"),
          new Industry("新材料", "C2662"));

  /** Industries of individual businesses (个体工商户) and the shop word they put in their name. */
  static final List<Industry> SHOP_INDUSTRIES =
      List.of(
          new Industry("小吃店", "H6210"),
          new Industry("便利店", "F5212"),
          new Industry("五金店", "F5234"),
          new Industry("理发店", "O8010"),
          new Industry("水果店", "F5223"),
          new Industry("汽车修理部", "O8111"),
          new Industry("服装店", "F5232"));

  private Words() {}

  static char pick(Random random, String characters) {
    return characters.charAt(random.nextInt(characters.length()));
  }

  static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  static String personName(Random random) {
    StringBuilder name = new StringBuilder().append(pick(random, SURNAMES));
    name.append(pick(random, GIVEN));
    if (random.nextInt(10) < 7) {
      name.append(pick(random, GIVEN));
    }
    return name.toString();
  }

  static String shopSign(Random random) {
    char first = pick(random, SHOP_SIGN);
    char second;
    do {
      second = pick(random, SHOP_SIGN);
    } while (second == first);
    return "" + first + second;
  }

  static String road(Random random) {
    String[] roads = ROADS.split(" ");
    return roads[random.nextInt(roads.length)] + pick(random, DISTRICT_SUFFIX);
  }
}
