-- Unique key: runs.run_id (one row per pipeline run).
-- Violations: each run_id that appears more than once, with its row count.
-- Read: the whole of runs, its key only (one row a run, and every run writes one).
select run_id, count(*) as n_rows
from runs
group by run_id
having count(*) > 1
order by run_id
