-- Range: metrics.pct_of_plan ("đạt 123,9% kế hoạch" -> 123.9) is NULL or between 0 and 1000.
-- Above 1000% of plan is taken as a misread number (e.g. "123,9" read as 1239), not a record.
-- Violations: the facts outside that range.
select doc_id, fact_no, metric, value, pct_of_plan
from checked_metrics
where pct_of_plan is not null
  and (pct_of_plan < 0 or pct_of_plan > 1000)
order by doc_id, fact_no
