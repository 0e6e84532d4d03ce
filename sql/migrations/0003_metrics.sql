-- One row per numeric fact. (doc_id, fact_no) is the key; fact_no numbers the facts of an article.
CREATE TABLE IF NOT EXISTS metrics (
    doc_id        VARCHAR NOT NULL,
    fact_no       INTEGER NOT NULL,
    metric        VARCHAR,
    value         DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,
    qualifier     VARCHAR,
    pct_of_plan   DOUBLE,
    denominator   DOUBLE,
    period_kind   VARCHAR,
    period_start  DATE,
    period_end    DATE,
    period_label  VARCHAR,
    province      VARCHAR,
    scope         VARCHAR,
    sentence      VARCHAR NOT NULL,
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL,
    PRIMARY KEY (doc_id, fact_no)
);
