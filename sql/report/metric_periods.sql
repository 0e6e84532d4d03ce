-- report/metric_periods: every whole-province value of every canonical metric, with its
-- period-over-period comparisons, for the report's charts and change tables (flows/report.py).
--
-- Grain: one row per row of metric_period_over_period with scope IS NULL (the whole province)
--   and province IS NOT NULL (as province_scorecard: a national figure, a cluster's or a
--   district's is another series and is not charted).
--
-- Columns: metric, province, period_kind, period_label, period_start, period_end, value,
--   n_articles, has_conflict, yoy_* and prev_*, implausible, corrected (all as in
--   metric_period_over_period), then
--   chart_group   VARCHAR  the periods that share one chart: 'half-years' (H1, H2), 'years' (Y),
--                          'quarters' (Q1..Q4), 'first N months' (nM, one group per N),
--                          'stock on a day' (asof), 'N-year terms' (range, one group per
--                          length). Periods of different lengths never share a chart.
--   group_order   INTEGER  the order of the charts of one metric
--   move          DOUBLE   the larger of |yoy_pct_change| and |prev_pct_change| (NULL when both are)
--   is_latest_change BOOLEAN  the latest period (latest period_end) of the series
--                          (metric, province, chart_group) that has a year-ago or an adjacent
--                          value: the row of the "latest changes" table
--   change_rank   BIGINT   within a metric, 1 = the largest move among its latest changes
--                          (an implausible change, then a change whose earlier value was 0, which
--                          has no percentage, are ranked last);
--                          NULL on the other rows
--
-- Order: metric, group_order, chart_group, province, period_start, period_label.

with

series as (

    select * from metric_period_over_period
    where scope is null
      and province is not null

),

grouped as (

    select
        *,
        case
            when period_kind in ('H1', 'H2') then 'half-years'
            when period_kind = 'Y' then 'years'
            when period_kind in ('Q1', 'Q2', 'Q3', 'Q4') then 'quarters'
            when period_kind = 'nM'
                then 'first ' || regexp_extract(period_label, '-(\d+)M$', 1) || ' months'
            when period_kind = 'asof' then 'stock on a day'
            when period_kind = 'range'
                then cast(try_cast(substr(period_label, 6, 4) as integer)
                          - try_cast(substr(period_label, 1, 4) as integer) as varchar)
                     || '-year terms'
            else coalesce(period_kind, 'unknown period')
        end as chart_group,
        case
            when period_kind in ('H1', 'H2') then 1
            when period_kind = 'Y' then 2
            when period_kind in ('Q1', 'Q2', 'Q3', 'Q4') then 3
            when period_kind = 'nM' then 4
            when period_kind = 'asof' then 5
            when period_kind = 'range' then 6
            else 7
        end as group_order,
        greatest(abs(yoy_pct_change), abs(prev_pct_change)) as move
    from series

),

latest as (

    select
        *,
        (yoy_value is not null or prev_value is not null)
        and row_number() over (
            partition by metric, province, chart_group
            order by (yoy_value is not null or prev_value is not null) desc,
                     period_end desc nulls last,
                     period_label desc
        ) = 1 as is_latest_change
    from grouped

),

final as (

    select
        metric,
        province,
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
        prev_period_label,
        prev_value,
        prev_change,
        prev_pct_change,
        implausible,
        corrected,
        chart_group,
        group_order,
        move,
        is_latest_change,
        case when is_latest_change then
            row_number() over (
                partition by metric, is_latest_change
                order by implausible,
                         move desc nulls last,
                         greatest(abs(yoy_change), abs(prev_change)) desc nulls last,
                         province,
                         group_order,
                         period_label
            )
        end as change_rank
    from latest

)

select * from final
order by metric, group_order, chart_group, province, period_start nulls last, period_label
