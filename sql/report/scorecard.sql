-- report/scorecard: the province scorecard (the latest value of each canonical metric per
-- province, with its change from a year earlier), as province_scorecard gives it.
--
-- Grain: one row per (province, metric). Order: province, metric.

select
    province,
    metric,
    period_kind,
    period_label,
    value,
    n_articles,
    has_conflict,
    yoy_period_label,
    yoy_value,
    yoy_change,
    yoy_pct_change,
    corrected
from province_scorecard
order by province, metric
