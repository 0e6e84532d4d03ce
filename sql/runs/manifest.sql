SELECT file_path, size, mtime_ns, sha256, status, extractor_version FROM manifest;
