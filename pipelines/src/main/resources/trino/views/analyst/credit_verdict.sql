-- 联合惩戒结论：最近一次评价的每个主体的结论、措施与原因；自然人以 person_key 标识，姓名脱敏，不含身份证号。
CREATE OR REPLACE VIEW analyst.credit_verdict
COMMENT '联合惩戒结论 — credit.verdict 最近评价基准日的每个主体一行：结论、等级、惩戒措施与原因（JSON）；自然人以 person_key 标识、姓名脱敏，不含身份证号明文'
SECURITY DEFINER AS
SELECT
  v.subject_id,
  v.subject_type,
  CASE WHEN v.subject_type = 'person' AND v.subject_name IS NOT NULL
    THEN substr(v.subject_name, 1, 1) || '**' ELSE v.subject_name END AS subject_name,
  v.status,
  v.grade,
  cardinality(CAST(json_parse(v.measures) AS array(json))) AS measure_count,
  array_join(
    transform(CAST(json_parse(v.measures) AS array(json)), m -> json_extract_scalar(m, '$.code')),
    ',') AS measure_codes,
  v.measures,
  v.reasons,
  v.rule_version,
  v.valid_from,
  v.valid_to,
  v.as_of
FROM credit.verdict v
WHERE v.as_of = (SELECT max(as_of) FROM credit.verdict);
COMMENT ON COLUMN analyst.credit_verdict.subject_id IS '主体标识（统一社会信用代码 或 person_key）';
COMMENT ON COLUMN analyst.credit_verdict.subject_type IS '主体类型（enterprise 企业 / person 自然人）';
COMMENT ON COLUMN analyst.credit_verdict.subject_name IS '主体名称（自然人姓名脱敏）';
COMMENT ON COLUMN analyst.credit_verdict.status IS '结论（clear 无限制 / warn 关注 / restricted 限制）';
COMMENT ON COLUMN analyst.credit_verdict.grade IS '信用等级';
COMMENT ON COLUMN analyst.credit_verdict.measure_count IS '惩戒措施数';
COMMENT ON COLUMN analyst.credit_verdict.measure_codes IS '惩戒措施代码（逗号分隔）';
COMMENT ON COLUMN analyst.credit_verdict.measures IS '惩戒措施（JSON：代码、名称、法律依据、实施部门、受影响事项类型）';
COMMENT ON COLUMN analyst.credit_verdict.reasons IS '原因（JSON：名单、名单记录、事由）';
COMMENT ON COLUMN analyst.credit_verdict.rule_version IS '规则版本';
COMMENT ON COLUMN analyst.credit_verdict.valid_from IS '结论有效起始日';
COMMENT ON COLUMN analyst.credit_verdict.valid_to IS '结论有效截止日';
COMMENT ON COLUMN analyst.credit_verdict.as_of IS '评价基准日';
