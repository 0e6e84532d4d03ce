-- One row per pipeline run. Extensions after metrics_loaded.
CREATE TABLE IF NOT EXISTS runs (
    run_id             VARCHAR PRIMARY KEY,
    started_at         TIMESTAMP NOT NULL,
    finished_at        TIMESTAMP,
    status             VARCHAR NOT NULL,
    files_seen         INTEGER,
    files_new          INTEGER,
    files_quarantined  INTEGER,
    articles_loaded    INTEGER,
    metrics_loaded     INTEGER,
    files_changed      INTEGER,
    files_unchanged    INTEGER,
    people_loaded      INTEGER,
    documents_loaded   INTEGER,
    seconds            DOUBLE
);
