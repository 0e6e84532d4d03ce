-- The corrections table holds what the corrections files say now: the rows read this run
-- (`new_corrections`), each with the input that held its article (as the warehouse knows it now,
-- else as an earlier run recorded it) and the article it applies to now: its own doc_id, else the
-- article now read from that input (a changed file keeps its corrections), else none (orphaned).
CREATE OR REPLACE TEMP TABLE corrections_placed AS
SELECT
    n.*,
    coalesce(
        (SELECT min(s.source_path) FROM sources AS s WHERE s.doc_id = n.doc_id),
        (SELECT min(c.source_path) FROM corrections AS c WHERE c.content_key = n.content_key)
    ) AS source_path
FROM new_corrections AS n;
DELETE FROM corrections;
INSERT INTO corrections BY NAME
SELECT
    p.*,
    CASE
        WHEN p.doc_id IN (SELECT doc_id FROM articles) THEN p.doc_id
        ELSE (SELECT s.doc_id FROM sources AS s WHERE s.source_path = p.source_path)
    END AS target_doc_id
FROM corrections_placed AS p;
