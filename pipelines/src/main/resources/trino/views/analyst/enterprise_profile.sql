-- 企业画像：企业库的一行一个企业，附其电子证照的数量与状态。
CREATE OR REPLACE VIEW analyst.enterprise_profile
COMMENT '企业画像 — 企业库（lib.enterprise）每个统一社会信用代码一行，附电子证照（lib.license）按状态的数量；法定代表人身份证号仅脱敏值'
SECURITY DEFINER AS
SELECT
  e.uscc,
  e.name,
  e.entity_type,
  e.status,
  e.legal_representative_masked_id,
  e.registered_capital,
  e.established_on,
  e.industry_code,
  e.town_code,
  coalesce(l.licences, 0) AS licences,
  coalesce(l.valid_licences, 0) AS valid_licences,
  coalesce(l.expired_licences, 0) AS expired_licences,
  coalesce(l.revoked_licences, 0) AS revoked_licences,
  coalesce(l.expiring_within_30_days, 0) AS licences_expiring_within_30_days,
  e.as_of
FROM lib.enterprise e
LEFT JOIN (
  SELECT
    holder_uscc,
    count(*) AS licences,
    count_if(status = 'valid') AS valid_licences,
    count_if(status = 'expired') AS expired_licences,
    count_if(status = 'revoked') AS revoked_licences,
    count_if(expiring_within_30_days) AS expiring_within_30_days
  FROM lib.license
  WHERE holder_uscc_valid
  GROUP BY holder_uscc
) l ON l.holder_uscc = e.uscc;
COMMENT ON COLUMN analyst.enterprise_profile.uscc IS '统一社会信用代码';
COMMENT ON COLUMN analyst.enterprise_profile.name IS '企业名称';
COMMENT ON COLUMN analyst.enterprise_profile.entity_type IS '主体类型（企业 / 个体工商户）';
COMMENT ON COLUMN analyst.enterprise_profile.status IS '登记状态（存续、吊销、注销、迁出）';
COMMENT ON COLUMN analyst.enterprise_profile.legal_representative_masked_id IS '法定代表人身份证号（脱敏）';
COMMENT ON COLUMN analyst.enterprise_profile.registered_capital IS '注册资本（万元）';
COMMENT ON COLUMN analyst.enterprise_profile.established_on IS '成立日期';
COMMENT ON COLUMN analyst.enterprise_profile.industry_code IS '行业代码（GB/T 4754）';
COMMENT ON COLUMN analyst.enterprise_profile.town_code IS '所在镇街行政区划代码';
COMMENT ON COLUMN analyst.enterprise_profile.licences IS '电子证照数';
COMMENT ON COLUMN analyst.enterprise_profile.valid_licences IS '有效证照数';
COMMENT ON COLUMN analyst.enterprise_profile.expired_licences IS '过期证照数';
COMMENT ON COLUMN analyst.enterprise_profile.revoked_licences IS '吊销或注销的证照数';
COMMENT ON COLUMN analyst.enterprise_profile.licences_expiring_within_30_days IS '30 日内到期的有效证照数';
COMMENT ON COLUMN analyst.enterprise_profile.as_of IS '企业库数据截至时间';
