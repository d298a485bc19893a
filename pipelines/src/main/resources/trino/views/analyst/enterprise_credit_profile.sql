-- 企业信用画像：企业库每个企业，附已发布的联合惩戒结论与公示期内的处罚数。
CREATE OR REPLACE VIEW analyst.enterprise_credit_profile
COMMENT '企业信用画像 — 企业库（lib.enterprise）每个统一社会信用代码一行，附 export.verdict 中已发布的结论（无结论即无信用记录，视为 clear）及当前公示期内、未修复的行政处罚与环境处罚数'
SECURITY DEFINER AS
SELECT
  e.uscc,
  e.name,
  e.status AS registration_status,
  e.town_code,
  coalesce(v.status, 'clear') AS verdict_status,
  v.grade,
  v.verdict_as_of,
  coalesce(p.published_penalties, 0) AS published_penalties,
  coalesce(p.serious_penalties, 0) AS serious_penalties,
  p.penalty_amount_total,
  p.latest_penalty_on
FROM lib.enterprise e
LEFT JOIN (
  SELECT subject_id, status, grade, as_of AS verdict_as_of
  FROM export.verdict
  WHERE subject_type = 'enterprise'
) v ON v.subject_id = e.uscc
LEFT JOIN (
  SELECT
    subject_id,
    count(*) AS published_penalties,
    count_if(severity = '严重') AS serious_penalties,
    sum(amount) AS penalty_amount_total,
    max(decided_on) AS latest_penalty_on
  FROM credit.fact
  WHERE category IN ('administrative_penalty', 'environmental_penalty')
    AND subject_type = 'enterprise'
    AND published
    AND repair_status <> 'repaired'
    AND (publish_from IS NULL OR publish_from <= current_date)
    AND (publish_until IS NULL OR publish_until >= current_date)
  GROUP BY subject_id
) p ON p.subject_id = e.uscc;
COMMENT ON COLUMN analyst.enterprise_credit_profile.uscc IS '统一社会信用代码';
COMMENT ON COLUMN analyst.enterprise_credit_profile.name IS '企业名称';
COMMENT ON COLUMN analyst.enterprise_credit_profile.registration_status IS '登记状态';
COMMENT ON COLUMN analyst.enterprise_credit_profile.town_code IS '所在镇街行政区划代码';
COMMENT ON COLUMN analyst.enterprise_credit_profile.verdict_status IS '已发布的联合惩戒结论（无结论为 clear）';
COMMENT ON COLUMN analyst.enterprise_credit_profile.grade IS '信用等级（无信用记录为空）';
COMMENT ON COLUMN analyst.enterprise_credit_profile.verdict_as_of IS '结论的评价基准日';
COMMENT ON COLUMN analyst.enterprise_credit_profile.published_penalties IS '公示期内、未修复的处罚数（行政处罚与环境处罚）';
COMMENT ON COLUMN analyst.enterprise_credit_profile.serious_penalties IS '其中情节严重的处罚数';
COMMENT ON COLUMN analyst.enterprise_credit_profile.penalty_amount_total IS '其罚款金额合计（元）';
COMMENT ON COLUMN analyst.enterprise_credit_profile.latest_penalty_on IS '最近一次处罚决定日期';
