-- Articles a re-read file held before and no path holds now: their facts go with them.
CREATE OR REPLACE TEMP TABLE orphan_docs AS
SELECT doc_id FROM replaced_docs
WHERE doc_id NOT IN (SELECT doc_id FROM sources);
DELETE FROM metrics WHERE doc_id IN (SELECT doc_id FROM orphan_docs);
DELETE FROM people WHERE doc_id IN (SELECT doc_id FROM orphan_docs);
DELETE FROM documents_cited WHERE doc_id IN (SELECT doc_id FROM orphan_docs);
DELETE FROM articles WHERE doc_id IN (SELECT doc_id FROM orphan_docs);
