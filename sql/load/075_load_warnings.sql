-- The warnings on what was loaded (load_warnings), like the quarantine: a re-read file's old
-- rows (its own, or one per JSONL line "feed.jsonl#12" past the lines kept) go, its new ones
-- come in.
DELETE FROM load_warnings AS w
WHERE EXISTS (
    SELECT 1 FROM batch_files AS f
    WHERE f.file_path = regexp_replace(w.source_path, '#[0-9]+$', '')
      AND reread(w.source_path, f.keep_lines)
);
INSERT INTO load_warnings (source_path, doc_id, kind, detail, seen_at, run_id)
SELECT source_path, doc_id, kind, detail, $now, $run_id FROM batch_warnings;
