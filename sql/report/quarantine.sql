-- report/quarantine: the quarantined inputs with their reason and what to do about it, the
-- latest first; at most $limit rows (the report says how many more there are).
--
-- Grain: one row per quarantine row.

select
    source_path,
    reason,
    detail,
    seen_at,
    run_id
from quarantine
order by seen_at desc, source_path, reason
limit $limit
