-- Unique key: metrics (doc_id, fact_no) (one row per numeric fact).
-- Violations: each (doc_id, fact_no) that appears more than once, with its row count.
-- Read: the keys of the articles the run changed (sql/check_scope/changed.sql), each counted over
-- every row that holds it, old or new, so a loaded fact that collides with an old one is found.
select doc_id, fact_no, count(*) as n_rows
from checked_metrics
group by doc_id, fact_no
having count(*) > 1
order by doc_id, fact_no
