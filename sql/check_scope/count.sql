-- How many articles the checks will read (0: nothing changed, the checks are skipped).
SELECT count(*) FROM checked_docs;
