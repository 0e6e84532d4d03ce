INSERT INTO articles BY NAME
SELECT *, $extractor_version AS extractor_version, $run_id AS run_id FROM batch_articles;
