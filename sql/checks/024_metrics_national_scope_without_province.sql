-- Consistency: a figure of the whole country (scope 'national', "cả nước", "toàn Đảng") has
-- province NULL (FACTS.md), so it can never join a province's series.
-- Violations: the national facts that carry a province.
select doc_id, fact_no, metric, value, province, scope
from checked_metrics
where scope = 'national'
  and province is not null
order by doc_id, fact_no
