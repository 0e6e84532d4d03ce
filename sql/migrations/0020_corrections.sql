-- The analysts' corrections (docs/corrections.md), as the last run read them from the CSV files of
-- the corrections folder: one row a correction. The run replaces the rows with the files' rows;
-- the extracted tables are never changed: the public views apply these rows (sql/macros/070_*).
-- A row names a fact by stable keys, never a row number: the article's doc_id and
--   fact 'metric': metric, value, period_label, scope (NULL = an empty cell);
--   fact 'person': name, and title when given (NULL: every title of that name in the article);
--   fact 'article': the article itself.
-- action: 'reject' (the fact leaves the public views), 'set' (column_name := new_value, as text;
-- NULL sets NULL), 'add' (a fact the extractor missed: the key columns are its values).
-- period_kind, period_start, period_end: of the period label the row writes (add: period_label;
-- set period_label: new_value). unit: an added metric's unit (the vocabulary's).
-- seq: the order the rows were read in (files by name, then lines): a later set wins.
-- content_key: a digest of what the row says (not where it stands), so a correction accepted once
-- is known again after its file is edited or its article has gone.
-- source_path: the input that held the article when the correction was first accepted (kept from
-- run to run); target_doc_id: the article the correction applies to now: doc_id while the
-- warehouse holds it, else the article now read from source_path (the file changed), else NULL
-- (the article is gone: the correction is orphaned).
CREATE TABLE IF NOT EXISTS corrections (
    file          VARCHAR NOT NULL,
    line          INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    action        VARCHAR NOT NULL,
    fact          VARCHAR NOT NULL,
    doc_id        VARCHAR NOT NULL,
    metric        VARCHAR,
    value         DOUBLE,
    period_label  VARCHAR,
    scope         VARCHAR,
    name          VARCHAR,
    title         VARCHAR,
    column_name   VARCHAR,
    new_value     VARCHAR,
    why           VARCHAR NOT NULL,
    who           VARCHAR NOT NULL,
    period_kind   VARCHAR,
    period_start  DATE,
    period_end    DATE,
    unit          VARCHAR,
    content_key   VARCHAR NOT NULL,
    source_path   VARCHAR,
    target_doc_id VARCHAR,
    PRIMARY KEY (file, line)
);
