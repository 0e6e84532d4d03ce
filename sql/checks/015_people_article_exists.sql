-- Relationship: every person row has its article (people.doc_id in articles.doc_id).
-- Violations: the people rows whose doc_id is not an article.
select p.doc_id, p.name, p.title
from checked_people as p
where not exists (select 1 from checked_articles as a where a.doc_id = p.doc_id)
order by p.doc_id, p.name
