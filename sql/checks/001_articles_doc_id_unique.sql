-- Unique key: articles.doc_id (one row per distinct article).
-- Violations: each doc_id that appears more than once, with its row count.
-- Read: the doc_ids of the articles the run changed (sql/check_scope/changed.sql), each counted
-- over every row that holds it, old or new, so a loaded row that collides with an old one is found.
select doc_id, count(*) as n_rows
from checked_articles
group by doc_id
having count(*) > 1
order by doc_id
