"""The run, stage by stage: discover -> plan -> (read, clean, extract -> load) per batch ->
check -> publish.

`run()` is plain Python. It takes a `stage` wrapper that the Prefect flow (flows/flow.py) uses
to make each stage a task; tests pass nothing and call the same code without Prefect.
"""
from __future__ import annotations

import logging
import os
import time
import uuid
from collections import deque
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import polars as pl

from . import checks, schema
from .corrections import apply_corrections, read_corrections
from .errors import is_corruption
from .extract.facts import EXTRACTOR_VERSION, extract_items
from .ingest import discover, plan, read_batch, split_feeds
from .progress import NoProgress
from .settings import Settings
from .warehouse import (WarehousePaths, discard_working, execute, load_batch, mark_clean, open_checked, prune,
                        publish, read_manifest, register, run_lock, scalar, set_aside)

log = logging.getLogger(__name__)

Stage = Callable[[str, Callable], Callable]


def no_wrap(name: str, fn: Callable) -> Callable:
    return fn


@dataclass
class RunSummary:
    run_id: str
    status: str
    files_seen: int = 0
    files_new: int = 0
    files_changed: int = 0
    files_unchanged: int = 0
    files_quarantined: int = 0
    articles_loaded: int = 0
    metrics_loaded: int = 0
    people_loaded: int = 0
    documents_loaded: int = 0
    seconds: float = 0.0
    warehouse: str = ""
    files_pruned: int = 0      # --prune: input files gone from raw/ that the warehouse forgot
    articles_pruned: int = 0   # --prune: their articles (with facts) that no other path holds
    recovery: str = ""         # what the run found wrong with the warehouse files and did
    files_skipped: int = 0     # still being written (or deleted) while read: left for the next run
    load_warnings: int = 0     # articles loaded with a warning (a few damaged bytes replaced): load_warnings
    corrections_applied: int = 0   # the analysts' corrections that matched a fact
    corrections_orphaned: int = 0  # those whose fact no longer exists (listed in orphaned_corrections)
    orphaned_corrections: str = ""  # "file:line, ..." of the orphaned ones
    checks: str = ""           # the data checks: full, incremental (the articles it changed) or skipped
    checks_note: str = ""      # on what and why (flows/checks.py CheckPlan.text)
    checks_version: str = ""   # the checks version the published warehouse passed

    @property
    def facts_loaded(self) -> int:
        return self.metrics_loaded + self.people_loaded + self.documents_loaded

    def as_dict(self) -> dict:
        return asdict(self) | {"facts_loaded": self.facts_loaded}

    def text(self) -> str:
        return (f"run {self.run_id}: {self.status} in {self.seconds:.2f} s\n"
                f"  files: {self.files_seen} seen, {self.files_new} new, {self.files_changed} changed, "
                f"{self.files_unchanged} unchanged, {self.files_quarantined} quarantined\n"
                f"  loaded: {self.articles_loaded} articles, {self.facts_loaded} facts "
                f"({self.metrics_loaded} metrics, {self.people_loaded} people, "
                f"{self.documents_loaded} documents cited)\n"
                + (f"  skipped: {self.files_skipped} files still being written or deleted while read: "
                   "left for the next run\n" if self.files_skipped else "")
                + (f"  warnings: {self.load_warnings} articles loaded with a few damaged bytes replaced "
                   "(table load_warnings)\n" if self.load_warnings else "")
                + (f"  pruned: {self.files_pruned} files gone from raw/, {self.articles_pruned} articles\n"
                   if self.files_pruned else "")
                + (f"  recovered: {self.recovery}\n" if self.recovery else "")
                + (f"  corrections: {self.corrections_applied} applied, {self.corrections_orphaned} orphaned"
                   + (f" (their fact no longer exists: {self.orphaned_corrections})" if self.corrections_orphaned
                      else "") + "\n" if self.corrections_applied or self.corrections_orphaned else "")
                + (f"  checks: {self.checks_note}\n" if self.checks_note else "")
                + f"  warehouse: {self.warehouse}")


def batches(frame: pl.DataFrame, size: int) -> Iterator[pl.DataFrame]:
    """Consecutive slices of `frame` of at most `size` articles: a file is one, a JSONL feed
    segment (split_feeds) its n_lines. Two segments of one feed never share a batch (each batch
    writes the feed's manifest row once)."""
    if "n_lines" not in frame.columns:
        for offset in range(0, frame.height, size):
            yield frame.slice(offset, size)
        return
    start, weight, previous = 0, 0, None
    for i, (path, n, first_line) in enumerate(frame.select("file_path", "n_lines", "first_line").iter_rows()):
        same_feed = first_line is not None and first_line > 1 and path == previous
        if i > start and (weight + n > size or same_feed):
            yield frame.slice(start, i - start)
            start, weight = i, 0
        weight += n
        previous = path
    if frame.height > start:
        yield frame.slice(start, frame.height - start)


def process_batch(raw_dir: Path, files: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Read, decode, clean and extract one batch of files: the frames load_batch takes."""
    batch = read_batch(raw_dir, files)
    facts = extract_items(batch.items)
    sources = batch.items.select("source_path", "file_path", "doc_id").unique("source_path", keep="first")
    return {
        "batch_files": batch.files,
        "batch_sources": sources,
        "batch_articles": facts["articles"],
        "batch_metrics": facts["metrics"],
        "batch_people": facts["people"],
        "batch_documents": facts["documents"],
        "batch_quarantine": batch.quarantine.select("source_path", "doc_id", "reason", "detail")
                                 .vstack(facts["quarantine"]),
        "batch_skipped": batch.skipped,  # left for the next run: not loaded, not quarantined
        "batch_warnings": batch.warnings.select("source_path", "doc_id", "kind", "detail"),
    }


# Extraction of the batches: takes the raw folder and the batches of files, yields each batch's
# frames in the batches' order. Loading stays in the calling process.
ExtractMap = Callable[[Path, Iterator[pl.DataFrame]], Iterator[dict[str, pl.DataFrame]]]


def extract_in_turn(stage: Stage = no_wrap) -> ExtractMap:
    """One batch after the other, in this process."""
    def mapper(raw_dir: Path, file_batches: Iterator[pl.DataFrame]) -> Iterator[dict[str, pl.DataFrame]]:
        for i, files_batch in enumerate(file_batches, start=1):
            yield stage(f"extract-batch-{i}", process_batch)(raw_dir, files_batch)
    return mapper


def windowed(submit: Callable[[int, pl.DataFrame], Any], file_batches: Iterator[pl.DataFrame],
             window: int) -> Iterator[dict[str, pl.DataFrame]]:
    """Submit batches to parallel workers, at most `window` ahead of the one being loaded, and
    yield their results in order: memory holds `window` + 1 batches, whatever the corpus size.
    submit(i, batch) returns a future with `.result()`."""
    pending: deque = deque()
    for i, files_batch in enumerate(file_batches, start=1):
        pending.append(submit(i, files_batch))
        if len(pending) > window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@contextmanager
def process_pool(workers: int) -> Iterator[ExtractMap]:
    """Extraction on `workers` local processes (plain Python, no Prefect)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a process forked while Polars' thread pool runs can deadlock.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield lambda raw_dir, file_batches: windowed(
            lambda i, b: pool.submit(process_batch, raw_dir, b), file_batches, workers)


def run(settings: Settings, stage: Stage = no_wrap, progress: NoProgress = NoProgress(),
        extract: ExtractMap | None = None) -> RunSummary:
    """Run the pipeline once: raw folder -> published warehouse. All or nothing: the published
    warehouse changes only when every batch loaded and every data check passed. `progress` hears
    how many files are to be read and each batch done (flows/progress.py). `extract` runs the
    batches' extraction (default: in turn, in this process; see process_pool and flows/flow.py
    for parallel ones)."""
    extract = extract or extract_in_turn(stage)
    t0 = time.perf_counter()
    paths = WarehousePaths(settings.warehouse)
    summary = RunSummary(run_id=uuid.uuid4().hex[:12], status="running", warehouse=str(paths.published))
    started = datetime.now()
    with run_lock(paths, settings.lock_timeout, note=f"{summary.run_id} {started.isoformat()}") as left:
        con, recovery = stage("open-warehouse", open_checked)(paths)
        summary.recovery = recovery.text
        copied_from = recovery.copied_from
        try:
            execute(con, schema.statement("runs/start"), {"run_id": summary.run_id, "started_at": started})
            _note_interrupted(con, left, summary)
            corrections = stage("read-corrections", read_corrections)(settings.corrections)
            files, problems = stage("discover", discover)(settings.raw_dir)
            planned = stage("plan", plan)(files, read_manifest(con), EXTRACTOR_VERSION)
            counts = planned.group_by("state").len()
            by_state = dict(zip(counts["state"].to_list(), counts["len"].to_list()))
            summary.files_seen = files.height
            summary.files_new = by_state.get("new", 0)
            summary.files_changed = by_state.get("changed", 0)
            summary.files_unchanged = by_state.get("unchanged", 0)
            todo = stage("split-feeds", split_feeds)(settings.raw_dir, planned.filter(pl.col("state") != "unchanged"),
                                                     settings.batch_size)
            file_batches = list(batches(todo, settings.batch_size))
            progress.start(todo.height, len(file_batches))
            for i, (files_batch, frames) in enumerate(
                    zip(file_batches, extract(settings.raw_dir, iter(file_batches))), start=1):
                params = {"run_id": summary.run_id, "now": datetime.now(),
                          "extractor_version": EXTRACTOR_VERSION}
                stage(f"load-batch-{i}", load_batch)(con, frames, params)
                summary.articles_loaded += frames["batch_articles"].height
                summary.metrics_loaded += frames["batch_metrics"].height
                summary.people_loaded += frames["batch_people"].height
                summary.documents_loaded += frames["batch_documents"].height
                summary.files_quarantined += frames["batch_quarantine"].height
                summary.files_skipped += frames["batch_skipped"].height
                summary.load_warnings += frames["batch_warnings"].height
                progress.advance(files_batch.height)
                del frames  # memory holds the batches in flight, never the loaded ones
            summary.files_quarantined += _record_problems(con, problems, summary.run_id)
            if settings.prune:
                summary.files_pruned, summary.articles_pruned = stage("prune", prune_missing)(
                    con, settings.raw_dir, files, problems)
            applied = stage("apply-corrections", apply_corrections)(con, corrections, settings.corrections)
            summary.corrections_applied, summary.corrections_orphaned = applied.applied, len(applied.orphaned)
            summary.orphaned_corrections = applied.text
            if applied.orphaned:
                log.warning("corrections whose fact no longer exists (orphaned): %s", applied.text)
            scope = checks.plan_checks(con, full=settings.full_checks)
            summary.checks, summary.checks_note, summary.checks_version = scope.mode, scope.text(), scope.version
            log.info("data checks: %s", summary.checks_note)
            if scope.mode != checks.SKIPPED:
                stage("data-checks", checks.assert_checks)(con, scope=scope.mode)
            summary.status = "success"
            summary.seconds = time.perf_counter() - t0
            _finish(con, summary)
            stage("publish", publish)(con, paths)
        except BaseException as exc:
            summary.status = "failed"
            summary.seconds = time.perf_counter() - t0
            _record_failure(con, paths, summary, exc, copied_from)
            raise
    summary.seconds = time.perf_counter() - t0
    return summary


def prune_missing(con, raw_dir: Path, files: pl.DataFrame, problems: pl.DataFrame) -> tuple[int, int]:
    """--prune: forget the input files the warehouse knows that are no longer in raw_dir at all
    (not listed, and no entry of that name exists: a file skipped this run is kept). Returns
    (files forgotten, articles deleted). Refuses when raw_dir lists nothing, as an unmounted
    folder would: that would delete every article."""
    known = [r[0] for r in con.execute(schema.statement("runs/known_paths")).fetchall()]
    listed = set(files["file_path"].to_list()) | set(problems["source_path"].to_list())
    gone = [p for p in known if p not in listed and not os.path.lexists(Path(raw_dir) / p)]
    if gone and not listed:
        raise ValueError(f"--prune: the raw folder {raw_dir} holds no input at all, so every one of the "
                         f"{len(gone)} files the warehouse knows would be forgotten; refusing (is the folder "
                         "mounted?). Run without --prune, or start a new warehouse.")
    if not gone:
        return 0, 0
    return len(gone), prune(con, gone)


def _note_interrupted(con, left: str, summary: RunSummary) -> None:
    """The lock file still held "pid run_id started_at" of a run that never released it (killed):
    note that run in `runs` as 'interrupted' (unless it got as far as recording its outcome)."""
    parts = left.split()
    if len(parts) < 3:
        return
    try:
        started_at = datetime.fromisoformat(parts[2])
    except ValueError:
        return
    message = f"run {parts[1]} (process {parts[0]}) was killed before it finished"
    summary.recovery = "; ".join(m for m in (message, summary.recovery) if m)
    log.warning(message)
    execute(con, schema.statement("runs/interrupted"), {"run_id": parts[1], "started_at": started_at})


def _record_failure(con, paths: WarehousePaths, summary: RunSummary, exc: BaseException,
                    copied_from: str = "") -> None:
    """All or nothing: drop what the failed run wrote, then note the failure in `runs` of a fresh
    working copy (published with the next good run). Never masks the run's own error.

    When DuckDB found the working copy damaged, it is set aside, and so is the file it was copied
    from in this run (published or previous; its blocks the full read at copy time does not reach,
    such as index blocks, were damaged there): the next run rebuilds from the next good copy, so a
    damaged file cannot make every run fail."""
    try:
        con.close()
    except Exception:
        pass
    if is_corruption(exc):
        aside = [set_aside(paths.working, None, str(exc))]
        if copied_from and Path(copied_from).exists():
            aside.append(set_aside(Path(copied_from), None, str(exc)))
        note = "damaged, set aside: " + ", ".join(str(p) for p in aside)
        summary.recovery = "; ".join(m for m in (summary.recovery, note) if m)
    discard_working(paths)
    try:
        fresh, recovery = open_checked(paths)
        try:
            summary.recovery = "; ".join(m for m in (summary.recovery, recovery.text) if m)
            execute(fresh, schema.statement("runs/start"), {"run_id": summary.run_id, "started_at": datetime.now()})
            _finish(fresh, summary)
            fresh.execute("checkpoint")
        finally:
            fresh.close()
        mark_clean(paths)
    except Exception as note_exc:
        log.warning("could not note the failed run %s in runs: %s", summary.run_id, note_exc)


def _record_problems(con, problems: pl.DataFrame, run_id: str) -> int:
    count = schema.statement("runs/quarantine_count")
    before = scalar(con, count)
    register(con, "run_problems", problems)
    try:
        execute(con, schema.statement("runs/problems"), {"now": datetime.now(), "run_id": run_id})
    finally:
        con.unregister("run_problems")
    return scalar(con, count) - before


def _finish(con, s: RunSummary) -> None:
    execute(con, schema.statement("runs/finish"), {
        "run_id": s.run_id, "finished_at": datetime.now(), "status": s.status,
        "files_seen": s.files_seen, "files_new": s.files_new, "files_quarantined": s.files_quarantined,
        "articles_loaded": s.articles_loaded, "metrics_loaded": s.metrics_loaded,
        "files_changed": s.files_changed, "files_unchanged": s.files_unchanged,
        "people_loaded": s.people_loaded, "documents_loaded": s.documents_loaded, "seconds": s.seconds,
        "files_pruned": s.files_pruned, "articles_pruned": s.articles_pruned, "recovery": s.recovery or None,
        "files_skipped": s.files_skipped, "corrections_applied": s.corrections_applied,
        "corrections_orphaned": s.corrections_orphaned, "orphaned_corrections": s.orphaned_corrections or None,
        "checks": s.checks or None, "checks_version": s.checks_version or None,
    })
