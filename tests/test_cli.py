"""The command line, as a user runs it (a real process)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.cli import build_parser
from flows.settings import ENV_RAW_DIR, ENV_WAREHOUSE, Settings
from flows.warehouse import WarehousePaths, run_lock

from .conftest import PROJECT


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows", *args], cwd=PROJECT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_help_explains_every_command_and_option():
    top = cli("--help")
    assert top.returncode == 0 and "run" in top.stdout
    run_help = cli("run", "--help").stdout
    for option in ("--raw-dir", "--warehouse", "--batch-size", "--wait", "--no-prefect", "--json",
                   ENV_RAW_DIR, ENV_WAREHOUSE):
        assert option in run_help, option


def test_run_any_folder_into_any_file_prints_a_summary(raw_copy, tmp_path):
    wh = tmp_path / "out" / "my.duckdb"
    p = cli("run", "--no-prefect", "--raw-dir", str(raw_copy), "--warehouse", str(wh))
    assert p.returncode == 0, p.stderr
    assert "5 seen, 5 new, 0 changed, 0 unchanged, 0 quarantined" in p.stdout
    assert "loaded: 5 articles" in p.stdout and " s\n" in p.stdout
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select count(*) from articles").fetchall() == [(5,)]
    con.close()
    again = json.loads(cli("run", "--no-prefect", "--json", "--raw-dir", str(raw_copy), "--warehouse", str(wh)).stdout)
    assert (again["files_unchanged"], again["articles_loaded"], again["facts_loaded"]) == (5, 0, 0)


def test_environment_variables_set_the_defaults(raw_copy, tmp_path, monkeypatch):
    wh = tmp_path / "env.duckdb"
    monkeypatch.setenv(ENV_RAW_DIR, str(raw_copy))
    monkeypatch.setenv(ENV_WAREHOUSE, str(wh))
    s = Settings.resolve()
    assert (s.raw_dir, s.warehouse) == (raw_copy.resolve(), wh.resolve())
    assert Settings.resolve(warehouse=tmp_path / "opt.duckdb").warehouse == (tmp_path / "opt.duckdb").resolve()
    p = cli("run", "--no-prefect", "--json", env={ENV_RAW_DIR: str(raw_copy), ENV_WAREHOUSE: str(wh)})
    assert p.returncode == 0 and json.loads(p.stdout)["warehouse"] == str(wh.resolve())


def test_defaults_are_the_bundled_folders(monkeypatch):
    monkeypatch.delenv(ENV_RAW_DIR, raising=False)
    monkeypatch.delenv(ENV_WAREHOUSE, raising=False)
    s = Settings.resolve()
    assert s.raw_dir == PROJECT / "raw" and s.warehouse == PROJECT / "warehouse" / "warehouse.duckdb"


def test_missing_raw_folder_is_a_clear_error(tmp_path):
    p = cli("run", "--no-prefect", "--raw-dir", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "w.duckdb"))
    assert p.returncode == 2 and "raw folder not found" in p.stderr


def test_second_run_while_one_writes_exits_with_a_message(raw_copy, tmp_path):
    wh = tmp_path / "w.duckdb"
    with run_lock(WarehousePaths(wh)):
        p = cli("run", "--no-prefect", "--raw-dir", str(raw_copy), "--warehouse", str(wh))
    assert p.returncode == 3 and "another run is writing" in p.stderr


def test_parser_defaults():
    args = build_parser().parse_args(["run"])
    assert (args.raw_dir, args.warehouse, args.no_prefect) == (None, None, False)


# --- a typo gets one line (issue 14, item 3) ---------------------------------------------------------

@pytest.mark.parametrize("args, env, expected", [
    (["--raw-dir", "/nonexistent"], {}, "error: raw folder not found: /nonexistent (--raw-dir or $PARTY_WAREHOUSE_RAW_DIR)"),
    ([], {ENV_RAW_DIR: "/nonexistent"}, "error: raw folder not found: /nonexistent (--raw-dir or $PARTY_WAREHOUSE_RAW_DIR)"),
    (["--raw-dir", str(PROJECT / "README.md")], {},
     f"error: the raw folder {PROJECT / 'README.md'} is not a folder (--raw-dir or $PARTY_WAREHOUSE_RAW_DIR)"),
    (["--batch-size", "2"], {"PARTY_WAREHOUSE_MAX_FILE_MB": "lots"},
     "error: PARTY_WAREHOUSE_MAX_FILE_MB must be a number, not 'lots'"),
    ([], {"PARTY_WAREHOUSE_BATCH_SIZE": "x"}, "error: PARTY_WAREHOUSE_BATCH_SIZE must be a whole number, not 'x'"),
])
def test_a_bad_setting_prints_one_line_and_exit_code_2_before_starting_anything(args, env, expected, tmp_path):
    # With Prefect (no --no-prefect): the settings are checked before a server starts, so the
    # answer is one line, with no "Prefect API: ..." line, no traceback and no DuckDB leak report.
    p = cli("run", "--warehouse", str(tmp_path / "w.duckdb"), *args, env=env)
    assert (p.returncode, p.stdout, p.stderr) == (2, "", expected + "\n")
    assert not (tmp_path / "w.duckdb").exists() and not (tmp_path / ".w.duckdb.lock").exists()


def test_a_warehouse_path_that_cannot_be_a_file_is_refused_at_once(raw_copy, tmp_path):
    p = cli("run", "--raw-dir", str(raw_copy), "--warehouse", str(tmp_path))
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "is a folder" in p.stderr
    (tmp_path / "file").write_text("x")
    p = cli("run", "--raw-dir", str(raw_copy), "--warehouse", str(tmp_path / "file" / "w.duckdb"))
    assert p.returncode == 2 and p.stderr == (f"error: the warehouse {tmp_path / 'file' / 'w.duckdb'} cannot be "
                                              f"created: {tmp_path / 'file'} is a file, not a folder "
                                              "(--warehouse or $PARTY_WAREHOUSE_FILE)\n")


def test_a_run_ends_without_nanobind_leak_lines(raw_copy, tmp_path):
    """A successful run leaves no DuckDB object alive at exit (reading the manifest through
    DuckDB's Arrow stream into Polars did: "nanobind: leaked 27 instances!" and a screen more)."""
    p = cli("run", "--no-prefect", "--raw-dir", str(raw_copy), "--warehouse", str(tmp_path / "w.duckdb"))
    assert p.returncode == 0 and "loaded: 5 articles" in p.stdout
    assert "nanobind" not in p.stderr and "leaked" not in p.stderr


@pytest.mark.slow
def test_a_run_that_fails_under_prefect_ends_without_nanobind_leak_lines(raw_copy, tmp_path):
    """A run that fails after it opened the warehouse (here --prune on an emptied raw folder):
    Prefect keeps the exception, whose frames held DuckDB objects alive at exit ("nanobind:
    leaked 28 instances!" and a screen of "leaked function" lines before the fix)."""
    wh = tmp_path / "w.duckdb"
    assert cli("run", "--no-prefect", "--raw-dir", str(raw_copy), "--warehouse", str(wh)).returncode == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    p = cli("run", "--prune", "--raw-dir", str(empty), "--warehouse", str(wh))
    assert p.returncode == 2 and "--prune: the raw folder" in p.stderr
    assert "nanobind" not in p.stderr and "leaked" not in p.stderr
