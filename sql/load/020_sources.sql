-- Every path (or JSONL line) read in this batch now points at the article its bytes make.
DELETE FROM sources WHERE file_path IN (SELECT file_path FROM batch_files);
INSERT INTO sources (source_path, file_path, doc_id)
SELECT source_path, file_path, doc_id FROM batch_sources;
