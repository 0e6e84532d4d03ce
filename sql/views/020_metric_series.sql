-- metric_series: one value per canonical metric, place, scope and period (FACTS.md contract).
--
-- Grain: one row per (metric, province, scope, period_kind, period_label), over canonical
--   metrics (metric IS NOT NULL) with a known period (period_label IS NOT NULL).
--
-- Columns: metric, province, scope, period_kind, period_label, period_start, period_end,
--   value, n_articles, has_conflict, corrected.
--
-- Rules:
--   - Series never mix: NULL scope (the whole province), 'national' and each named scope
--     ('Cụm 1', ...) are different series; NULL province and NULL scope are each one group
--     (PARTITION BY / GROUP BY treat NULLs as equal), never matched to a non-NULL one.
--   - One vote per article: when an article reports the same series key twice, its first fact
--     (lowest fact_no) is its value.
--   - value = the value most articles give; a tie goes to the value of the latest article,
--     latest by articles.published_at, then articles.event_date, then doc_id (NULL dates
--     count as earliest; the doc_id is only there to make the choice deterministic).
--   - n_articles = distinct articles reporting the series; has_conflict = those articles do
--     not all give the same value (an article that disagrees with itself is not a conflict:
--     only its first fact votes).
--   - period_start / period_end are those of the fact that supplied the value (the latest
--     article giving the winning value).
--   - Facts whose article is missing from articles still count (their dates are NULL); the
--     data test *_metrics_article_exists stops such a load from being published.
--   - The facts and articles are the corrected ones (sql/macros/070_corrections.sql): a
--     rejected fact does not vote; corrected = a correction touched a fact of the series, one
--     that left it (rejected, or moved to another series) included.

create or replace view metric_series as

with

source_metrics as (

    select * from corrected_metrics()
    where metric is not null
      and period_label is not null
      and not rejected

),

source_articles as (

    select doc_id, published_at, event_date from corrected_articles()

),

-- the series a correction touched: where its facts are now, and where they were extracted
corrected_series as (

    select metric, province, scope, period_kind, period_label from corrected_metrics()
    where corrected and not rejected
    union
    select extracted_metric, extracted_province, extracted_scope, extracted_period_kind,
           extracted_period_label
    from corrected_metrics()
    where corrected and extracted_metric is not null

),

-- one fact per (series, article): the article's first by fact_no
article_facts as (

    select
        m.metric,
        m.province,
        m.scope,
        m.period_kind,
        m.period_label,
        m.period_start,
        m.period_end,
        m.value,
        m.doc_id,
        a.published_at,
        a.event_date
    from source_metrics as m
    left join source_articles as a on a.doc_id = m.doc_id
    qualify row_number() over (
        partition by m.metric, m.province, m.scope, m.period_kind, m.period_label, m.doc_id
        order by m.fact_no
    ) = 1

),

-- recency of each article within its series: 1 = latest
ranked_facts as (

    select
        *,
        row_number() over (
            partition by metric, province, scope, period_kind, period_label
            order by published_at desc nulls last,
                     event_date desc nulls last,
                     doc_id desc
        ) as recency_rank,
        count(*) over (
            partition by metric, province, scope, period_kind, period_label
        ) as n_articles,
        count(distinct value) over (
            partition by metric, province, scope, period_kind, period_label
        ) > 1 as has_conflict
    from article_facts

),

-- votes per value: how many articles give it, and how recent its latest supporter is
value_votes as (

    select
        *,
        count(*) over (
            partition by metric, province, scope, period_kind, period_label, value
        ) as n_votes,
        min(recency_rank) over (
            partition by metric, province, scope, period_kind, period_label, value
        ) as best_rank
    from ranked_facts

),

-- the winning value's latest supporting fact
final as (

    select
        metric,
        province,
        scope,
        period_kind,
        period_label,
        period_start,
        period_end,
        value,
        n_articles,
        has_conflict,
        exists (
            select 1 from corrected_series as c
            where c.metric = value_votes.metric
              and c.province is not distinct from value_votes.province
              and c.scope is not distinct from value_votes.scope
              and c.period_kind is not distinct from value_votes.period_kind
              and c.period_label = value_votes.period_label
        ) as corrected
    from value_votes
    qualify row_number() over (
        partition by metric, province, scope, period_kind, period_label
        order by n_votes desc, best_rank asc, recency_rank asc
    ) = 1

)

select * from final
