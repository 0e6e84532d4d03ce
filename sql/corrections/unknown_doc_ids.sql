-- The corrections read this run (`new_corrections`) whose doc_id no article of the warehouse has:
-- a mistake, unless an earlier run accepted the same correction (same content_key), whose article
-- has changed since (then it is orphaned, and reported, not refused).
SELECT n.file, n.line, n.doc_id
FROM new_corrections AS n
WHERE n.doc_id NOT IN (SELECT doc_id FROM articles)
  AND n.content_key NOT IN (SELECT content_key FROM corrections)
ORDER BY n.seq;
