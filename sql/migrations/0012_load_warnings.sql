-- Inputs loaded, but not exactly as their bytes, with what a person may want to check.
-- kind 'replaced_bytes': a UTF-8 article with a few invalid byte sequences (under 0.1% of its
-- bytes, flows/ingest.py MAX_DAMAGED_SHARE), loaded with U+FFFD in their place. One row per
-- input (a file, or "feed.jsonl#12" for a line) and kind; a re-read file's rows are replaced.
CREATE TABLE IF NOT EXISTS load_warnings (
    source_path  VARCHAR NOT NULL,
    doc_id       VARCHAR,
    kind         VARCHAR NOT NULL,
    detail       VARCHAR,
    seen_at      TIMESTAMP NOT NULL,
    run_id       VARCHAR
);
