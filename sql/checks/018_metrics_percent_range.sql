-- Range: a value in unit 'percent' lies between -100 and 100 for a growth rate (*_growth_pct)
-- and between 0 and 100 otherwise.
--   - Growth rates (canonical metrics named *_growth_pct, today grdp_growth_pct): between
--     -100 and 100. A GRDP can shrink (negative growth), but a province's yearly growth beyond
--     +-100% is a misread number ("7,09%" read as 709), not an economy.
--   - Every other percent (the shares FACTS.md describes, "46,2%", canonical or not): between
--     0 and 100. A non-canonical growth figure above 100% would fail here: give it a canonical
--     *_growth_pct name (and a vocabulary row) rather than widening the range for shares.
-- Violations: the facts outside their range, with the range that applied.
with

percent_facts as (

    select
        doc_id,
        fact_no,
        metric,
        value,
        coalesce(metric like '%\_growth\_pct' escape '\', false) as is_growth
    from metrics
    where unit = 'percent'

)

select
    doc_id,
    fact_no,
    metric,
    value,
    case when is_growth then -100 else 0 end as min_allowed,
    100 as max_allowed
from percent_facts
where value < case when is_growth then -100 else 0 end
   or value > 100
order by doc_id, fact_no
