-- 数据质量：每张表每个检查项最近一次运行的结果。
CREATE OR REPLACE VIEW analyst.data_quality
COMMENT '数据质量 — 每个检查项最近一次运行（dq.results）的结果与不通过率'
SECURITY DEFINER AS
SELECT
  run_id,
  run_at,
  table_name,
  check_name,
  kind,
  blocking,
  rows_checked,
  rows_failing,
  CASE WHEN rows_checked = 0 THEN 0e0 ELSE CAST(rows_failing AS double) / rows_checked END AS failing_rate,
  passed,
  regexp_replace(
    sample_failing_keys,
    '([1-9][0-9]{5})(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])([0-9]{3}[0-9Xx])',
    '$1********$2') AS sample_failing_keys,
  defined_in
FROM (
  SELECT r.*, row_number() OVER (PARTITION BY table_name, check_name ORDER BY run_at DESC, run_id DESC) AS recency
  FROM dq.results r
)
WHERE recency = 1;
COMMENT ON COLUMN analyst.data_quality.run_id IS '检查批次号';
COMMENT ON COLUMN analyst.data_quality.run_at IS '检查时间';
COMMENT ON COLUMN analyst.data_quality.table_name IS '被检查的表';
COMMENT ON COLUMN analyst.data_quality.check_name IS '检查项名称';
COMMENT ON COLUMN analyst.data_quality.kind IS '检查类型';
COMMENT ON COLUMN analyst.data_quality.blocking IS '是否阻断构建';
COMMENT ON COLUMN analyst.data_quality.rows_checked IS '检查行数';
COMMENT ON COLUMN analyst.data_quality.rows_failing IS '不通过行数';
COMMENT ON COLUMN analyst.data_quality.failing_rate IS '不通过率（0–1）';
COMMENT ON COLUMN analyst.data_quality.passed IS '是否通过';
COMMENT ON COLUMN analyst.data_quality.sample_failing_keys IS '不通过记录主键样例（身份证号脱敏）';
COMMENT ON COLUMN analyst.data_quality.defined_in IS '检查定义位置（文件:行）';
