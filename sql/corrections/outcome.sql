-- Each correction once, as 'file:line', with its status in corrections_applied: applied (it
-- matched a fact) or orphaned (it matched none).
SELECT file || ':' || line AS place, min(status) AS status
FROM corrections_applied
GROUP BY file, line
ORDER BY file, line;
