-- How many corrections the warehouse holds (from the last run that read any).
SELECT count(*) FROM corrections;
