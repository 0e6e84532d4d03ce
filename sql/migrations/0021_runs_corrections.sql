-- runs: the analysts' corrections the run applied (matched a fact), and those orphaned (their fact
-- no longer exists: the article changed, or new rules read it otherwise), with where they stand.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS corrections_applied INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS corrections_orphaned INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS orphaned_corrections VARCHAR;
