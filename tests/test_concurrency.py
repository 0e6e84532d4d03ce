"""Concurrent access: two runs at once, and a BI reader holding the published file for a whole run
(docs/guarantees.md)."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb

from flows.pipeline import run
from flows.settings import Settings
from flows.warehouse import WarehousePaths

from .conftest import PROJECT, RAW
from .crash_runner import digests

RUNNER = Path(__file__).resolve().parent / "crash_runner.py"


def cli(raw: Path, wh: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows", "run", "--no-prefect", "--json", "--raw-dir", str(raw),
                             "--warehouse", str(wh), *args], cwd=PROJECT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def no_duplicates(wh: Path) -> None:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        for table, key in [("articles", "doc_id"), ("metrics", "doc_id, fact_no"), ("sources", "source_path"),
                           ("manifest", "file_path"), ("runs", "run_id"),
                           ("people", "doc_id, name, title, char_start"),
                           ("quarantine", "source_path, reason")]:
            n, distinct = con.execute(f"select count(*), count(distinct ({key})) from {table}").fetchall()[0]
            assert n == distinct, table
        assert con.execute("select count(*) from articles").fetchall() == [(5,)]
    finally:
        con.close()


def test_a_second_run_exits_with_code_3_or_waits_while_one_writes(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    holder = subprocess.Popen([sys.executable, str(RUNNER), "pause", str(raw_copy), str(wh), "2"], cwd=PROJECT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "PAUSED"  # a batch loaded, the lock held
        second = cli(raw_copy, wh)
        out, err = second.communicate(timeout=120)
        assert second.returncode == 3 and "another run is writing" in err and out == ""
        waiter = cli(raw_copy, wh, "--wait", "120")
        holder.stdin.write("go\n")
        holder.stdin.flush()
        first = json.loads(holder.communicate(timeout=120)[0].strip().splitlines()[-1])
        out, err = waiter.communicate(timeout=120)
        assert waiter.returncode == 0, err
        waited = json.loads(out)
    finally:
        holder.kill()
    assert (first["status"], first["articles_loaded"]) == ("success", 5)
    assert (waited["status"], waited["articles_loaded"], waited["files_unchanged"]) == ("success", 0, 5)
    no_duplicates(wh)


def test_two_runs_started_together_load_everything_once(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    procs = [cli(raw_copy, wh, "--wait", "120") for _ in range(2)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out))
    assert sorted(r["articles_loaded"] for r in results) == [0, 5]  # one loaded, the other found it done
    no_duplicates(wh)
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select status, count(*) from runs group by 1").fetchall() == [("success", 2)]
    con.close()


def test_a_bi_reader_querying_through_a_whole_run_keeps_working(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    run(Settings.resolve(raw_copy, wh))
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, json, os
        con = duckdb.connect({str(wh)!r}, read_only=True)
        answers, errors, n = set(), [], 0
        print("READY", flush=True)
        while True:
            last = os.path.exists({str(stop)!r})
            try:
                answers.add(con.execute("select count(*) from articles").fetchall()[0][0])
                con.execute("select * from metric_period_over_period").fetchall()
                con.execute("select * from province_scorecard").fetchall()
                n += 1
            except Exception as exc:
                errors.append(repr(exc))
            if last:
                break
        print(json.dumps({{"queries": n, "answers": sorted(answers), "errors": errors}}), flush=True)
    """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "READY"
        (raw_copy / "new.txt").write_text("Hội nghị sơ kết công tác xây dựng Đảng\n\nSáng 2-8-2019, "
                                          "Đảng bộ huyện kết nạp 12 đảng viên mới.", encoding="utf-8")
        s = run(Settings.resolve(raw_copy, wh))
        stop.touch()
        out, err = reader.communicate(timeout=120)
    finally:
        reader.kill()
    assert (s.status, s.articles_loaded) == ("success", 1)
    seen = json.loads(out)
    assert seen["errors"] == [] and seen["queries"] >= 1
    assert seen["answers"] == [5]  # its snapshot, from start to end
    con = duckdb.connect(str(wh), read_only=True)  # a new connection: the new run
    assert con.execute("select count(*) from articles").fetchall() == [(6,)]
    con.close()


# --- the publish is atomic: a reader never sees a half-copied warehouse ---------------------------

def articles(wh: Path) -> int:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute("select count(*) from articles").fetchone()[0]
    finally:
        con.close()


def test_a_reader_opening_the_published_file_while_a_publish_is_stopped_in_its_copy_sees_the_last_good_one(
        tmp_path):
    """A real run in a child process, stopped (SIGSTOP) halfway through the publish's copy of the
    new warehouse and again when the copy is complete but nothing is renamed (tests/crash_runner.py
    "stop-copy"). At both points a new reader opens the published file: it is whole, readable and
    still the last good warehouse. Copying over the published file in place would show it half
    written, then the new data before the run has finished."""
    raw, wh = tmp_path / "raw", tmp_path / "wh" / "warehouse.duckdb"
    raw.mkdir()
    files = sorted(RAW.glob("*.txt"))
    for f in files[:2]:
        shutil.copy2(f, raw / f.name)
    assert run(Settings.resolve(raw, wh)).status == "success"
    last_good = digests(wh)
    for f in files[2:]:
        shutil.copy2(f, raw / f.name)
    err = tmp_path / "child.err"
    with open(err, "w") as err_fh:
        child = subprocess.Popen([sys.executable, str(RUNNER), "stop-copy", str(raw), str(wh), "1"], cwd=PROJECT,
                                 stdout=subprocess.DEVNULL, stderr=err_fh)
    try:
        for point in ("halfway through the copy", "the copy complete, not renamed"):
            _, status = os.waitpid(child.pid, os.WUNTRACED)
            assert os.WIFSTOPPED(status), (point, status, err.read_text()[-3000:])
            assert digests(wh) == last_good, point
            assert articles(wh) == 2, point
            os.kill(child.pid, signal.SIGCONT)
        assert child.wait(timeout=300) == 0, err.read_text()[-3000:]
    finally:
        child.kill()
    assert articles(wh) == 5
    assert not WarehousePaths(wh).publishing.exists()


# --- --wait: a lock held by this test for a known time ---------------------------------------------

@contextmanager
def lock_held(wh: Path):
    """The run lock of warehouse `wh`, taken by this test process (as another run would)."""
    lock = WarehousePaths(wh).lock
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)  # releases the lock


def wait_until_trying_the_lock(proc: subprocess.Popen, wh: Path) -> float:
    """When the run `proc` has opened the lock file (it then tries the lock until it gets it or
    its --wait runs out): read from /proc, so no timing is guessed."""
    lock = str(WarehousePaths(wh).lock)
    while proc.poll() is None:
        for fd in Path(f"/proc/{proc.pid}/fd").glob("*"):
            try:
                if os.readlink(fd) == lock:
                    return time.monotonic()
            except OSError:
                pass
        time.sleep(0.01)
    raise AssertionError(f"the run ended with code {proc.returncode} before waiting for the lock: "
                         f"{proc.stderr.read()[-2000:]}")


HOLD = 2.0  # seconds the test holds the lock once the run is waiting for it


def test_wait_waits_for_a_lock_held_for_a_known_time_then_runs(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    with lock_held(wh):
        waiter = cli(raw_copy, wh, "--wait", "120")
        try:
            waiting_since = wait_until_trying_the_lock(waiter, wh)
            time.sleep(HOLD)
            assert waiter.poll() is None  # still waiting: the lock is held
        except BaseException:
            waiter.kill()
            raise
    out, err = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, err
    assert time.monotonic() - waiting_since >= HOLD
    assert json.loads(out)["articles_loaded"] == 5
    no_duplicates(wh)


def test_wait_gives_up_after_its_seconds_while_the_lock_stays_held(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    with lock_held(wh):
        started = time.monotonic()
        waiter = cli(raw_copy, wh, "--wait", str(HOLD))
        out, err = waiter.communicate(timeout=120)
        waited = time.monotonic() - started
    assert waiter.returncode == 3 and "another run is writing" in err and out == ""
    assert HOLD <= waited < HOLD + 60
    assert not wh.exists()  # nothing was written
