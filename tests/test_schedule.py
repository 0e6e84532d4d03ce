"""Scheduling: the deployment `python -m flows serve` serves, its concurrency limit, retries only
on transient errors, the progress bar, and which Prefect API a one-off run uses.

The slow test starts a real local Prefect server, serves the deployment, triggers two runs at
once and sees them complete one after the other."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flows import prefect_setup
from flows.progress import NoProgress, TerminalProgress, for_terminal

from .conftest import PROJECT

FLOW_DEPLOYMENT = "party-warehouse-etl/scheduled"


# --- the deployment object -----------------------------------------------------------------

def test_deployment_runs_on_cron_in_its_time_zone_with_a_concurrency_limit_of_one():
    from prefect.client.schemas.objects import ConcurrencyLimitStrategy

    from flows.flow import deployment

    d = deployment("0 6 * * *", "Asia/Ho_Chi_Minh", {"warehouse": "/data/w.duckdb"})
    assert d.name == "scheduled" and d.flow_name == "party-warehouse-etl"
    [schedule] = d.schedules
    assert (schedule.schedule.cron, schedule.schedule.timezone) == ("0 6 * * *", "Asia/Ho_Chi_Minh")
    assert d.concurrency_limit == 1
    assert d.concurrency_options.collision_strategy == ConcurrencyLimitStrategy.ENQUEUE
    assert d.parameters == {"warehouse": "/data/w.duckdb"}
    assert d.entrypoint == "flows.flow.etl"  # imported as a module: works from the project folder


def test_deployment_without_schedule_runs_only_when_triggered():
    from flows.flow import deployment

    assert deployment(None, "UTC").schedules in (None, [])


# --- retries only on transient failures -------------------------------------------------------

class _State:
    def __init__(self, exc):
        self.exc = exc

    def result(self, raise_on_failure=True):
        return self.exc


@pytest.mark.parametrize("exc, retried", [
    (OSError(5, "Input/output error"), True),                  # EIO
    (OSError(28, "No space left on device"), True),            # ENOSPC
    (OSError(13, "Permission denied"), False),                 # a person must act
    (ValueError("batch size must be at least 1"), False),
    (FileNotFoundError(2, "raw folder not found"), False),
])
def test_a_stage_is_retried_only_when_its_error_is_transient(exc, retried):
    from flows.flow import _retry_if_transient

    assert _retry_if_transient(None, None, _State(exc)) is retried


def test_a_locked_warehouse_is_transient_and_a_failed_data_check_is_not():
    from flows.checks import DataCheckError
    from flows.errors import RunLocked
    from flows.flow import _retry_if_transient

    assert _retry_if_transient(None, None, _State(RunLocked("another run is writing"))) is True
    assert _retry_if_transient(None, None, _State(DataCheckError([]))) is False


# --- progress ---------------------------------------------------------------------------------

class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_silent_when_not_a_terminal():
    out = io.StringIO()
    with for_terminal(out) as progress:
        assert type(progress) is NoProgress
        progress.start(10, 2)
        progress.advance(5)
    assert out.getvalue() == ""


def test_progress_bar_on_a_terminal_counts_files_and_batches():
    out = _Tty()
    with for_terminal(out) as progress:
        assert isinstance(progress, TerminalProgress)
        progress.start(7000, 2)
        progress.advance(5000)
        progress.advance(2000)
    text = out.getvalue()
    assert "batch 2/2" in text and "7000/7000" in text


# --- which Prefect API a run uses --------------------------------------------------------------

def test_api_url_comes_from_the_environment_or_the_active_profile(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    assert prefect_setup.configured_api_url() is None
    (tmp_path / "profiles.toml").write_text(
        'active = "team"\n[profiles.team]\nPREFECT_API_URL = "http://prefect.example:4200/api"\n'
        '[profiles.local]\n', encoding="utf-8")
    assert prefect_setup.configured_api_url() == "http://prefect.example:4200/api"
    monkeypatch.setenv("PREFECT_PROFILE", "local")
    assert prefect_setup.configured_api_url() is None
    monkeypatch.setenv("PREFECT_API_URL", "http://10.0.0.5:4200/api")
    assert prefect_setup.configured_api_url() == "http://10.0.0.5:4200/api"


def test_nothing_listening_is_not_healthy():
    port = prefect_setup._free_port()
    assert prefect_setup.healthy(f"http://127.0.0.1:{port}/api", timeout=0.5) is False


def test_serve_without_a_server_says_how_to_start_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # no profile with an API URL
    port = prefect_setup._free_port()
    env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"  # nothing listens there
    p = subprocess.run([sys.executable, "-m", "flows", "serve"], cwd=PROJECT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2
    assert "make server" in p.stderr and f"127.0.0.1:{port}" in p.stderr


# --- a real server: serve, trigger, complete -----------------------------------------------------

def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.slow
def test_served_deployment_runs_when_triggered_and_two_runs_never_overlap(tmp_path, raw_copy):
    """A real local Prefect server (the command `make server` runs), `python -m flows serve`,
    two runs triggered at once: both complete, one after the other (concurrency limit 1)."""
    port = prefect_setup._free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    logs = tmp_path / "logs"
    logs.mkdir()
    wh = tmp_path / "warehouse.duckdb"
    procs = []
    try:
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port),
             "--analytics-off", "--no-ui"],
            env=env, stdout=open(logs / "server.log", "w"), stderr=subprocess.STDOUT))
        _wait(lambda: prefect_setup.healthy(api), 180, "the Prefect server")
        env["PREFECT_API_URL"] = api
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "flows", "serve", "--raw-dir", str(raw_copy), "--warehouse", str(wh),
             "--cron", "0 6 * * *", "--timezone", "Asia/Ho_Chi_Minh"],
            cwd=PROJECT, env=env, stdout=open(logs / "serve.log", "w"), stderr=subprocess.STDOUT))

        from prefect.client.orchestration import get_client
        from prefect.deployments import run_deployment
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: api}), get_client(sync_client=True) as client:
            def deployed():
                try:
                    return client.read_deployment_by_name(FLOW_DEPLOYMENT)
                except Exception:
                    return None

            d = _wait(deployed, 180, "the deployment to be served")
            assert d.global_concurrency_limit.limit == 1
            assert [(s.schedule.cron, s.schedule.timezone) for s in d.schedules] == [("0 6 * * *", "Asia/Ho_Chi_Minh")]

            first = run_deployment(FLOW_DEPLOYMENT, timeout=0)
            second = run_deployment(FLOW_DEPLOYMENT, timeout=0)

            def finished():
                runs = [client.read_flow_run(r.id) for r in (first, second)]
                return runs if all(r.state.is_final() for r in runs) else None

            try:
                a, b = _wait(finished, 300, "both runs to finish")
            except AssertionError:
                print((logs / "serve.log").read_text(errors="replace")[-4000:])
                raise
        assert [a.state.name, b.state.name] == ["Completed", "Completed"]
        earlier, later = sorted((a, b), key=lambda r: r.start_time)
        assert earlier.end_time <= later.start_time, "the two runs overlapped"
    finally:
        for p in reversed(procs):
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()

    con = duckdb.connect(str(wh), read_only=True)
    try:
        assert con.execute("select status, articles_loaded from runs order by started_at").fetchall() == [
            ("success", 5), ("success", 0)]
        assert con.execute("select count(*), count(distinct doc_id) from articles").fetchone() == (5, 5)
    finally:
        con.close()
