-- The articles this batch wrote or deleted rows of: its own (articles and facts), and those a
-- re-read file held before (step 010). The data checks of the run read only these articles' rows
-- (sql/check_scope/, flows/checks.py). A temporary table: it lives as long as the run's connection.
CREATE TEMP TABLE IF NOT EXISTS changed_docs (doc_id VARCHAR);
INSERT INTO changed_docs
SELECT doc_id FROM batch_articles
UNION SELECT doc_id FROM batch_metrics
UNION SELECT doc_id FROM batch_people
UNION SELECT doc_id FROM batch_documents
UNION SELECT doc_id FROM replaced_docs;
