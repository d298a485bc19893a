-- 信用等级分布：最近一次评价中各主体类型、各等级的主体数与得分。
CREATE OR REPLACE VIEW analyst.credit_score_by_grade
COMMENT '信用等级分布 — credit.score 最近评价基准日，按主体类型与信用等级统计主体数、平均分、最低分、最高分及高风险（D 类）主体数'
SECURITY DEFINER AS
SELECT
  s.as_of,
  s.subject_type,
  s.grade,
  max(s.grade_name) AS grade_name,
  count(*) AS subjects,
  round(avg(s.score), 1) AS average_score,
  min(s.score) AS min_score,
  max(s.score) AS max_score,
  count_if(s.risk_class = 'D') AS risk_class_d_subjects,
  max(s.rule_version) AS rule_version
FROM credit.score s
WHERE s.as_of = (SELECT max(as_of) FROM credit.score)
GROUP BY s.as_of, s.subject_type, s.grade;
COMMENT ON COLUMN analyst.credit_score_by_grade.as_of IS '评价基准日';
COMMENT ON COLUMN analyst.credit_score_by_grade.subject_type IS '主体类型（enterprise / person）';
COMMENT ON COLUMN analyst.credit_score_by_grade.grade IS '信用等级（A/B/C/D）';
COMMENT ON COLUMN analyst.credit_score_by_grade.grade_name IS '信用等级名称';
COMMENT ON COLUMN analyst.credit_score_by_grade.subjects IS '主体数';
COMMENT ON COLUMN analyst.credit_score_by_grade.average_score IS '平均得分';
COMMENT ON COLUMN analyst.credit_score_by_grade.min_score IS '最低得分';
COMMENT ON COLUMN analyst.credit_score_by_grade.max_score IS '最高得分';
COMMENT ON COLUMN analyst.credit_score_by_grade.risk_class_d_subjects IS '信用风险分类为 D 类（最高风险）的主体数';
COMMENT ON COLUMN analyst.credit_score_by_grade.rule_version IS '规则版本';
