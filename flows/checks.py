"""Data tests that gate each load: run after loading and before publishing.

Each file sql/checks/NNN_name.sql is one check: a SELECT returning the rows that violate it
(zero rows = pass), with a header comment saying what it checks. They run in number order.

Before the checks run, the canonical metric vocabulary (flows/data/metrics_vocabulary.tsv:
metric, unit, description, example) is loaded into the temporary table ``metric_vocabulary``
of the connection, which the vocabulary checks read.

What the checks read (sql/check_scope/, `prepare_checks`): the temporary views checked_articles,
checked_metrics, checked_people and checked_documents_cited. In a FULL check they hold every row
of the warehouse. In an INCREMENTAL one they hold every row of the articles the run changed: the
load steps (sql/load/090_changed_docs.sql) and --prune record each doc_id whose rows they wrote
or deleted in the temporary table changed_docs. Every check compares rows of one article only,
so the incremental checks find every violation the run can have made, provided the
rest of the warehouse passed these same checks: the run compares the checks version (a digest of
the checks, their scope, the macros, the migrations and the vocabulary) with the one the last
successful run recorded in `runs`, and checks in full when they differ. A run that changed no
article skips the checks (`plan_checks`).

The flow calls ``plan_checks`` and then ``assert_checks(con, scope)`` on the new warehouse before
it replaces the published one; a ``DataCheckError`` stops the publish, and its message names each
failed check with example rows.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from flows import schema
from flows.schema import SQL_DIR, numbered_files
from flows.warehouse import execute, scalar

CHECKS_DIR = SQL_DIR / "checks"
VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "metrics_vocabulary.tsv"
VOCABULARY_COLUMNS = ("metric", "unit", "description", "example")
N_EXAMPLES = 5

FULL, INCREMENTAL, SKIPPED = "full", "incremental", "skipped"
# What the checks' verdict depends on besides the rows: a change to any of these makes the next
# run check the whole warehouse.
VERSIONED = ("checks", "check_scope", "macros", "migrations")


@dataclass
class CheckFailure:
    name: str         # the check file's stem, e.g. "014_metrics_article_exists"
    description: str  # the first sentence of its header comment
    n_rows: int
    examples: list[dict[str, Any]] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.n_rows} violating row(s) - {self.description}"]
        for row in self.examples:
            lines.append("    " + ", ".join(f"{k}={_show(v)}" for k, v in row.items()))
        if self.n_rows > len(self.examples):
            lines.append(f"    ... and {self.n_rows - len(self.examples)} more")
        return "\n".join(lines)


class DataCheckError(Exception):
    """The warehouse failed data checks; it must not be published."""

    def __init__(self, failures: list[CheckFailure]):
        self.failures = list(failures)
        names = ", ".join(f.name for f in self.failures)
        body = "\n".join(str(f) for f in self.failures)
        super().__init__(f"{len(self.failures)} data check(s) failed: {names}\n{body}")


def read_vocabulary(path: Path = VOCABULARY_PATH) -> list[tuple[str, str, str, str]]:
    """The rows of the metric vocabulary TSV (header checked)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = tuple(next(reader))
        if header != VOCABULARY_COLUMNS:
            raise ValueError(f"{path}: header must be {VOCABULARY_COLUMNS}, not {header}")
        rows = []
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != len(VOCABULARY_COLUMNS):
                raise ValueError(f"{path}:{lineno}: expected {len(VOCABULARY_COLUMNS)} fields")
            rows.append(tuple(row))
        return rows


def register_vocabulary(con: duckdb.DuckDBPyConnection, path: Path = VOCABULARY_PATH) -> None:
    """(Re)create the temporary table metric_vocabulary from the TSV."""
    con.execute(
        "create or replace temporary table metric_vocabulary "
        "(metric varchar primary key, unit varchar not null, description varchar, example varchar)"
    )
    con.executemany("insert into metric_vocabulary values (?, ?, ?, ?)", read_vocabulary(path))


def describe(sql: str) -> str:
    """The first sentence of the check's header comment (the rest of the header explains)."""
    lines = []
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        lines.append(stripped.lstrip("-").strip())
    header = " ".join(part for part in lines if part)
    first = re.match(r"(.*?\.)(\s|$)", header)
    return first.group(1) if first else header


def _show(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return repr(value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat())
    return repr(value)


def checks_version(sql_dir: Path = SQL_DIR, vocabulary_path: Path = VOCABULARY_PATH) -> str:
    """A digest of what the checks' verdict depends on besides the rows: the checks, their scope,
    the macros they call, the migrations (the tables' shape) and the metric vocabulary."""
    digest = hashlib.sha256()
    named = [(f"{folder}/{p.name}", p) for folder in VERSIONED for p in sorted((sql_dir / folder).glob("*.sql"))]
    for name, path in named + [("vocabulary", vocabulary_path)]:
        digest.update(f"{name}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass
class CheckPlan:
    """How a run's data checks run: mode FULL, INCREMENTAL or SKIPPED, why, on how many articles
    (None: the whole warehouse), and the checks version the warehouse passes afterwards."""
    mode: str
    reason: str
    articles: int | None = None
    version: str = ""

    def text(self) -> str:
        if self.mode == SKIPPED:
            return f"skipped: {self.reason}"
        where = ("the whole warehouse" if self.articles is None
                 else f"the rows of the {self.articles:,} articles this run changed")
        return f"{self.mode}, on {where} ({self.reason})"


def plan_checks(con: duckdb.DuckDBPyConnection, full: bool = False) -> CheckPlan:
    """Decide how this run checks: FULL when asked (`full`) or when the last successful run did not
    pass these very checks (a new warehouse, a migration, a changed check, macro or vocabulary);
    else INCREMENTAL on the articles the run changed, or SKIPPED when it changed none. Runs only
    the scope's own small queries, never a check."""
    version = checks_version()
    if full:
        return CheckPlan(FULL, "asked for", version=version)
    last = con.execute(schema.statement("check_scope/last_version")).fetchall()
    if not last or last[0][0] is None:
        return CheckPlan(FULL, "no earlier run recorded passing these checks", version=version)
    if last[0][0] != version:
        return CheckPlan(FULL, "the checks, macros, migrations or vocabulary changed since the last run",
                         version=version)
    execute(con, schema.statement("check_scope/changed"))
    n = scalar(con, schema.statement("check_scope/count"))
    if not n:
        return CheckPlan(SKIPPED, "this run changed no article (nothing loaded, replaced or pruned)",
                         articles=0, version=version)
    return CheckPlan(INCREMENTAL, "the rest passed these checks in an earlier run", articles=n, version=version)


def prepare_checks(con: duckdb.DuckDBPyConnection, scope: str = FULL,
                   vocabulary_path: Path = VOCABULARY_PATH) -> None:
    """Make what the checks read: the temporary table metric_vocabulary and the views checked_*
    over every row (FULL: live views of the tables) or over the articles this connection's run
    changed (INCREMENTAL). A check's SQL runs on the connection after this."""
    if scope not in (FULL, INCREMENTAL):
        raise ValueError(f"scope must be {FULL!r} or {INCREMENTAL!r}, not {scope!r}")
    register_vocabulary(con, vocabulary_path)
    execute(con, schema.statement(f"check_scope/{'full' if scope == FULL else 'changed'}"))


def run_checks(
    con: duckdb.DuckDBPyConnection,
    checks_dir: Path = CHECKS_DIR,
    vocabulary_path: Path = VOCABULARY_PATH,
    scope: str = FULL,
) -> list[CheckFailure]:
    """Run every check in number order; the failed ones, with up to 5 example rows each.
    scope: FULL reads every row of the warehouse; INCREMENTAL the rows of the articles this
    connection's run changed (the temporary table changed_docs; see the module's docstring)."""
    prepare_checks(con, scope, vocabulary_path)
    failures = []
    for _, name, path in numbered_files(checks_dir):
        sql = path.read_text(encoding="utf-8")
        result = con.execute(sql)
        columns = [d[0] for d in result.description]
        examples = [dict(zip(columns, row)) for row in result.fetchmany(N_EXAMPLES)]
        n_rows = len(examples)
        if n_rows == N_EXAMPLES:
            while chunk := result.fetchmany(10_000):
                n_rows += len(chunk)
        if n_rows:
            failures.append(CheckFailure(path.stem, describe(sql), n_rows, examples))
    return failures


def assert_checks(con: duckdb.DuckDBPyConnection, **kwargs: Any) -> None:
    """Raise DataCheckError naming every failed check; return quietly when all pass."""
    failures = run_checks(con, **kwargs)
    if failures:
        raise DataCheckError(failures)


def check_published(warehouse: Path) -> tuple[list[CheckFailure], str]:
    """`python -m flows check`: every check over every row of the published warehouse, opened
    read-only (the checks' scope lives in temporary tables of the connection). Returns the
    failures and what to print."""
    if not Path(warehouse).is_file():
        raise FileNotFoundError(f"no published warehouse at {warehouse} (--warehouse or run the ETL first)")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        failures = run_checks(con, scope=FULL)
    finally:
        con.close()
    if failures:
        return failures, str(DataCheckError(failures))
    return failures, f"all {len(numbered_files(CHECKS_DIR))} data checks passed on the whole warehouse: {warehouse}"
