"""The benchmark: on one corpus, in one run, how fast the ETL is and how much memory it takes.

    python -m bench.benchmark --n 100000 [--files DIR] [--naive-sample 2000] [--json out.json]
                              [--batch-size N] [--workers N] [--no-prefect] [--no-plain] [--work DIR]

Phases, each measured on the same files (the warm file cache), each but the first two in its
own child process, whose peak RSS (resource.getrusage, RUSAGE_SELF of the child) is reported:

1. generate: write N articles with bench.generate (skipped when --files is given, or when the
   work folder already holds the complete corpus of this N and seed);
2. warm: read every file once, so that every phase reads from the page cache;
3. floor: read and SHA-256 every file, nothing else (one process);
4. flow: the real Prefect flow (flows.flow.etl) into a new warehouse. The Prefect start-up
   (importing the flow, starting the temporary server, the first API call) is timed apart;
   the flow's time is the wall time of the etl() call. Stage times (extract, load, checks,
   publish) are measured inside the tasks;
5. flow no-op: the flow again over the unchanged files (the server start-up again apart);
6. plain: the same stages without Prefect (flows.pipeline.run, like `--no-prefect`);
7. plain no-op;
8. naive: bench.naive (per-article loops, one INSERT a row) on an evenly spaced sample.

Targets (issue 8, this 2-core machine, 100,000 articles): >= 5,000 articles/s end to end
without the Prefect start-up; <= 5x the floor; >= 10x the naive reference; peak RSS <= 500 MB;
no-op rerun <= 2 s of flow time. The table says for each phase whether its target is met at
this N. Speed is measured here, never by timed tests.

Everything is written below --work (default /tmp/bench-<N>-s<seed>): the corpus (kept for the
next run unless --clean), a copy of the code that every phase runs (so that edits to the working
tree during a long benchmark cannot change the rules between phases), the warehouses, the
Prefect home of the run, and one log a phase.
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
TARGET_RSS_MB = 500.0
TARGET_NOOP_S = 2.0


# --- helpers shared by parent and children ----------------------------------------------------

def peak_rss_mb() -> float:
    """Peak RSS of the process that writes the warehouse (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """Peak RSS of the largest finished child process (extraction workers of --workers)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


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
    n = size = 0
    for p in walk_files(Path(corpus)):
        with open(p, "rb") as fh:
            data = fh.read()
        hashlib.sha256(data).hexdigest()
        n += 1
        size += len(data)
    return {"files": n, "bytes": size, "seconds": time.perf_counter() - t}


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
    return {"seconds": seconds, "summary": summary.as_dict(), "stages": timer.seconds}


def phase_flow(corpus: str, warehouse: str, prefect_home: str, batch_size: int | None = None,
               workers: int | None = None, **_) -> dict:
    os.environ.setdefault("PREFECT_HOME", prefect_home)
    t0 = time.perf_counter()
    import flows.flow as flow_module
    from prefect.client.orchestration import get_client

    imported = time.perf_counter()
    with get_client(sync_client=True) as client:  # starts the temporary server when none is configured
        client.api_healthcheck()
    started = time.perf_counter()

    timer = StageTimer()
    as_task = flow_module.as_task
    flow_module.as_task = lambda name, fn: as_task(name, timer.wrap(name, fn))
    kwargs = {"raw_dir": corpus, "warehouse": warehouse, "batch_size": batch_size}
    etl, kwargs["parallel"] = flow_module.for_workers(workers if workers and workers > 1 else None)
    t = time.perf_counter()
    summary = etl(**kwargs)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "summary": summary, "stages": timer.seconds,
            "prefect_startup": {"import_s": imported - t0, "server_and_first_call_s": started - imported,
                                "total_s": started - t0}}


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
    out = PHASES[phase](**json.loads(args_json))
    out["peak_rss_mb"] = peak_rss_mb()
    out["workers_peak_rss_mb"] = children_peak_rss_mb()
    use = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_s"] = use.ru_utime + use.ru_stime  # this process's CPU time: the figure other load disturbs least
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
    """Targets of an end-to-end run: rate, ratio to the floor, RSS."""
    checks = []
    if r["articles_per_s"] is not None:
        checks.append(r["articles_per_s"] >= TARGET_RATE)
    if r["ratio_to_floor"] is not None:
        checks.append(r["ratio_to_floor"] <= TARGET_FLOOR_RATIO)
    checks.append(r["peak_rss_mb"] <= TARGET_RSS_MB)
    return (f">= {TARGET_RATE:,.0f} art/s, <= {TARGET_FLOOR_RATIO:g}x floor, RSS <= {TARGET_RSS_MB:g} MB",
            all(checks))


def fmt(v, spec: str) -> str:
    return "" if v is None else format(v, spec)


def print_table(rows: list[dict], out=sys.stdout) -> None:
    head = ("phase", "files", "seconds", "CPU s", "articles/s", "peak RSS MB", "x floor", "target", "met?")
    body = [(r["phase"], fmt(r["files"], ","), fmt(r["seconds"], ".2f"), fmt(r.get("cpu_s"), ".1f"),
             fmt(r["articles_per_s"], ",.0f"),
             fmt(r["peak_rss_mb"], ".0f"), fmt(r["ratio_to_floor"], ".1f"), r["target"] or "",
             "" if r["met"] is None else ("yes" if r["met"] else "NO")) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    line = lambda cells: "  ".join(str(c).ljust(w) if i in (0, 7, 8) else str(c).rjust(w)  # noqa: E731
                                   for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(head), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for b in body:
        print(line(b), file=out)


def benchmark(args: argparse.Namespace) -> dict:
    from bench import generate as gen

    work = Path(args.work or f"/tmp/bench-{args.n}-s{args.seed}")
    if work.resolve().is_relative_to(PROJECT):
        raise SystemExit(f"--work {work}: write benchmark files outside the project (e.g. /tmp/bench-*)")
    work.mkdir(parents=True, exist_ok=True)
    for name in ("wh-flow", "wh-plain", "naive.duckdb", "logs"):
        p = work / name
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
    rows.append(row("floor: read + sha256", files=floor["files"], seconds=floor_s, articles=floor["files"],
                    rss=floor["peak_rss_mb"], floor_s=floor_s, target="(reference)", cpu=floor.get("cpu_s")))
    say(f"floor: {floor_s:.2f} s")
    report["details"] = {"floor": floor}

    ours_rate = None
    common = {"corpus": str(corpus), "batch_size": args.batch_size}
    # 4-5. the Prefect flow
    if not args.no_prefect:
        home = str(work / "prefect-home")
        wh = str(work / "wh-flow" / "warehouse.duckdb")
        for label in ("flow", "flow-noop"):
            say(f"{label}: running the Prefect flow ...")
            try:
                r = run_child("flow", common | {"warehouse": wh, "prefect_home": home, "workers": args.workers},
                              work, label)
            except RuntimeError as exc:  # reported in the table; the other phases still run
                say(str(exc))
                rows.append(row(f"{label}: FAILED (see {work / 'logs' / (label + '.log')})", target="", met=False))
                report.setdefault("failures", []).append(str(exc)[:2000])
                break
            report["details"][label] = r
            s = r["summary"]
            startup = r["prefect_startup"]["total_s"]
            rows.append(row(f"{label}: Prefect start-up", seconds=startup, rss=None, target="(reported apart)"))
            if label == "flow":
                x = row("flow: Prefect flow end to end", files=s["files_seen"], seconds=r["seconds"],
                        articles=s["articles_loaded"], rss=r["peak_rss_mb"], floor_s=floor_s, cpu=r.get("cpu_s"))
                x["target"], x["met"] = evaluate_run(x, floor_s)
                ours_rate = x["articles_per_s"]
                rows.append(x)
                if "publish" in r["stages"]:
                    rows.append(row("flow: publish stage", seconds=r["stages"]["publish"], target="(info)"))
            else:
                rows.append(row("flow-noop: no-op rerun", files=s["files_seen"], seconds=r["seconds"],
                                articles=s["articles_loaded"], rss=r["peak_rss_mb"], floor_s=floor_s,
                                cpu=r.get("cpu_s"), target=f"<= {TARGET_NOOP_S:g} s flow time, RSS <= {TARGET_RSS_MB:g} MB",
                                met=r["seconds"] <= TARGET_NOOP_S and r["peak_rss_mb"] <= TARGET_RSS_MB))
            say(f"{label}: {r['seconds']:.2f} s (+ {startup:.1f} s Prefect start-up)")
    # 6-7. the plain pipeline
    if not args.no_plain:
        wh = str(work / "wh-plain" / "warehouse.duckdb")
        for label in ("plain", "plain-noop"):
            say(f"{label}: running flows.pipeline.run ...")
            r = run_child("plain", common | {"warehouse": wh, "workers": args.workers}, work, label)
            report["details"][label] = r
            s = r["summary"]
            if label == "plain":
                x = row("plain: pipeline end to end (--no-prefect)", files=s["files_seen"], seconds=r["seconds"],
                        articles=s["articles_loaded"], rss=r["peak_rss_mb"], floor_s=floor_s, cpu=r.get("cpu_s"))
                x["target"], x["met"] = evaluate_run(x, floor_s)
                ours_rate = ours_rate or x["articles_per_s"]
                rows.append(x)
                if "publish" in r["stages"]:
                    rows.append(row("plain: publish stage", seconds=r["stages"]["publish"], target="(info)"))
            else:
                rows.append(row("plain-noop: no-op rerun", files=s["files_seen"], seconds=r["seconds"],
                                articles=s["articles_loaded"], rss=r["peak_rss_mb"], floor_s=floor_s,
                                cpu=r.get("cpu_s"), target=f"<= {TARGET_NOOP_S:g} s, RSS <= {TARGET_RSS_MB:g} MB",
                                met=r["seconds"] <= TARGET_NOOP_S and r["peak_rss_mb"] <= TARGET_RSS_MB))
            say(f"{label}: {r['seconds']:.2f} s")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.benchmark", description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20000, help="articles to generate (default 20000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--general-share", type=float, default=0.5, help="share of off-topic general news (default 0.5)")
    ap.add_argument("--files", help="use this folder of articles instead of generating (e.g. ../shared/corpus)")
    ap.add_argument("--work", help="folder for the corpus, warehouses and logs (default /tmp/bench-<N>-s<seed>)")
    ap.add_argument("--naive-sample", type=int, default=2000, help="files the naive reference reads (0: skip it)")
    ap.add_argument("--batch-size", type=int, default=None, help="files a batch (default: the project's)")
    ap.add_argument("--workers", type=int, default=None, help="extraction processes: a local Dask cluster for the flow, a process pool for the plain pipeline")
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
