"""Data tests that gate each load: run after loading and before publishing.

Each file sql/checks/NNN_name.sql is one check: a SELECT returning the rows that violate it
(zero rows = pass), with a header comment saying what it checks. They run in number order.

Before the checks run, the canonical metric vocabulary (flows/data/metrics_vocabulary.tsv:
metric, unit, description, example) is loaded into the temporary table ``metric_vocabulary``
of the connection, which the vocabulary checks read.

The flow calls ``assert_checks(con)`` on the new warehouse before it replaces the published
one; a ``DataCheckError`` stops the publish, and its message names each failed check with
example rows.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from flows.schema import SQL_DIR, numbered_files

CHECKS_DIR = SQL_DIR / "checks"
VOCABULARY_PATH = Path(__file__).resolve().parent / "data" / "metrics_vocabulary.tsv"
VOCABULARY_COLUMNS = ("metric", "unit", "description", "example")
N_EXAMPLES = 5


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


def run_checks(
    con: duckdb.DuckDBPyConnection,
    checks_dir: Path = CHECKS_DIR,
    vocabulary_path: Path = VOCABULARY_PATH,
) -> list[CheckFailure]:
    """Run every check in number order; the failed ones, with up to 5 example rows each."""
    register_vocabulary(con, vocabulary_path)
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
