-- metric_period_over_period: each series value beside its year-ago and previous period.
--
-- Grain: one row per row of metric_series, i.e. per (metric, province, scope, period_kind,
--   period_label); no row is added or dropped.
--
-- Columns: metric, province, scope, period_kind, period_label, period_start, period_end,
--   value, n_articles, has_conflict (all as in metric_series), then
--   yoy_period_label, yoy_value, yoy_change, yoy_pct_change,
--   prev_period_label, prev_value, prev_change, prev_pct_change, then (extensions, last)
--   implausible BOOLEAN: the change to the year-ago or to the previous value is not credible
--   as a fact (see the rules); never NULL;
--   corrected (an analyst's correction touched the series of this row's value, or of its yoy
--   or prev value).
--
-- Rules:
--   - The earlier period is looked up through dim_period's keys (computed from the label):
--     same metric, same province and scope (NULL-safe: a NULL province or scope matches only
--     NULL), and the key's period kind: the same kind for yoy; dim_period.prev_period_kind
--     for prev (H2 <- H1, Q1 <- Q4, ...: the same length). A period of another length never
--     matches, and a missing period gives NULLs, never the nearest existing row.
--   - asof: prev = the previous observation of the same series (the latest earlier asof day,
--     however far back); yoy = exactly the same day one year earlier, if reported.
--   - *_change = value - earlier value; *_pct_change = 100 * change / earlier value, NULL
--     when the earlier value is 0 or NULL.
--   - Where the earlier period was not reported, all four of its columns are NULL, including
--     its *_period_label (so a non-NULL label means a value was found); the label that was
--     looked for is dim_period.prev_period_label / yoy_period_label.
--   - implausible: the value and an earlier one (yoy or prev) are both positive and one is at
--     least 10 times the other (a tenfold jump or fall, e.g. the +11,723% budget revenue of a
--     misread unit), for metrics that count or sum. Rates (unit 'percent', e.g. GRDP growth
--     0.5% -> 6%) are never flagged; nor a change from or to 0 (it has no ratio).

create or replace view metric_period_over_period as

with

series as (

    select * from metric_series

),

period_keys as (

    select distinct
        period_kind,
        period_label,
        label_is_valid,
        prev_period_kind,
        prev_period_label,
        yoy_period_label
    from dim_period

),

-- asof: the previous observation of the same series (valid day labels only)
asof_previous as (

    select
        metric,
        province,
        scope,
        period_kind,
        period_label,
        lag(period_label) over (
            partition by metric, province, scope
            order by try_cast(period_label as date)
        ) as prev_observation_label
    from series
    where period_kind = 'asof'
      and period_label in (
          select period_label from period_keys
          where period_kind = 'asof' and label_is_valid
      )

),

-- metrics that are rates: a tenfold move of a rate is not implausible
rate_metrics as (

    select distinct metric from metrics
    where unit = 'percent'

),

lookups as (

    select
        s.*,
        k.yoy_period_label as yoy_lookup_label,
        case
            when s.period_kind = 'asof' then ap.prev_observation_label
            else k.prev_period_label
        end as prev_lookup_label,
        case
            when s.period_kind = 'asof' then s.period_kind
            else k.prev_period_kind
        end as prev_lookup_kind
    from series as s
    left join period_keys as k
        on k.period_kind = s.period_kind
       and k.period_label = s.period_label
    left join asof_previous as ap
        on ap.metric = s.metric
       and ap.province is not distinct from s.province
       and ap.scope is not distinct from s.scope
       and ap.period_kind = s.period_kind
       and ap.period_label = s.period_label

),

final as (

    select
        l.metric,
        l.province,
        l.scope,
        l.period_kind,
        l.period_label,
        l.period_start,
        l.period_end,
        l.value,
        l.n_articles,
        l.has_conflict,
        yoy.period_label as yoy_period_label,
        yoy.value as yoy_value,
        l.value - yoy.value as yoy_change,
        100 * (l.value - yoy.value) / nullif(yoy.value, 0) as yoy_pct_change,
        prev.period_label as prev_period_label,
        prev.value as prev_value,
        l.value - prev.value as prev_change,
        100 * (l.value - prev.value) / nullif(prev.value, 0) as prev_pct_change,
        coalesce(
            l.metric not in (select metric from rate_metrics)
            and l.value > 0
            and (
                (yoy.value > 0 and greatest(l.value, yoy.value) >= 10 * least(l.value, yoy.value))
                or (prev.value > 0 and greatest(l.value, prev.value) >= 10 * least(l.value, prev.value))
            ),
            false
        ) as implausible,
        l.corrected or coalesce(yoy.corrected, false) or coalesce(prev.corrected, false) as corrected
    from lookups as l
    left join series as yoy
        on yoy.metric = l.metric
       and yoy.province is not distinct from l.province
       and yoy.scope is not distinct from l.scope
       and yoy.period_kind = l.period_kind
       and yoy.period_label = l.yoy_lookup_label
    left join series as prev
        on prev.metric = l.metric
       and prev.province is not distinct from l.province
       and prev.scope is not distinct from l.scope
       and prev.period_kind = l.prev_lookup_kind
       and prev.period_label = l.prev_lookup_label

)

select * from final
