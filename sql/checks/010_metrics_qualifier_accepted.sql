-- Accepted values: metrics.qualifier is NULL (exact) or one of over, nearly, about, under,
-- estimate.
-- Violations: the facts with any other qualifier.
select doc_id, fact_no, metric, value, qualifier
from checked_metrics
where qualifier is not null
  and qualifier not in ('over', 'nearly', 'about', 'under', 'estimate')
order by doc_id, fact_no
