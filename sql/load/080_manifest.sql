-- Each file read in this batch: its size and mtime as read, the SHA-256 of the bytes loaded
-- (all of them, or a feed's first `size` bytes), its status and the rules it was read with.
INSERT INTO manifest (file_path, size, mtime_ns, sha256, status, extractor_version, first_seen, last_seen)
SELECT
    f.file_path, f.size, f.mtime_ns, f.sha256,
    -- a feed read in segments (or only its new lines) is 'partial' while any line of it is
    -- quarantined, whichever segment that line was in
    case
        when f.status = 'loaded' and exists (
            select 1 from quarantine as q
            where q.source_path like '%#%'
              and regexp_replace(q.source_path, '#[0-9]+$', '') = f.file_path
        ) then 'partial'
        else f.status
    end,
    $extractor_version, $now, $now
FROM batch_files AS f
ON CONFLICT (file_path) DO UPDATE SET
    size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,
    status = excluded.status, extractor_version = excluded.extractor_version,
    last_seen = excluded.last_seen;
