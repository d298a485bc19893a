-- 网格事件：按网格、事件类型、上报月份统计事件数、办结数与办结用时。
CREATE OR REPLACE VIEW analyst.grid_event_summary
COMMENT '网格事件统计 — 网格事件（lib.grid_event）按网格、事件类型、信息汇聚月份统计事件数、办结数与平均办结用时'
SECURITY DEFINER AS
SELECT
  e.grid_code,
  g.grid_name,
  g.town_code,
  e.event_type,
  CAST(date_trunc('month', e.gathered_at AT TIME ZONE 'Asia/Shanghai') AS date) AS gathered_month,
  count(*) AS events,
  count_if(e.closed_at IS NOT NULL) AS closed_events,
  count_if(e.closed_at IS NULL) AS open_events,
  avg(e.hours_to_close) AS average_hours_to_close
FROM lib.grid_event e
LEFT JOIN lib.grid g ON g.grid_code = e.grid_code
GROUP BY 1, 2, 3, 4, 5;
COMMENT ON COLUMN analyst.grid_event_summary.grid_code IS '网格编码';
COMMENT ON COLUMN analyst.grid_event_summary.grid_name IS '网格名称';
COMMENT ON COLUMN analyst.grid_event_summary.town_code IS '所在镇街行政区划代码';
COMMENT ON COLUMN analyst.grid_event_summary.event_type IS '事件类型';
COMMENT ON COLUMN analyst.grid_event_summary.gathered_month IS '信息汇聚月份（北京时间，当月 1 日）';
COMMENT ON COLUMN analyst.grid_event_summary.events IS '事件数';
COMMENT ON COLUMN analyst.grid_event_summary.closed_events IS '已办结事件数';
COMMENT ON COLUMN analyst.grid_event_summary.open_events IS '未办结事件数';
COMMENT ON COLUMN analyst.grid_event_summary.average_hours_to_close IS '平均办结用时（小时，仅已办结事件）';
