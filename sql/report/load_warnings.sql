-- report/load_warnings: the inputs loaded with a warning (a few damaged bytes replaced by
-- U+FFFD), the latest first; at most $limit rows (the report says how many there are in all).
--
-- Grain: one row per load_warnings row; n_total repeats the number of rows of the table.

select
    source_path,
    kind,
    detail,
    seen_at,
    run_id,
    count(*) over () as n_total
from load_warnings
order by seen_at desc, source_path, kind
limit $limit
