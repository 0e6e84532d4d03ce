-- Step 1 of a batch load. The articles that the re-read files held before this batch; those no
-- longer held by any source after it are deleted in step 060 (a changed file replaces its facts).
CREATE OR REPLACE TEMP TABLE replaced_docs AS
SELECT DISTINCT s.doc_id
FROM sources AS s
WHERE s.file_path IN (SELECT file_path FROM batch_files);
