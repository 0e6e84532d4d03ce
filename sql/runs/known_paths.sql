-- Every input path the warehouse knows of (a file, or the file of a JSONL line "feed.jsonl#12"):
-- the candidates for --prune.
SELECT file_path FROM manifest
UNION
SELECT file_path FROM sources
UNION
SELECT regexp_replace(source_path, '#[0-9]+$', '') FROM quarantine
ORDER BY 1;
