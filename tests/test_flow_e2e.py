"""End to end: the real Prefect flow on raw/ into a temporary warehouse, then the scorer."""
from __future__ import annotations

import errno
import json
import subprocess
import sys
import time

import duckdb
import pytest

from .conftest import GOLD, RAW, SHARED, need


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_flow_on_bundled_raw_fills_every_table_and_scores(harness, tmp_path):
    from flows.flow import etl

    wh = tmp_path / "warehouse.duckdb"
    summary = etl(raw_dir=str(RAW), warehouse=str(wh))
    assert summary["status"] == "success"
    assert summary["files_seen"] == summary["files_new"] == summary["articles_loaded"] == 5
    con = duckdb.connect(str(wh), read_only=True)
    try:
        for table in ("articles", "metrics", "people", "documents_cited", "metric_series",
                      "metric_period_over_period"):
            assert con.execute(f"select count(*) from {table}").fetchone()[0] > 0, table
        assert con.execute("select count(*) from quarantine").fetchone()[0] == 0
        assert con.execute("select status, articles_loaded from runs").fetchall() == [("success", 5)]
    finally:
        con.close()

    state = etl(raw_dir=str(RAW), warehouse=str(wh), return_state=True)
    again = state.result()
    assert (again["files_unchanged"], again["articles_loaded"]) == (5, 0)
    # a no-op rerun: no data check runs, not even its task
    assert again["checks"] == "skipped"
    assert [r for r in task_runs("data-checks") if r.flow_run_id == state.state_details.flow_run_id] == []
    assert len([r for r in task_runs("publish") if r.flow_run_id == state.state_details.flow_run_id]) == 1

    scorer = need(SHARED / "tools" / "score_extraction.py")
    out = subprocess.run([sys.executable, str(scorer), "--warehouse", str(wh), "--gold",
                          str(need(GOLD / "seeds.json")), "--json"], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    print("seed score:", json.dumps({k: v for k, v in result.items() if k != "misses"}, ensure_ascii=False))
    assert result["articles_missing"] == []
    assert result["misses"] == []


# --- retries under Prefect: a stage that fails transiently once ---------------------------------

def flaky(monkeypatch, exc: BaseException) -> list:
    """Make the pipeline's `discover` stage raise `exc` on its first call, then work; returns
    the list of its calls."""
    import flows.pipeline
    real = flows.pipeline.discover
    calls = []

    def discover(raw_dir):
        calls.append(raw_dir)
        if len(calls) == 1:
            raise exc
        return real(raw_dir)
    monkeypatch.setattr(flows.pipeline, "discover", discover)
    return calls


def task_runs(name: str) -> list:
    from prefect import get_client
    from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName
    from prefect.client.schemas.sorting import TaskRunSort
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def read():
        async with get_client() as client:
            return await client.read_task_runs(task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_=name)),
                                               sort=TaskRunSort.EXPECTED_START_TIME_DESC, limit=50)
    return run_coro_as_sync(read())


def test_a_stage_failing_transiently_once_is_retried_by_prefect_and_the_run_succeeds(harness, tmp_path, monkeypatch):
    from flows.flow import TASK_RETRY_DELAYS, etl

    calls = flaky(monkeypatch, OSError(errno.EIO, "Input/output error"))
    t0 = time.monotonic()
    state = etl(raw_dir=str(RAW), warehouse=str(tmp_path / "warehouse.duckdb"), return_state=True)
    summary = state.result()
    assert (summary["status"], summary["articles_loaded"]) == ("success", 5)
    assert len(calls) == 2 and time.monotonic() - t0 >= TASK_RETRY_DELAYS[0]
    (discover,) = [r for r in task_runs("discover-") if r.flow_run_id == state.state_details.flow_run_id]
    assert discover.state.is_completed() and discover.run_count == 2  # Prefect ran it twice


def test_a_stage_failing_for_good_is_not_retried(harness, tmp_path, monkeypatch):
    from flows.flow import etl

    calls = flaky(monkeypatch, PermissionError(errno.EACCES, "Permission denied"))
    with pytest.raises(PermissionError):
        etl(raw_dir=str(RAW), warehouse=str(tmp_path / "warehouse.duckdb"))
    assert len(calls) == 1
