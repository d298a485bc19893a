-- 共享交换：信用标记，供其他系统以 SQL 读取；自然人以 person_key 标识，不含身份证号。
CREATE OR REPLACE VIEW export.credit_flag
COMMENT '信用标记（共享交换） — credit.flag 的当前结果；自然人主体以 person_key 标识，不含身份证号明文'
SECURITY DEFINER AS
SELECT subject_id, subject_name, flag, reason, evidence, decided_on, rule_version, computed_at
FROM credit.flag;
COMMENT ON COLUMN export.credit_flag.subject_id IS '主体标识（统一社会信用代码 或 person_key）';
COMMENT ON COLUMN export.credit_flag.subject_name IS '主体名称';
COMMENT ON COLUMN export.credit_flag.flag IS '标记代码';
COMMENT ON COLUMN export.credit_flag.reason IS '标记原因';
COMMENT ON COLUMN export.credit_flag.evidence IS '依据记录（来源.表#主键）';
COMMENT ON COLUMN export.credit_flag.decided_on IS '依据记录的决定日期';
COMMENT ON COLUMN export.credit_flag.rule_version IS '规则版本';
COMMENT ON COLUMN export.credit_flag.computed_at IS '计算时间';
