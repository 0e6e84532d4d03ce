"""Run the pipeline in this process and kill it (SIGKILL, as `kill -9` does) at one stage.

    python tests/crash_runner.py STAGE RAW_DIR WAREHOUSE [BATCH_SIZE]

The tests start this as a child process: the kill is real (no `finally`, no cleanup, no
flush), and no hook exists in the production code; the stage function is wrapped here.
STAGE is one of STAGES below, or "pause" (print PAUSED once the first batch is loaded, then
wait for a line on stdin before going on: the test holds a run in the middle of its work), or
"stop-copy" (the publish's copy of the working file is made by hand, in two halves, and the
process stops itself with SIGSTOP halfway through it and again once it is complete, before
anything is renamed: the test reads the published file there, then sends SIGCONT; only the public
`shutil.copyfile` is wrapped, so the point holds whatever the publish code does), or "none" (run
to the end). With no kill, prints the run summary as JSON.

Also the helpers the guarantee tests share: a digest of every table and view.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import sys
import threading
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

STAGES = (
    "listing",          # os.scandir has listed the first folder of raw/
    "before-commit",    # batch 2: its facts are inserted, its transaction not committed
    "after-commit",     # batch 1 committed in the working copy, nothing checked or published
    "checks",           # the data checks ran and passed, nothing published
    "checkpoint",       # while DuckDB writes the checkpoint (as soon as the working file changes)
    "publish-copied",   # the .publishing copy is written and fsynced, nothing renamed
    "prev-linked",      # the old published file is linked as .prev, the new one not renamed in
    "replaced",         # the new file is renamed over the published one, the marker not written
)

# Columns that legitimately differ between two runs that load the same data: which run wrote a
# row and when. `runs` is the log of runs (a row per run) and is compared on its own.
VOLATILE = {
    "articles": {"run_id"},
    "quarantine": {"run_id", "seen_at"},
    "load_warnings": {"run_id", "seen_at"},
    "manifest": {"first_seen", "last_seen"},
    "schema_version": {"applied_at"},
}
NOT_COMPARED = {"runs"}


def die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def arm(stage: str) -> None:
    """Wrap the function of `stage` so that the process kills itself there."""
    import flows.checks
    import flows.pipeline
    import flows.warehouse as wh

    if stage == "listing":
        real_scandir = os.scandir

        def scandir(path):  # the first folder of raw/ is listed, then the process dies
            entries = list(real_scandir(path))
            die()
            return entries
        os.scandir = scandir
    elif stage == "before-commit":
        real_execute = wh.execute
        seen = {"facts": 0}

        def execute(con, sql, params=None):
            real_execute(con, sql, params)
            if "INSERT INTO metrics" in sql:
                seen["facts"] += 1
                if seen["facts"] == 2:
                    die()
        wh.execute = execute
    elif stage in ("after-commit", "pause"):
        real_load = flows.pipeline.load_batch
        calls = {"n": 0}

        def load_batch(*a, **kw):
            real_load(*a, **kw)
            calls["n"] += 1
            if calls["n"] == 1:
                if stage == "after-commit":
                    die()
                print("PAUSED", flush=True)
                sys.stdin.readline()
        flows.pipeline.load_batch = load_batch
    elif stage == "checks":
        real_checks = flows.checks.assert_checks

        def assert_checks(con, **kw):
            real_checks(con, **kw)
            die()
        flows.checks.assert_checks = assert_checks
    elif stage == "checkpoint":
        real_checkpoint = wh._checkpoint

        def checkpoint(con):
            working = wh.WarehousePaths(settings_warehouse).working
            before = os.stat(working)

            def watch():  # kill as soon as the checkpoint starts writing the working file
                while True:
                    st = os.stat(working)
                    if (st.st_size, st.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
                        die()
            threading.Thread(target=watch, daemon=True).start()
            real_checkpoint(con)
            die()  # a checkpoint too quick to catch: killed right after it
        wh._checkpoint = checkpoint
    elif stage == "publish-copied":
        def keep_previous(paths):
            die()
        wh._keep_previous = keep_previous
    elif stage == "prev-linked":
        real_keep = wh._keep_previous

        def keep_previous(paths):
            real_keep(paths)
            die()
        wh._keep_previous = keep_previous
    elif stage == "replaced":
        def fsync_dir(folder):
            die()
        wh._fsync_dir = fsync_dir
    elif stage == "stop-copy":
        import shutil
        real_copyfile = shutil.copyfile

        def copyfile(src, dst, *a, **kw):
            if Path(src) != wh.WarehousePaths(settings_warehouse).working:
                return real_copyfile(src, dst, *a, **kw)
            data = Path(src).read_bytes()
            with open(dst, "wb") as fh:
                fh.write(data[:len(data) // 2])
                fh.flush()
                os.kill(os.getpid(), signal.SIGSTOP)  # halfway through the copy
                fh.write(data[len(data) // 2:])
            os.kill(os.getpid(), signal.SIGSTOP)  # the copy complete, nothing renamed yet
            return dst
        shutil.copyfile = copyfile
    elif stage != "none":
        raise SystemExit(f"unknown stage {stage!r}")


settings_warehouse: Path | None = None


def main(argv: list[str]) -> int:
    global settings_warehouse
    stage, raw, warehouse = argv[:3]
    batch_size = int(argv[3]) if len(argv) > 3 else 1
    sys.path.insert(0, str(PROJECT))
    from flows.pipeline import run
    from flows.settings import Settings

    settings = Settings.resolve(raw, warehouse, batch_size=batch_size)
    settings_warehouse = settings.warehouse
    arm(stage)
    summary = run(settings)
    print(json.dumps(summary.as_dict()))
    return 0


# --- digests ------------------------------------------------------------------------------------

def relations(con) -> list[str]:
    """Every table and view of the warehouse, by name."""
    rows = con.execute("select table_name from information_schema.tables "
                       "where table_schema = 'main' order by 1").fetchall()
    return [r[0] for r in rows]


def digest(con, name: str, exclude: set[str] = frozenset()) -> str:
    """SHA-256 of a table's or view's rows (all columns but `exclude`, sorted)."""
    cols = [r[0] for r in con.execute(f'describe "{name}"').fetchall() if r[0] not in exclude]
    rows = con.execute(f'select {", ".join(chr(34) + c + chr(34) for c in cols)} from "{name}" order by all').fetchall()
    return hashlib.sha256(repr((cols, rows)).encode()).hexdigest()


def digests(path: Path, volatile: dict[str, set[str]] | None = None) -> dict[str, str]:
    """A digest of every table and view of the warehouse file `path` (read-only), leaving out the
    VOLATILE columns and the NOT_COMPARED tables (pass volatile={} to compare every column)."""
    import duckdb

    volatile = VOLATILE if volatile is None else volatile
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {name: digest(con, name, volatile.get(name, set()))
                for name in relations(con) if volatile == {} or name not in NOT_COMPARED}
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
