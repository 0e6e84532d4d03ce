-- Consistency: a period's kind, label and dates agree (FACTS.md labels), in metrics and in
-- articles (the article's main period).
--   - metrics: period_kind and period_label are both set or both NULL (a fact with a label
--     but no kind cannot be compared with anything).
--   - where period_kind is set (to an accepted kind: others are 009's), the label has that kind's form: Y 'YYYY'; H1/H2 'YYYY-H1';
--     Q1..Q4 'YYYY-Q1'; nM 'YYYY-nM' (n 1..12); range 'YYYY-YYYY' (first < last); asof
--     'YYYY-MM-DD' (a real day);
--   - and period_start / period_end are the label's first and last day (Y 1 Jan..31 Dec; H1
--     1 Jan..30 Jun; H2 1 Jul..31 Dec; Qn its three months; nM 1 Jan..the last day of month
--     n; range 1 Jan of the first year..31 Dec of the last; asof that day for both). NULL
--     dates do not agree. (articles.period_kind/start/end are extensions: an article that
--     leaves period_kind NULL is only checked by the label-kind pairing rule of metrics'.)
-- Violations: one row per inconsistent row; problem says what is wrong.
with

periods as (

    select 'metrics' as table_name, doc_id, fact_no, period_kind, period_label,
           period_start, period_end
    from checked_metrics
    union all
    select 'articles', doc_id, null, period_kind, period_label, period_start, period_end
    from checked_articles

),

parsed as (

    select
        *,
        try_cast(regexp_extract(period_label, '^(\d{4})', 1) as integer) as y,
        period_label_fits(period_kind, period_label) as label_fits_kind
    from periods

),

expected as (

    select
        *,
        case when label_fits_kind then
            case
                when period_kind in ('Y', 'H1', 'nM', 'range') then make_date(y, 1, 1)
                when period_kind = 'H2' then make_date(y, 7, 1)
                when period_kind in ('Q1', 'Q2', 'Q3', 'Q4')
                    then make_date(y, 3 * cast(substr(period_kind, 2, 1) as integer) - 2, 1)
                when period_kind = 'asof' then cast(period_label as date)
            end
        end as expected_start,
        case when label_fits_kind then
            case
                when period_kind = 'Y' then make_date(y, 12, 31)
                when period_kind = 'H1' then make_date(y, 6, 30)
                when period_kind = 'H2' then make_date(y, 12, 31)
                when period_kind in ('Q1', 'Q2', 'Q3', 'Q4')
                    then last_day(make_date(y, 3 * cast(substr(period_kind, 2, 1) as integer), 1))
                when period_kind = 'nM'
                    then last_day(make_date(y, cast(regexp_extract(period_label, '-(\d{1,2})M$', 1) as integer), 1))
                when period_kind = 'range'
                    then make_date(cast(substr(period_label, 6, 4) as integer), 12, 31)
                when period_kind = 'asof' then cast(period_label as date)
            end
        end as expected_end
    from parsed

),

problems as (

    select
        table_name,
        doc_id,
        fact_no,
        period_kind,
        period_label,
        period_start,
        period_end,
        expected_start,
        expected_end,
        case
            when table_name = 'metrics' and (period_kind is null) <> (period_label is null)
                then 'period_kind and period_label must be both set or both NULL'
            when period_kind is null
              or period_kind not in ('Y', 'H1', 'H2', 'Q1', 'Q2', 'Q3', 'Q4', 'nM', 'range', 'asof')
                then null  -- an unknown kind is 009_period_kind_accepted's to report
            when not label_fits_kind
                then 'period_label does not have the form of its period_kind'
            when period_start is distinct from expected_start
              or period_end is distinct from expected_end
                then 'period_start/period_end are not the first/last day of period_label'
        end as problem
    from expected

)

select *
from problems
where problem is not null
order by table_name, doc_id, fact_no
