-- The corrections table holds what the corrections files say now: the rows read this run.
DELETE FROM corrections;
INSERT INTO corrections BY NAME SELECT * FROM new_corrections;
