"""What keeps a run's memory bounded (measured by bench/benchmark.py, never timed or sized here):

- a batch loads under DuckDB's lower load cap, and the connection gets its own cap back for the
  data checks; a batch that runs out of memory under the load cap is loaded again under the full
  cap, whole;
- DuckDB reads the frames of a batch and the manifest without pyarrow (its import costs the
  writing process about 30 MB).
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows import warehouse
from flows.extract.facts import EXTRACTOR_VERSION
from flows.ingest import discover, plan, split_feeds
from flows.pipeline import batches, process_batch
from flows.settings import DEFAULT_BATCH_SIZE, ENV_BATCH_SIZE, Settings
from flows.warehouse import WarehousePaths, load_batch, open_checked, read_manifest

PROJECT = Path(__file__).resolve().parent.parent


def _limit(con) -> str:
    return con.execute("select current_setting('memory_limit')").fetchone()[0]


def _batch(raw: Path) -> dict[str, pl.DataFrame]:
    files, _ = discover(raw)
    todo = split_feeds(raw, plan(files, pl.DataFrame(schema={"file_path": pl.String, "size": pl.Int64,
                                                             "mtime_ns": pl.Int64, "status": pl.String,
                                                             "extractor_version": pl.String,
                                                             "sha256": pl.String}), EXTRACTOR_VERSION), 2000)
    return process_batch(raw, next(batches(todo, 2000)))


def _params() -> dict:
    return {"run_id": "r1", "now": datetime.now(), "extractor_version": EXTRACTOR_VERSION}


def test_a_batch_loads_under_the_load_cap_and_the_connection_keeps_its_cap(raw_copy, tmp_path, monkeypatch):
    monkeypatch.setenv(warehouse.ENV_DUCKDB_MEMORY, "200MB")
    monkeypatch.setenv(warehouse.ENV_DUCKDB_LOAD_MEMORY, "40MB")
    con, _ = open_checked(WarehousePaths(tmp_path / "w.duckdb"))
    try:
        full = _limit(con)
        seen = []
        real_load = warehouse._load
        monkeypatch.setattr(warehouse, "_load", lambda c, f, p: (seen.append(_limit(c)), real_load(c, f, p)))
        load_batch(con, _batch(raw_copy), _params())
        assert len(seen) == 1 and seen[0] != full
        assert seen[0].startswith(("38", "40"))  # 40MB as DuckDB prints it (MiB)
        assert _limit(con) == full
        assert con.execute("select count(*) from articles").fetchone()[0] == 5
    finally:
        con.close()


def test_a_batch_out_of_memory_under_the_load_cap_loads_again_whole_under_the_full_cap(raw_copy, tmp_path,
                                                                                       monkeypatch):
    con, _ = open_checked(WarehousePaths(tmp_path / "w.duckdb"))
    try:
        full = _limit(con)
        calls = []
        real_load = warehouse._load

        def load_once_out_of_memory(c, frames, params):
            calls.append(_limit(c))
            if len(calls) == 1:
                c.execute("begin transaction")
                c.execute("insert into runs (run_id, started_at, status) values ('half-done', now(), 'x')")  # a half-done load ...
                c.execute("rollback")  # ... rolled back, as _load does on any error
                raise duckdb.OutOfMemoryException("could not allocate block")
            return real_load(c, frames, params)

        monkeypatch.setattr(warehouse, "_load", load_once_out_of_memory)
        load_batch(con, _batch(raw_copy), _params())
        assert len(calls) == 2 and calls[0] != full and calls[1] == full
        assert _limit(con) == full
        assert con.execute("select count(*) from articles").fetchone()[0] == 5
        assert con.execute("select count(*) from runs where run_id = 'half-done'").fetchone()[0] == 0
    finally:
        con.close()


def test_a_copy_of_the_published_warehouse_is_read_in_full_under_the_load_cap(raw_copy, tmp_path, monkeypatch):
    """The full read of every block (verify) fills DuckDB's cache to its cap otherwise: 382 MB
    after opening a copy of a 100,000-article warehouse."""
    from flows.pipeline import run
    from flows.settings import Settings

    wh = tmp_path / "w.duckdb"
    run(Settings.resolve(raw_copy, wh))
    WarehousePaths(wh).marker.unlink()  # the working copy is no longer trusted: copied from the published file
    seen = []
    real_verify = warehouse.verify
    monkeypatch.setattr(warehouse, "verify", lambda c: (seen.append(_limit(c)), real_verify(c)))
    con, rec = open_checked(WarehousePaths(wh))
    try:
        assert rec.source == "copy of w.duckdb"
        assert len(seen) == 1 and seen[0].startswith(("61", "64")) and _limit(con) != seen[0]
    finally:
        con.close()


def test_the_memory_settings_and_their_defaults(monkeypatch, tmp_path):
    for name in (warehouse.ENV_DUCKDB_LOAD_MEMORY, warehouse.ENV_DUCKDB_MEMORY, ENV_BATCH_SIZE):
        monkeypatch.delenv(name, raising=False)
    assert warehouse.load_memory_limit() == "64MB"
    assert warehouse.connection_config()["memory_limit"] == "256MB"
    monkeypatch.setenv(warehouse.ENV_DUCKDB_LOAD_MEMORY, "96MB")
    assert warehouse.load_memory_limit() == "96MB"
    # 1000 files a batch: an extraction worker holds one batch's text, work and frames
    assert Settings.resolve(tmp_path, tmp_path / "w.duckdb").batch_size == DEFAULT_BATCH_SIZE == 1000


@pytest.mark.parametrize("frame", [
    pl.DataFrame({"a": [1, None, 3], "s": ["x", None, "Đảng"], "d": [datetime(2020, 1, 2), None, None]}),
    pl.DataFrame(schema={"a": pl.Int64, "s": pl.String, "d": pl.Datetime("us")}),
])
def test_a_registered_frame_reads_as_often_as_queries_scan_it(frame):
    con = duckdb.connect()
    warehouse.register(con, "t", frame)
    for _ in range(2):  # each scan reads a new stream
        assert con.execute("select * from t").fetchall() == frame.rows()
    assert con.execute("select count(*) from t as x join t as y using (a)").fetchone()[0] == frame["a"].drop_nulls().len()
    assert [r[1] for r in con.execute("describe t").fetchall()] == ["BIGINT", "VARCHAR", "TIMESTAMP"]


def test_loading_a_batch_and_reading_the_manifest_need_no_pyarrow(tmp_path):
    """In a process where pyarrow cannot be imported, a batch of raw/ is read, extracted, loaded,
    and the manifest read back."""
    script = textwrap.dedent(f"""
        import sys
        sys.modules["pyarrow"] = None  # any import of pyarrow fails
        from pathlib import Path
        from tests.test_memory import _batch, _params
        from flows.warehouse import WarehousePaths, load_batch, open_checked, read_manifest
        con, _ = open_checked(WarehousePaths(Path({str(tmp_path / 'w.duckdb')!r})))
        load_batch(con, _batch(Path({str(PROJECT / 'raw')!r})), _params())
        m = read_manifest(con)
        assert m.height == 5 and set(m["status"]) == {{"loaded"}}, m
        print("ok")
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip().endswith("ok"), out.stderr[-3000:]


def test_the_manifest_keeps_its_columns_when_empty(tmp_path):
    con, _ = open_checked(WarehousePaths(tmp_path / "w.duckdb"))
    try:
        m = read_manifest(con)
    finally:
        con.close()
    assert m.height == 0
    assert {"file_path", "size", "mtime_ns", "status", "extractor_version", "sha256"} <= set(m.columns)
    assert m.schema["size"] == pl.Int64 and m.schema["file_path"] == pl.String


def test_a_failure_under_the_load_cap_is_raised_as_it_is_and_the_cap_comes_back(tmp_path, monkeypatch):
    con = duckdb.connect(str(tmp_path / "w.duckdb"), config=warehouse.connection_config())
    try:
        full = _limit(con)

        def damaged(c):
            raise duckdb.IOException("Corrupt database file: block checksum mismatch")

        with pytest.raises(duckdb.IOException, match="Corrupt database file"):
            warehouse.under_load_cap(con, "a read", damaged)
        assert _limit(con) == full
    finally:
        con.close()
