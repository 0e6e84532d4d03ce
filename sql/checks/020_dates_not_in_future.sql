-- Range: no date lies in the future: articles.published_at and event_date, metrics.period_start
-- (a period cannot begin after today) and documents_cited.issued_on must be on or before
-- today + 1 day (tolerance for the warehouse clock versus local Vietnamese time, UTC+7).
-- metrics.period_end is not checked: an estimate for the current year ("ước cả năm") ends in
-- the future legitimately.
-- Violations: one row per future date; table_name and column_name say where.
with

dated as (

    select 'articles' as table_name, doc_id, null::integer as fact_no,
           'published_at' as column_name, cast(published_at as date) as day
    from checked_articles
    union all
    select 'articles', doc_id, null, 'event_date', event_date from checked_articles
    union all
    select 'metrics', doc_id, fact_no, 'period_start', period_start from checked_metrics
    union all
    select 'documents_cited', doc_id, null, 'issued_on', issued_on from checked_documents_cited

)

select *
from dated
where day > current_date + 1
order by table_name, column_name, doc_id, fact_no
