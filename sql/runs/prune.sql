-- --prune: forget the input files listed in `pruned_files` (gone from raw/). Their paths leave
-- sources, quarantine and manifest; an article goes, with its facts, only when no other path
-- still holds its bytes (a file renamed or copied elsewhere keeps its article).
CREATE OR REPLACE TEMP TABLE pruned_docs AS
SELECT DISTINCT doc_id FROM sources
WHERE file_path IN (SELECT file_path FROM pruned_files);
DELETE FROM sources WHERE file_path IN (SELECT file_path FROM pruned_files);
DELETE FROM pruned_docs WHERE doc_id IN (SELECT doc_id FROM sources);
-- The data checks of the run read the rows of the articles it changed (sql/check_scope/): a pruned
-- article must leave no fact behind (sql/checks/014-016).
CREATE TEMP TABLE IF NOT EXISTS changed_docs (doc_id VARCHAR);
INSERT INTO changed_docs SELECT doc_id FROM pruned_docs;
DELETE FROM metrics WHERE doc_id IN (SELECT doc_id FROM pruned_docs);
DELETE FROM people WHERE doc_id IN (SELECT doc_id FROM pruned_docs);
DELETE FROM documents_cited WHERE doc_id IN (SELECT doc_id FROM pruned_docs);
DELETE FROM articles WHERE doc_id IN (SELECT doc_id FROM pruned_docs);
DELETE FROM quarantine
WHERE regexp_replace(source_path, '#[0-9]+$', '') IN (SELECT file_path FROM pruned_files);
DELETE FROM manifest WHERE file_path IN (SELECT file_path FROM pruned_files);
DELETE FROM load_warnings
WHERE regexp_replace(source_path, '#[0-9]+$', '') IN (SELECT file_path FROM pruned_files);
