-- The quarantine holds the current verdict on each input: a re-read file's old entries (the
-- file's own, or one per bad JSONL line "feed.jsonl#12") go, its new ones (if any) come in.
-- Unchanged files are not re-read, so their entries stay as they are.
DELETE FROM quarantine
WHERE regexp_replace(source_path, '#[0-9]+$', '') IN (SELECT file_path FROM batch_files);
INSERT INTO quarantine (source_path, doc_id, reason, detail, seen_at, run_id)
SELECT source_path, doc_id, reason, detail, $now, $run_id FROM batch_quarantine;
