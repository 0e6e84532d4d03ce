-- Incremental checks: the articles to check are those this run changed, as the load steps
-- (sql/load/090_changed_docs.sql) and --prune (sql/runs/prune.sql) recorded them in the run
-- connection's temporary table changed_docs: rows written, replaced or deleted.
CREATE TEMP TABLE IF NOT EXISTS changed_docs (doc_id VARCHAR);
CREATE OR REPLACE TEMP TABLE checked_docs AS
SELECT DISTINCT doc_id FROM changed_docs;
