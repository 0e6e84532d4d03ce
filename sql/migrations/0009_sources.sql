-- Every input path that holds an article: source_path (a file, or "feed.jsonl#12" for a line)
-- -> doc_id. The same bytes under two names give one article and two rows here.
CREATE TABLE IF NOT EXISTS sources (
    source_path  VARCHAR PRIMARY KEY,
    file_path    VARCHAR NOT NULL,
    doc_id       VARCHAR NOT NULL
);
