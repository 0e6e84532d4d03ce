-- Range: a value in unit 'percent' lies between -100 and 100 for a growth rate (*_growth_pct),
-- between 0 and 100 for another canonical metric, and at least -100 for a non-canonical quantity.
--   - Growth rates (canonical metrics named *_growth_pct, today grdp_growth_pct): between
--     -100 and 100. A GRDP can shrink (negative growth), but a province's yearly growth beyond
--     +-100% is a misread number ("7,09%" read as 709), not an economy.
--   - Every other canonical percent: between 0 and 100 (a share).
--   - A non-canonical percent (metric NULL) is whatever the text says: shares ("46,2%") but also
--     changes ("tăng 150%", "giảm 20%"), so only a fall below -100% is impossible.
-- Violations: the facts outside their range, with the range that applied.
with

percent_facts as (

    select
        doc_id,
        fact_no,
        metric,
        value,
        coalesce(metric like '%\_growth\_pct' escape '\', false) as is_growth,
        metric is null as is_quantity
    from checked_metrics
    where unit = 'percent'

)

select
    doc_id,
    fact_no,
    metric,
    value,
    case when is_growth or is_quantity then -100 else 0 end as min_allowed,
    case when is_quantity then null else 100 end as max_allowed
from percent_facts
where value < case when is_growth or is_quantity then -100 else 0 end
   or (value > 100 and not is_quantity)
order by doc_id, fact_no
