-- Macro reread(source_path, keep_lines): whether a known input row (in sources, quarantine or
-- load_warnings) is replaced when a batch reads its file again from line keep_lines + 1. A
-- whole file ("a.txt") and a file's own row always are; a JSONL line ("feed.jsonl#12") only
-- past the lines kept (a feed that only grew keeps its old lines: keep_lines is their count).
-- Used by the load steps of sql/load, so the rule lives in one place.
CREATE OR REPLACE MACRO reread(source_path, keep_lines) AS
    coalesce(try_cast(regexp_extract(source_path, '#([0-9]+)$', 1) as bigint) > keep_lines, true);
