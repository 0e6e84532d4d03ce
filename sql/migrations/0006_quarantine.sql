-- Every input that could not be loaded, with a reason a person can act on.
-- Extension: run_id. One row per (source_path, doc_id): the same bad file seen again is not
-- quarantined twice; seen_at is when it was first quarantined.
CREATE TABLE IF NOT EXISTS quarantine (
    source_path  VARCHAR NOT NULL,
    doc_id       VARCHAR,
    reason       VARCHAR NOT NULL,
    detail       VARCHAR,
    seen_at      TIMESTAMP NOT NULL,
    run_id       VARCHAR
);
