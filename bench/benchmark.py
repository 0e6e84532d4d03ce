"""The benchmark: on one corpus, in one run, how fast the ETL is and how much memory it takes.

    python -m bench.benchmark --n 100000 [--files DIR] [--naive-sample 2000] [--json out.json]
                              [--batch-size N] [--workers N[,N...]] [--no-prefect] [--no-plain] [--work DIR]

Phases, each measured on the same files (the warm file cache), each but the first two in its
own child process, whose peak RSS (resource.getrusage, RUSAGE_SELF of the child) is reported,
and the peak RSS of each process below it (its extraction workers, the temporary Prefect
server: their VmHWM, sampled from /proc every 0.25 s):

1. generate: write N articles with bench.generate (skipped when --files is given, or when the
   work folder already holds the complete corpus of this N and seed);
2. warm: read every file once, so that every phase reads from the page cache;
3. floor: read and SHA-256 every file, nothing else (one process);
4. flow: the real Prefect flow (flows.flow.etl) into a new warehouse. The Prefect start-up
   (importing the flow, starting the temporary server, the first API call) is timed apart;
   the flow's time is the wall time of the etl() call. Stage times (extract, load, checks,
   publish) are measured inside the tasks; what the warehouse quarantined, by reason (the
   target: no extract_error and no too_large);
5. flow no-op: the flow again over the unchanged files (the server start-up again apart);
6. plain: the same stages without Prefect (flows.pipeline.run, like `--no-prefect`);
7. plain no-op;
8. naive: bench.naive (per-article loops, one INSERT a row) on an evenly spaced sample of the
   .txt files (none in a folder of JSONL feeds: give --naive-sample 0).

With --workers 1,2 the phases 4-7 run once for each number of extraction processes (1: in the
writing process). `--files ../shared/corpus/news` measures the real news (`make bench-news`).

Targets (issues 8 and 15, this 2-core machine, 100,000 articles and the real news): >= 5,000
articles/s end to end without the Prefect start-up; <= 5x the floor; >= 10x the naive
reference; peak RSS <= 500 MB in the process that writes the warehouse, <= 300 MB in each
extraction worker; no-op rerun <= 2 s of flow time. The table says for each phase whether its
target is met at this N. Speed is measured here, never by timed tests. CPU s: the writing
process and every process it started (its workers, the temporary Prefect server).

Everything is written below --work (default /tmp/bench-<N>-s<seed>, or /tmp/bench-files-<name>
with --files): the corpus (kept for the next run unless --clean), a copy of the code that every
phase runs (so that edits to the working tree during a long benchmark cannot change the rules
between phases), the warehouses, the Prefect home of the run, and one log a phase.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

TARGET_RATE = 5000.0  # articles/s end to end, without the Prefect start-up
TARGET_FLOOR_RATIO = 5.0
TARGET_NAIVE_RATIO = 10.0
TARGET_RSS_MB = 500.0  # the process that writes the warehouse
TARGET_WORKER_RSS_MB = 300.0  # each extraction worker of --workers N
TARGET_NOOP_S = 2.0


# --- helpers shared by parent and children ----------------------------------------------------

def peak_rss_mb() -> float:
    """Peak RSS of the process that writes the warehouse (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """Peak RSS of the largest finished child process (extraction workers of --workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (the process's peak RSS so far) of a live process, in KiB ({} once it is gone)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    out[line[:5]] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return {}
    return out


def _descendants(root: int) -> list[int]:
    """The live processes below `root` (children, their children, ...), from /proc."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    out, todo = [], [root]
    while todo:
        ppid = todo.pop()
        kids = [pid for pid, pp in parent.items() if pp == ppid]
        out += kids
        todo += kids
    return out


def process_role(cmdline: str) -> str:
    """What a process below a phase is: an extraction 'worker' (a Dask worker or a pool process:
    both are spawned by multiprocessing), the temporary Prefect 'server', or 'other'."""
    if "resource_tracker" in cmdline or "semaphore_tracker" in cmdline:
        return "other"
    if "spawn_main" in cmdline or "distributed" in cmdline or "dask" in cmdline:
        return "worker"
    if "uvicorn" in cmdline or "prefect" in cmdline:
        return "server"
    return "other"


class ProcessWatch:
    """Samples the processes below this one every `interval` s (a thread): the last VmHWM seen
    of each is its peak RSS (VmHWM only grows, so a sample shortly before a process ends holds
    almost all of it). Linux only; elsewhere it sees nothing."""

    def __init__(self, interval: float = 0.25):
        import threading

        self.interval = interval
        self.peaks: dict[int, dict] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="process-watch", daemon=True)

    def __enter__(self) -> "ProcessWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        if not os.path.isdir("/proc"):
            return
        for pid in _descendants(os.getpid()):
            st = _proc_status(pid)
            if not st:
                continue
            seen = self.peaks.get(pid)
            if seen is None:
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                seen = self.peaks[pid] = {"pid": pid, "role": process_role(cmd), "cmdline": cmd[:200],
                                          "peak_rss_mb": 0.0}
            seen["peak_rss_mb"] = max(seen["peak_rss_mb"], st.get("VmHWM", 0) / 1024)

    def report(self) -> dict:
        """{'workers': [peak MB of each worker], 'server': [...], 'other': [...], 'processes': [...]}"""
        out: dict = {"workers": [], "server": [], "other": []}
        for p in self.peaks.values():
            out["workers" if p["role"] == "worker" else p["role"]].append(round(p["peak_rss_mb"], 1))
        out["processes"] = list(self.peaks.values())
        return out


def walk_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out += [Path(dirpath, f) for f in sorted(filenames) if not f.startswith(".")]
    return out


def stage_kind(name: str) -> str:
    """'extract-batch-3' -> 'extract'; 'publish' -> 'publish'."""
    return name.split("-batch-")[0]


class StageTimer:
    """Wraps the pipeline's stages (the `stage` argument of flows.pipeline.run) to time them."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, fn):
        kind = stage_kind(name)

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[kind] = self.seconds.get(kind, 0.0) + time.perf_counter() - t
        return timed


# --- the phases (run in child processes) ------------------------------------------------------

def phase_floor(corpus: str, **_) -> dict:
    t = time.perf_counter()
    n = size = feeds = 0
    for p in walk_files(Path(corpus)):
        with open(p, "rb") as fh:
            data = fh.read()
        hashlib.sha256(data).hexdigest()
        n += 1
        size += len(data)
        feeds += p.suffix.lower() == ".jsonl"
    return {"files": n, "bytes": size, "feeds": feeds, "seconds": time.perf_counter() - t}


def quarantine_reasons(warehouse: str) -> dict[str, int]:
    """How many inputs the published warehouse quarantined, by reason (extract_error: an article
    the rules failed on; too_large: over PARTY_WAREHOUSE_MAX_FILE_MB, per line for a feed)."""
    import duckdb

    con = duckdb.connect(warehouse, read_only=True)
    try:
        return dict(con.execute("select reason, count(*) from quarantine group by reason order by reason").fetchall())
    finally:
        con.close()


def phase_plain(corpus: str, warehouse: str, batch_size: int | None = None, workers: int | None = None,
                **_) -> dict:
    from flows.pipeline import process_pool, run
    from flows.settings import Settings

    timer = StageTimer()
    settings = Settings.resolve(corpus, warehouse, batch_size)
    t = time.perf_counter()
    if workers and workers > 1:  # what `python -m flows run --no-prefect --workers N` does
        with process_pool(workers) as extract:
            summary = run(settings, stage=timer.wrap, extract=extract)
    else:
        summary = run(settings, stage=timer.wrap)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "summary": summary.as_dict(), "stages": timer.seconds,
            "quarantine": quarantine_reasons(warehouse)}


def phase_flow(corpus: str, warehouse: str, prefect_home: str, batch_size: int | None = None,
               workers: int | None = None, **_) -> dict:
    """The flow as `python -m flows run` starts it (flows.prefect_setup.api_for_one_run: a
    temporary server in a child process, its address in $PREFECT_API_URL, which extraction
    workers inherit; a server set in the environment or the local one when there is one)."""
    os.environ.setdefault("PREFECT_HOME", prefect_home)
    t0 = time.perf_counter()
    from flows.prefect_setup import api_for_one_run

    with api_for_one_run() as api:
        import flows.flow as flow_module

        imported = time.perf_counter()
        api.ready()
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:  # the first API call
            client.api_healthcheck()
        started = time.perf_counter()

        timer = StageTimer()
        as_task = flow_module.as_task
        flow_module.as_task = lambda name, fn: as_task(name, timer.wrap(name, fn))
        kwargs = {"raw_dir": corpus, "warehouse": warehouse, "batch_size": batch_size}
        etl, kwargs["parallel"] = flow_module.for_workers(workers if workers and workers > 1 else None)
        t = time.perf_counter()
        try:
            summary = etl(**kwargs)
        finally:
            seconds = time.perf_counter() - t
            api.flush()
    return {"seconds": seconds, "summary": summary, "stages": timer.seconds, "prefect_api": api.describe,
            "quarantine": quarantine_reasons(warehouse), "prefect_startup": {
                "import_s": imported - t0, "server_and_first_call_s": started - imported, "total_s": started - t0}}


def phase_naive(corpus: str, warehouse: str, sample: int, **_) -> dict:
    from bench import naive

    files = naive.list_txt(Path(corpus))
    if sample and sample < len(files):
        step = len(files) / sample
        files = [files[int(k * step)] for k in range(sample)]
    Path(warehouse).unlink(missing_ok=True)
    counts = naive.run(Path(corpus), Path(warehouse), files)
    return {"seconds": counts["seconds"], "counts": counts}


PHASES = {"floor": phase_floor, "plain": phase_plain, "flow": phase_flow, "naive": phase_naive}


def child_main(phase: str, args_json: str, result: str) -> int:
    with ProcessWatch() as watch:
        out = PHASES[phase](**json.loads(args_json))
    out["peak_rss_mb"] = peak_rss_mb()
    out["children_peak_rss_mb"] = children_peak_rss_mb()  # the largest child reaped (a worker, or the server)
    out["processes"] = watch.report()
    out["workers_peak_rss_mb"] = max(out["processes"]["workers"], default=None)
    use = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu_s"] = use.ru_utime + use.ru_stime  # this process's CPU time: the figure other load disturbs least
    out["children_cpu_s"] = kids.ru_utime + kids.ru_stime  # the workers' (reaped children's) CPU time
    if phase != "floor":
        from flows.extract.facts import EXTRACTOR_VERSION
        out["extractor_version"] = EXTRACTOR_VERSION  # the rules the phase ran (they must not change mid-benchmark)
    Path(result).write_text(json.dumps(out, default=str), encoding="utf-8")
    return 0


def snapshot_code(work: Path) -> Path:
    """Copy the code (flows/, sql/, bench/) to work/code: every phase runs the same rules even if
    someone edits the working tree during the benchmark (a changed rule would make the no-op
    rerun re-extract everything)."""
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    for folder in ("flows", "sql", "bench"):
        shutil.copytree(PROJECT / folder, code / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return code


def run_child(phase: str, args: dict, work: Path, label: str) -> dict:
    """Run one phase in a fresh Python process, on the code snapshot in work/code; its output
    goes to work/logs/<label>.log."""
    (work / "logs").mkdir(parents=True, exist_ok=True)
    result = work / "logs" / f"{label}.json"
    result.unlink(missing_ok=True)
    log = work / "logs" / f"{label}.log"
    t = time.perf_counter()
    with open(log, "wb") as fh:
        proc = subprocess.run([sys.executable, "-m", "bench.benchmark", "--child", phase,
                               "--child-args", json.dumps(args), "--child-result", str(result)],
                              cwd=work / "code", stdout=fh, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - t
    if proc.returncode != 0 or not result.exists():
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"phase {label} failed (exit {proc.returncode}); log {log}:\n{tail}")
    out = json.loads(result.read_text(encoding="utf-8"))
    out["process_wall_s"] = wall
    return out


# --- the parent: orchestration, table, JSON ---------------------------------------------------

def warm(corpus: Path) -> tuple[int, int, float]:
    t = time.perf_counter()
    n = size = 0
    for p in walk_files(corpus):
        with open(p, "rb") as fh:
            while chunk := fh.read(1 << 20):
                size += len(chunk)
        n += 1
    return n, size, time.perf_counter() - t


def _git() -> dict:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT,
                                    capture_output=True, text=True, check=True).stdout.strip())
        return {"commit": head, "uncommitted_changes": dirty}
    except (OSError, subprocess.CalledProcessError):
        return {}


def row(phase, files=None, seconds=None, articles=None, rss=None, floor_s=None, target="", met=None, cpu=None,
        **extra) -> dict:
    rate = articles / seconds if articles is not None and seconds else None
    ratio = seconds / floor_s if seconds is not None and floor_s else None
    return {"phase": phase, "files": files, "seconds": seconds, "cpu_s": cpu, "articles": articles, "articles_per_s": rate,
            "peak_rss_mb": rss, "ratio_to_floor": ratio, "target": target, "met": met, **extra}


def evaluate_run(r: dict, floor_s: float | None) -> tuple[str, bool]:
    """Targets of an end-to-end run: rate, ratio to the floor, RSS of the writer and of each
    extraction worker."""
    checks = []
    if r["articles_per_s"] is not None:
        checks.append(r["articles_per_s"] >= TARGET_RATE)
    if r["ratio_to_floor"] is not None:
        checks.append(r["ratio_to_floor"] <= TARGET_FLOOR_RATIO)
    checks.append(r["peak_rss_mb"] <= TARGET_RSS_MB)
    target = f">= {TARGET_RATE:,.0f} art/s, <= {TARGET_FLOOR_RATIO:g}x floor, RSS <= {TARGET_RSS_MB:g} MB"
    if r.get("worker_rss_mb") is not None:
        checks.append(r["worker_rss_mb"] <= TARGET_WORKER_RSS_MB)
        target += f", each worker <= {TARGET_WORKER_RSS_MB:g} MB"
    return target, all(checks)


END_TO_END = {"flow": "Prefect flow end to end", "plain": "pipeline end to end (--no-prefect)"}


def phase_rows(kind: str, rerun: bool, tag: str, r: dict, floor_s: float | None) -> list[dict]:
    """The table rows of one run of the flow or the plain pipeline (r: its child's result)."""
    s, out = r["summary"], []
    cpu = r.get("cpu_s", 0.0) + r.get("children_cpu_s", 0.0)  # the writer and its workers
    common = {"files": s["files_seen"], "seconds": r["seconds"], "articles": s["articles_loaded"],
              "rss": r["peak_rss_mb"], "floor_s": floor_s, "cpu": cpu, "worker_rss_mb": r.get("workers_peak_rss_mb")}
    if "prefect_startup" in r:
        out.append(row(f"{kind}{'-noop' if rerun else ''}: Prefect start-up{tag}", seconds=r["prefect_startup"]["total_s"],
                       target="(reported apart)"))
    if rerun:
        ok = r["seconds"] <= TARGET_NOOP_S and r["peak_rss_mb"] <= TARGET_RSS_MB
        out.append(row(f"{kind}-noop: no-op rerun{tag}", **common,
                       target=f"<= {TARGET_NOOP_S:g} s{' flow time' if kind == 'flow' else ''}, RSS <= {TARGET_RSS_MB:g} MB",
                       met=ok))
        return out
    x = row(f"{kind}: {END_TO_END[kind]}{tag}", **common)
    x["target"], x["met"] = evaluate_run(x, floor_s)
    out.append(x)
    if "publish" in r["stages"]:
        out.append(row(f"{kind}: publish stage{tag}", seconds=r["stages"]["publish"], target="(info)"))
    q = r.get("quarantine") or {}
    bad = {k: q.get(k, 0) for k in ("extract_error", "too_large")}
    out.append(row(f"{kind}: quarantined{tag}: " + (", ".join(f"{k} {v:,}" for k, v in sorted(q.items())) or "none"),
                   target="no extract_error, no too_large", met=not any(bad.values())))
    return out


def fmt(v, spec: str) -> str:
    return "" if v is None else format(v, spec)


def print_table(rows: list[dict], out=sys.stdout) -> None:
    head = ("phase", "files", "seconds", "CPU s", "articles/s", "peak RSS MB", "worker RSS MB", "x floor", "target",
            "met?")
    body = [(r["phase"], fmt(r["files"], ","), fmt(r["seconds"], ".2f"), fmt(r.get("cpu_s"), ".1f"),
             fmt(r["articles_per_s"], ",.0f"),
             fmt(r["peak_rss_mb"], ".0f"), fmt(r.get("worker_rss_mb"), ".0f"), fmt(r["ratio_to_floor"], ".1f"),
             r["target"] or "", "" if r["met"] is None else ("yes" if r["met"] else "NO")) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i in (0, 8, 9) else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(head), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for b in body:
        print(line(b), file=out)


def benchmark(args: argparse.Namespace) -> dict:
    from bench import generate as gen

    default_work = f"/tmp/bench-files-{Path(args.files).resolve().name}" if args.files else f"/tmp/bench-{args.n}-s{args.seed}"
    work = Path(args.work or default_work)
    if work.resolve().is_relative_to(PROJECT):
        raise SystemExit(f"--work {work}: write benchmark files outside the project (e.g. /tmp/bench-*)")
    work.mkdir(parents=True, exist_ok=True)
    for p in [*work.glob("wh-flow*"), *work.glob("wh-plain*"), work / "naive.duckdb", work / "logs"]:
        shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
    snapshot_code(work)
    rows: list[dict] = []
    report: dict = {"n": args.n, "seed": args.seed, "work": str(work), "batch_size": args.batch_size,
                    "workers": args.workers, "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                                         "platform": platform.platform()},
                    "git": _git(), "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                    "load_average_at_start": os.getloadavg()}
    say = functools.partial(print, file=sys.stderr, flush=True)

    # 1. the corpus
    if args.files:
        corpus = Path(args.files).resolve()
        report["corpus"] = {"dir": str(corpus), "generated": False}
    else:
        corpus = work / "corpus"
        if gen.is_complete(corpus, args.n, args.seed, args.general_share):
            report["corpus"] = {"dir": str(corpus), "generated": False, "reused": True}
            say(f"reusing the corpus in {corpus}")
        else:
            say(f"generating {args.n:,} articles in {corpus} ...")
            seconds = gen.generate(corpus, args.n, args.seed, args.general_share)
            report["corpus"] = {"dir": str(corpus), "generated": True}
            rows.append(row("generate", files=args.n, seconds=seconds, target="(info)"))
    # 2. warm the page cache
    files, size, seconds = warm(corpus)
    report["corpus"].update(files=files, bytes=size)
    rows.append(row("warm file cache", files=files, seconds=seconds, target="(info)"))
    say(f"{files:,} files, {size / 1e6:,.0f} MB; cache warmed in {seconds:.1f} s")

    # 3. floor
    floor = run_child("floor", {"corpus": str(corpus)}, work, "floor")
    floor_s = floor["seconds"]
    # a file is an article, but a feed holds many: no rate in articles for a folder of feeds
    rows.append(row("floor: read + sha256", files=floor["files"], seconds=floor_s,
                    articles=None if floor.get("feeds") else floor["files"],
                    rss=floor["peak_rss_mb"], floor_s=floor_s, target="(reference)", cpu=floor.get("cpu_s")))
    say(f"floor: {floor_s:.2f} s")
    report["details"] = {"floor": floor}

    ours_rate = None
    common = {"corpus": str(corpus), "batch_size": args.batch_size}
    # 4-7. the Prefect flow and the plain pipeline, for each number of extraction processes
    for workers in args.workers:
        tag = f" [--workers {workers}]" if len(args.workers) > 1 else ""
        dirs = f"-w{workers}" if len(args.workers) > 1 else ""
        pipelines = ([] if args.no_prefect else ["flow"]) + ([] if args.no_plain else ["plain"])
        for kind in pipelines:
            wh = str(work / f"wh-{kind}{dirs}" / "warehouse.duckdb")
            for rerun in (False, True):
                label = f"{kind}{'-noop' if rerun else ''}{dirs}"
                say(f"{label}: running {'the Prefect flow' if kind == 'flow' else 'flows.pipeline.run'} ...")
                args_ = common | {"warehouse": wh, "workers": workers}
                if kind == "flow":
                    args_["prefect_home"] = str(work / "prefect-home")
                try:
                    r = run_child(kind, args_, work, label)
                except RuntimeError as exc:  # reported in the table; the other phases still run
                    say(str(exc))
                    rows.append(row(f"{label}: FAILED (see {work / 'logs' / (label + '.log')})", target="", met=False))
                    report.setdefault("failures", []).append(str(exc)[:2000])
                    break
                report["details"][label] = r
                new_rows = phase_rows(kind, rerun, tag, r, floor_s)
                rows += new_rows
                if not rerun:
                    ours_rate = ours_rate or next(x["articles_per_s"] for x in new_rows
                                                  if x["phase"] == f"{kind}: {END_TO_END[kind]}{tag}")
                startup = r.get("prefect_startup", {}).get("total_s")
                say(f"{label}: {r['seconds']:.2f} s" + (f" (+ {startup:.1f} s Prefect start-up)" if startup else ""))
    # 8. naive
    if args.naive_sample:
        say(f"naive: {args.naive_sample:,} files ...")
        r = run_child("naive", {"corpus": str(corpus), "warehouse": str(work / "naive.duckdb"),
                                "sample": args.naive_sample}, work, "naive")
        report["details"]["naive"] = r
        c = r["counts"]
        x = row("naive reference (sample)", files=c["files"], seconds=r["seconds"], articles=c["articles"],
                rss=r["peak_rss_mb"], cpu=r.get("cpu_s"))
        x["ours_over_naive"] = ours_rate / x["articles_per_s"] if ours_rate and x["articles_per_s"] else None
        x["target"] = f"ours >= {TARGET_NAIVE_RATIO:g}x naive" + (
            f" (ours = {x['ours_over_naive']:.1f}x)" if x["ours_over_naive"] is not None else "")
        x["met"] = None if x["ours_over_naive"] is None else x["ours_over_naive"] >= TARGET_NAIVE_RATIO
        rows.append(x)
        say(f"naive: {r['seconds']:.2f} s")
    versions = {k: v["extractor_version"] for k, v in report["details"].items() if "extractor_version" in v}
    report["extractor_versions"] = versions
    if len(set(versions.values())) > 1:
        report["warning"] = ("the extraction rules changed during the benchmark (someone edited flows/text, "
                             "flows/extract or flows/data): a no-op rerun re-extracted every file; run it again")
    report["phases"] = rows
    report["finished_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
    report["load_average_at_end"] = os.getloadavg()
    if args.clean:
        shutil.rmtree(work, ignore_errors=True)
    return report


def workers_list(text: str) -> list[int]:
    """--workers: "2" -> [2]; "1,2" -> [1, 2]."""
    try:
        out = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--workers: whole numbers separated by commas, not {text!r}") from None
    if not out or min(out) < 1:
        raise argparse.ArgumentTypeError("--workers: each number must be at least 1")
    return list(dict.fromkeys(out))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.benchmark", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20000, help="articles to generate (default 20000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--general-share", type=float, default=0.5, help="share of off-topic general news (default 0.5)")
    ap.add_argument("--files", help="use this folder of articles instead of generating (e.g. ../shared/corpus)")
    ap.add_argument("--work", help="folder for the corpus, warehouses and logs (default /tmp/bench-<N>-s<seed>)")
    ap.add_argument("--naive-sample", type=int, default=2000, help="files the naive reference reads (0: skip it)")
    ap.add_argument("--batch-size", type=int, default=None, help="files a batch (default: the project's)")
    ap.add_argument("--workers", type=workers_list, default=[1],
                    help="extraction processes: a local Dask cluster for the flow, a process pool for the plain "
                         "pipeline (1: in the writing process); a list such as 1,2 runs every phase for each")
    ap.add_argument("--no-prefect", action="store_true", help="skip the Prefect flow phases")
    ap.add_argument("--no-plain", action="store_true", help="skip the plain pipeline phases")
    ap.add_argument("--json", help="write the report as JSON to this file")
    ap.add_argument("--clean", action="store_true", help="remove the work folder (corpus included) at the end")
    ap.add_argument("--child", choices=sorted(PHASES), help=argparse.SUPPRESS)
    ap.add_argument("--child-args", help=argparse.SUPPRESS)
    ap.add_argument("--child-result", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child_main(args.child, args.child_args, args.child_result)
    if args.files is None and args.n < 1:
        ap.error("--n must be at least 1")
    report = benchmark(args)
    print(f"\nbenchmark: {report['corpus']['files']:,} files ({report['corpus']['bytes'] / 1e6:,.0f} MB) in "
          f"{report['corpus']['dir']}; {report['machine']['cpus']} CPUs; commit {report['git'].get('commit', '?')}"
          f"{' + uncommitted changes' if report['git'].get('uncommitted_changes') else ''}")
    print_table(report["phases"])
    if report.get("warning"):
        print(f"\nWARNING: {report['warning']}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
