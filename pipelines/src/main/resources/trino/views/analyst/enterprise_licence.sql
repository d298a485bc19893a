-- 企业证照明细：每张证照一行，附持证企业的名称与登记状态。
CREATE OR REPLACE VIEW analyst.enterprise_licence
COMMENT '企业证照明细 — 电子证照库（lib.license）每张证照一行，附持证企业在企业库中的名称与登记状态'
SECURITY DEFINER AS
SELECT
  l.holder_uscc AS uscc,
  e.name AS enterprise_name,
  e.status AS enterprise_status,
  l.licence_number,
  l.licence_type,
  l.matter_code,
  l.issuing_department,
  l.issued_on,
  l.expires_on,
  l.status AS licence_status,
  l.expiring_within_30_days,
  l.status_on
FROM lib.license l
LEFT JOIN lib.enterprise e ON e.uscc = l.holder_uscc;
COMMENT ON COLUMN analyst.enterprise_licence.uscc IS '持证主体统一社会信用代码';
COMMENT ON COLUMN analyst.enterprise_licence.enterprise_name IS '企业名称（企业库，未入库为空）';
COMMENT ON COLUMN analyst.enterprise_licence.enterprise_status IS '企业登记状态';
COMMENT ON COLUMN analyst.enterprise_licence.licence_number IS '证照编号';
COMMENT ON COLUMN analyst.enterprise_licence.licence_type IS '证照类型';
COMMENT ON COLUMN analyst.enterprise_licence.matter_code IS '事项编码';
COMMENT ON COLUMN analyst.enterprise_licence.issuing_department IS '发证部门';
COMMENT ON COLUMN analyst.enterprise_licence.issued_on IS '发证日期';
COMMENT ON COLUMN analyst.enterprise_licence.expires_on IS '有效期至';
COMMENT ON COLUMN analyst.enterprise_licence.licence_status IS '证照状态（valid 有效 / expired 过期 / revoked 吊销或注销 / suspended 暂停）';
COMMENT ON COLUMN analyst.enterprise_licence.expiring_within_30_days IS '有效且 30 日内到期';
COMMENT ON COLUMN analyst.enterprise_licence.status_on IS '状态判定日';
