"""Scale-out: extraction batches on parallel workers give the same warehouse as a plain run.

Loading stays in the one writing process; only read/clean/extract of a batch moves to a worker.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from flows.pipeline import process_pool, run, windowed
from flows.settings import Settings

from .conftest import PROJECT
from .crash_runner import digests


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def test_windowed_keeps_order_and_never_runs_more_than_the_window_ahead():
    submitted, yielded = [], []

    def submit(i, b):
        submitted.append(i)
        assert len(submitted) - len(yielded) <= 3  # window 2 ahead of the batch being loaded
        return _Done(b * 10)

    for out in windowed(submit, iter([1, 2, 3, 4, 5]), window=2):
        yielded.append(out)
    assert yielded == [10, 20, 30, 40, 50]


def test_a_process_pool_of_two_gives_the_same_warehouse_as_a_plain_run(raw_copy, tmp_path):
    plain, pooled = tmp_path / "plain.duckdb", tmp_path / "pooled.duckdb"
    run(Settings.resolve(raw_copy, plain))
    with process_pool(2) as extract:
        s = run(Settings.resolve(raw_copy, pooled, batch_size=2), extract=extract)
    assert (s.status, s.articles_loaded) == ("success", 5)
    assert digests(pooled) == digests(plain)


def _cli(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    p = subprocess.run([sys.executable, "-m", "flows", "run", "--json", *args], cwd=PROJECT, env=env,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_flow_on_a_local_dask_cluster_of_two_workers_gives_the_same_warehouse(raw_copy, tmp_path):
    """`python -m flows run --workers 2`: the Prefect flow with prefect-dask's DaskTaskRunner on a
    local cluster of 2 worker processes, batches of 2 files (3 batches)."""
    plain, dask = tmp_path / "plain.duckdb", tmp_path / "dask.duckdb"
    _cli("--no-prefect", "--raw-dir", str(raw_copy), "--warehouse", str(plain))
    s = _cli("--workers", "2", "--batch-size", "2", "--raw-dir", str(raw_copy), "--warehouse", str(dask))
    assert (s["status"], s["articles_loaded"]) == ("success", 5)
    assert digests(dask) == digests(plain)


def test_workers_and_dask_address_come_from_option_or_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTY_WAREHOUSE_WORKERS", "3")
    monkeypatch.setenv("PARTY_WAREHOUSE_DASK_ADDRESS", "tcp://10.0.0.5:8786")
    s = Settings.resolve(tmp_path, tmp_path / "w.duckdb")
    assert (s.workers, s.dask_address) == (3, "tcp://10.0.0.5:8786")
    s = Settings.resolve(tmp_path, tmp_path / "w.duckdb", workers=2, dask_address="tcp://h:1")
    assert (s.workers, s.dask_address) == (2, "tcp://h:1")
    monkeypatch.delenv("PARTY_WAREHOUSE_WORKERS")
    monkeypatch.delenv("PARTY_WAREHOUSE_DASK_ADDRESS")
    assert Settings.resolve(tmp_path, tmp_path / "w.duckdb").workers == 1
    with pytest.raises(ValueError, match="at least 1"):
        Settings.resolve(tmp_path, tmp_path / "w.duckdb", workers=0)
