-- Internal: what the pipeline has seen of each input file, so an unchanged file is skipped
-- after a stat() alone. sha256 is the hash of the whole file (for a .txt file, its doc_id).
-- status: 'loaded' (its articles are in articles), 'quarantined' (the whole file is), 'partial'
-- (a .jsonl file with some lines quarantined). extractor_version: the rules the file was
-- extracted with; a file extracted with other rules is re-extracted on the next run.
CREATE TABLE IF NOT EXISTS manifest (
    file_path          VARCHAR PRIMARY KEY,
    size               BIGINT NOT NULL,
    mtime_ns           BIGINT NOT NULL,
    sha256             VARCHAR,
    status             VARCHAR NOT NULL,
    extractor_version  VARCHAR,
    first_seen         TIMESTAMP NOT NULL,
    last_seen          TIMESTAMP NOT NULL
);
