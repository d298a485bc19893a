package cn.jiangyin.warehouse.simulator;

import static cn.jiangyin.warehouse.simulator.ColumnType.BIGINT;
import static cn.jiangyin.warehouse.simulator.ColumnType.BOOLEAN;
import static cn.jiangyin.warehouse.simulator.ColumnType.CODE;
import static cn.jiangyin.warehouse.simulator.ColumnType.DATE;
import static cn.jiangyin.warehouse.simulator.ColumnType.DECIMAL;
import static cn.jiangyin.warehouse.simulator.ColumnType.INT;
import static cn.jiangyin.warehouse.simulator.ColumnType.JSON;
import static cn.jiangyin.warehouse.simulator.ColumnType.NAME;
import static cn.jiangyin.warehouse.simulator.ColumnType.TEXT;
import static cn.jiangyin.warehouse.simulator.ColumnType.TIMESTAMPTZ;

import java.util.List;

/** The tables of each simulated department, in the order they are created and filled. */
final class DepartmentTables {
  static final Table ENTERPRISE =
      Table.named("enterprise", "市场主体登记信息")
          .column("uscc", CODE, "统一社会信用代码")
          .nullable("registration_number", CODE, "注册号（旧）")
          .column("name", NAME, "名称")
          .column("entity_type", CODE, "市场主体类型")
          .column("legal_representative", NAME, "法定代表人/经营者")
          .column("legal_representative_id", CODE, "法定代表人身份证号")
          .column("registered_capital", DECIMAL, "注册资本（万元）")
          .column("established_on", DATE, "成立日期")
          .column("status", CODE, "登记状态")
          .column("industry_code", CODE, "国民经济行业代码 GB/T 4754")
          .column("address", NAME, "住所")
          .column("town_code", CODE, "所在镇街代码")
          .build();
  static final Table SHAREHOLDER =
      Table.named("shareholder", "股东及出资信息")
          .column("enterprise_id", BIGINT, "市场主体主键")
          .column("enterprise_uscc", CODE, "统一社会信用代码")
          .column("shareholder_type", CODE, "股东类型")
          .column("shareholder_name", NAME, "股东名称")
          .column("shareholder_code", CODE, "股东证照号码")
          .column("subscribed_capital", DECIMAL, "认缴出资额（万元）")
          .column("subscribed_on", DATE, "认缴出资日期")
          .build();
  static final Table SENIOR_MANAGER =
      Table.named("senior_manager", "主要人员信息")
          .column("enterprise_id", BIGINT, "市场主体主键")
          .column("enterprise_uscc", CODE, "统一社会信用代码")
          .column("name", NAME, "姓名")
          .column("id_number", CODE, "身份证号")
          .column("position", CODE, "职务")
          .column("appointed_on", DATE, "任职日期")
          .build();
  static final Table ANNUAL_REPORT =
      Table.named("annual_report", "企业年度报告")
          .column("enterprise_id", BIGINT, "市场主体主键")
          .column("enterprise_uscc", CODE, "统一社会信用代码")
          .column("report_year", INT, "年报年度")
          .column("filed", BOOLEAN, "是否已报送")
          .nullable("filed_on", DATE, "报送日期")
          .nullable("employee_count", INT, "从业人数")
          .nullable("revenue", DECIMAL, "营业总收入（万元）")
          .build();
  static final Table ABNORMAL_LIST =
      Table.named("abnormal_list", "经营异常名录")
          .column("enterprise_id", BIGINT, "市场主体主键")
          .column("enterprise_uscc", CODE, "统一社会信用代码")
          .column("enterprise_name", NAME, "名称")
          .column("reason_code", CODE, "列入原因代码")
          .column("reason", TEXT, "列入原因")
          .column("listed_on", DATE, "列入日期")
          .column("authority", NAME, "作出决定机关")
          .nullable("removed_on", DATE, "移出日期")
          .nullable("removal_reason", TEXT, "移出原因")
          .build();

  /** 双随机抽查结果 — results of random inspections (公开 with the draws, findings become facts). */
  static final Table INSPECTION_RESULT =
      Table.named("inspection_result", "双随机抽查结果")
          .column("plan_id", CODE, "抽查计划编号")
          .column("subject_uscc", CODE, "被检查主体统一社会信用代码")
          .column("subject_name", NAME, "被检查主体名称")
          .column("inspected_on", DATE, "检查日期")
          .column("inspector_count", INT, "检查人员人数")
          .column("finding", CODE, "检查结果（未发现问题/发现问题/责令整改/立案查处）")
          .column("summary", TEXT, "检查情况说明")
          .build();

  static final Table MATTER =
      Table.named("matter", "政务服务事项目录（事项库）")
          .column("matter_code", CODE, "事项编码")
          .column("name", NAME, "事项名称")
          .column("department_name", NAME, "实施部门")
          .column("matter_type", CODE, "事项类型")
          .column("promised_days", INT, "承诺办结时限（工作日）")
          .column("online", BOOLEAN, "网上办")
          .column("no_visit", BOOLEAN, "不见面")
          .build();
  static final Table APPLICATION =
      Table.named("application", "办件")
          .column("application_number", CODE, "办件编号")
          .column("matter_code", CODE, "事项编码")
          .column("applicant_type", CODE, "申请人类型")
          .column("applicant_code", CODE, "申请人证照号码")
          .column("applicant_name", NAME, "申请人名称")
          .column("channel", CODE, "受理渠道")
          .column("accepted_at", TIMESTAMPTZ, "受理时间")
          .nullable("first_reviewed_at", TIMESTAMPTZ, "初审时间")
          .nullable("reviewed_at", TIMESTAMPTZ, "审核时间")
          .nullable("completed_at", TIMESTAMPTZ, "办结时间")
          .nullable("picked_up_at", TIMESTAMPTZ, "取件时间")
          .column("stage", CODE, "当前环节")
          .column("materials", JSON, "申请材料")
          .build();
  static final Table LICENCE =
      Table.named("licence", "行政许可证照")
          .column("licence_number", CODE, "证照编号")
          .column("licence_type", NAME, "证照类型")
          .column("matter_code", CODE, "事项编码")
          .column("holder_uscc", CODE, "持证主体统一社会信用代码")
          .column("holder_name", NAME, "持证主体名称")
          .column("issued_on", DATE, "发证日期")
          .column("expires_on", DATE, "有效期至")
          .column("status", CODE, "证照状态")
          .build();

  static final Table PENALTY_DECISION =
      Table.named("penalty_decision", "行政处罚决定")
          .column("decision_number", CODE, "处罚决定书文号")
          .column("subject_type", CODE, "当事人类型")
          .column("subject_code", CODE, "当事人证照号码")
          .column("subject_name", NAME, "当事人名称")
          .column("severity", CODE, "违法情节")
          .column("penalty_kind", CODE, "处罚种类")
          .column("amount", DECIMAL, "罚没金额（元）")
          .column("legal_basis", TEXT, "处罚依据")
          .column("decision_on", DATE, "处罚决定日期")
          .column("origin_department", NAME, "职权来源部门")
          .column("published_at", TIMESTAMPTZ, "公示时间")
          .build();

  static final Table DISHONEST_DEBTOR =
      Table.named("dishonest_debtor", "失信被执行人")
          .column("case_number", CODE, "执行案号")
          .column("subject_type", CODE, "被执行人类型")
          .column("subject_code", CODE, "被执行人证照号码")
          .column("subject_name", NAME, "被执行人名称")
          .column("filed_on", DATE, "立案日期")
          .column("obligation", TEXT, "生效法律文书确定的义务")
          .column("performance", CODE, "履行情况")
          .column("status", CODE, "名单状态")
          .column("published_on", DATE, "发布日期")
          .nullable("removed_on", DATE, "屏蔽日期")
          .build();

  static final Table TAX_CREDIT_GRADE =
      Table.named("tax_credit_grade", "纳税信用等级")
          .column("taxpayer_code", CODE, "纳税人识别号")
          .column("taxpayer_name", NAME, "纳税人名称")
          .column("assessment_year", INT, "评价年度")
          .column("grade", CODE, "信用级别")
          .column("score", INT, "评价得分")
          .column("assessed_on", DATE, "评定日期")
          .build();
  static final Table MAJOR_TAX_VIOLATION =
      Table.named("major_tax_violation", "重大税收违法失信案件")
          .column("taxpayer_code", CODE, "纳税人识别号")
          .column("taxpayer_name", NAME, "纳税人名称")
          .column("case_kind", CODE, "案件性质")
          .column("amount", DECIMAL, "涉案金额（元）")
          .column("decided_on", DATE, "处理决定日期")
          .column("published_at", TIMESTAMPTZ, "公布时间")
          .build();
  static final Table TAX_ARREARS =
      Table.named("tax_arrears", "欠税公告")
          .column("taxpayer_code", CODE, "纳税人识别号")
          .column("taxpayer_name", NAME, "纳税人名称")
          .column("tax_kind", CODE, "欠税税种")
          .column("arrears_amount", DECIMAL, "欠税金额（元）")
          .column("arrears_since", DATE, "欠税发生日期")
          .column("cleared", BOOLEAN, "是否已清缴")
          .nullable("cleared_on", DATE, "清缴日期")
          .build();

  static final Table SOCIAL_INSURANCE_ARREARS =
      Table.named("social_insurance_arrears", "社会保险费欠缴")
          .column("employer_code", CODE, "用人单位统一社会信用代码")
          .column("employer_name", NAME, "用人单位名称")
          .column("insurance_kind", CODE, "险种")
          .column("arrears_months", INT, "欠缴月数")
          .column("arrears_amount", DECIMAL, "欠缴金额（元）")
          .column("employees_affected", INT, "涉及职工人数")
          .column("recorded_on", DATE, "认定日期")
          .column("cleared", BOOLEAN, "是否已补缴")
          .build();

  static final Table ENVIRONMENTAL_PENALTY =
      Table.named("environmental_penalty", "环境行政处罚")
          .column("decision_number", CODE, "处罚决定书文号")
          .column("subject_code", CODE, "当事人统一社会信用代码")
          .column("subject_name", NAME, "当事人名称")
          .column("violation", NAME, "违法行为类型")
          .column("amount", DECIMAL, "罚款金额（元）")
          .column("decided_on", DATE, "处罚决定日期")
          .column("rectified", BOOLEAN, "是否已整改")
          .build();

  static final Table GRID =
      Table.named("grid", "网格")
          .column("grid_code", CODE, "网格编码")
          .column("grid_name", NAME, "网格名称")
          .column("grid_level", INT, "网格层级（1 一级，2 二级）")
          .nullable("parent_code", CODE, "上级网格编码")
          .column("town_code", CODE, "所在镇街代码")
          .column("head_name", NAME, "网格长")
          .column("households", INT, "户数")
          .build();
  static final Table GRID_EVENT =
      Table.named("grid_event", "网格事件")
          .column("event_number", CODE, "事件编号")
          .column("event_type", CODE, "事件类型")
          .column("grid_code", CODE, "所属网格编码")
          .nullable("subject_code", CODE, "涉及主体统一社会信用代码")
          .column("description", TEXT, "事件描述")
          .column("reported_at", TIMESTAMPTZ, "上报时间")
          .nullable("dispatched_at", TIMESTAMPTZ, "派遣时间")
          .nullable("closed_at", TIMESTAMPTZ, "办结时间")
          .column("status", CODE, "事件状态")
          .build();

  static final Table REPAIR_DECISION =
      Table.named("repair_decision", "信用修复决定")
          .column("repair_number", CODE, "信用修复决定书编号")
          .column("subject_type", CODE, "主体类型")
          .column("subject_code", CODE, "主体证照号码")
          .column("subject_name", NAME, "主体名称")
          .column("fact_department", NAME, "失信信息认定部门")
          .column("fact_number", CODE, "被修复信息的决定书文号或案号")
          .column("applied_on", DATE, "申请日期")
          .column("decided_on", DATE, "修复决定日期")
          .column("outcome", CODE, "修复结果（准予 / 不予）")
          .column("reason", TEXT, "决定理由")
          .build();
  static final Table OBJECTION =
      Table.named("objection", "信用信息异议")
          .column("objection_number", CODE, "异议申请编号")
          .column("subject_type", CODE, "主体类型")
          .column("subject_code", CODE, "主体证照号码")
          .column("subject_name", NAME, "主体名称")
          .column("list_name", NAME, "异议涉及名单")
          .column("fact_department", NAME, "信息认定部门")
          .nullable("fact_number", CODE, "异议信息的决定书文号或案号")
          .column("filed_on", DATE, "异议提出日期")
          .column("outcome", CODE, "处理结果（成立 / 不成立 / 待处理）")
          .nullable("decided_on", DATE, "处理决定日期")
          .build();
  static final Table MEASURE_FEEDBACK =
      Table.named("measure_feedback", "联合惩戒措施实施反馈")
          .column("feedback_number", CODE, "反馈编号")
          .column("implementing_department", NAME, "实施部门")
          .column("subject_code", CODE, "惩戒对象统一社会信用代码")
          .column("subject_name", NAME, "惩戒对象名称")
          .column("measure_code", CODE, "惩戒措施代码")
          .column("measure_name", NAME, "惩戒措施名称")
          .column("action_taken", TEXT, "采取的措施")
          .column("acted_on", DATE, "实施日期")
          .build();
  static final Table HONOUR =
      Table.named("honour", "表彰奖励（守信激励）")
          .column("honour_number", CODE, "表彰文号")
          .column("subject_code", CODE, "受表彰主体统一社会信用代码")
          .column("subject_name", NAME, "受表彰主体名称")
          .column("honour_name", NAME, "荣誉名称")
          .column("awarding_department", NAME, "授予部门")
          .column("awarded_on", DATE, "授予日期")
          .build();

  private DepartmentTables() {}

  static List<Table> of(Department department) {
    return switch (department) {
      case MARKET_REGULATION ->
          List.of(
              ENTERPRISE,
              SHAREHOLDER,
              SENIOR_MANAGER,
              ANNUAL_REPORT,
              ABNORMAL_LIST,
              INSPECTION_RESULT);
      case ADMINISTRATIVE_APPROVAL -> List.of(MATTER, APPLICATION, LICENCE);
      case COMPREHENSIVE_ENFORCEMENT -> List.of(PENALTY_DECISION);
      case COURT -> List.of(DISHONEST_DEBTOR);
      case TAXATION -> List.of(TAX_CREDIT_GRADE, MAJOR_TAX_VIOLATION, TAX_ARREARS);
      case HUMAN_RESOURCES -> List.of(SOCIAL_INSURANCE_ARREARS);
      case ECOLOGY_ENVIRONMENT -> List.of(ENVIRONMENTAL_PENALTY);
      case GRID_CENTER -> List.of(GRID, GRID_EVENT);
      case CREDIT_OFFICE -> List.of(REPAIR_DECISION, OBJECTION, MEASURE_FEEDBACK, HONOUR);
    };
  }
}
