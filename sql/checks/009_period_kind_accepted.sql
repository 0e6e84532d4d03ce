-- Accepted values: period_kind, in metrics and in articles (the article's main period), is
-- NULL or one of Y, H1, H2, Q1, Q2, Q3, Q4, nM, range, asof.
-- Violations: the rows with any other period_kind; table_name says where (fact_no is NULL
-- for articles).
with

periods as (

    select 'metrics' as table_name, doc_id, fact_no, period_kind, period_label from checked_metrics
    union all
    select 'articles', doc_id, null, period_kind, period_label from checked_articles

)

select *
from periods
where period_kind is not null
  and period_kind not in ('Y', 'H1', 'H2', 'Q1', 'Q2', 'Q3', 'Q4', 'nM', 'range', 'asof')
order by table_name, doc_id, fact_no
