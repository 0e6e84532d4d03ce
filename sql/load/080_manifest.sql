INSERT INTO manifest (file_path, size, mtime_ns, sha256, status, extractor_version, first_seen, last_seen)
SELECT file_path, size, mtime_ns, sha256, status, $extractor_version, $now, $now FROM batch_files
ON CONFLICT (file_path) DO UPDATE SET
    size = excluded.size, mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256,
    status = excluded.status, extractor_version = excluded.extractor_version,
    last_seen = excluded.last_seen;
