-- review/candidates: the canonical metric facts most worth an analyst's look, for
-- `python -m flows review` (rows of the corrections format; docs/corrections.md).
--
-- Grain: one row per fact key (doc_id, metric, value, period_label, scope) of a canonical metric
--   fact that no correction touched yet (corrected_metrics(): not rejected, not corrected).
--
-- Columns: doc_id, metric, value, period_label, scope, province, why (every reason, '; '
--   between them), context (province: sentence).
--
-- Reasons:
--   - conflict: the fact's series (metric_series) has articles that disagree; why lists the
--     values they give.
--   - jump: the fact's series, or the earlier one it is compared with
--     (metric_period_over_period, a year earlier or the previous period), moved implausibly:
--     the later value is at least double (+100 %) or at most half (-50 %) the earlier one.
--   - off topic: the article is not about Party organization-building (on_topic false).
--   - target word: the sentence has "phấn đấu", "chỉ tiêu", "kế hoạch", "dự kiến" or "mục tiêu"
--     (a target or a plan is not a result; "đạt N% kế hoạch" is flagged too: check it).
-- Order: metric, province (NULL last), period_label, doc_id, value.

with

facts as materialized (

    select doc_id, metric, value, period_label, scope, province, period_kind, sentence
    from corrected_metrics()
    where metric is not null
      and not rejected
      and not corrected

),

series_values as (

    select
        metric, province, scope, period_kind, period_label,
        array_to_string(list_transform(list_sort(list(distinct value)),
                                       lambda v: regexp_replace(cast(v as varchar), '\.0$', '')), ', ') as values_text
    from corrected_metrics()
    where metric is not null and period_label is not null and not rejected
    group by metric, province, scope, period_kind, period_label

),

conflicts as (

    select
        f.*,
        'conflict: the articles of this series give different values (' || v.values_text || ')' as why
    from facts as f
    inner join metric_series as s
        on s.has_conflict
       and s.metric = f.metric
       and s.province is not distinct from f.province
       and s.scope is not distinct from f.scope
       and s.period_kind is not distinct from f.period_kind
       and s.period_label = f.period_label
    inner join series_values as v
        on v.metric = f.metric
       and v.province is not distinct from f.province
       and v.scope is not distinct from f.scope
       and v.period_kind is not distinct from f.period_kind
       and v.period_label = f.period_label

),

period_over_period as materialized (

    select * from metric_period_over_period

),

moves as (

    select metric, province, scope, period_label, value, yoy_period_label as earlier_label,
           yoy_value as earlier_value, yoy_pct_change as pct, 'a year earlier' as against
    from period_over_period
    where yoy_pct_change >= 100 or yoy_pct_change <= -50
    union all
    select metric, province, scope, period_label, value, prev_period_label, prev_value, prev_pct_change,
           'the period before'
    from period_over_period
    where (prev_pct_change >= 100 or prev_pct_change <= -50)
      and prev_period_label is distinct from yoy_period_label  -- a year: the same comparison

),

jump_ends as (

    select metric, province, scope, end_label,
           'jump: ' || regexp_replace(cast(value as varchar), '\.0$', '') || ' in ' || period_label
           || ' against ' || regexp_replace(cast(earlier_value as varchar), '\.0$', '') || ' in '
           || earlier_label || ', ' || against || ' (' || printf('%+.1f', pct) || ' %)' as why
    from moves, unnest([period_label, earlier_label]) as ends(end_label)

),

jumps as (

    select f.*, j.why
    from facts as f
    inner join jump_ends as j
        on j.metric = f.metric
       and j.province is not distinct from f.province
       and j.scope is not distinct from f.scope
       and j.end_label = f.period_label

),

off_topic as (

    select f.*, 'off topic: a canonical metric from an article not about Party organization-building' as why
    from facts as f
    inner join corrected_articles() as a on a.doc_id = f.doc_id
    where not a.on_topic

),

target_words as (

    select
        f.*,
        'target word: the sentence says "'
        || regexp_extract(lower(f.sentence), 'phấn đấu|chỉ tiêu|kế hoạch|dự kiến|mục tiêu', 0)
        || '" (a target or a plan is not a result)' as why
    from facts as f
    where regexp_matches(lower(f.sentence), 'phấn đấu|chỉ tiêu|kế hoạch|dự kiến|mục tiêu')

),

reasons as (

    select * from conflicts
    union all by name
    select * from jumps
    union all by name
    select * from off_topic
    union all by name
    select * from target_words

),

final as (

    select
        doc_id,
        metric,
        value,
        period_label,
        scope,
        min(province) as province,
        string_agg(distinct why, '; ' order by why) as why,
        coalesce(min(province), '(no province)') || ': ' || coalesce(min(sentence), '') as context
    from reasons
    group by doc_id, metric, value, period_label, scope

)

select * from final
order by metric, province nulls last, period_label nulls last, doc_id, value
