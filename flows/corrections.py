"""The analysts' corrections: CSV files in the corrections folder, read and checked by every run
(docs/corrections.md).

- `read_corrections(folder)`: every `*.csv` below the folder (hidden files skipped), in name
  order, as one Polars frame of checked rows. A file that cannot be read as the format (not
  UTF-8, a bad quote, a row of the wrong width, an unknown header) or a row that says something
  impossible (an unknown action, column or metric, a value that is not one) raises
  `CorrectionsError`, naming the file, the line and the problem. No folder: no corrections.
- `apply_corrections(con, frame)`: after the run has loaded its batches, fails on a doc_id no
  article of the warehouse has (unless the same correction was accepted by an earlier run: its
  article may have changed since, which makes it orphaned, not wrong), then replaces the
  `corrections` table with the frame. Returns what the views make of it: applied and orphaned.
- `review_rows(con)`: the facts worth a look, as rows of the corrections format (sql/review/).

The tables keep what was extracted; the public views apply the corrections
(sql/macros/070_corrections.sql).
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from . import schema
from .datafiles import read_tsv
from .warehouse import execute, scalar, transaction

REQUIRED = ("action", "fact", "doc_id", "why", "who")
COLUMNS = ("action", "fact", "doc_id", "metric", "value", "period_label", "scope", "name", "title",
           "column", "new_value", "why", "who", "context")  # context: a note for the reader, not read
ACTIONS = ("reject", "set", "add")
FACTS = ("metric", "person", "article")
KEYS = {"metric": ("metric", "value", "period_label", "scope"), "person": ("name", "title"), "article": ()}
QUALIFIERS = ("over", "nearly", "about", "under", "estimate")
MEETING_KINDS = ("so_ket", "tong_ket", "giao_ban", "dai_hoi", "hoi_nghi")

# The columns a `set` may change, per fact, and the kind of value each takes ("!" = not empty).
SETTABLE = {
    "metric": {"metric": "metric", "value": "number!", "unit": "text!", "qualifier": "qualifier",
               "pct_of_plan": "number", "denominator": "number", "period_label": "period",
               "province": "province", "scope": "text"},
    "person": {"name": "text!", "title": "text", "province": "province"},
    "article": {"title": "text", "outlet": "text", "url": "text", "published_at": "timestamp",
                "event_date": "date", "province": "province", "location": "text",
                "meeting_kind": "meeting_kind", "period_label": "period", "byline": "text",
                "on_topic": "boolean!"},
}

FRAME_SCHEMA = {
    "file": pl.String, "line": pl.Int32, "seq": pl.Int32, "action": pl.String, "fact": pl.String,
    "doc_id": pl.String, "metric": pl.String, "value": pl.Float64, "period_label": pl.String,
    "scope": pl.String, "name": pl.String, "title": pl.String, "column_name": pl.String,
    "new_value": pl.String, "why": pl.String, "who": pl.String, "period_kind": pl.String,
    "period_start": pl.Date, "period_end": pl.Date, "unit": pl.String, "content_key": pl.String,
}  # and source_path, target_doc_id: where the article is, set in the warehouse (sql/corrections/replace.sql)

_DOC_ID = re.compile(r"[0-9a-f]{64}")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


class CorrectionsError(ValueError):
    """A corrections file cannot be applied: nothing is published. The message names each file,
    line and problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("the corrections cannot be applied; nothing was published:\n"
                         + "\n".join(f"  {p}" for p in self.problems))


@dataclass(frozen=True)
class Outcome:
    """What the public views make of the corrections after a run."""
    applied: int = 0
    orphaned: tuple[str, ...] = ()  # "file:line" of each correction whose fact no longer exists

    @property
    def text(self) -> str:
        return ", ".join(self.orphaned)


# --- knowledge -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def vocabulary_units() -> dict[str, str]:
    return {r["metric"]: r["unit"] for r in read_tsv("metrics_vocabulary.tsv")}


@lru_cache(maxsize=1)
def provinces() -> frozenset[str]:
    """The provinces a fact may name: the 63 of 2008-2025 and those of an article's own time."""
    return frozenset(r["province"] for r in read_tsv("places_merger_2025.tsv"))


def period_of_label(label: str) -> tuple[str, dt.date, dt.date] | None:
    """(period_kind, period_start, period_end) of a FACTS.md period label, or None."""
    if re.fullmatch(r"\d{4}", label):
        y = int(label)
        return "Y", dt.date(y, 1, 1), dt.date(y, 12, 31)
    if m := re.fullmatch(r"(\d{4})-H([12])", label):
        y, h = int(m[1]), int(m[2])
        return f"H{h}", dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", label):
        y, q = int(m[1]), int(m[2])
        return f"Q{q}", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})M", label)) and 1 <= int(m[2]) <= 12:
        return "nM", dt.date(int(m[1]), 1, 1), _month_end(int(m[1]), int(m[2]))
    if (m := re.fullmatch(r"(\d{4})-(\d{4})", label)) and m[1] < m[2]:
        return "range", dt.date(int(m[1]), 1, 1), dt.date(int(m[2]), 12, 31)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", label):
        try:
            day = dt.date.fromisoformat(label)
        except ValueError:
            return None
        return "asof", day, day
    return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


# --- reading the files ---------------------------------------------------------------------------

def correction_files(folder: Path) -> list[Path]:
    """The CSV files below the folder, in name order (hidden files and folders skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.rglob("*.csv")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)),
                  key=lambda p: p.relative_to(folder).as_posix())


def read_corrections(folder: Path) -> pl.DataFrame:
    """Every correction of the folder's CSV files, checked (see the module docstring). Raises
    CorrectionsError naming every problem found."""
    folder = Path(folder)
    rows: list[dict] = []
    problems: list[str] = []
    for path in correction_files(folder):
        rel = path.relative_to(folder).as_posix()
        for line, cells, problem in _records(path):
            if problem:
                problems.append(f"{path}:{line}: {problem}")
                continue
            try:
                row = check_row(cells)
            except ValueError as exc:
                problems.append(f"{path}:{line}: {exc}")
                continue
            if row is not None:
                rows.append(row | {"file": rel, "line": line, "seq": len(rows) + 1})
    if problems:
        raise CorrectionsError(problems)
    return pl.DataFrame(rows, schema=FRAME_SCHEMA)


def _records(path: Path):
    """(line, {column: cell}, problem) of each record of a corrections CSV file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield 1, {}, f"cannot be read: {exc.strerror or exc}"
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield (data[:exc.start].count(b"\n") + 1, {},
               f"not UTF-8 (byte {exc.start} cannot be read): save the file as UTF-8")
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield 1, {}, f"malformed CSV: {exc}"
        return
    if not header or not any(h.strip() for h in header):
        yield 1, {}, f"no header row: the first line names the columns ({', '.join(REQUIRED)}, ...)"
        return
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [h for h in REQUIRED if h not in header]
    doubled = sorted({h for h in header if header.count(h) > 1})
    if unknown or missing or doubled:
        said = ([f"unknown column(s) {', '.join(map(repr, unknown))}"] if unknown else []) + \
               ([f"missing column(s) {', '.join(missing)}"] if missing else []) + \
               ([f"column(s) named twice: {', '.join(doubled)}"] if doubled else [])
        yield 1, {}, "header: " + "; ".join(said) + f" (the columns are {', '.join(COLUMNS)})"
        return
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, {}, f"malformed CSV: {exc}"
            return
        if any(c.strip() for c in cells):
            if len(cells) != len(header):
                yield line, {}, f"{len(cells)} cells, but the header names {len(header)} columns"
            else:
                yield line, dict(zip(header, cells)), None
        line = reader.line_num + 1


def _text(value: str | None) -> str | None:
    """A cell as the warehouse writes text (NFC, no outer white space); empty -> None."""
    if value is None:
        return None
    value = unicodedata.normalize("NFC", value).strip()
    return value or None


def check_row(cells: dict[str, str]) -> dict | None:
    """One record -> a row of the corrections table (without file, line, seq), or None for a row
    without an action (a review row not marked). Raises ValueError saying what is wrong."""
    c = {k: _text(cells.get(k)) for k in COLUMNS}
    action, fact, doc_id = c["action"], c["fact"], c["doc_id"]
    if action is None:
        return None
    action = action.lower()
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: reject, set or add")
    fact = (fact or "").lower()
    if fact not in FACTS:
        raise ValueError(f"fact {c['fact']!r}: it must be metric, person or article")
    if doc_id is None or not _DOC_ID.fullmatch(doc_id.lower()):
        raise ValueError(f"doc_id {doc_id!r} is not an article id (64 hex digits, as in articles.doc_id)")
    doc_id = doc_id.lower()
    for k in ("why", "who"):
        if c[k] is None:
            raise ValueError(f"{k} is empty: say {'why the fact is wrong' if k == 'why' else 'who decided'}")
    for k in sorted({k for ks in KEYS.values() for k in ks} - set(KEYS[fact])):
        if c[k] is not None:
            raise ValueError(f"{k} {c[k]!r} does not name a {fact} (leave it empty)")
    row = {k: None for k in FRAME_SCHEMA} | {"action": action, "fact": fact, "doc_id": doc_id,
                                             "why": c["why"], "who": c["who"]}
    if fact == "metric":
        metric = c["metric"]
        if metric is not None and metric not in vocabulary_units():
            raise ValueError(f"metric {metric!r} is not in the vocabulary ({', '.join(vocabulary_units())})")
        if c["value"] is None:
            raise ValueError("value is empty: a metric is named by its metric, value, period_label and scope")
        period = _period(c["period_label"], "period_label")
        row |= {"metric": metric, "value": _number(c["value"], "value"), "period_label": c["period_label"],
                "scope": c["scope"]}
        if action == "add":
            if metric is None:
                raise ValueError("add: metric is empty (an added fact is a canonical metric)")
            row |= {"unit": vocabulary_units()[metric]} | dict(zip(("period_kind", "period_start", "period_end"),
                                                                    period or (None, None, None)))
    elif fact == "person":
        if c["name"] is None:
            raise ValueError("name is empty: a person is named by name (and title)")
        row |= {"name": c["name"], "title": c["title"]}
    elif action == "add":
        raise ValueError("add takes fact metric or person: an article is added by putting its file in the raw folder")
    if action == "set":
        column = (c["column"] or "").lower()
        allowed = SETTABLE[fact]
        if column not in allowed:
            raise ValueError(f"set: column {c['column']!r} cannot be set on a {fact} "
                             f"(one of {', '.join(allowed)})")
        row |= {"column_name": column} | _new_value(column, allowed[column], c["new_value"])
    else:
        for k in ("column", "new_value"):
            if c[k] is not None:
                raise ValueError(f"{action}: {k} is for set only (leave it empty)")
    row["content_key"] = hashlib.sha256(json.dumps(
        [row[k] for k in ("action", "fact", "doc_id", "metric", "value", "period_label", "scope", "name",
                          "title", "column_name", "new_value")], default=str).encode()).hexdigest()
    return row


def _number(text: str, what: str) -> float:
    t = text.replace(" ", "")
    if not _NUMBER.fullmatch(t) or not math.isfinite(float(t)):
        raise ValueError(f"{what} {text!r} is not a number (digits, a dot before the decimals: 2658, 7.09)")
    return float(t)


def _period(label: str | None, what: str) -> tuple[str, dt.date, dt.date] | None:
    if label is None:
        return None
    period = period_of_label(label)
    if period is None:
        raise ValueError(f"{what} {label!r} is not a period label (2019, 2019-H1, 2020-Q3, 2020-9M, "
                         "2015-2020, 2019-06-26)")
    return period


def _new_value(column: str, kind: str, text: str | None) -> dict:
    """The new value of a set, checked and written as DuckDB reads it back (and for a period
    label, its kind and days)."""
    what = f"set {column}: new_value"
    if text is None:
        if kind.endswith("!"):
            raise ValueError(f"{what} is empty, but {column} cannot be empty")
        return {"new_value": None}
    kind = kind.rstrip("!")
    if kind == "number":
        return {"new_value": repr(_number(text, what))}
    if kind == "metric" and text not in vocabulary_units():
        raise ValueError(f"{what} {text!r} is not in the metric vocabulary ({', '.join(vocabulary_units())})")
    if kind == "qualifier" and text not in QUALIFIERS:
        raise ValueError(f"{what} {text!r} is not a qualifier ({', '.join(QUALIFIERS)}, or empty for exact)")
    if kind == "meeting_kind" and text not in MEETING_KINDS:
        raise ValueError(f"{what} {text!r} is not a meeting kind ({', '.join(MEETING_KINDS)}, or empty)")
    if kind == "province" and text not in provinces():
        raise ValueError(f"{what} {text!r} is not a province name as the warehouse writes it "
                         "(\"Nghệ An\", \"Hồ Chí Minh\", \"Thừa Thiên Huế\")")
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            raise ValueError(f"{what} {text!r} is not true or false")
        return {"new_value": text.lower()}
    if kind in ("date", "timestamp"):
        try:
            when = dt.date.fromisoformat(text) if kind == "date" else dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{what} {text!r} is not a {'day (2019-06-26)' if kind == 'date' else 'time (2019-06-26 08:30)'}") from None
        return {"new_value": when.isoformat(sep=" ") if kind == "timestamp" else when.isoformat()}
    if kind == "period":
        kind_, start, end = _period(text, what)
        return {"new_value": text, "period_kind": kind_, "period_start": start, "period_end": end}
    return {"new_value": text}


# --- in the warehouse ----------------------------------------------------------------------------

def apply_corrections(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, folder: Path | None = None) -> Outcome:
    """Check the corrections' doc_ids against the loaded warehouse, then make `frame` the
    corrections table (one transaction). Raises CorrectionsError on a doc_id no article has that
    no earlier run accepted. Returns the outcome (applied, orphaned)."""
    if frame.is_empty() and not scalar(con, schema.statement("corrections/count")):
        return Outcome(applied=0, orphaned=())  # none read, none kept: nothing to replace or match
    con.register("new_corrections", frame.to_arrow())
    try:
        unknown = con.execute(schema.statement("corrections/unknown_doc_ids")).fetchall()
        if unknown:
            where = (lambda f: f"{Path(folder) / f}") if folder else (lambda f: f)
            raise CorrectionsError([f"{where(f)}:{line}: unknown doc_id {doc_id}: no article of the warehouse has it "
                                    "(copy it from articles.doc_id)" for f, line, doc_id in unknown])
        with transaction(con):
            execute(con, schema.statement("corrections/replace"))
    finally:
        con.unregister("new_corrections")
    return outcome(con)


def outcome(con: duckdb.DuckDBPyConnection) -> Outcome:
    rows = con.execute(schema.statement("corrections/outcome")).fetchall()
    applied = sum(1 for _, status in rows if status == "applied")
    return Outcome(applied=applied, orphaned=tuple(where for where, status in rows if status == "orphaned"))


# --- the review list -----------------------------------------------------------------------------

def review_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, str]]:
    """The facts most worth a look (sql/review/candidates.sql), as rows of the corrections format
    with an empty action: the analyst fills in action (and column, new_value), who."""
    result = con.execute(schema.statement("review/candidates"))
    names = [d[0] for d in result.description]
    out = []
    for values in result.fetchall():
        r = dict(zip(names, values))
        out.append({k: "" for k in COLUMNS} | {
            "fact": "metric", "doc_id": r["doc_id"], "metric": r["metric"], "value": format_number(r["value"]),
            "period_label": r["period_label"] or "", "scope": r["scope"] or "", "why": r["why"],
            "context": r["context"] or ""})
    return out


def format_number(value: float) -> str:
    """3700.0 -> '3700', 7.09 -> '7.09': as a corrections file writes a value."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def write_review(warehouse: Path, out: Path) -> int:
    """Write the review list of the published warehouse to `out` (a CSV in the corrections
    format, replaced whole); returns the number of rows."""
    warehouse, out = Path(warehouse), Path(out)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `python -m flows run` first, "
                                "or pass --warehouse FILE")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = review_rows(con)
    except duckdb.CatalogException as exc:
        raise ValueError(f"{warehouse} lacks a table or view the review reads ({exc}); it was built by an "
                         "older version: run `python -m flows run` once to update it") from exc
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(out)
    return len(rows)
