"""Crashes and damaged files: `kill -9` at each stage of a run, garbled and truncated warehouse
files, a full disk. The published warehouse stays the last good one and readable; the next run
completes; the final tables equal those of an uninterrupted run (docs/guarantees.md)."""
from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from flows.errors import RunLocked, is_corruption, is_transient
from flows.pipeline import run
from flows.settings import Settings
from flows.warehouse import WarehousePaths

from .conftest import PROJECT, RAW
from .crash_runner import STAGES, digests

RUNNER = Path(__file__).resolve().parent / "crash_runner.py"
BS = 262144       # DuckDB's block size
HEADERS = 12288   # the main header and the two database headers come before the first block


@dataclass
class Reference:
    raw_a: Path          # 2 of the bundled articles: the last good published warehouse holds them
    extra: list[Path]    # the 3 others, dropped into raw/ before the run that crashes
    after_a: dict        # digests of the warehouse after the first run
    after_b: dict        # digests after a run with the 3 others added: what every test must end with


def go(raw: Path, wh: Path, **kw):
    return run(Settings.resolve(raw, wh, **kw))


@pytest.fixture(scope="module")
def ref(tmp_path_factory) -> Reference:
    base = tmp_path_factory.mktemp("reference")
    files = sorted(RAW.glob("*.txt"))
    assert len(files) == 5
    raw_a, extra = base / "raw_a", base / "extra"
    raw_a.mkdir(), extra.mkdir()
    for f in files[:2]:
        shutil.copy2(f, raw_a / f.name)
    for f in files[2:]:
        shutil.copy2(f, extra / f.name)
    raw, wh = base / "raw", base / "wh" / "warehouse.duckdb"
    shutil.copytree(raw_a, raw)
    go(raw, wh)
    after_a = digests(wh)
    for f in sorted(extra.iterdir()):
        shutil.copy2(f, raw / f.name)
    assert go(raw, wh, batch_size=1).articles_loaded == 3
    return Reference(raw_a, sorted(extra.iterdir()), after_a, digests(wh))


def prepare(tmp_path: Path, ref: Reference, runs: int = 1) -> tuple[Path, Path]:
    """A published warehouse of raw_a (run `runs` times: twice leaves a previous file too), then
    the 3 other articles dropped into raw/."""
    raw, wh = tmp_path / "raw", tmp_path / "wh" / "warehouse.duckdb"
    shutil.copytree(ref.raw_a, raw)
    for _ in range(runs):
        assert go(raw, wh).status == "success"
    for f in ref.extra:
        shutil.copy2(f, raw / f.name)
    return raw, wh


def crash(stage: str, raw: Path, wh: Path) -> str:
    """Run the pipeline in a child process that kills itself at `stage`; returns the id of the
    killed run (left in the lock file)."""
    p = subprocess.run([sys.executable, str(RUNNER), stage, str(raw), str(wh), "1"], cwd=PROJECT,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == -signal.SIGKILL, (p.returncode, p.stdout, p.stderr[-2000:])
    note = WarehousePaths(wh).lock.read_text().split()
    assert len(note) == 3, note  # pid, run id, start time of the killed run
    return note[1]


def runs_status(wh: Path) -> dict[str, str]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return dict(con.execute("select run_id, status from runs").fetchall())
    finally:
        con.close()


def leftovers(wh: Path) -> list[str]:
    return sorted(p.name for p in wh.parent.iterdir()
                  if p.name.endswith((".publishing", ".tmp", ".wal")) or ".corrupt-" in p.name)


def assert_recovers(stage: str, tmp_path: Path, ref: Reference) -> None:
    raw, wh = prepare(tmp_path, ref)
    killed = crash(stage, raw, wh)
    published_done = stage == "replaced"  # killed after the rename: that run's publish is complete
    assert digests(wh) == (ref.after_b if published_done else ref.after_a)  # readable, last good
    s = go(raw, wh, batch_size=1)
    assert s.status == "success"
    assert f"run {killed}" in s.recovery and "killed" in s.recovery
    assert s.articles_loaded == (0 if published_done else 3)
    assert digests(wh) == ref.after_b  # as if the run had never been killed
    assert runs_status(wh)[killed] == ("success" if published_done else "interrupted")
    assert leftovers(wh) == []
    assert go(raw, wh).recovery == ""  # and the run after that finds nothing to repair


def test_kill_after_a_batch_commit_publishes_nothing_and_the_next_run_completes(tmp_path, ref):
    assert_recovers("after-commit", tmp_path, ref)


@pytest.mark.slow  # a child process each, 5-8 s
@pytest.mark.parametrize("stage", [s for s in STAGES if s != "after-commit"])
def test_kill_at_every_other_stage(stage, tmp_path, ref):
    assert_recovers(stage, tmp_path, ref)


# --- damaged files ------------------------------------------------------------------------------

def garble(path: Path, offset: int, n: int = 4096, keep_stat: bool = False) -> None:
    st = path.stat()
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(b"\xa5" * n)
    if keep_stat:  # as if nothing had touched it: only DuckDB's checksums can tell
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def truncate(path: Path, size: int) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(size)


def set_aside_files(wh: Path, name: str) -> list[Path]:
    return sorted(wh.parent.glob(f"{name}.corrupt-*"))


def test_duckdb_errors_on_damaged_files_are_recognised(tmp_path, ref):
    """What DuckDB 2.0 raises on each kind of damage, so that is_corruption knows the messages."""
    raw, wh = prepare(tmp_path, ref)
    seen = []
    for label, damage in [("header", lambda p: garble(p, 0, 64)), ("database header", lambda p: garble(p, 4096)),
                          ("empty", lambda p: truncate(p, 0)), ("cut short", lambda p: truncate(p, 100)),
                          ("catalog block", lambda p: garble(p, HEADERS + 100, 64))]:
        copy = tmp_path / f"{label}.duckdb"
        shutil.copyfile(wh, copy)
        damage(copy)
        with pytest.raises(duckdb.Error) as err:
            duckdb.connect(str(copy), read_only=True).close()
        assert is_corruption(err.value) and is_transient(err.value), (label, err.value)
        seen.append(str(err.value).split(":")[0])
    assert set(seen) == {"IO Error", "Corrupt database file"}


def test_damaged_published_file_is_set_aside_and_rebuilt_from_the_previous(tmp_path, ref):
    raw, wh = prepare(tmp_path, ref, runs=2)
    garble(wh, 0, 64)  # the published file no longer opens
    s = go(raw, wh)
    assert s.status == "success" and "warehouse.prev.duckdb" in s.recovery
    aside = set_aside_files(wh, "warehouse.duckdb")
    assert len(aside) == 1 and aside[0].name in s.recovery
    assert digests(wh) == ref.after_b
    assert go(raw, wh).recovery == ""


def test_damaged_data_block_of_the_published_file_is_found_by_the_full_read(tmp_path, ref):
    raw, wh = prepare(tmp_path, ref, runs=2)
    con = duckdb.connect(str(wh), read_only=True)
    block = con.execute("select min(block_id) from pragma_storage_info('articles') where block_id >= 0").fetchall()[0][0]
    con.close()
    garble(wh, HEADERS + block * BS + 100, 64)  # a block of articles: opening the file does not notice
    duckdb.connect(str(wh), read_only=True).close()
    s = go(raw, wh)
    assert s.status == "success" and len(set_aside_files(wh, "warehouse.duckdb")) == 1
    assert digests(wh) == ref.after_b


def test_published_and_previous_both_damaged_rebuilds_from_raw(tmp_path, ref):
    raw, wh = prepare(tmp_path, ref, runs=2)
    truncate(wh, 0)
    garble(WarehousePaths(wh).previous, 4096)
    s = go(raw, wh)
    assert s.status == "success" and s.articles_loaded == 5 and "rebuilt from raw/" in s.recovery
    assert len(set_aside_files(wh, "warehouse.duckdb")) == len(set_aside_files(wh, "warehouse.prev.duckdb")) == 1
    assert digests(wh) == ref.after_b


@pytest.mark.parametrize("damage", ["garbled", "truncated"])
def test_damaged_working_copy_is_never_used(tmp_path, ref, damage):
    raw, wh = prepare(tmp_path, ref)
    working = WarehousePaths(wh).working
    if damage == "garbled":  # with its size and mtime kept, so the marker still matches
        garble(working, 0, 64, keep_stat=True)
    else:
        truncate(working, working.stat().st_size // 2)
    s = go(raw, wh)
    assert s.status == "success" and s.articles_loaded == 3
    assert digests(wh) == ref.after_b
    if damage == "garbled":  # it opened as "the last publish's" and failed: kept for inspection
        assert len(set_aside_files(wh, working.name)) == 1
    else:  # no longer the file the last publish left: discarded unread
        assert "discarded" in s.recovery


@pytest.mark.parametrize("damage", ["garbled", "truncated", "empty"])
def test_wal_of_an_unfinished_run_is_never_replayed(tmp_path, ref, damage):
    raw, wh = prepare(tmp_path, ref)
    paths = WarehousePaths(wh)
    con = duckdb.connect(str(paths.working))  # an unfinished run: a commit in the WAL, no checkpoint
    con.execute("pragma disable_checkpoint_on_shutdown")
    con.execute("delete from metrics")
    con.close()
    size = paths.wal.stat().st_size
    assert size > 0
    {"garbled": lambda: garble(paths.wal, size // 2, 64), "truncated": lambda: truncate(paths.wal, size // 2),
     "empty": lambda: truncate(paths.wal, 0)}[damage]()
    s = go(raw, wh)
    assert s.status == "success" and "discarded" in s.recovery
    assert digests(wh) == ref.after_b
    assert not paths.wal.exists()


def test_damage_found_in_the_middle_of_a_run_sets_files_aside_and_never_loops(tmp_path, ref, monkeypatch):
    """A damaged block that the full read does not reach (an index block) fails the run once; the
    working copy and the file it was copied from are set aside; the next run rebuilds."""
    raw, wh = prepare(tmp_path, ref, runs=2)
    import flows.pipeline as pipeline
    real = pipeline.load_batch

    def damaged(*a, **kw):
        raise duckdb.Error("Corrupt database file: computed checksum 1 does not match stored checksum 2 "
                           "in block at location 274432")

    WarehousePaths(wh).marker.unlink()  # this run copies the published file (its source)
    monkeypatch.setattr(pipeline, "load_batch", damaged)
    with pytest.raises(duckdb.Error, match="Corrupt database file"):
        go(raw, wh)
    monkeypatch.setattr(pipeline, "load_batch", real)
    assert len(set_aside_files(wh, "warehouse.duckdb")) == 1
    assert len(set_aside_files(wh, WarehousePaths(wh).working.name)) == 1
    s = go(raw, wh)
    assert s.status == "success" and digests(wh) == ref.after_b
    assert sorted(runs_status(wh).values()) == ["failed", "success", "success"]  # previous + failed + this


# --- full disk ----------------------------------------------------------------------------------

def test_full_disk_at_the_publish_fails_cleanly_and_keeps_the_published_warehouse(tmp_path, ref, monkeypatch):
    """ENOSPC while copying the new warehouse (simulated): the run fails with the error, the
    published and previous files are untouched, no temporary file is left, the next run works."""
    raw, wh = prepare(tmp_path, ref, runs=2)
    prev = digests(WarehousePaths(wh).previous)
    import flows.warehouse as warehouse
    real = warehouse.shutil.copyfile

    def full(src, dst, *a, **kw):
        if str(dst).endswith(".publishing"):
            with open(dst, "wb") as fh:
                fh.write(b"\0" * 1000)  # a part was written, then the disk was full
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(warehouse.shutil, "copyfile", full)
    with pytest.raises(OSError) as err:
        go(raw, wh)
    assert err.value.errno == errno.ENOSPC and is_transient(err.value)
    monkeypatch.setattr(warehouse.shutil, "copyfile", real)
    assert digests(wh) == ref.after_a and digests(WarehousePaths(wh).previous) == prev
    assert leftovers(wh) == []
    assert go(raw, wh).status == "success" and digests(wh) == ref.after_b


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    return p.returncode == 0


@pytest.mark.slow  # a child process, ~7 s
def test_full_disk_fails_the_run_cleanly_on_a_real_small_disk(tmp_path, ref):
    """A real full disk: a 32 MB tmpfs (needs root and mount; skipped otherwise), filled up after
    the first run. The command exits non-zero with a clear message; the published warehouse is
    intact and readable; once space is freed the next run completes."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "32M"):
        pytest.skip("cannot mount a tmpfs here (needs root and mount permission)")
    try:
        raw = tmp_path / "raw"
        shutil.copytree(ref.raw_a, raw)
        wh = disk / "warehouse.duckdb"
        assert go(raw, wh).status == "success"
        for f in ref.extra:
            shutil.copy2(f, raw / f.name)
        filler = disk / "filler"
        with open(filler, "wb") as fh:  # fill the disk up, leaving 64 KB
            free = shutil.disk_usage(disk).free
            fh.write(b"\0" * max(0, free - 65536))
        p = subprocess.run([sys.executable, "-m", "flows", "run", "--no-prefect", "--raw-dir", str(raw),
                            "--warehouse", str(wh)], cwd=PROJECT, capture_output=True, text=True, timeout=300)
        assert p.returncode == 75, (p.returncode, p.stderr[-3000:])
        assert "No space left on device" in p.stderr and "published warehouse is unchanged" in p.stderr
        assert "Traceback" not in p.stderr
        assert digests(wh) == ref.after_a
        filler.unlink()
        s = go(raw, wh)
        assert s.status == "success" and digests(wh) == ref.after_b
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_transient_and_terminal_errors():
    from flows.checks import DataCheckError
    assert is_transient(RunLocked("another run is writing"))
    for code in (errno.EAGAIN, errno.EIO, errno.ENOSPC, errno.EDQUOT, errno.EBUSY):
        assert is_transient(OSError(code, os.strerror(code)))
    assert is_transient(duckdb.IOException('IO Error: Could not write file "x": No space left on device'))
    assert is_transient(duckdb.IOException("IO Error: Could not set lock on file: Conflicting lock is held"))
    assert is_transient(RuntimeError("wrapped")) is False
    try:
        try:
            raise OSError(errno.EIO, "Input/output error")
        except OSError as inner:
            raise RuntimeError("task failed") from inner
    except RuntimeError as outer:
        assert is_transient(outer)  # the cause counts
    assert not is_transient(PermissionError(errno.EACCES, "Permission denied"))
    assert not is_transient(FileNotFoundError(errno.ENOENT, "raw folder not found"))
    assert not is_transient(ValueError("batch size must be at least 1"))
    assert not is_transient(DataCheckError([]))
    assert not is_transient(duckdb.ConstraintException("Duplicate key"))


def test_a_failed_publish_removes_its_copy_itself_and_leaves_the_published_file(tmp_path, monkeypatch):
    """publish() on its own (not only the run's recovery after it): ENOSPC in the copy leaves no
    .publishing file and the published file as it was."""
    import flows.warehouse as warehouse
    paths = WarehousePaths(tmp_path / "warehouse.duckdb")
    paths.published.write_bytes(b"the last good warehouse")
    con = duckdb.connect(str(paths.working))
    con.execute("create table t as select 1 as x")
    real = warehouse.shutil.copyfile

    def full(src, dst, *a, **kw):
        with open(dst, "wb") as fh:
            fh.write(b"\0" * 1000)
        raise OSError(errno.ENOSPC, "No space left on device", str(dst))

    monkeypatch.setattr(warehouse.shutil, "copyfile", full)
    with pytest.raises(OSError):
        warehouse.publish(con, paths)
    monkeypatch.setattr(warehouse.shutil, "copyfile", real)
    assert not paths.publishing.exists()
    assert paths.published.read_bytes() == b"the last good warehouse"
