"""Command line: `python -m flows COMMAND`. Thin: parses options, calls the library."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from .settings import (DEFAULT_BATCH_SIZE, DEFAULT_CRON, DEFAULT_TIMEZONE, ENV_BATCH_SIZE, ENV_CORRECTIONS_DIR,
                       ENV_CRON, ENV_DASK_ADDRESS, ENV_FULL_CHECKS, ENV_LOCK_TIMEOUT, ENV_RAW_DIR, ENV_TIMEZONE,
                       ENV_WAREHOUSE, ENV_WORKERS, Settings)

ENV_REPORT = "PARTY_WAREHOUSE_REPORT"  # `run --report FILE`: write the HTML report after a successful run

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
    _add_settings_options(run)
    run.add_argument("--no-prefect", action="store_true",
                     help="run the same stages as plain Python, without Prefect (no server, no UI record)")
    run.add_argument("--json", action="store_true", help="print the run summary as JSON")
    run.add_argument("--workers", type=int, metavar="N",
                     help=f"extract N batches at once on N local processes (with Prefect: a local Dask cluster; "
                          f"default: ${ENV_WORKERS} or 1: in this process)")
    run.add_argument("--dask-address", metavar="ADDRESS",
                     help=f"extract the batches on the Dask cluster whose scheduler is at ADDRESS "
                          f"(tcp://HOST:8786; default: ${ENV_DASK_ADDRESS}); loading stays here")

    serve = sub.add_parser(
        "serve", help="serve the flow as a Prefect deployment on a schedule (needs a Prefect server)",
        description="Serve the ETL as the Prefect deployment 'party-warehouse-etl/scheduled' until interrupted "
                    "(Ctrl-C): the server schedules a run on the cron schedule, and "
                    "`prefect deployment run party-warehouse-etl/scheduled` triggers one by hand. The deployment "
                    "has a concurrency limit of one: a run started while another runs waits for it. Needs a "
                    "Prefect server: $PREFECT_API_URL, the active Prefect profile's, or the local one "
                    "`make server` starts at http://127.0.0.1:4200.")
    serve.add_argument("--cron", metavar="EXPR",
                       help=f"when to run, a cron expression (default: ${ENV_CRON} or \"{DEFAULT_CRON}\")")
    serve.add_argument("--timezone", metavar="TZ",
                       help=f"time zone of the cron expression (default: ${ENV_TIMEZONE} or {DEFAULT_TIMEZONE})")
    serve.add_argument("--no-schedule", action="store_true",
                       help="serve without a schedule: runs only when triggered by hand")
    _add_settings_options(serve)

    setup = sub.add_parser(
        "setup", help="prepare the Prefect home (database migrated, blocks registered) so runs start fast",
        description="Start Prefect's temporary server once and stop it: it creates and migrates the Prefect "
                    "database and registers Prefect's blocks, work a first run would otherwise do. "
                    "`make install` runs it.")

    export = sub.add_parser(
        "export", help="write every public table and view of the published warehouse as Parquet",
        description="Write every public table and view of the published warehouse to DIR/<name>.parquet, "
                    "one file per object, for tools that cannot open a DuckDB file. Opens the warehouse "
                    "read-only, so it may run while a run publishes; all files come from one snapshot.")
    export.add_argument("--parquet", metavar="DIR", required=True, help="folder to write the Parquet files to")
    export.add_argument("--warehouse", metavar="FILE",
                        help=f"published DuckDB file (default: ${ENV_WAREHOUSE} or ./warehouse/warehouse.duckdb)")

    report = sub.add_parser(
        "report", help="write the HTML report of the published warehouse (charts, scorecard, data quality)",
        description="Write one self-contained HTML file (it opens with no network) from the published "
                    "warehouse's views: per metric, its value by period for each province and the latest "
                    "period-over-period changes; the province scorecard; officials by title over time; "
                    "data quality (coverage, facts per article, quarantined inputs, last runs). Opens the "
                    "warehouse read-only. Prints the path written.")
    report.add_argument("--warehouse", metavar="FILE",
                        help=f"published DuckDB file (default: ${ENV_WAREHOUSE} or ./warehouse/warehouse.duckdb)")
    report.add_argument("--out", metavar="FILE",
                        help="HTML file to write (default: report.html beside the warehouse, "
                             "i.e. ./warehouse/report.html)")

    check = sub.add_parser(
        "check", help="run every data check over the whole published warehouse and print what fails",
        description="Run every data check of sql/checks over every row of the published warehouse (a run "
                    "checks only the articles it changed, see docs/guarantees.md). Opens the warehouse "
                    "read-only, so it may run while a run publishes. Prints each failed check with example "
                    "rows; exit code 0 when all pass, 1 when one fails.")
    check.add_argument("--warehouse", metavar="FILE",
                       help=f"published DuckDB file (default: ${ENV_WAREHOUSE} or ./warehouse/warehouse.duckdb)")

    review = sub.add_parser(
        "review", help="write a CSV, in the corrections format, of the facts most worth an analyst's look",
        description="Write the facts of the published warehouse most worth a look (series whose articles "
                    "disagree, implausible period-over-period jumps, canonical metrics from off-topic "
                    "articles, facts whose sentence has a target word) as a CSV in the corrections format, "
                    "with the action left empty. Mark the rows (reject, set), fill in who, and save the file "
                    "into the corrections folder. See docs/corrections.md. Prints the path and the rows.")
    review.add_argument("--warehouse", metavar="FILE",
                        help=f"published DuckDB file (default: ${ENV_WAREHOUSE} or ./warehouse/warehouse.duckdb)")
    review.add_argument("--out", metavar="FILE",
                        help="CSV file to write (default: review.csv beside the warehouse, i.e. ./warehouse/review.csv)")
    return parser


def _add_settings_options(parser: argparse.ArgumentParser) -> None:
    """The run settings, shared by `run` and `serve` (options override environment variables)."""
    parser.add_argument("--raw-dir", metavar="DIR",
                        help=f"folder of article files (default: ${ENV_RAW_DIR} or ./raw)")
    parser.add_argument("--warehouse", metavar="FILE",
                        help=f"published DuckDB file (default: ${ENV_WAREHOUSE} or ./warehouse/warehouse.duckdb)")
    parser.add_argument("--batch-size", type=int, metavar="N",
                        help=f"files per batch; one Prefect task each (default: ${ENV_BATCH_SIZE} or {DEFAULT_BATCH_SIZE})")
    parser.add_argument("--wait", type=float, metavar="SECONDS", dest="lock_timeout",
                        help=f"if another run is writing, wait this long for it (default: ${ENV_LOCK_TIMEOUT} or 0: "
                             "exit at once with a message)")
    parser.add_argument("--prune", action="store_true", default=None,
                        help="forget input files that are gone from the raw folder: their articles, facts, sources "
                             "and quarantine entries are deleted (default: $PARTY_WAREHOUSE_PRUNE or off: "
                             "facts stay when their file is removed)")
    parser.add_argument("--corrections", metavar="DIR", dest="corrections_dir",
                        help=f"folder of the analysts' corrections, CSV files (default: ${ENV_CORRECTIONS_DIR} or "
                             "the folder `corrections` beside the raw folder; none there: no corrections). "
                             "See docs/corrections.md")
    parser.add_argument("--full-checks", action="store_true", default=None,
                        help=f"run the data checks over the whole warehouse (default: ${ENV_FULL_CHECKS} or off: "
                             "the rows of the articles the run changed; none changed: no check)")
    parser.add_argument("--report", metavar="FILE",
                        help=f"after a successful run, write the HTML report to FILE (default: ${ENV_REPORT}; "
                             "unset: no report)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return _run(args)
    if args.command == "export":
        return _export(args)
    if args.command == "report":
        return _report(args)
    if args.command == "review":
        return _review(args)
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "setup":
        return _setup()
    return 2


def _serve(args: argparse.Namespace) -> int:
    from .prefect_setup import LOCAL_SERVER, configured_api_url, defaults, healthy

    defaults()
    api = configured_api_url()
    if not api and healthy(LOCAL_SERVER):
        os.environ["PREFECT_API_URL"] = api = LOCAL_SERVER
    if not api or not healthy(api, timeout=5):
        print(f"error: no Prefect server answers at {api or LOCAL_SERVER}. A schedule needs a running server: "
              "start one with `make server`, or set PREFECT_API_URL to yours.", file=sys.stderr)
        return 2
    cron = None if args.no_schedule else (args.cron or os.environ.get(ENV_CRON) or DEFAULT_CRON)
    timezone = args.timezone or os.environ.get(ENV_TIMEZONE) or DEFAULT_TIMEZONE
    given = {"raw_dir": args.raw_dir, "warehouse": args.warehouse, "batch_size": args.batch_size,
             "lock_timeout": args.lock_timeout, "prune": args.prune, "report": args.report,
             "corrections": args.corrections_dir, "full_checks": args.full_checks}
    parameters = {k: (str(Path(v).resolve()) if k in ("raw_dir", "warehouse", "report", "corrections") else v)
                  for k, v in given.items() if v is not None}
    try:
        Settings.resolve(args.raw_dir, args.warehouse, args.batch_size, args.lock_timeout, args.prune,
                         corrections_dir=args.corrections_dir, full_checks=args.full_checks).check()
        from .flow import serve
        print(f"serving on {api}: schedule {cron or 'none'} ({timezone}); parameters {parameters or 'from the environment'}",
              file=sys.stderr)
        serve(cron, timezone, parameters)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


def _setup() -> int:
    from .prefect_setup import TemporaryServer, defaults

    defaults()
    server = TemporaryServer()  # a server migrates its database and registers blocks as it starts
    try:
        if not server.wait():
            print("error: the Prefect server did not start; see `uv run prefect server start`", file=sys.stderr)
            return 1
    finally:
        server.stop()
    print("Prefect home ready: database migrated, blocks registered")
    return 0


def _report(args: argparse.Namespace) -> int:
    from .report import write_report

    return _beside_warehouse(args, "report.html", lambda warehouse, out: str(write_report(warehouse, out)))


def _review(args: argparse.Namespace) -> int:
    from .corrections import write_review

    return _beside_warehouse(args, "review.csv",
                             lambda warehouse, out: f"{out}: {write_review(warehouse, out)} facts to review")


def _beside_warehouse(args: argparse.Namespace, default_name: str, write) -> int:
    """Write a file from the published warehouse (--warehouse) to --out, by default `default_name`
    beside the warehouse; write(warehouse, out) returns the line to print."""
    try:
        warehouse = Settings.resolve(warehouse=args.warehouse).warehouse
        out = Path(args.out) if args.out else warehouse.parent / default_name
        said = write(warehouse, out)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(said)
    return 0


def _check(args: argparse.Namespace) -> int:
    from .checks import check_published

    try:
        warehouse = Settings.resolve(warehouse=args.warehouse).warehouse
        failures, said = check_published(warehouse)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(said)
    return 1 if failures else 0


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


def _released(exc: BaseException, code: int) -> int:
    """Drop the local variables of the frames a failed run's exception (and the exceptions it
    chains) still holds: Prefect keeps the exception in the run's state, and a DuckDB connection
    or frame alive at interpreter exit makes DuckDB's binding print "nanobind: leaked ..." lines."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__
    return code


def _run(args: argparse.Namespace) -> int:
    from .warehouse import RunLocked

    try:
        settings = Settings.resolve(args.raw_dir, args.warehouse, args.batch_size, args.lock_timeout,
                                    prune=args.prune, workers=args.workers, dask_address=args.dask_address,
                                    corrections_dir=args.corrections_dir,
                                    full_checks=args.full_checks).check()
        workers, dask_address = settings.workers, settings.dask_address
        if args.no_prefect:
            from .pipeline import process_pool, run
            from .progress import for_terminal
            if dask_address:
                raise ValueError("--dask-address needs Prefect (its Dask task runner): drop --no-prefect")
            with for_terminal() as progress:
                if workers > 1:
                    with process_pool(workers) as extract:
                        summary = run(settings, progress=progress, extract=extract).as_dict()
                else:
                    summary = run(settings, progress=progress).as_dict()
        else:
            from .prefect_setup import api_for_one_run
            with api_for_one_run() as api:
                print(api.describe, file=sys.stderr)
                from .flow import for_workers  # imported while a temporary server starts
                etl, parallel = for_workers(workers if workers > 1 else None, dask_address)
                api.ready()
                try:
                    summary = etl(str(settings.raw_dir), str(settings.warehouse), settings.batch_size,
                                  settings.lock_timeout, settings.prune, parallel=parallel,
                                  corrections=str(settings.corrections), full_checks=settings.full_checks)
                finally:
                    api.flush()
    except RunLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return _released(exc, 3)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return _released(exc, 2)
    except Exception as exc:
        from .errors import is_transient
        if not is_transient(exc):
            traceback.print_exception(exc)  # a bug or a failed data check: the whole story
            return _released(exc, 1)
        print(f"error: {exc}\nThe run failed for a passing reason (disk full, I/O error, busy file); nothing "
              "was published and the published warehouse is unchanged. Run again later.", file=sys.stderr)
        return _released(exc, 75)  # EX_TEMPFAIL: try again later
    report_to = args.report or os.environ.get(ENV_REPORT)
    if report_to and summary["status"] == "success":
        from .report import write_report
        try:
            report_written = write_report(settings.warehouse, Path(report_to))
        except (OSError, ValueError) as exc:
            print(f"error: the run succeeded, but the report could not be written: {exc}", file=sys.stderr)
            return 1
        print(f"report: {report_written}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        from .pipeline import RunSummary
        fields = {k: v for k, v in summary.items() if k != "facts_loaded"}
        print(RunSummary(**fields).text())
    return 0 if summary["status"] == "success" else 1
