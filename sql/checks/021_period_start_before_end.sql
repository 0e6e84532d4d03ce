-- Range: period_start <= period_end, in metrics and in articles (the article's main period).
-- Violations: the rows whose period ends before it starts.
with

periods as (

    select 'metrics' as table_name, doc_id, fact_no, period_kind, period_label,
           period_start, period_end
    from checked_metrics
    union all
    select 'articles', doc_id, null, period_kind, period_label, period_start, period_end
    from checked_articles

)

select *
from periods
where period_start > period_end
order by table_name, doc_id, fact_no
