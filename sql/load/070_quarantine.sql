-- The quarantine holds the current verdict on each input: a re-read file's old entries (the
-- file's own, or one per bad JSONL line "feed.jsonl#12" past the lines kept) go, its new ones
-- (if any) come in. Unchanged files are not re-read, so their entries stay as they are.
DELETE FROM quarantine AS q
WHERE EXISTS (
    SELECT 1 FROM batch_files AS f
    WHERE f.file_path = regexp_replace(q.source_path, '#[0-9]+$', '')
      AND reread(q.source_path, f.keep_lines)
);
INSERT INTO quarantine (source_path, doc_id, reason, detail, seen_at, run_id)
SELECT source_path, doc_id, reason, detail, $now, $run_id FROM batch_quarantine;
