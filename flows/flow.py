"""The Prefect shell: the pipeline's stages as tasks of one flow. No logic lives here.

One task per stage and one per batch of files (thousands of articles), never one per article.
"""
from __future__ import annotations

import os
from typing import Callable

# A temporary Prefect server takes 11-30 s to start on a small machine: allow it.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
# No telemetry calls from the temporary server (they fail on a closed network and log errors).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from .pipeline import RunSummary, run  # noqa: E402
from .settings import Settings  # noqa: E402


def as_task(name: str, fn: Callable) -> Callable:
    """Wrap a stage function as a Prefect task. Inputs are frames and connections: never cached."""
    return task(fn, name=name, cache_policy=NO_CACHE, persist_result=False)


@flow(name="party-warehouse-etl", log_prints=True)
def etl(raw_dir: str | None = None, warehouse: str | None = None, batch_size: int | None = None,
        lock_timeout: float | None = None) -> dict:
    """Raw Vietnamese articles -> facts -> the published DuckDB warehouse."""
    settings = Settings.resolve(raw_dir, warehouse, batch_size, lock_timeout)
    summary: RunSummary = run(settings, stage=as_task)
    create_markdown_artifact(key="run-summary", markdown=_markdown(summary),
                             description="What this run of the warehouse ETL did")
    return summary.as_dict()


def _markdown(s: RunSummary) -> str:
    rows = [("files seen", s.files_seen), ("new", s.files_new), ("changed", s.files_changed),
            ("unchanged", s.files_unchanged), ("quarantined", s.files_quarantined),
            ("articles loaded", s.articles_loaded), ("metrics loaded", s.metrics_loaded),
            ("people loaded", s.people_loaded), ("documents loaded", s.documents_loaded),
            ("seconds", f"{s.seconds:.2f}")]
    lines = [f"# Run {s.run_id}: {s.status}", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    return "\n".join(lines + ["", f"Warehouse: `{s.warehouse}`"])
