-- One row per distinct article (same bytes twice = one row). Contract: shared/spec/FACTS.md.
-- Extensions beyond the contract: period_kind/period_start/period_end (the article's main
-- period, resolved), province_2025 (the province after the 2025 merger), extractor_version,
-- run_id (the run that loaded this version of the row).
CREATE TABLE IF NOT EXISTS articles (
    doc_id             VARCHAR PRIMARY KEY,
    source_path        VARCHAR NOT NULL,
    url                VARCHAR,
    title              VARCHAR,
    outlet             VARCHAR,
    published_at       TIMESTAMP,
    event_date         DATE,
    province           VARCHAR,
    location           VARCHAR,
    meeting_kind       VARCHAR,
    period_label       VARCHAR,
    byline             VARCHAR,
    on_topic           BOOLEAN NOT NULL,
    body               VARCHAR NOT NULL,
    period_kind        VARCHAR,
    period_start       DATE,
    period_end         DATE,
    province_2025      VARCHAR,
    extractor_version  VARCHAR NOT NULL,
    run_id             VARCHAR
);
