-- province_scorecard: the latest value of each canonical metric per province.
--
-- Grain: one row per (province, metric), over whole-province series only (scope IS NULL) of a
--   known province (province IS NOT NULL: a figure of an unknown province, or a national one,
--   belongs to no scorecard row).
--
-- Columns: province, metric, period_kind, period_label, period_start, period_end, value,
--   n_articles, has_conflict, yoy_period_label, yoy_value, yoy_change, yoy_pct_change,
--   corrected (all from metric_period_over_period for the chosen period).
--
-- Rules (FACTS.md is silent; decided here):
--   - "Latest" = the latest period_end. Multi-year ranges (congress terms) are used only
--     when the metric has nothing else for the province: a term total is not comparable
--     with the yearly and half-yearly figures a scorecard shows.
--   - Ties on period_end go to the longer period: Y > nM (larger n first) > H2 > H1 >
--     Q4 > Q3 > Q2 > Q1 > asof; then the earlier period_start (the longer period), then
--     period_label (latest first) for determinism.
--   - Series whose period_end is NULL come last (only chosen when nothing is dated).

create or replace view province_scorecard as

with

period_over_period as (

    select * from metric_period_over_period
    where scope is null
      and province is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by province, metric
            order by
                (period_kind = 'range') asc nulls last,
                period_end desc nulls last,
                case period_kind
                    when 'Y' then 1
                    when 'nM' then 2
                    when 'H2' then 3
                    when 'H1' then 4
                    when 'Q4' then 5
                    when 'Q3' then 6
                    when 'Q2' then 7
                    when 'Q1' then 8
                    when 'asof' then 9
                    else 10
                end asc,
                period_start asc nulls last,
                period_label desc
        ) as recency
    from period_over_period

),

final as (

    select
        province,
        metric,
        period_kind,
        period_label,
        period_start,
        period_end,
        value,
        n_articles,
        has_conflict,
        yoy_period_label,
        yoy_value,
        yoy_change,
        yoy_pct_change,
        corrected
    from ranked
    where recency = 1

)

select * from final
