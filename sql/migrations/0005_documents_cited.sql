-- One row per Party document an article cites. Extensions: sentence, char_start, char_end.
CREATE TABLE IF NOT EXISTS documents_cited (
    doc_id      VARCHAR NOT NULL,
    kind        VARCHAR NOT NULL,
    code        VARCHAR,
    session     VARCHAR,
    term        VARCHAR,
    issued_on   DATE,
    text        VARCHAR NOT NULL,
    sentence    VARCHAR NOT NULL,
    char_start  INTEGER NOT NULL,
    char_end    INTEGER NOT NULL
);
