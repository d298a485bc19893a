-- 政务服务办件时效：按部门、事项、办结月份统计按时办结率。
CREATE OR REPLACE VIEW analyst.service_timeliness
COMMENT '政务服务办件时效 — 办件（lib.handling）按部门、事项、办结月份统计办结数、按时办结率与平均用时；未办结的办件不计'
SECURITY DEFINER AS
SELECT
  h.department,
  h.matter_code,
  coalesce(m.name, h.matter_name) AS matter_name,
  m.matter_type,
  CAST(date_trunc('month', h.completed_at AT TIME ZONE 'Asia/Shanghai') AS date) AS completed_month,
  count(*) AS completed,
  count_if(h.on_time) AS completed_on_time,
  CAST(count_if(h.on_time) AS double) / count(*) AS on_time_rate,
  avg(h.elapsed_working_days) AS average_working_days,
  max(h.promised_days) AS promised_days
FROM lib.handling h
LEFT JOIN lib.matter m ON m.matter_code = h.matter_code
WHERE h.completed_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;
COMMENT ON COLUMN analyst.service_timeliness.department IS '实施部门';
COMMENT ON COLUMN analyst.service_timeliness.matter_code IS '事项编码';
COMMENT ON COLUMN analyst.service_timeliness.matter_name IS '事项名称';
COMMENT ON COLUMN analyst.service_timeliness.matter_type IS '事项类型';
COMMENT ON COLUMN analyst.service_timeliness.completed_month IS '办结月份（北京时间，当月 1 日）';
COMMENT ON COLUMN analyst.service_timeliness.completed IS '办结件数';
COMMENT ON COLUMN analyst.service_timeliness.completed_on_time IS '按承诺时限办结件数';
COMMENT ON COLUMN analyst.service_timeliness.on_time_rate IS '按时办结率（0–1）';
COMMENT ON COLUMN analyst.service_timeliness.average_working_days IS '平均办结用时（工作日）';
COMMENT ON COLUMN analyst.service_timeliness.promised_days IS '承诺办结时限（工作日）';
