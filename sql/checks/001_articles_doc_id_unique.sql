-- Unique key: articles.doc_id (one row per distinct article).
-- Violations: each doc_id that appears more than once, with its row count.
select doc_id, count(*) as n_rows
from articles
group by doc_id
having count(*) > 1
order by doc_id
