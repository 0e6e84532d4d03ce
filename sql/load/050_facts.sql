INSERT INTO metrics BY NAME SELECT * FROM batch_metrics;
INSERT INTO people BY NAME SELECT * FROM batch_people;
INSERT INTO documents_cited BY NAME SELECT * FROM batch_documents;
