-- Full checks: what the data checks (sql/checks/*.sql) read is every row of the warehouse (the
-- same views as sql/check_scope/changed.sql, unfiltered).
CREATE OR REPLACE TEMP VIEW checked_articles AS SELECT * FROM articles;
CREATE OR REPLACE TEMP VIEW checked_metrics AS SELECT * FROM metrics;
CREATE OR REPLACE TEMP VIEW checked_people AS SELECT * FROM people;
CREATE OR REPLACE TEMP VIEW checked_documents_cited AS SELECT * FROM documents_cited;
