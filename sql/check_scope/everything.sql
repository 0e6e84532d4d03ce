-- Full checks: every article of the warehouse counts as changed, and so does any doc_id a fact
-- row carries without its article.
CREATE OR REPLACE TEMP TABLE checked_docs AS
SELECT doc_id FROM articles
UNION SELECT doc_id FROM metrics
UNION SELECT doc_id FROM people
UNION SELECT doc_id FROM documents_cited;
