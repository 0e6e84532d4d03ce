-- report/coverage: articles and facts per province and period (the coverage view), so a gap
-- in a chart can be told from a period no article covers.
--
-- Grain: one row per (province, period_label) of coverage; NULL is one group each.
-- Order: province (NULL last), period_label (NULL last).

select
    province,
    period_label,
    n_articles,
    n_on_topic,
    n_metrics,
    n_canonical_metrics,
    n_people,
    n_documents
from coverage
order by province nulls last, period_label nulls last
