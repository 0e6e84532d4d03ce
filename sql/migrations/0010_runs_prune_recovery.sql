-- runs: what --prune deleted, and what a run found wrong with the warehouse files and did about
-- it (a killed run's working copy discarded, a damaged file set aside and rebuilt).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS files_pruned INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS articles_pruned INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS recovery VARCHAR;
