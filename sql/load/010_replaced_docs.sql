-- Step 1 of a batch load. The inputs that the re-read files held before this batch (of a JSONL
-- feed read from line keep_lines + 1: its lines past keep_lines), and their articles; those no
-- longer held by any source after it are deleted in step 060 (a changed file replaces its facts).
CREATE OR REPLACE TEMP TABLE replaced_sources AS
SELECT s.source_path, s.doc_id
FROM sources AS s
INNER JOIN batch_files AS f ON f.file_path = s.file_path
WHERE reread(s.source_path, f.keep_lines);
CREATE OR REPLACE TEMP TABLE replaced_docs AS
SELECT DISTINCT doc_id FROM replaced_sources;
