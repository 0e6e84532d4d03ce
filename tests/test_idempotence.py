"""Idempotence and --prune: the same raw/ gives the same tables; a file removed from raw/ keeps its
facts unless the run is told to prune (docs/guarantees.md)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

from flows.cli import build_parser
from flows.pipeline import run
from flows.settings import ENV_PRUNE, Settings

from .conftest import PROJECT
from .crash_runner import NOT_COMPARED, VOLATILE, digests

GONE = "000_31de0f0f34ce37d1.txt"


def go(raw, wh, **kw):
    return run(Settings.resolve(raw, wh, **kw))


def rows(wh, sql, params=None):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def test_the_excluded_columns_are_the_ones_listed():
    """The comparisons below leave out exactly these columns (which run wrote a row, and when) and
    the `runs` log; everything else of every table and view is compared."""
    assert VOLATILE == {"articles": {"run_id"}, "quarantine": {"run_id", "seen_at"},
                        "load_warnings": {"run_id", "seen_at"},
                        "manifest": {"first_seen", "last_seen"}, "schema_version": {"applied_at"}}
    assert NOT_COMPARED == {"runs"}


def test_running_twice_changes_no_table_or_view_at_all(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    (raw_copy / "empty.txt").write_bytes(b"")  # a quarantined input too
    go(raw_copy, wh)
    before = digests(wh, volatile={})  # every column of every table and view, `runs` included
    s = go(raw_copy, wh)
    assert (s.status, s.articles_loaded, s.files_quarantined) == ("success", 0, 0)
    after = digests(wh, volatile={})
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}
    assert len(after) >= 15  # 9 tables and 6 views at least
    runs = rows(wh, "select status, articles_loaded, metrics_loaded from runs order by started_at")
    assert runs == [("success", 5, 18), ("success", 0, 0)]  # the log grew by one row: the second run


def test_two_warehouses_built_from_the_same_raw_folder_are_identical(raw_copy, tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    go(raw_copy, a)
    go(raw_copy, b, batch_size=2)  # batches do not matter either
    assert digests(a) == digests(b)


def test_a_removed_file_keeps_its_facts_without_prune(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    go(raw_copy, wh)
    before = digests(wh, volatile={})
    (raw_copy / GONE).unlink()
    s = go(raw_copy, wh)
    assert (s.files_seen, s.files_pruned, s.articles_pruned) == (4, 0, 0)
    after = digests(wh, volatile={})
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}


def test_prune_forgets_a_removed_file_as_if_it_had_never_been_there(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    (raw_copy / "empty.txt").write_bytes(b"")
    go(raw_copy, wh)
    doc_id = rows(wh, "select doc_id from sources where source_path = ?", [GONE])[0][0]
    (raw_copy / GONE).unlink()
    (raw_copy / "empty.txt").unlink()
    s = go(raw_copy, wh, prune=True)
    assert (s.status, s.files_pruned, s.articles_pruned) == ("success", 2, 1)
    assert "pruned: 2 files gone from raw/, 1 articles" in s.text()
    for table in ("articles", "metrics", "people", "documents_cited", "sources"):
        assert rows(wh, f"select count(*) from {table} where doc_id = ?", [doc_id]) == [(0,)], table
    assert rows(wh, "select count(*) from manifest where file_path in (?, ?)", [GONE, "empty.txt"]) == [(0,)]
    assert rows(wh, "select count(*) from quarantine") == [(0,)]
    assert rows(wh, "select files_pruned, articles_pruned from runs where run_id = ?", [s.run_id]) == [(2, 1)]
    fresh = tmp_path / "fresh.duckdb"  # a warehouse built from the remaining files alone
    go(raw_copy, fresh)
    assert digests(wh) == digests(fresh)
    again = go(raw_copy, wh, prune=True)
    assert (again.files_pruned, again.articles_pruned) == (0, 0)


def test_prune_keeps_an_article_another_path_still_holds(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    (raw_copy / "moved").mkdir()
    shutil.copy2(raw_copy / GONE, raw_copy / "moved" / "same.txt")
    go(raw_copy, wh)
    (raw_copy / GONE).unlink()
    s = go(raw_copy, wh, prune=True)
    assert (s.files_pruned, s.articles_pruned) == (1, 0)
    assert rows(wh, "select count(*) from articles") == [(5,)]
    assert rows(wh, "select count(*) from sources where source_path = ?", [GONE]) == [(0,)]


def test_prune_refuses_an_empty_raw_folder(raw_copy, tmp_path):
    """An unmounted folder would otherwise delete every article."""
    wh = tmp_path / "wh" / "warehouse.duckdb"
    go(raw_copy, wh)
    before = digests(wh)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="refusing"):
        go(empty, wh, prune=True)
    assert digests(wh) == before


def test_prune_option_and_environment_variable(raw_copy, tmp_path, monkeypatch):
    assert build_parser().parse_args(["run"]).prune is None
    assert build_parser().parse_args(["run", "--prune"]).prune is True
    monkeypatch.delenv(ENV_PRUNE, raising=False)
    assert Settings.resolve(raw_copy, tmp_path / "w.duckdb").prune is False
    monkeypatch.setenv(ENV_PRUNE, "1")
    assert Settings.resolve(raw_copy, tmp_path / "w.duckdb").prune is True
    assert Settings.resolve(raw_copy, tmp_path / "w.duckdb", prune=False).prune is False  # the option wins
    monkeypatch.setenv(ENV_PRUNE, "maybe")
    with pytest.raises(ValueError, match=ENV_PRUNE):
        Settings.resolve(raw_copy, tmp_path / "w.duckdb")
    monkeypatch.delenv(ENV_PRUNE)
    wh = tmp_path / "cli.duckdb"
    go(raw_copy, wh)
    (raw_copy / GONE).unlink()
    p = subprocess.run([sys.executable, "-m", "flows", "run", "--no-prefect", "--prune", "--raw-dir", str(raw_copy),
                        "--warehouse", str(wh)], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "pruned: 1 files gone from raw/, 1 articles" in p.stdout
    assert rows(wh, "select count(*) from articles") == [(4,)]
