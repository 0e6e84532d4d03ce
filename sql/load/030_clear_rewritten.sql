-- Articles extracted in this batch are written afresh: remove their old rows and facts first.
DELETE FROM metrics WHERE doc_id IN (SELECT doc_id FROM batch_articles);
DELETE FROM people WHERE doc_id IN (SELECT doc_id FROM batch_articles);
DELETE FROM documents_cited WHERE doc_id IN (SELECT doc_id FROM batch_articles);
DELETE FROM articles WHERE doc_id IN (SELECT doc_id FROM batch_articles);
