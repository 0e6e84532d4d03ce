-- Relationship: every citation has its article (documents_cited.doc_id in articles.doc_id).
-- Violations: the citation rows whose doc_id is not an article.
select d.doc_id, d.kind, d.code, d.text
from checked_documents_cited as d
where not exists (select 1 from checked_articles as a where a.doc_id = d.doc_id)
order by d.doc_id, d.code
