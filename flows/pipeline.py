"""The run, stage by stage: discover -> plan -> (read, clean, extract -> load) per batch ->
check -> publish.

`run()` is plain Python. It takes a `stage` wrapper that the Prefect flow (flows/flow.py) uses
to make each stage a task; tests pass nothing and call the same code without Prefect.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

import polars as pl

from . import checks, schema
from .extract.facts import EXTRACTOR_VERSION, extract_items
from .ingest import discover, plan, read_batch
from .settings import Settings
from .warehouse import (WarehousePaths, discard_working, execute, load_batch, open_working, publish,
                        read_manifest, run_lock, scalar)

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
                f"  warehouse: {self.warehouse}")


def batches(frame: pl.DataFrame, size: int) -> Iterator[pl.DataFrame]:
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)


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
    }


def run(settings: Settings, stage: Stage = no_wrap) -> RunSummary:
    """Run the pipeline once: raw folder -> published warehouse. All or nothing: the published
    warehouse changes only when every batch loaded and every data check passed."""
    t0 = time.perf_counter()
    paths = WarehousePaths(settings.warehouse)
    summary = RunSummary(run_id=uuid.uuid4().hex[:12], status="running", warehouse=str(paths.published))
    with run_lock(paths, settings.lock_timeout):
        con = stage("open-warehouse", open_working)(paths)
        started = datetime.now()
        execute(con, schema.statement("runs/start"), {"run_id": summary.run_id, "started_at": started})
        try:
            files, problems = stage("discover", discover)(settings.raw_dir)
            planned = stage("plan", plan)(files, read_manifest(con), EXTRACTOR_VERSION)
            counts = planned.group_by("state").len()
            by_state = dict(zip(counts["state"].to_list(), counts["len"].to_list()))
            summary.files_seen = files.height
            summary.files_new = by_state.get("new", 0)
            summary.files_changed = by_state.get("changed", 0)
            summary.files_unchanged = by_state.get("unchanged", 0)
            todo = planned.filter(pl.col("state") != "unchanged")
            for i, files_batch in enumerate(batches(todo, settings.batch_size), start=1):
                frames = stage(f"extract-batch-{i}", process_batch)(settings.raw_dir, files_batch)
                params = {"run_id": summary.run_id, "now": datetime.now(),
                          "extractor_version": EXTRACTOR_VERSION}
                stage(f"load-batch-{i}", load_batch)(con, frames, params)
                summary.articles_loaded += frames["batch_articles"].height
                summary.metrics_loaded += frames["batch_metrics"].height
                summary.people_loaded += frames["batch_people"].height
                summary.documents_loaded += frames["batch_documents"].height
                summary.files_quarantined += frames["batch_quarantine"].height
            summary.files_quarantined += _record_problems(con, problems, summary.run_id)
            stage("data-checks", checks.assert_checks)(con)
            summary.status = "success"
            summary.seconds = time.perf_counter() - t0
            _finish(con, summary)
            stage("publish", publish)(con, paths)
        except BaseException:
            summary.status = "failed"
            summary.seconds = time.perf_counter() - t0
            _record_failure(con, paths, summary)
            raise
    summary.seconds = time.perf_counter() - t0
    return summary


def _record_failure(con, paths: WarehousePaths, summary: RunSummary) -> None:
    """All or nothing: drop what the failed run wrote, then note the failure in `runs` of a fresh
    working copy (published with the next good run). Never masks the run's own error."""
    try:
        con.close()
    except Exception:
        pass
    discard_working(paths)
    try:
        fresh = open_working(paths)
        try:
            execute(fresh, schema.statement("runs/start"), {"run_id": summary.run_id, "started_at": datetime.now()})
            _finish(fresh, summary)
        finally:
            fresh.close()
    except Exception:
        pass


def _record_problems(con, problems: pl.DataFrame, run_id: str) -> int:
    count = schema.statement("runs/quarantine_count")
    before = scalar(con, count)
    con.register("run_problems", problems.to_arrow())
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
    })
