"""The Prefect shell: the pipeline's stages as tasks of one flow, and the deployment that serves it
on a schedule. No logic lives here: flows/pipeline.py holds it.

One task per stage and one per batch of files (thousands of articles), never one per article.
A task is retried only when its failure is transient (flows/errors.py: a busy lock, an I/O error,
a full disk); an article that cannot be read is quarantined by the pipeline and never retried.
"""
from __future__ import annotations

import functools
import logging
import time
from pathlib import Path
from typing import Any, Callable

from . import prefect_setup

prefect_setup.defaults()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from .errors import is_transient  # noqa: E402
from .pipeline import RunSummary, process_batch, run, windowed  # noqa: E402
from .settings import Settings  # noqa: E402

FLOW_NAME = "party-warehouse-etl"
DEPLOYMENT_NAME = "scheduled"
TASK_RETRIES = 2
TASK_RETRY_DELAYS = [2, 10]  # seconds before the first and the second retry


def _retry_if_transient(task, task_run, state) -> bool:
    """Prefect's retry condition: retry a failed stage only when its error is transient."""
    try:
        exc = state.result(raise_on_failure=False)
    except BaseException as raised:  # some states raise their exception when read
        exc = raised
    return isinstance(exc, BaseException) and is_transient(exc)


def as_task(name: str, fn: Callable) -> Callable:
    """Wrap a stage function as a Prefect task. Inputs are frames and connections: never cached.
    Each stage logs its duration to the flow run's log."""
    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        get_run_logger().info("stage %s done in %.2f s", name, time.perf_counter() - t0)
        return result

    return task(timed, name=name, cache_policy=NO_CACHE, persist_result=False, retries=TASK_RETRIES,
                retry_delay_seconds=TASK_RETRY_DELAYS, retry_condition_fn=_retry_if_transient)


@flow(name=FLOW_NAME, log_prints=True)
def etl(raw_dir: str | None = None, warehouse: str | None = None, batch_size: int | None = None,
        lock_timeout: float | None = None, prune: bool | None = None, report: str | None = None,
        parallel: int = 0, corrections: str | None = None, full_checks: bool | None = None) -> dict:
    """Raw Vietnamese articles -> facts -> the published DuckDB warehouse.

    Parameters left empty take their environment variable (PARTY_WAREHOUSE_*) or default, read by
    the process that runs the flow. `report`: an HTML file to write after a successful run.
    `parallel`: how many extraction batches run at once on the flow's task runner (0: one after
    the other, in this process; see `for_workers`). Loading always stays in this process.
    `corrections`: the analysts' corrections folder (docs/corrections.md). `full_checks`: run the
    data checks over the whole warehouse, not only the articles the run changed."""
    settings = Settings.resolve(raw_dir, warehouse, batch_size, lock_timeout, prune, corrections_dir=corrections,
                                full_checks=full_checks).check()
    extract = None
    if parallel > 0:
        extract_task = as_task("extract-batch", process_batch)

        def extract(raw, file_batches):
            return windowed(lambda i, b: extract_task.with_options(name=f"extract-batch-{i}").submit(raw, b),
                            file_batches, parallel)
    from .progress import for_terminal
    with for_terminal() as progress:
        summary: RunSummary = run(settings, stage=as_task, progress=progress, extract=extract)
    logger = get_run_logger()
    logger.info("run summary\n%s", summary.text())
    create_markdown_artifact(key="run-summary", markdown=_markdown(summary),
                             description="What this run of the warehouse ETL did")
    if report and summary.status == "success":
        from .report import write_report
        logger.info("report written to %s", write_report(settings.warehouse, Path(report)))
    return summary.as_dict()


def for_workers(workers: int | None = None, dask_address: str | None = None):
    """The flow with its extraction batches on Dask (prefect-dask's DaskTaskRunner): on a local
    cluster of `workers` processes, or on the cluster whose scheduler is at `dask_address`
    (tcp://HOST:8786; `workers` is then how many batches are in flight, default 4). Returns
    (flow, parallel) to call as flow(..., parallel=parallel). Without either: the plain flow."""
    if not workers and not dask_address:
        return etl, 0
    from prefect_dask import DaskTaskRunner

    if dask_address:
        runner = DaskTaskRunner(address=dask_address)
    else:
        runner = DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                                "dashboard_address": None})
    return etl.with_options(task_runner=runner), workers or 4


def _markdown(s: RunSummary) -> str:
    rows = [("files seen", s.files_seen), ("new", s.files_new), ("changed", s.files_changed),
            ("unchanged", s.files_unchanged), ("quarantined", s.files_quarantined),
            ("skipped (still being written)", s.files_skipped), ("pruned", s.files_pruned),
            ("articles loaded", s.articles_loaded), ("metrics loaded", s.metrics_loaded),
            ("people loaded", s.people_loaded), ("documents loaded", s.documents_loaded),
            ("corrections applied", s.corrections_applied), ("corrections orphaned", s.corrections_orphaned),
            ("data checks", s.checks_note or "-"), ("seconds", f"{s.seconds:.2f}")]
    lines = [f"# Run {s.run_id}: {s.status}", "", "| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in rows]
    lines += [f"| recovery | {s.recovery} |"] if s.recovery else []
    lines += [f"| orphaned corrections | {s.orphaned_corrections} |"] if s.orphaned_corrections else []
    return "\n".join(lines + ["", f"Warehouse: `{s.warehouse}`"])


def deployment(cron: str | None, timezone: str, parameters: dict | None = None,
               name: str = DEPLOYMENT_NAME):
    """The flow as a deployment: on `cron` in `timezone` (no schedule when cron is None), with a
    concurrency limit of one: a run triggered while another is running waits in the queue
    (ENQUEUE), so a scheduled and a manual run never write at once."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    schedules = [Cron(cron, timezone=timezone)] if cron else None
    return etl.to_deployment(
        name=name, schedules=schedules, parameters=parameters or {},
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        description="Raw articles -> facts -> the published DuckDB warehouse, on a schedule.",
        tags=["party-warehouse"], entrypoint_type=EntrypointType.MODULE_PATH)


def serve(cron: str | None, timezone: str, parameters: dict | None = None) -> None:
    """Serve the deployment until interrupted: runs come from the schedule or from
    `prefect deployment run 'party-warehouse-etl/scheduled'`."""
    from prefect import serve as prefect_serve

    logging.getLogger(__name__).info("serving %s/%s", FLOW_NAME, DEPLOYMENT_NAME)
    prefect_serve(deployment(cron, timezone, parameters))
