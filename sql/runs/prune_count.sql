-- The number of articles the last prune (sql/runs/prune.sql) deleted.
SELECT count(*) FROM pruned_docs;
