-- report/corrections: the analysts' corrections (docs/corrections.md) as the published warehouse
-- applies them: those whose fact no longer exists (orphaned) first, then the applied ones.
--
-- Grain: one row per correction (file, line) of corrections_applied.
-- Columns: file, line, action, fact, doc_id, names (the key as written), column_name, new_value,
--   why, who, status ('applied' or 'orphaned'), n_targets (the rows it applies to).
-- Order: orphaned first, then file, line.

select
    file,
    line,
    action,
    fact,
    doc_id,
    concat_ws(' · ', metric, regexp_replace(cast(value as varchar), '\.0$', ''), period_label, scope, name, title)
        as names,
    column_name,
    new_value,
    why,
    who,
    min(status) as status,
    count(target) as n_targets
from corrections_applied
group by file, line, action, fact, doc_id, metric, value, period_label, scope, name, title, column_name,
         new_value, why, who
order by min(status) = 'applied', file, line
