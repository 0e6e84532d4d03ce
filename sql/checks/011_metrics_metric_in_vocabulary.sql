-- Accepted values: metrics.metric is NULL (a quantity with no canonical name) or a canonical
-- metric of FACTS.md, as listed in flows/data/metrics_vocabulary.tsv. The check runner
-- (flows/checks.py) loads that file as the temporary table metric_vocabulary(metric, unit,
-- description, example) before running the checks.
-- Violations: the facts whose metric is not in the vocabulary.
select m.doc_id, m.fact_no, m.metric, m.value, m.unit
from checked_metrics as m
where m.metric is not null
  and not exists (select 1 from metric_vocabulary as v where v.metric = m.metric)
order by m.doc_id, m.fact_no
