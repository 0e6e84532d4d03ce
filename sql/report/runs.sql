-- report/runs: the last $limit runs, the latest first.
--
-- Grain: one row per run.

select
    run_id,
    started_at,
    finished_at,
    status,
    files_seen,
    files_new,
    files_changed,
    files_unchanged,
    files_quarantined,
    articles_loaded,
    metrics_loaded,
    people_loaded,
    documents_loaded,
    seconds
from runs
order by started_at desc, run_id
limit $limit
