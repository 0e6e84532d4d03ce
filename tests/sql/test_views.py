"""Given/expect tests of the views in sql/views, one fixture file per case.

A case is tests/sql/cases/<view>/<case>.json:

    {
      "description": "what the case shows",
      "given": {"articles": [{...}], "metrics": [{...}], "people": [...], "documents_cited": [...]},
      "expect": {"view": "<view>", "columns": ["..."], "order_by": "sql order by list",
                 "rows": [[...], ...]}
    }

Add a case by adding a file: no Python needed. Given rows name only the columns that matter;
`fill_defaults` supplies the rest (see there). The view's rows must equal the expected rows
exactly, in order (floats within a relative/absolute tolerance of 1e-9; dates as
'YYYY-MM-DD', timestamps as 'YYYY-MM-DD HH:MM:SS').
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from flows.schema import apply_schema

CASES_DIR = Path(__file__).parent / "cases"
VOCABULARY = Path(__file__).resolve().parents[2] / "flows" / "data" / "metrics_vocabulary.tsv"
TABLES = ("articles", "metrics", "people", "documents_cited", "runs", "corrections")


# --- defaults for given rows ---------------------------------------------------------------

def vocabulary_units() -> dict[str, str]:
    with VOCABULARY.open(encoding="utf-8", newline="") as f:
        return {r["metric"]: r["unit"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)}


def period_of_label(label: str) -> tuple[str, str, str] | None:
    """(period_kind, period_start, period_end) of a FACTS.md period label; None if unknown.

    A test oracle of its own, independent of the SQL that parses labels."""
    if re.fullmatch(r"\d{4}", label):
        y = int(label)
        return "Y", f"{y}-01-01", f"{y}-12-31"
    if m := re.fullmatch(r"(\d{4})-H([12])", label):
        y, h = int(m[1]), int(m[2])
        return f"H{h}", (f"{y}-01-01", f"{y}-07-01")[h - 1], (f"{y}-06-30", f"{y}-12-31")[h - 1]
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        y, q = int(m[1]), int(m[2])
        start = dt.date(y, 3 * q - 2, 1)
        end = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
        return f"Q{q}", start.isoformat(), end.isoformat()
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})M", label)) and 1 <= int(m[2]) <= 12:
        y, n = int(m[1]), int(m[2])
        end = dt.date(y + (n == 12), n % 12 + 1, 1) - dt.timedelta(days=1)
        return "nM", f"{y}-01-01", end.isoformat()
    if (m := re.fullmatch(r"(\d{4})-(\d{4})", label)) and m[1] < m[2]:
        return "range", f"{m[1]}-01-01", f"{m[2]}-12-31"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label):
        try:
            dt.date.fromisoformat(label)
        except ValueError:
            return None
        return "asof", label, label
    return None


def fill_defaults(given: dict) -> dict[str, list[dict]]:
    """Complete the given rows with sensible defaults, so fixtures name only what matters.

    - articles: source_path '<doc_id>.txt', on_topic true, body 200 x's, extractor_version 1.
      An article referenced by a metric/person/document but not given is created this way.
    - metrics: fact_no numbers an article's facts 1, 2, ... in the given order; unit is the
      vocabulary's unit of the metric ('item' for a quantity); period_kind, period_start and
      period_end follow from period_label when not given (give "period_kind": null to keep it
      NULL); province is the article's when not given (give "province": null for NULL);
      sentence 'x', char_start 0, char_end 1.
    - people / documents_cited: sentence 'x', char_start 0, char_end 1; documents_cited kind
      'nghi_quyet', text 'x'.
    - corrections (docs/corrections.md): file 'fix.csv', line 2, 3, ... and seq 1, 2, ... in the
      given order, why and who 'x', content_key 'k<seq>'; the period_kind, period_start and
      period_end of the label the row writes (an add's period_label, a set's new period_label);
      an added metric's unit from the vocabulary; target_doc_id its doc_id when that article is
      given, else NULL. Articles are not created for corrections (a correction of a missing
      article is orphaned).
    """
    units = vocabulary_units()
    articles = {a["doc_id"]: dict(a) for a in given.get("articles", [])}
    for table in ("metrics", "people", "documents_cited"):
        for row in given.get(table, []):
            articles.setdefault(row["doc_id"], {"doc_id": row["doc_id"]})
    for a in articles.values():
        a.setdefault("source_path", f"{a['doc_id']}.txt")
        a.setdefault("on_topic", True)
        a.setdefault("body", "x" * 200)
        a.setdefault("extractor_version", 1)

    metrics, fact_nos = [], {}
    for given_row in given.get("metrics", []):
        row = dict(given_row)
        fact_nos[row["doc_id"]] = fact_nos.get(row["doc_id"], 0) + 1
        row.setdefault("fact_no", fact_nos[row["doc_id"]])
        row.setdefault("unit", units.get(row.get("metric"), "item"))
        period = period_of_label(row["period_label"]) if row.get("period_label") else None
        if period:
            row.setdefault("period_kind", period[0])
            row.setdefault("period_start", period[1])
            row.setdefault("period_end", period[2])
        row.setdefault("province", articles[row["doc_id"]].get("province"))
        row.setdefault("sentence", "x")
        row.setdefault("char_start", 0)
        row.setdefault("char_end", 1)
        metrics.append(row)

    def spans(rows, **extra):
        out = []
        for given_row in rows:
            row = {**extra, "sentence": "x", "char_start": 0, "char_end": 1}
            row.update(given_row)
            out.append(row)
        return out

    corrections = []
    for seq, given_row in enumerate(given.get("corrections", []), start=1):
        row = {"file": "fix.csv", "line": seq + 1, "seq": seq, "why": "x", "who": "x", "content_key": f"k{seq}",
               "target_doc_id": given_row["doc_id"] if given_row["doc_id"] in articles else None, **given_row}
        label = (row.get("new_value") if row.get("column_name") == "period_label"
                 else row.get("period_label") if row["action"] == "add" else None)
        if label and (period := period_of_label(label)):
            row.update({k: row.get(k, v) for k, v in zip(("period_kind", "period_start", "period_end"), period)})
        if row["action"] == "add" and row["fact"] == "metric":
            row.setdefault("unit", units[row["metric"]])
        corrections.append(row)

    return {
        "articles": list(articles.values()),
        "corrections": corrections,
        "metrics": metrics,
        "people": spans(given.get("people", [])),
        "documents_cited": spans(given.get("documents_cited", []), kind="nghi_quyet", text="x"),
        "runs": list(given.get("runs", [])),
    }


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert dict rows with parameters; a column the table lacks is an error."""
    if not rows:
        return
    known = {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ?", [table]
    ).fetchall()}
    columns = sorted({c for row in rows for c in row})
    unknown = set(columns) - known
    assert not unknown, f"{table} has no column(s) {sorted(unknown)}"
    sql = (f"insert into {table} ({', '.join(columns)}) "
           f"values ({', '.join('?' for _ in columns)})")
    con.executemany(sql, [[row.get(c) for c in columns] for row in rows])


def load_given(con: duckdb.DuckDBPyConnection, given: dict) -> None:
    unknown = set(given) - set(TABLES)
    assert not unknown, f"given names unknown table(s) {sorted(unknown)}"
    for table, rows in fill_defaults(given).items():
        insert_rows(con, table, rows)


# --- comparing rows ------------------------------------------------------------------------

def normalise(value):
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def same(actual, expected) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9)
    return actual == expected


def rows_equal(actual: list[list], expected: list[list]) -> bool:
    return len(actual) == len(expected) and all(
        len(a) == len(e) and all(same(x, y) for x, y in zip(a, e))
        for a, e in zip(actual, expected)
    )


def show(columns, rows) -> str:
    return "\n".join(["  " + " | ".join(columns)] + ["  " + json.dumps(r, ensure_ascii=False) for r in rows])


# --- the cases -----------------------------------------------------------------------------

CASE_FILES = sorted(CASES_DIR.glob("*/*.json"))


def test_there_are_cases():
    assert len(CASE_FILES) >= 20


@pytest.fixture(scope="module")
def warehouse():
    """One in-memory warehouse with the schema applied; each case runs in a transaction that
    is rolled back, so cases never see each other's rows (and the schema is built once)."""
    con = duckdb.connect()
    apply_schema(con)
    yield con
    con.close()


@pytest.mark.parametrize(
    "case_file", CASE_FILES, ids=[f"{p.parent.name}/{p.stem}" for p in CASE_FILES]
)
def test_view_case(warehouse, case_file: Path):
    case = json.loads(case_file.read_text(encoding="utf-8"))
    assert set(case) == {"description", "given", "expect"}, f"{case_file}: keys"
    expect = case["expect"]
    assert expect["view"] == case_file.parent.name, "a case lives in the folder of its view"

    con = warehouse
    con.execute("begin transaction")
    try:
        load_given(con, case["given"])
        columns = expect["columns"]
        sql = f"select {', '.join(columns)} from {expect['view']}"
        if expect.get("order_by"):
            sql += f" order by {expect['order_by']}"
        actual = [[normalise(v) for v in row] for row in con.execute(sql).fetchall()]
    finally:
        con.execute("rollback")

    expected = expect["rows"]
    assert rows_equal(actual, expected), (
        f"{case['description']}\n"
        f"expected:\n{show(columns, expected)}\nactual:\n{show(columns, actual)}"
    )


def test_every_view_has_a_case():
    views = {p.stem.split("_", 1)[1] for p in (Path(__file__).resolve().parents[2] / "sql" / "views").glob("*.sql")}
    with_cases = {p.parent.name for p in CASE_FILES}
    assert views <= with_cases, f"views without a case: {sorted(views - with_cases)}"


@pytest.mark.parametrize("label, expected", [
    ("2014", ("Y", "2014-01-01", "2014-12-31")),
    ("2019-H2", ("H2", "2019-07-01", "2019-12-31")),
    ("2020-Q4", ("Q4", "2020-10-01", "2020-12-31")),
    ("2020-Q1", ("Q1", "2020-01-01", "2020-03-31")),
    ("2020-2M", ("nM", "2020-01-01", "2020-02-29")),
    ("2013-12M", ("nM", "2013-01-01", "2013-12-31")),
    ("2005-2010", ("range", "2005-01-01", "2010-12-31")),
    ("2019-06-26", ("asof", "2019-06-26", "2019-06-26")),
    ("2019-02-30", None),
    ("2019-13M", None),
    ("2020-2015", None),
    ("2019-H3", None),
])
def test_fixture_period_oracle(label, expected):
    assert period_of_label(label) == expected


def test_realistic_fixture_passes_the_data_checks(warehouse):
    """The multi-province fixture is a warehouse the publish gate would let through."""
    from flows.checks import run_checks

    case_file = CASES_DIR / "metric_period_over_period" / "multi_province_multi_year.json"
    case = json.loads(case_file.read_text(encoding="utf-8"))
    warehouse.execute("begin transaction")
    try:
        load_given(warehouse, case["given"])
        failures = run_checks(warehouse)
    finally:
        warehouse.execute("rollback")
    assert failures == [], "\n".join(str(f) for f in failures)
