-- runs: input files a run left for the next one (still being written, or deleted while it ran).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS files_skipped INTEGER;
