-- Range: canonical counts and amounts are not negative (every canonical metric except the
-- growth rates *_growth_pct, which 018 bounds), and a fact read as "N/M" has 0 <= N <= M with
-- M > 0 (denominator "497/567" -> 567).
-- Violations: the facts breaking either rule; problem says which.
select
    doc_id,
    fact_no,
    metric,
    value,
    denominator,
    case
        when metric is not null and metric not like '%\_growth\_pct' escape '\' and value < 0
            then 'negative count or amount'
        else 'value not within 0..denominator'
    end as problem
from checked_metrics
where (metric is not null and metric not like '%\_growth\_pct' escape '\' and value < 0)
   or (denominator is not null and (denominator <= 0 or value < 0 or value > denominator))
order by doc_id, fact_no
