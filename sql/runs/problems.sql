-- Entries of the raw folder that are not inputs (a broken link, an unsupported type): quarantined
-- once per (path, reason); an entry that is fixed later leaves the quarantine when it loads.
INSERT INTO quarantine (source_path, doc_id, reason, detail, seen_at, run_id)
SELECT p.source_path, NULL, p.reason, p.detail, $now, $run_id FROM run_problems AS p
WHERE NOT EXISTS (SELECT 1 FROM quarantine AS q WHERE q.source_path = p.source_path AND q.reason = p.reason);
