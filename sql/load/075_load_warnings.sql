-- The warnings on what was loaded (load_warnings), like the quarantine: a re-read file's old
-- rows (its own, or one per JSONL line "feed.jsonl#12") go, its new ones come in.
DELETE FROM load_warnings
WHERE regexp_replace(source_path, '#[0-9]+$', '') IN (SELECT file_path FROM batch_files);
INSERT INTO load_warnings (source_path, doc_id, kind, detail, seen_at, run_id)
SELECT source_path, doc_id, kind, detail, $now, $run_id FROM batch_warnings;
