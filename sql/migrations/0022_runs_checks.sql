-- runs: how the run's data checks ran ('full': the whole warehouse; 'incremental': the rows of the
-- articles it changed; 'skipped': it changed none), and the checks version they ran (a digest of
-- sql/checks, sql/check_scope, sql/macros, sql/migrations and the metric vocabulary).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS checks VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS checks_version VARCHAR;
