-- 行政处罚按部门、月份统计：综合执法局的处罚决定按职权来源部门计，生态环境局的环境处罚计入生态环境局。
-- 只有计数与金额，不含当事人名称与证照号码。
CREATE OR REPLACE VIEW analyst.penalty_by_department_month
COMMENT '行政处罚按部门、月份统计 — 综合执法局处罚决定（按职权来源部门）与生态环境局环境处罚，每部门每月一行；不含当事人信息'
SECURITY DEFINER AS
WITH penalty AS (
  SELECT
    coalesce(nullif(trim(origin_department), ''), '综合执法局') AS department,
    '综合执法局' AS recorded_by,
    CAST(date_trunc('month', decision_on) AS date) AS decision_month,
    subject_code,
    subject_type = '自然人' AS natural_person,
    amount
  FROM ods.comprehensive_enforcement__penalty_decision
  UNION ALL
  SELECT
    '生态环境局' AS department,
    '生态环境局' AS recorded_by,
    CAST(date_trunc('month', decided_on) AS date) AS decision_month,
    subject_code,
    false AS natural_person,
    amount
  FROM ods.ecology_environment__environmental_penalty
)
SELECT
  department,
  recorded_by,
  decision_month,
  count(*) AS penalties,
  count(DISTINCT subject_code) AS subjects,
  count_if(natural_person) AS penalties_on_persons,
  coalesce(sum(amount), 0) AS amount_total
FROM penalty
WHERE decision_month IS NOT NULL
GROUP BY department, recorded_by, decision_month;
COMMENT ON COLUMN analyst.penalty_by_department_month.department IS '处罚部门（综合执法局的处罚为职权来源部门）';
COMMENT ON COLUMN analyst.penalty_by_department_month.recorded_by IS '记录处罚的部门数据库（综合执法局 / 生态环境局）';
COMMENT ON COLUMN analyst.penalty_by_department_month.decision_month IS '处罚决定月份（当月 1 日）';
COMMENT ON COLUMN analyst.penalty_by_department_month.penalties IS '处罚决定数';
COMMENT ON COLUMN analyst.penalty_by_department_month.subjects IS '被处罚主体数（去重）';
COMMENT ON COLUMN analyst.penalty_by_department_month.penalties_on_persons IS '对自然人的处罚决定数';
COMMENT ON COLUMN analyst.penalty_by_department_month.amount_total IS '罚没金额合计（元）';
