-- Relationship: every fact has its article (metrics.doc_id in articles.doc_id).
-- Violations: the facts whose doc_id is not an article.
select m.doc_id, m.fact_no, m.metric, m.value
from checked_metrics as m
where not exists (select 1 from checked_articles as a where a.doc_id = m.doc_id)
order by m.doc_id, m.fact_no
