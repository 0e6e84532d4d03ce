"""`python -m flows export --parquet DIR`: every public table and view as Parquet, read back."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.export import PUBLIC_TABLES, export_parquet, public_views
from flows.pipeline import run
from flows.settings import ENV_WAREHOUSE, Settings

from .conftest import PROJECT, RAW

# What the issue promised analysts; a view added to sql/views is exported too (see below).
PROMISED = ("articles", "metrics", "people", "documents_cited", "quarantine", "runs", "sources",
            "dim_period", "metric_series", "metric_period_over_period", "province_scorecard",
            "officials_by_title", "coverage")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("export")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    wh = base / "warehouse" / "warehouse.duckdb"
    assert run(Settings.resolve(raw, wh)).status == "success"
    return wh


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sorted_frame(df: pl.DataFrame) -> pl.DataFrame:
    return df.sort(df.columns, nulls_last=True) if df.height else df


def test_exports_every_public_table_and_every_view(warehouse, tmp_path):
    written = export_parquet(warehouse, tmp_path / "pq")
    names = [e.name for e in written]
    assert names == list(PUBLIC_TABLES) + list(public_views())
    assert set(PROMISED) <= set(names)
    assert "manifest" not in names and "schema_version" not in names  # internal
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == sorted(f"{n}.parquet" for n in names)


def test_every_file_reads_back_with_polars_as_the_duckdb_object(warehouse, tmp_path):
    written = export_parquet(warehouse, tmp_path / "pq")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for e in written:
            back = pl.read_parquet(e.path)
            source = pl.from_arrow(con.table(e.name).to_arrow_table())
            assert back.height == source.height == e.rows, e.name
            assert back.columns == source.columns == list(e.columns), e.name
            assert back.schema == source.schema, e.name
            assert sorted_frame(back).equals(sorted_frame(source)), e.name
    finally:
        con.close()
    rows = {e.name: e.rows for e in written}
    assert rows["articles"] == 5 and rows["metrics"] > 0 and rows["metric_period_over_period"] > 0


def test_export_leaves_the_warehouse_untouched_and_runs_beside_other_readers(warehouse, tmp_path):
    before = sha256(warehouse)
    reader = subprocess.Popen(  # another process holding the warehouse read-only, as a BI tool does
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
                               "c.execute('select count(*) from articles').fetchall(); print('ready', flush=True); "
                               "sys.stdin.read()", str(warehouse)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "ready"
        export_parquet(warehouse, tmp_path / "pq")
    finally:
        reader.communicate("", timeout=30)
    assert sha256(warehouse) == before
    assert not list(warehouse.parent.glob("*.wal"))


def test_export_again_replaces_the_files_and_leaves_no_partial_file(warehouse, tmp_path):
    out = tmp_path / "pq"
    export_parquet(warehouse, out)
    (out / "articles.parquet").write_bytes(b"stale")
    export_parquet(warehouse, out)
    assert pl.read_parquet(out / "articles.parquet").height == 5
    assert not [p for p in out.iterdir() if not p.name.endswith(".parquet") or p.name.startswith(".")]


def test_missing_warehouse_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no warehouse at"):
        export_parquet(tmp_path / "nope.duckdb", tmp_path / "pq")
    assert not (tmp_path / "pq").exists()


def test_warehouse_without_the_views_is_refused(tmp_path):
    old = tmp_path / "old.duckdb"
    con = duckdb.connect(str(old))
    con.execute("create table articles (doc_id varchar)")
    con.close()
    with pytest.raises(ValueError, match="older version"):
        export_parquet(old, tmp_path / "pq")
    assert not (tmp_path / "pq").exists()


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows", *args], cwd=PROJECT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_cli_export_prints_object_rows_and_file(warehouse, tmp_path):
    out = tmp_path / "cli"
    p = cli("export", "--parquet", str(out), "--warehouse", str(warehouse))
    assert p.returncode == 0, p.stderr
    assert str(warehouse) in p.stdout
    lines = {line.split()[1]: line.split() for line in p.stdout.splitlines()[1:]}
    assert set(lines) == set(PUBLIC_TABLES) | set(public_views())
    kind, name, rows, word, path = lines["articles"]
    assert (kind, rows, word, path) == ("table", "5", "rows", str(out / "articles.parquet"))
    for name, (_, _, rows, _, path) in lines.items():
        assert pl.read_parquet(path).height == int(rows), name


def test_cli_export_takes_the_warehouse_from_the_environment(warehouse, tmp_path):
    p = cli("export", "--parquet", str(tmp_path / "env"), env={ENV_WAREHOUSE: str(warehouse)})
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "env" / "coverage.parquet").exists()


def test_cli_export_errors(tmp_path):
    p = cli("export", "--parquet", str(tmp_path / "pq"), "--warehouse", str(tmp_path / "missing.duckdb"))
    assert p.returncode == 2 and "no warehouse at" in p.stderr and not p.stdout
    assert cli("export").returncode == 2  # --parquet is required
    assert "--parquet" in cli("export", "--help").stdout
