-- The checks version (flows/checks.py: a digest of the checks, their scope, the macros, the
-- migrations and the metric vocabulary) that the last successful run's warehouse passed; NULL
-- when no run recorded one. Incremental checks are sound only on a warehouse that passed these
-- very checks.
SELECT checks_version FROM runs
WHERE status = 'success'
ORDER BY started_at DESC
LIMIT 1;
