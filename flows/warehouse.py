"""The warehouse files: a working database the run writes, a published one readers open.

DuckDB allows one writing process or many reading ones, never both. So a run never writes the
published file: it updates `.<name>.working` beside it, checks it, checkpoints it, copies it to
a temporary file and renames that over the published file (an atomic replace). A reader that
had the old file open keeps its snapshot; a new connection sees the new data. The previous
published file is kept as `<stem>.prev.duckdb`. A lock file serialises runs.
"""
from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb
import polars as pl

from . import schema

_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


@dataclass(frozen=True)
class WarehousePaths:
    published: Path

    @property
    def working(self) -> Path:
        return self.published.with_name(f".{self.published.name}.working")

    @property
    def previous(self) -> Path:
        return self.published.with_name(f"{self.published.stem}.prev{self.published.suffix}")

    @property
    def lock(self) -> Path:
        return self.published.with_name(f".{self.published.name}.lock")


class RunLocked(RuntimeError):
    """Another run holds the warehouse."""


@contextmanager
def run_lock(paths: WarehousePaths, timeout: float = 0.0) -> Iterator[None]:
    """An OS lock next to the warehouse: one run writes at a time. Waits up to `timeout` s."""
    paths.lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                if time.monotonic() >= deadline:
                    raise RunLocked(
                        f"another run is writing {paths.published} (lock {paths.lock}); "
                        "try again later or pass --wait SECONDS") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def split_statements(sql: str) -> list[str]:
    """Statements of one of our SQL files: each ends with ';' at the end of a line."""
    return [s.strip() for s in re.split(r";[ \t]*(?:\n|$)", sql) if s.strip() and not _only_comments(s)]


def _only_comments(s: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in s.splitlines())


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> None:
    """Run every statement of a SQL file, each with the named parameters it uses."""
    params = params or {}
    for stmt in split_statements(sql):
        used = {k: params[k] for k in dict.fromkeys(_PARAM.findall(stmt))}
        con.execute(stmt, used or None)


def open_working(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """Connect to the working database (made from the published one if it is missing) and bring
    its schema up to date."""
    paths.published.parent.mkdir(parents=True, exist_ok=True)
    if not paths.working.exists() and paths.published.exists():
        shutil.copyfile(paths.published, paths.working)
    con = duckdb.connect(str(paths.working))
    schema.apply_schema(con)
    return con


def discard_working(paths: WarehousePaths) -> None:
    """Throw the working copy away (after a failed run): the next run starts again from the
    published warehouse, so a half-loaded or unchecked batch is never published later."""
    for p in (paths.working, paths.working.with_name(paths.working.name + ".wal")):
        p.unlink(missing_ok=True)


def read_manifest(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return pl.from_arrow(con.sql(schema.statement("runs/manifest")).to_arrow_table())


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None):
    """The one value a query returns (the result is read to its end, as DuckDB 2 requires)."""
    return con.execute(sql, params).fetchall()[0][0]


def load_batch(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame], params: dict) -> None:
    """Load one batch in one transaction: all of it or none of it.

    frames: batch_files, batch_sources, batch_articles, batch_metrics, batch_people,
    batch_documents, batch_quarantine (Polars frames, handed to DuckDB through Arrow)."""
    con.execute("begin transaction")
    try:
        for name, frame in frames.items():
            con.register(name, frame.to_arrow())
        for _, sql in schema.load_steps():
            execute(con, sql, params)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for name in frames:
            con.unregister(name)


def publish(con: duckdb.DuckDBPyConnection, paths: WarehousePaths) -> None:
    """Checkpoint the working database and atomically replace the published file with a copy.
    Closes `con`."""
    con.execute("checkpoint")
    con.close()
    tmp = paths.published.with_name(f".{paths.published.name}.publishing")
    shutil.copyfile(paths.working, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    if paths.published.exists():
        prev_tmp = paths.previous.with_name(paths.previous.name + ".tmp")
        if prev_tmp.exists():
            prev_tmp.unlink()
        os.link(paths.published, prev_tmp)
        os.replace(prev_tmp, paths.previous)
    os.replace(tmp, paths.published)
    _fsync_dir(paths.published.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
