"""The warehouse files: a working database the run writes, a published one readers open.

DuckDB allows one writing process or many reading ones, never both. So a run never writes the
published file: it updates `.<name>.working` beside it, checks it, checkpoints it, copies it to
a temporary file and renames that over the published file (an atomic replace). A reader that
had the old file open keeps its snapshot; a new connection sees the new data. The previous
published file is kept as `<stem>.prev.duckdb`. A lock file serialises runs.

Crashes and damaged files (docs/guarantees.md):

- The working copy is reused by the next run only if it is exactly the file the last publish
  left: a marker (`.<name>.working.ok`) records its inode, size and mtime and those of the
  published file, and no WAL may be beside it. A run deletes the marker before it writes. So the
  working copy of a run that was killed (a batch committed but never checked or published, a
  half-written checkpoint, a WAL) is never trusted: it is deleted, and the run starts again from
  the published warehouse, re-reading the files that warehouse has not loaded.
- A file that DuckDB finds damaged (a working copy, its WAL, the published file or the previous
  one) is renamed `<file>.corrupt-<timestamp>` and kept for inspection, and the run rebuilds from
  the next good copy: published, else previous, else a new empty warehouse (every file of raw/
  is read again). Published and previous are read in full before the run uses them.
"""
from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator

import duckdb
import polars as pl

from . import schema
from .errors import RunLocked, is_corruption

__all__ = ["WarehousePaths", "RunLocked", "Recovery", "run_lock", "split_statements", "execute", "open_working",
           "open_checked", "discard_working", "set_aside", "mark_clean", "is_clean", "verify", "read_manifest",
           "scalar", "load_batch", "transaction", "prune", "publish", "register", "connection_config",
           "load_memory_limit"]

log = logging.getLogger(__name__)

_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


@dataclass(frozen=True)
class WarehousePaths:
    published: Path

    @property
    def working(self) -> Path:
        return self.published.with_name(f".{self.published.name}.working")

    @property
    def wal(self) -> Path:
        return self.working.with_name(self.working.name + ".wal")

    @property
    def marker(self) -> Path:
        """Present only while the working copy is exactly what the last publish left."""
        return self.working.with_name(self.working.name + ".ok")

    @property
    def publishing(self) -> Path:
        return self.published.with_name(f".{self.published.name}.publishing")

    @property
    def previous(self) -> Path:
        return self.published.with_name(f"{self.published.stem}.prev{self.published.suffix}")

    @property
    def lock(self) -> Path:
        return self.published.with_name(f".{self.published.name}.lock")


@dataclass
class Recovery:
    """What opening the working copy found and did: the run summary and `runs.recovery` show it."""
    source: str = ""                                     # where the run's working copy came from
    copied_from: str = ""                                # the file copied to make it, if one was
    notes: list[str] = field(default_factory=list)       # what was wrong, what was done
    set_aside: list[str] = field(default_factory=list)   # damaged files, renamed and kept

    def note(self, message: str) -> None:
        self.notes.append(message)
        log.warning(message)

    @property
    def text(self) -> str:
        return "; ".join(self.notes)


@contextmanager
def run_lock(paths: WarehousePaths, timeout: float = 0.0, note: str = "") -> Iterator[str]:
    """An OS lock next to the warehouse: one run writes at a time. Waits up to `timeout` s.

    The lock file holds `note` (the process id, then what the caller wants, e.g. its run id)
    while the lock is held and is emptied on release. Yields what the file held when the lock was
    taken: empty, unless the last holder was killed before it could release (a `kill -9`)."""
    paths.lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
    locked = False
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                if time.monotonic() >= deadline:
                    raise RunLocked(
                        f"another run is writing {paths.published} (lock {paths.lock}); "
                        "try again later or pass --wait SECONDS") from None
                time.sleep(0.2)
        left = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {note}".strip().encode(), 0)
        yield left
    finally:
        if locked:
            try:
                os.ftruncate(fd, 0)  # a clean release: nothing left for the next run to report
            except OSError:
                pass
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


# --- the working copy: trusted, rebuilt, or set aside -------------------------------------------

def _stat_key(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def mark_clean(paths: WarehousePaths) -> None:
    """Record that the working copy is exactly what the published warehouse holds (plus, at most,
    the note of a failed run in `runs`), so the next run may reuse it instead of copying."""
    if paths.wal.exists():
        return  # not checkpointed: never trusted
    tmp = paths.marker.with_name(paths.marker.name + ".tmp")
    tmp.write_text(json.dumps({"working": _stat_key(paths.working), "published": _stat_key(paths.published)}))
    os.replace(tmp, paths.marker)


def is_clean(paths: WarehousePaths) -> bool:
    """The working copy is the one the last publish (or failed run) left, untouched since."""
    if paths.wal.exists() or not paths.working.exists():
        return False
    try:
        mark = json.loads(paths.marker.read_text())
    except (OSError, ValueError):
        return False
    return (isinstance(mark, dict) and mark.get("working") == _stat_key(paths.working)
            and mark.get("published") == _stat_key(paths.published))


def discard_working(paths: WarehousePaths) -> None:
    """Throw the working copy away (after a failed or killed run): the next run starts again from
    the published warehouse, so a half-loaded or unchecked batch is never published later."""
    for p in (paths.marker, paths.working, paths.wal):
        p.unlink(missing_ok=True)


def set_aside(path: Path, recovery: Recovery | None = None, why: str = "") -> Path:
    """Rename a damaged database file (and its WAL, which keeps its pairing name) to
    `<name>.corrupt-<timestamp>`, so it is kept for inspection and never opened by a run again."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    wal = path.with_name(path.name + ".wal")
    if path.exists():
        os.replace(path, target)
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    if recovery is not None:
        recovery.set_aside.append(str(target))
        recovery.note(f"{path.name} is damaged ({_first_line(why)}): set aside as {target}")
    else:
        log.warning("%s is damaged (%s): set aside as %s", path, _first_line(why), target)
    return target


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0][:200]


def _base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("select table_name from duckdb_tables() "
                       "where database_name = current_database() and not temporary order by 1").fetchall()
    return [r[0] for r in rows]


def verify(con: duckdb.DuckDBPyConnection) -> None:
    """Read every column of every table, so that DuckDB checks the checksum of every block in use.
    Raises DuckDB's "Corrupt database file" error on a damaged block."""
    for table in _base_tables(con):
        con.execute(f'select bit_xor(hash(columns(*))) from "{table}"').fetchall()


ENV_DUCKDB_MEMORY = "PARTY_WAREHOUSE_DUCKDB_MEMORY"
ENV_DUCKDB_LOAD_MEMORY = "PARTY_WAREHOUSE_DUCKDB_LOAD_MEMORY"
DEFAULT_DUCKDB_MEMORY = "256MB"  # the data checks over 100,000 articles need more than 128MB
DEFAULT_DUCKDB_LOAD_MEMORY = "64MB"  # a batch's load: a scan of the frames and of the tables' doc_id columns


def connection_config() -> dict:
    """DuckDB settings of the run's connection. Memory is capped ($PARTY_WAREHOUSE_DUCKDB_MEMORY,
    default 256MB; DuckDB's own default is 80% of the machine's memory): past the cap, DuckDB evicts
    cached blocks or spills to a temporary folder beside the warehouse, so a run's memory stays
    bounded by its batch, not by the size of the warehouse. Memory DuckDB frees goes back to the
    system once a query has freed more than 32MB (its default: 128MB)."""
    return {"memory_limit": os.environ.get(ENV_DUCKDB_MEMORY) or DEFAULT_DUCKDB_MEMORY,
            "allocator_flush_threshold": "32MB"}


def load_memory_limit() -> str:
    """DuckDB's memory cap while a batch loads ($PARTY_WAREHOUSE_DUCKDB_LOAD_MEMORY, default
    64MB). Lower than the connection's cap: a load needs little, and blocks it cached (the
    tables it scanned, the batch it wrote) would otherwise stay in memory up to the full cap,
    beside the next batches' frames."""
    return os.environ.get(ENV_DUCKDB_LOAD_MEMORY) or DEFAULT_DUCKDB_LOAD_MEMORY


class ArrowStream:
    """A Polars frame as DuckDB reads it: through the Arrow PyCapsule stream interface, a new
    stream each time a query scans it. DuckDB reads a Polars frame given directly through
    pyarrow, whose import costs the writing process about 30 MB; this needs no pyarrow."""
    __slots__ = ("frame",)

    def __init__(self, frame: pl.DataFrame):
        self.frame = frame

    def __arrow_c_stream__(self, requested_schema=None):
        return self.frame.__arrow_c_stream__(requested_schema)


def register(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> None:
    """Make `frame` readable as the view `name` of this connection (without pyarrow)."""
    con.register(name, ArrowStream(frame))


def _connect(path: Path, full: bool) -> duckdb.DuckDBPyConnection:
    """Connect to `path`, read it (in full when `full`), bring its schema up to date."""
    con = duckdb.connect(str(path), config=connection_config())
    try:
        if full:  # a streaming read: under the load cap, so that it leaves no cache behind
            under_load_cap(con, "reading the warehouse in full", verify)
        schema.apply_schema(con)
        read_manifest(con)
        return con
    except BaseException:
        con.close()
        raise


def _remove_leftovers(paths: WarehousePaths) -> None:
    """Temporary files of a publish that was killed: never complete, never used."""
    for p in (paths.publishing, paths.previous.with_name(paths.previous.name + ".tmp"),
              paths.marker.with_name(paths.marker.name + ".tmp")):
        p.unlink(missing_ok=True)


def open_checked(paths: WarehousePaths) -> tuple[duckdb.DuckDBPyConnection, Recovery]:
    """Connect to a working database the run can trust, and say how it was obtained.

    1. The working copy the last publish left (`is_clean`): reused as it is.
    2. Any other working copy (a killed run's, one with a WAL, one changed since): deleted.
    3. Otherwise a copy of the published file, read in full; if that is damaged, it is set
       aside and the previous file is tried the same way; if none is good, a new empty warehouse
       (every file of raw/ is read again).
    A damaged file is renamed `.corrupt-<timestamp>` (see `set_aside`), never opened again."""
    rec = Recovery()
    paths.published.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(paths)
    if paths.working.exists() or paths.wal.exists():
        if is_clean(paths):
            paths.marker.unlink()  # from now on the run changes it: not clean until published
            try:
                con = _connect(paths.working, full=False)
                rec.source = "working copy of the last publish"
                return con, rec
            except duckdb.Error as exc:
                if not is_corruption(exc):
                    raise
                set_aside(paths.working, rec, str(exc))
        else:
            rec.note("the working copy was not the one the last publish left (a run was interrupted, "
                     "or it changed since): discarded; this run starts again from the published warehouse")
            discard_working(paths)
    for source in (paths.published, paths.previous):
        if not source.exists():
            continue
        try:
            shutil.copyfile(source, paths.working)
        except BaseException:
            discard_working(paths)
            raise
        try:
            con = _connect(paths.working, full=True)
        except duckdb.Error as exc:
            discard_working(paths)
            if not is_corruption(exc):
                raise
            set_aside(source, rec, str(exc))
            continue
        rec.source = f"copy of {source.name}"
        rec.copied_from = str(source)
        if source == paths.previous:
            rec.note(f"rebuilt from {source.name}: files loaded since are read again from raw/")
        return con, rec
    if rec.set_aside:
        rec.note("no good copy of the warehouse left: rebuilt from raw/ (every file is read again)")
    con = _connect(paths.working, full=False)
    rec.source = "new warehouse"
    return con, rec


def open_working(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """Connect to the working database (see `open_checked`) and bring its schema up to date."""
    return open_checked(paths)[0]


def read_manifest(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    # Rows, not DuckDB's Arrow stream: a relation read by Polars that way leaves DuckDB type
    # objects alive at exit ("nanobind: leaked ..." lines); pyarrow's import costs about 30 MB.
    rows = con.execute(schema.statement("runs/manifest")).fetchall()
    return pl.DataFrame(rows, schema=MANIFEST_SCHEMA, orient="row")


MANIFEST_SCHEMA = {"file_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.String,
                   "status": pl.String, "extractor_version": pl.String}  # sql/runs/manifest.sql


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None):
    """The one value a query returns (the result is read to its end, as DuckDB 2 requires)."""
    return con.execute(sql, params).fetchall()[0][0]


def load_batch(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame], params: dict) -> None:
    """Load one batch in one transaction: all of it or none of it, under DuckDB's load cap
    (under_load_cap: a load that runs out of memory there is rolled back and run again under the
    full cap).

    frames: batch_files, batch_sources, batch_articles, batch_metrics, batch_people,
    batch_documents, batch_quarantine (Polars frames, handed to DuckDB through Arrow)."""
    under_load_cap(con, "a batch's load", _load, frames, params)


def under_load_cap(con: duckdb.DuckDBPyConnection, what: str, fn, *args):
    """fn(con, *args) under DuckDB's lower load cap (load_memory_limit); the connection gets its
    own cap back after it, so the data checks have their room. When fn runs out of memory under
    the load cap, it runs again under the full cap (fn must leave nothing behind when it fails:
    a transaction rolled back, or a read)."""
    full = connection_config()["memory_limit"]
    _set_memory_limit(con, load_memory_limit())
    try:
        try:
            result = fn(con, *args)
        except duckdb.OutOfMemoryException as exc:
            log.warning("%s ran out of memory under the load cap %s (%s); again under %s",
                        what, load_memory_limit(), _first_line(str(exc)), full)
            _set_memory_limit(con, full)
            result = fn(con, *args)
    except BaseException:
        try:
            _set_memory_limit(con, full)
        except duckdb.Error:
            pass  # the connection is failing (a damaged file?): its own error is the one to report
        raise
    _set_memory_limit(con, full)
    return result


def _set_memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> None:
    """Lowering the cap evicts cached blocks down to it at once."""
    con.execute("set memory_limit = '{}'".format(limit.replace("'", "")))


def _load(con: duckdb.DuckDBPyConnection, frames: dict[str, pl.DataFrame], params: dict) -> None:
    con.execute("begin transaction")
    try:
        for name, frame in frames.items():
            register(con, name, frame)
        for _, sql in schema.load_steps():
            execute(con, sql, params)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        for name in frames:
            con.unregister(name)
    # Write the batch into the working file now: data only in memory cannot be evicted, and under
    # the memory cap a large load would leave the data checks no room (seen at 100k with 128MB).
    con.execute("checkpoint")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back when it raises."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def prune(con: duckdb.DuckDBPyConnection, file_paths: list[str]) -> int:
    """Delete what the given input files (gone from raw/) brought: their sources, manifest and
    quarantine rows, and the articles and facts no other path holds. One transaction. Returns the
    number of articles deleted."""
    try:
        with transaction(con):
            register(con, "pruned_files", pl.DataFrame({"file_path": file_paths}, schema={"file_path": pl.String}))
            execute(con, schema.statement("runs/prune"))
            n = scalar(con, schema.statement("runs/prune_count"))
    finally:
        con.unregister("pruned_files")
    return n


# --- publish ------------------------------------------------------------------------------------

def publish(con: duckdb.DuckDBPyConnection, paths: WarehousePaths) -> None:
    """Checkpoint the working database and atomically replace the published file with a copy.
    Closes `con`. On any failure (a full disk) the published file is untouched and the
    temporary copy removed."""
    _checkpoint(con)
    con.close()
    try:
        _copy_durable(paths.working, paths.publishing)
        _keep_previous(paths)
        os.replace(paths.publishing, paths.published)
    except BaseException:
        paths.publishing.unlink(missing_ok=True)
        raise
    _fsync_dir(paths.published.parent)
    mark_clean(paths)


def _checkpoint(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("checkpoint")


def _copy_durable(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
    with open(dst, "rb") as fh:
        os.fsync(fh.fileno())


def _keep_previous(paths: WarehousePaths) -> None:
    """Hard-link the published file as the previous one (no copy; atomic)."""
    if not paths.published.exists():
        return
    if paths.previous.exists() and os.path.samefile(paths.published, paths.previous):
        return  # already linked (a publish killed after this step): rename() would do nothing
    prev_tmp = paths.previous.with_name(paths.previous.name + ".tmp")
    prev_tmp.unlink(missing_ok=True)
    os.link(paths.published, prev_tmp)
    os.replace(prev_tmp, paths.previous)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
