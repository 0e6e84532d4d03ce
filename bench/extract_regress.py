"""Regression harness and profile for the extractor (flows/extract/facts.py:extract_items).

Runs extract_items over every article of ../shared/corpus (genre, general and the ~20,000 news
articles) and ../shared/seeds,
and compares every output frame (articles, metrics, people, documents, quarantine) with a
snapshot taken before a change:

    uv run --frozen python -m bench.extract_regress --snapshot   # write /tmp/extract-baseline/
    uv run --frozen python -m bench.extract_regress --check      # re-run, print differing rows
    uv run --frozen python -m bench.extract_regress --profile    # cProfile top functions too

Every mode prints the time per article, split by stage (the functions extract_article calls).
The inputs are read once through flows.ingest (discover + read_batch) and kept in the snapshot
folder, so --check extracts exactly the texts the snapshot was made from.
Timings are CPU seconds of one process (one core; robust when the machine is shared); `--jobs 2` only speeds up --check.
"""
from __future__ import annotations

import argparse
import cProfile
import multiprocessing
import io
import pstats
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import polars as pl

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SOURCES = [SHARED / "corpus" / "genre", SHARED / "corpus" / "general", SHARED / "seeds", SHARED / "corpus" / "news"]
FRAMES = ("articles", "metrics", "people", "documents", "quarantine")
STAGES = ("clean_article", "outlet_info", "article_province", "sentences", "find_event_date", "article_period",
          "meeting_kind", "meeting_location", "on_topic", "_metrics", "extract_people", "extract_documents")


def read_inputs() -> pl.DataFrame:
    """Every article of SOURCES as ingest reads it; source_path is prefixed with its folder."""
    from flows.ingest import discover, read_batch

    frames = []
    for folder in SOURCES:
        files, _problems = discover(folder)
        batch = read_batch(folder, files)
        prefix = folder.relative_to(SHARED).as_posix() + "/"
        frames.append(batch.items.with_columns(pl.lit(prefix) + pl.col("source_path")))
    return pl.concat(frames)


@contextmanager
def stage_timer(totals: dict[str, float]):
    """Time each stage extract_article calls, by wrapping the names facts.py imported."""
    from flows.extract import facts

    saved = {}
    for name in STAGES:
        fn = getattr(facts, name)
        saved[name] = fn

        def timed(*a, _fn=fn, _name=name, **k):
            t = time.process_time()
            try:
                return _fn(*a, **k)
            finally:
                totals[_name] += time.process_time() - t
        setattr(facts, name, timed)
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(facts, name, fn)


def extract(items: pl.DataFrame, timings: dict[str, float] | None = None) -> dict[str, pl.DataFrame]:
    from flows.extract.facts import extract_items

    return extract_items(items, timings=timings)


def extract_parallel(items: pl.DataFrame, jobs: int) -> dict[str, pl.DataFrame]:
    """extract_items over `jobs` slices of items in worker processes, concatenated in order
    (fact_no is per article, so slicing by article changes nothing)."""
    if jobs <= 1:
        return extract(items)
    size = -(-items.height // jobs)
    parts = [items.slice(i, size) for i in range(0, items.height, size)]
    # spawned, not forked: a child forked after Polars has started its thread pool can hang on a
    # lock one of those threads held (--check --jobs 2 deadlocked so)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as ex:
        results = list(ex.map(extract, parts))
    return {f: pl.concat([r[f] for r in results]) for f in FRAMES}


def timed_run(items: pl.DataFrame, profile: bool, top: int) -> dict[str, pl.DataFrame]:
    totals: dict[str, float] = defaultdict(float)
    prof = cProfile.Profile() if profile else None
    with stage_timer(totals):
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        passes: dict[str, float] = {}
        out = extract(items, passes)
        if prof:
            prof.disable()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    n = out["articles"].height + out["quarantine"].height
    print(f"{n} articles in {cpu:.2f} s of CPU ({wall:.2f} s wall): {1000 * cpu / n:.2f} ms/article, "
          f"{n / cpu:.0f} articles/s per core" + (" (under cProfile)" if prof else ""))
    wall = cpu  # shares below are of CPU time (the machine may be shared)
    staged = sum(totals.values())
    print(f"  {'stage':<20}{'ms/article':>11}{'share':>8}")
    for name, t in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<20}{1000 * t / n:>11.3f}{t / wall:>8.1%}")
    print(f"  {'(frames, loop)':<20}{1000 * (wall - staged) / n:>11.3f}{(wall - staged) / wall:>8.1%}")
    print(f"  {'pass':<20}{'ms/article':>11}{'share':>8}")
    for name, t in passes.items():
        print(f"  {name:<20}{1000 * t / n:>11.3f}{t / wall:>8.1%}")
    if prof:
        s = io.StringIO()
        stats = pstats.Stats(prof, stream=s)
        stats.sort_stats("tottime").print_stats(top)
        print(s.getvalue())
        s = io.StringIO()
        stats = pstats.Stats(prof, stream=s)
        stats.sort_stats("cumulative").print_stats(top * 2)
        print(s.getvalue())
    return out


def diff(base: pl.DataFrame, new: pl.DataFrame, name: str, show: int) -> int:
    """Rows of one frame that differ (as a multiset of rows, and in order). Prints them."""
    if base.schema != new.schema:
        print(f"{name}: schema differs\n  was {base.schema}\n  now {new.schema}")
        return 1
    if base.equals(new):
        return 0
    cols = base.columns
    keyed_b = base.with_columns(pl.int_range(pl.len()).over(cols).alias("_dup"))
    keyed_n = new.with_columns(pl.int_range(pl.len()).over(cols).alias("_dup"))
    gone = keyed_b.join(keyed_n, on=cols + ["_dup"], how="anti", nulls_equal=True)
    added = keyed_n.join(keyed_b, on=cols + ["_dup"], how="anti", nulls_equal=True)
    print(f"{name}: {base.height} rows before, {new.height} now; {gone.height} gone, {added.height} new"
          + ("; same rows, other order" if not gone.height and not added.height else ""))
    wide = [c for c in cols if c not in ("body", "sentence")]
    with pl.Config(tbl_rows=show, tbl_cols=-1, fmt_str_lengths=80, tbl_width_chars=250):
        if gone.height:
            print("  gone:\n", gone.select(wide).head(show))
        if added.height:
            print("  new:\n", added.select(wide).head(show))
    return gone.height + added.height + (0 if gone.height or added.height else 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--snapshot", action="store_true", help="write the baseline (inputs and outputs)")
    mode.add_argument("--check", action="store_true", help="re-run and diff against the baseline")
    ap.add_argument("--profile", action="store_true", help="cProfile the run and print the top functions")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--dir", default="/tmp/extract-baseline")
    ap.add_argument("--jobs", type=int, default=1, help="processes for --check (no per-stage times then)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (quick profiling)")
    ap.add_argument("--show", type=int, default=20, help="differing rows to print per frame")
    args = ap.parse_args(argv)
    out_dir = Path(args.dir)

    inputs = out_dir / "inputs.parquet"
    if args.check or (inputs.exists() and not args.snapshot):
        items = pl.read_parquet(inputs)
    else:
        t = time.perf_counter()
        items = read_inputs()
        print(f"read {items.height} articles in {time.perf_counter() - t:.2f} s")
    if args.limit:
        items = items.head(args.limit)

    if args.jobs > 1 and not args.profile:
        t = time.perf_counter()
        out = extract_parallel(items, args.jobs)
        wall = time.perf_counter() - t
        print(f"{items.height} articles in {wall:.2f} s on {args.jobs} processes")
    else:
        out = timed_run(items, args.profile, args.top)

    if args.snapshot:
        out_dir.mkdir(parents=True, exist_ok=True)
        items.write_parquet(inputs)
        for f in FRAMES:
            out[f].write_parquet(out_dir / f"{f}.parquet")
        print(f"snapshot written to {out_dir}: " + ", ".join(f"{f} {out[f].height}" for f in FRAMES))
        return 0
    if args.check:
        bad = 0
        for f in FRAMES:
            base = pl.read_parquet(out_dir / f"{f}.parquet")
            if args.limit:
                base = base.filter(pl.col("doc_id").is_in(items["doc_id"].implode()))
            bad += diff(base, out[f], f, args.show)
        print("no difference" if not bad else f"DIFFERENCES: {bad} rows")
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
