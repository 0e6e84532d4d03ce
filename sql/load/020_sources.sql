-- Every path (or JSONL line) read in this batch now points at the article its bytes make.
DELETE FROM sources WHERE source_path IN (SELECT source_path FROM replaced_sources);
INSERT INTO sources (source_path, file_path, doc_id)
SELECT source_path, file_path, doc_id FROM batch_sources;
