-- 2440 指标：企业开办 2 日、不动产登记 4 日、施工许可 40 日的达标情况。
CREATE OR REPLACE VIEW analyst.service_2440
COMMENT '2440 指标达标情况 — 企业开办 2 日、不动产登记 4 日、施工许可 40 日，按指标与办结月份统计'
SECURITY DEFINER AS
SELECT
  indicator_2440,
  CAST(date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai') AS date) AS completed_month,
  count(*) AS completed,
  count_if(meets_2440) AS meeting_2440,
  CAST(count_if(meets_2440) AS double) / count(*) AS meeting_rate,
  avg(elapsed_working_days) AS average_working_days
FROM lib.handling
WHERE indicator_2440 IS NOT NULL AND completed_at IS NOT NULL
GROUP BY 1, 2;
COMMENT ON COLUMN analyst.service_2440.indicator_2440 IS '2440 指标类别';
COMMENT ON COLUMN analyst.service_2440.completed_month IS '办结月份（北京时间，当月 1 日）';
COMMENT ON COLUMN analyst.service_2440.completed IS '办结件数';
COMMENT ON COLUMN analyst.service_2440.meeting_2440 IS '达到 2440 指标的件数';
COMMENT ON COLUMN analyst.service_2440.meeting_rate IS '达标率（0–1）';
COMMENT ON COLUMN analyst.service_2440.average_working_days IS '平均办结用时（工作日）';
