-- report/summary: the figures of the report's header.
--
-- Grain: one row.
-- Columns: n_articles, n_provinces (distinct known provinces of articles), n_metrics (all
--   numeric facts), n_canonical (those with a canonical metric), n_people, n_documents,
--   n_quarantined, last_run_id / last_run_finished_at (the latest successful run: the data
--   the report shows; NULL when no run succeeded).

with

last_success as (

    select run_id, finished_at from runs
    where status = 'success'
    order by finished_at desc nulls last, started_at desc
    limit 1

)

select
    (select count(*) from articles) as n_articles,
    (select count(distinct province) from articles) as n_provinces,
    (select count(*) from metrics) as n_metrics,
    (select count(metric) from metrics) as n_canonical,
    (select count(*) from people) as n_people,
    (select count(*) from documents_cited) as n_documents,
    (select count(*) from quarantine) as n_quarantined,
    (select run_id from last_success) as last_run_id,
    (select finished_at from last_success) as last_run_finished_at
