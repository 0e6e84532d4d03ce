UPDATE runs SET finished_at = $finished_at, status = $status, files_seen = $files_seen,
    files_new = $files_new, files_quarantined = $files_quarantined,
    articles_loaded = $articles_loaded, metrics_loaded = $metrics_loaded,
    files_changed = $files_changed, files_unchanged = $files_unchanged,
    people_loaded = $people_loaded, documents_loaded = $documents_loaded, seconds = $seconds,
    files_pruned = $files_pruned, articles_pruned = $articles_pruned, recovery = $recovery,
    files_skipped = $files_skipped, corrections_applied = $corrections_applied,
    corrections_orphaned = $corrections_orphaned, orphaned_corrections = $orphaned_corrections,
    checks = $checks, checks_version = $checks_version
WHERE run_id = $run_id;
