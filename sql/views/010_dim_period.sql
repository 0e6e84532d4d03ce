-- dim_period: the period dimension, with explicit comparison keys.
--
-- Grain: one row per distinct (period_kind, period_label, period_start, period_end) present in
--   the (corrected) metrics with a period_label (facts whose period the text does not fix are not periods).
--   The keys below depend on (period_kind, period_label) only, so
--   `select distinct period_kind, period_label, prev_period_label, yoy_period_label` is unique
--   on (period_kind, period_label) even if two facts give one label different dates (which the
--   data test sql/checks/*_period_label_consistent rejects anyway).
--
-- Columns:
--   period_kind, period_label, period_start, period_end  as stored in metrics
--   period_year        INTEGER  the label's (first) year
--   label_is_valid     BOOLEAN  the label has the form its kind requires:
--                      Y 'YYYY'; H1/H2 'YYYY-H1'/'YYYY-H2'; Q1..Q4 'YYYY-Qn'; nM 'YYYY-nM' (n 1..12);
--                      range 'YYYY-YYYY' (first year < last year); asof 'YYYY-MM-DD' (a real day).
--   prev_period_label  VARCHAR  the adjacent earlier period of the same length:
--                      Y <- the year before; H2 <- H1 same year; H1 <- H2 of the year before;
--                      Q2..Q4 <- the quarter before; Q1 <- Q4 of the year before;
--                      nM <- the same nM a year before;
--                      range 'A-B' <- the range of the same length ending the year before A
--                      starts: '2015-2020' <- '2009-2014' (ranges are whole years, so ranges that
--                      share a boundary year, like congress terms 2010-2015 and 2015-2020,
--                      overlap and are NOT adjacent);
--                      asof: NULL here (no fixed previous; metric_period_over_period uses the
--                      previous observation of the same series).
--   prev_period_kind   VARCHAR  the kind of prev_period_label: H1 <-> H2, Q1 <- Q4, Qn <- Q(n-1),
--                      otherwise the row's own kind (NULL when prev_period_label is NULL)
--   yoy_period_label   VARCHAR  the same kind one year earlier: '2019-H1' -> '2018-H1',
--                      '2020-9M' -> '2019-9M', '2014' -> '2013', asof '2019-06-26' ->
--                      '2018-06-26' (exact day; 29 February has no same day a year earlier ->
--                      NULL); range -> NULL.
--
-- Rules: keys are computed from the label and kind only, never with lag() over the rows that
-- happen to exist, so a missing period gives a key that matches nothing (a NULL comparison),
-- never a wrong neighbour. An invalid label (or a NULL/unknown kind) gets NULL keys. The
-- label's text after the year is kept as written ('2020-9M' -> '2019-9M').

create or replace view dim_period as

with

metric_periods as (

    select distinct
        period_kind,
        period_label,
        period_start,
        period_end
    from corrected_metrics()  -- the facts as the analysts' corrections leave them
    where period_label is not null
      and not rejected

),

parsed as (

    select
        period_kind,
        period_label,
        period_start,
        period_end,
        try_cast(regexp_extract(period_label, '^(\d{4})', 1) as integer) as label_year,
        period_label_fits(period_kind, period_label) as label_is_valid
    from metric_periods

),

keyed as (

    select
        *,
        case when label_is_valid then
            case
                when period_kind = 'range'
                    then cast(substr(period_label, 1, 4) as integer)
                when period_kind = 'asof'
                    then year(cast(period_label as date))
                else label_year
            end
        end as first_year,
        case when label_is_valid and period_kind = 'range'
            then cast(substr(period_label, 6, 4) as integer)
        end as range_last_year,
        case when label_is_valid and period_kind = 'asof'
            then cast(period_label as date)
        end as asof_day
    from parsed

),

final as (

    select
        period_kind,
        period_label,
        period_start,
        period_end,
        first_year as period_year,
        coalesce(label_is_valid, false) as label_is_valid,
        case
            when not label_is_valid then null
            when period_kind in ('Y', 'nM')
                then lpad(cast(first_year - 1 as varchar), 4, '0') || substr(period_label, 5)
            when period_kind = 'H1'
                then lpad(cast(first_year - 1 as varchar), 4, '0') || '-H2'
            when period_kind = 'H2'
                then lpad(cast(first_year as varchar), 4, '0') || '-H1'
            when period_kind = 'Q1'
                then lpad(cast(first_year - 1 as varchar), 4, '0') || '-Q4'
            when period_kind in ('Q2', 'Q3', 'Q4')
                then lpad(cast(first_year as varchar), 4, '0') || '-Q'
                     || cast(cast(substr(period_kind, 2, 1) as integer) - 1 as varchar)
            when period_kind = 'range'
                -- same length (range_last_year - first_year), ending the year before first_year
                then lpad(cast(2 * first_year - range_last_year - 1 as varchar), 4, '0')
                     || '-' || lpad(cast(first_year - 1 as varchar), 4, '0')
            -- asof: no fixed previous period
        end as prev_period_label,
        case
            when not label_is_valid or period_kind = 'asof' then null
            when period_kind = 'H1' then 'H2'
            when period_kind = 'H2' then 'H1'
            when period_kind = 'Q1' then 'Q4'
            when period_kind in ('Q2', 'Q3', 'Q4')
                then 'Q' || cast(cast(substr(period_kind, 2, 1) as integer) - 1 as varchar)
            else period_kind
        end as prev_period_kind,
        case
            when not label_is_valid then null
            when period_kind in ('Y', 'H1', 'H2', 'Q1', 'Q2', 'Q3', 'Q4', 'nM')
                then lpad(cast(first_year - 1 as varchar), 4, '0') || substr(period_label, 5)
            when period_kind = 'asof' and not (month(asof_day) = 2 and day(asof_day) = 29)
                then strftime(cast(asof_day - interval 1 year as date), '%Y-%m-%d')
            -- range, and 29 February: no year-on-year period
        end as yoy_period_label
    from keyed

)

select * from final
