-- A run that was killed (kill -9, power loss) before it released the lock: noted once, by the
-- next run, with the run id and start time it left in the lock file. Its work was never published.
INSERT INTO runs (run_id, started_at, status)
SELECT $run_id, $started_at, 'interrupted'
WHERE NOT EXISTS (SELECT 1 FROM runs WHERE run_id = $run_id);
