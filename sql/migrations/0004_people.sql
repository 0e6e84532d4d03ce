-- One row per (article, person, title); title NULL for a person named without one.
-- Extensions: sentence, char_start, char_end (provenance in articles.body).
CREATE TABLE IF NOT EXISTS people (
    doc_id      VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    title       VARCHAR,
    province    VARCHAR,
    sentence    VARCHAR NOT NULL,
    char_start  INTEGER NOT NULL,
    char_end    INTEGER NOT NULL
);
