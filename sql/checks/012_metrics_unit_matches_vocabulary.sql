-- Accepted values: a canonical metric carries its vocabulary unit (party_members_admitted in
-- 'person', budget_revenue_vnd in 'VND', grdp_growth_pct in 'percent', ...), so a series never
-- adds people to organizations. Vocabulary: flows/data/metrics_vocabulary.tsv, loaded by
-- flows/checks.py as the temporary table metric_vocabulary.
-- Violations: the canonical facts whose unit differs from the vocabulary's.
select m.doc_id, m.fact_no, m.metric, m.value, m.unit, v.unit as expected_unit
from checked_metrics as m
inner join metric_vocabulary as v on v.metric = m.metric
where m.unit is distinct from v.unit
order by m.doc_id, m.fact_no
