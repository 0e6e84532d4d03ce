-- coverage: what was loaded per province and period, so a gap in a chart is explained.
--
-- Grain: one row per (province, period_label) of articles (the article's own province and
--   main period; NULL is one group each).
--
-- Columns: province, period_label, n_articles, n_on_topic, n_metrics, n_canonical_metrics,
--   n_people, n_documents.
--
-- Rules:
--   - n_articles: articles; n_on_topic: those with on_topic.
--   - n_metrics: numeric facts (metrics rows) of those articles, canonical or not;
--     n_canonical_metrics: those with a canonical metric name. A fact is counted under its
--     article's province and period, even when the sentence names another (coverage is about
--     what was read, not what it describes).
--   - n_people: people rows (one per article, person, title); n_documents: documents_cited
--     rows.
--   - Child rows are counted per article before joining, so counts never multiply.

create or replace view coverage as

with

source_articles as (

    select doc_id, province, period_label, on_topic from articles

),

metrics_per_article as (

    select
        doc_id,
        count(*) as n_metrics,
        count(metric) as n_canonical_metrics
    from metrics
    group by doc_id

),

people_per_article as (

    select doc_id, count(*) as n_people from people
    group by doc_id

),

documents_per_article as (

    select doc_id, count(*) as n_documents from documents_cited
    group by doc_id

),

final as (

    select
        a.province,
        a.period_label,
        count(*) as n_articles,
        count(*) filter (where a.on_topic) as n_on_topic,
        cast(coalesce(sum(m.n_metrics), 0) as bigint) as n_metrics,
        cast(coalesce(sum(m.n_canonical_metrics), 0) as bigint) as n_canonical_metrics,
        cast(coalesce(sum(p.n_people), 0) as bigint) as n_people,
        cast(coalesce(sum(d.n_documents), 0) as bigint) as n_documents
    from source_articles as a
    left join metrics_per_article as m on m.doc_id = a.doc_id
    left join people_per_article as p on p.doc_id = a.doc_id
    left join documents_per_article as d on d.doc_id = a.doc_id
    group by a.province, a.period_label

)

select * from final
