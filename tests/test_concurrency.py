"""Concurrent access: two runs at once, and a BI reader holding the published file for a whole run
(docs/guarantees.md)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from flows.pipeline import run
from flows.settings import Settings

from .conftest import PROJECT

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
