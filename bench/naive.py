"""A naive reference implementation of the extraction, for the benchmark's ratio.

The same rules as the pipeline, applied the plain way: for each file, open it, read it, hash it,
decode it; for each article, call the project's extraction (flows.extract.facts.extract_items)
on a one-row frame; insert every row it gives, one `execute` a row, into a DuckDB file with the
project's schema (flows.schema.apply_schema), one transaction an article. No batching, no
Arrow, no manifest, no data checks, no publish.

    python -m bench.naive --raw-dir DIR --warehouse FILE [--limit K]

It reads .txt files only (one article a file; the benchmark's corpus). Other files are counted
as skipped; a file that cannot be decoded goes to `quarantine`, as in the pipeline.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from flows import schema
from flows.extract.facts import EXTRACTOR_VERSION, extract_items
from flows.ingest import ITEMS_SCHEMA, DecodeError, decode_bytes

RUN_ID = "naive"
TABLES = (("articles", "articles"), ("metrics", "metrics"), ("people", "people"),
          ("documents", "documents_cited"))


def list_txt(raw_dir: Path) -> list[str]:
    """Every .txt file below raw_dir (hidden ones skipped), as paths relative to it, sorted."""
    out = []
    for dirpath, dirnames, filenames in os.walk(raw_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(".txt") and not name.startswith("."):
                out.append(Path(dirpath, name).relative_to(raw_dir).as_posix())
    return out


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], row: tuple) -> None:
    marks = ", ".join("?" for _ in columns)
    con.execute(f"insert into {table} ({', '.join(columns)}) values ({marks})", list(row))


def run(raw_dir: Path, warehouse: Path, files: list[str] | None = None) -> dict:
    """Extract every file of `files` (relative to raw_dir; default: every .txt file) into
    `warehouse`, one article at a time. Returns counts and seconds."""
    raw_dir = Path(raw_dir)
    t0 = time.perf_counter()
    files = list_txt(raw_dir) if files is None else files
    con = duckdb.connect(str(warehouse))
    schema.apply_schema(con)
    seen: set[str] = set()
    counts = {"files": 0, "articles": 0, "metrics": 0, "people": 0, "documents": 0, "quarantined": 0}
    try:
        for rel in files:
            counts["files"] += 1
            with open(raw_dir / rel, "rb") as fh:
                data = fh.read()
            doc_id = hashlib.sha256(data).hexdigest()
            con.execute("begin transaction")
            try:
                text = decode_bytes(data)
            except DecodeError as exc:
                _insert(con, "quarantine", ["source_path", "doc_id", "reason", "detail", "seen_at", "run_id"],
                        (rel, doc_id, exc.reason, exc.detail, datetime.now(), RUN_ID))
                counts["quarantined"] += 1
                con.execute("commit")
                continue
            _insert(con, "sources", ["source_path", "file_path", "doc_id"], (rel, rel, doc_id))
            if doc_id in seen:  # the same bytes again: one article, two sources
                con.execute("commit")
                continue
            seen.add(doc_id)
            item = pl.DataFrame([(rel, rel, doc_id, text, None, None, None)], schema=ITEMS_SCHEMA, orient="row")
            facts = extract_items(item)
            for key, table in TABLES:
                frame = facts[key]
                columns = frame.columns
                if table == "articles":
                    columns = columns + ["extractor_version", "run_id"]
                for row in frame.iter_rows():
                    if table == "articles":
                        row = row + (EXTRACTOR_VERSION, RUN_ID)
                    _insert(con, table, columns, row)
                counts[key] += frame.height
            for row in facts["quarantine"].iter_rows():
                _insert(con, "quarantine", ["source_path", "doc_id", "reason", "detail", "seen_at", "run_id"],
                        row + (datetime.now(), RUN_ID))
                counts["quarantined"] += 1
            con.execute("commit")
    finally:
        con.close()
    counts["seconds"] = time.perf_counter() - t0
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.naive", description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw-dir", type=Path, required=True)
    ap.add_argument("--warehouse", type=Path, required=True, help="DuckDB file to write (created if missing)")
    ap.add_argument("--limit", type=int, default=None, help="only the first K files (sorted)")
    args = ap.parse_args(argv)
    files = list_txt(args.raw_dir)
    if args.limit is not None:
        files = files[:args.limit]
    out = run(args.raw_dir, args.warehouse, files)
    out["articles_per_s"] = out["articles"] / out["seconds"] if out["seconds"] else None
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
