-- Unique key: metrics (doc_id, fact_no) (one row per numeric fact).
-- Violations: each (doc_id, fact_no) that appears more than once, with its row count.
select doc_id, fact_no, count(*) as n_rows
from metrics
group by doc_id, fact_no
having count(*) > 1
order by doc_id, fact_no
