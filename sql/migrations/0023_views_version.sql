-- The digest of sql/macros and sql/views that the warehouse's macros and views were last created
-- from (flows/schema.py): a run recreates them only when the files changed or a view is missing,
-- because binding them all takes about a second, a large part of a run that loads nothing.
CREATE TABLE IF NOT EXISTS views_version (
    digest  VARCHAR NOT NULL
);
