"""Which Prefect API a run talks to, and how to make a one-off run start fast.

Nothing here imports Prefect: this module runs before Prefect's own (slow) import, so that a
temporary server can start in a child process while this process imports and lists files.

Where a one-off `python -m flows run` sends its flow run:
1. $PREFECT_API_URL, or PREFECT_API_URL in the active Prefect profile: that server.
2. Else a local server answering at http://127.0.0.1:4200/api (`make server` starts one).
3. Else a temporary server started now (`prefect server start`, UI off, on a free loopback port),
   stopped when the run ends. Its history is kept in the Prefect home's SQLite database.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

LOCAL_SERVER = "http://127.0.0.1:4200/api"  # where `make server` listens
STARTUP_TIMEOUT = 120.0  # seconds a temporary server may take to answer (a loaded 2-core machine)


def defaults() -> None:
    """Environment defaults every Prefect process of ours uses (a user's own values win)."""
    # A temporary server takes 10-30 s to start on a small, loaded machine: allow it.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    # No telemetry calls from a server (they fail on a closed network and log errors).
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # The pipeline's own stage logs (logger "flows.*") go to the flow run's log in the Prefect UI.
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "flows")


def configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment or from the active profile of the Prefect home."""
    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"]
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        data = tomllib.loads(profiles.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active")
    return (data.get("profiles", {}).get(active or "", {}) or {}).get("PREFECT_API_URL") or None


def healthy(api_url: str, timeout: float = 0.5) -> bool:
    """True when a Prefect API answers its health check at api_url."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as resp:
            return resp.status == 200
    except (OSError, ValueError):
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Services a server that lives for one run does not need: they schedule, expire or clean up runs
# over minutes and hours. (Those that record the run's task runs and events stay on.)
TEMPORARY_SERVER_IDLE = ("SCHEDULER", "LATE_RUNS", "FOREMAN", "CANCELLATION_CLEANUP", "CLEANUP_RECONCILER",
                         "PAUSE_EXPIRATIONS", "REPOSSESSOR", "TRIGGERS")


class TemporaryServer:
    """`prefect server start` on a free loopback port, UI off, in a child process."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_SERVER_UI_ENABLED="false",
                   **{f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in TEMPORARY_SERVER_IDLE})
        env.pop("PREFECT_API_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(self.port),
             "--no-ui", "--analytics-off", "--log-level", "ERROR"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)

    def wait(self, timeout: float = STARTUP_TIMEOUT) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if healthy(self.api_url, timeout=1.0):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Api:
    """The Prefect API a run uses: `describe` says which; `ready()` blocks until it answers."""
    describe: str
    server: TemporaryServer | None = None

    def flush(self) -> None:
        """Send the run's last logs and events before a temporary server stops."""
        if self.server is None:
            return
        from prefect.events.worker import EventsWorker
        from prefect.logging.handlers import APILogHandler

        APILogHandler().flush()
        EventsWorker.drain_all()

    def ready(self) -> None:
        if self.server is not None and not self.server.wait():
            raise RuntimeError("the temporary Prefect server did not start; run `make server` "
                               "or set PREFECT_API_URL")


@contextmanager
def api_for_one_run() -> Iterator[Api]:
    """Point this process at a Prefect API for one run (see the module docstring). Enter it
    before Prefect is imported; call `.ready()` before the flow starts."""
    defaults()
    configured = configured_api_url()
    if configured:
        yield Api(f"Prefect API: {configured}")
        return
    if healthy(LOCAL_SERVER, timeout=0.3):
        os.environ["PREFECT_API_URL"] = LOCAL_SERVER
        try:
            yield Api(f"Prefect API: the local server at {LOCAL_SERVER}")
        finally:
            os.environ.pop("PREFECT_API_URL", None)
        return
    server = TemporaryServer()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield Api(f"Prefect API: a temporary server at {server.api_url} "
                  "(`make server` keeps one running and makes runs start faster)", server)
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()
