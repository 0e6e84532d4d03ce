-- report/facts_per_article: how many articles gave how many facts.
--
-- Grain: one row per number of facts (n_facts) that at least one article has.
-- Columns: n_facts (metrics + people + documents_cited rows of one article, as the run summary
--   counts facts), n_articles, n_on_topic (of those, articles with on_topic).
-- Order: n_facts.
-- Child rows are counted per article before joining, so counts never multiply.

with

metrics_per_article as (

    select doc_id, count(*) as n from metrics
    group by doc_id

),

people_per_article as (

    select doc_id, count(*) as n from people
    group by doc_id

),

documents_per_article as (

    select doc_id, count(*) as n from documents_cited
    group by doc_id

),

per_article as (

    select
        a.doc_id,
        a.on_topic,
        coalesce(m.n, 0) + coalesce(p.n, 0) + coalesce(d.n, 0) as n_facts
    from articles as a
    left join metrics_per_article as m on m.doc_id = a.doc_id
    left join people_per_article as p on p.doc_id = a.doc_id
    left join documents_per_article as d on d.doc_id = a.doc_id

)

select
    n_facts,
    count(*) as n_articles,
    count(*) filter (where on_topic) as n_on_topic
from per_article
group by n_facts
order by n_facts
