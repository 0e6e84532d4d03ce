"""Command line: `python -m flows COMMAND`. Thin: parses options, calls the library."""
from __future__ import annotations

import argparse
import json
import sys

from .settings import (DEFAULT_BATCH_SIZE, ENV_BATCH_SIZE, ENV_LOCK_TIMEOUT, ENV_RAW_DIR, ENV_WAREHOUSE,
                       Settings)

DESCRIPTION = """\
Vietnamese Party organization-building news -> DuckDB analytics warehouse.

Reads article files (.txt, .jsonl) from a raw folder, extracts facts (metrics, officials and
their titles, Party documents cited) and publishes them to a DuckDB file that SQL and BI tools
query. See README.md.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m flows", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run", help="run the ETL once on the raw folder and print a run summary",
        description="Run the ETL once: discover files in the raw folder, skip those unchanged since the "
                    "last run, read, clean and extract the others, load them, check the data and publish "
                    "the warehouse atomically. Prints a run summary.")
    run.add_argument("--raw-dir", metavar="DIR",
                     help=f"folder of article files (default: ${ENV_RAW_DIR} or ./raw)")
    run.add_argument("--warehouse", metavar="FILE",
                     help=f"published DuckDB file (default: ${ENV_WAREHOUSE} or ./warehouse/warehouse.duckdb)")
    run.add_argument("--batch-size", type=int, metavar="N",
                     help=f"files per batch; one Prefect task each (default: ${ENV_BATCH_SIZE} or {DEFAULT_BATCH_SIZE})")
    run.add_argument("--wait", type=float, metavar="SECONDS", dest="lock_timeout",
                     help=f"if another run is writing, wait this long for it (default: ${ENV_LOCK_TIMEOUT} or 0: "
                          "exit at once with a message)")
    run.add_argument("--no-prefect", action="store_true",
                     help="run the same stages as plain Python, without Prefect (no server, no UI record)")
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")

    export = sub.add_parser(
        "export", help="write every public table and view of the published warehouse as Parquet",
        description="Write every public table and view of the published warehouse to DIR/<name>.parquet, "
                    "one file per object, for tools that cannot open a DuckDB file. Opens the warehouse "
                    "read-only, so it may run while a run publishes; all files come from one snapshot.")
    export.add_argument("--parquet", metavar="DIR", required=True, help="folder to write the Parquet files to")
    export.add_argument("--warehouse", metavar="FILE",
                        help=f"published DuckDB file (default: ${ENV_WAREHOUSE} or ./warehouse/warehouse.duckdb)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "export":
        return _export(args)
    return 2


def _export(args: argparse.Namespace) -> int:
    from .export import export_parquet

    try:
        warehouse = Settings.resolve(warehouse=args.warehouse).warehouse
        written = export_parquet(warehouse, args.parquet)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"exported {len(written)} objects of {warehouse}")
    width = max(len(e.name) for e in written)
    for e in written:
        print(f"  {e.kind:<5} {e.name:<{width}} {e.rows:>9} rows  {e.path}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from .warehouse import RunLocked

    try:
        settings = Settings.resolve(args.raw_dir, args.warehouse, args.batch_size, args.lock_timeout)
        if args.no_prefect:
            from .pipeline import run
            summary = run(settings).as_dict()
        else:
            from .flow import etl
            summary = etl(str(settings.raw_dir), str(settings.warehouse), settings.batch_size,
                          settings.lock_timeout)
    except RunLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        from .pipeline import RunSummary
        fields = {k: v for k, v in summary.items() if k != "facts_loaded"}
        print(RunSummary(**fields).text())
    return 0 if summary["status"] == "success" else 1
