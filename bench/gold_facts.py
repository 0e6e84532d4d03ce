"""Every fact of the hand-checked gold sets (../shared/gold/*.json and tests/gold/*.json), one by one: is it found in a
warehouse built from the gold articles? tests/test_gold_facts.py asserts each one; the facts the
extractor misses today are listed in tests/fixtures/gold_known_misses.txt.

    uv run --frozen python -m bench.gold_facts            # print the gold facts not found
    uv run --frozen python -m bench.gold_facts --write    # rewrite the known-misses list (make gold-misses)

A fact is found as ../shared/tools/score_extraction.py finds it (its own comparisons are used:
names, titles and provinces normalised, numbers within 1e-6), one gold fact to one warehouse row:
- an article field (title, published_at, event_date, province, location, meeting_kind,
  period_label, byline) equal to the gold's, NULL included;
- a canonical metric with the same metric, value, period_label, scope kind and province;
- a quantity (a number the gold lists without a canonical name): a metrics row of that value;
- a person (by name), and each of their titles;
- a document cited (by code, else by kind and session).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import duckdb

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
# The shared sets by name; the project's own (tests/gold, labelled before the extractor's output was
# seen) by their path in the project.
SHARED_SETS = ("seeds.json", "corpus_dev.json")
GOLD_SETS = SHARED_SETS + tuple(p.relative_to(PROJECT).as_posix() for p in sorted((PROJECT / "tests" / "gold").glob("*.json")))


def gold_path(gold_set: str) -> Path:
    return PROJECT / gold_set if gold_set.startswith("tests/") else SHARED / "gold" / gold_set
KNOWN_MISSES = PROJECT / "tests" / "fixtures" / "gold_known_misses.txt"
FIELDS = ("title", "published_at", "event_date", "province", "location", "meeting_kind", "period_label", "byline")


def scorer():
    """../shared/tools/score_extraction.py as a module (its comparisons define "the same")."""
    path = SHARED / "tools" / "score_extraction.py"
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Fact:
    gold_set: str   # "seeds.json"
    file: str       # the article's file name
    what: str       # "metric party_members_admitted=2658 period=2014 ...": one line, unique in its article

    @property
    def id(self) -> str:
        return f"{self.gold_set}\t{self.file}\t{self.what}"


def _unique(whats: list[str]) -> list[str]:
    """The same fact twice in one article (two quantities of 3) gets '#2', '#3'."""
    seen: dict[str, int] = {}
    out = []
    for w in whats:
        seen[w] = seen.get(w, 0) + 1
        out.append(w if seen[w] == 1 else f"{w} #{seen[w]}")
    return out


def _items(entry: dict) -> list[tuple[str, str, Any]]:
    """(kind, description, gold item) of every fact of one gold article, in the gold's order."""
    items: list[tuple[str, str, Any]] = [("field", f"article.{f} = {entry['article'].get(f)!r}", f) for f in FIELDS]
    for m in entry.get("metrics", []):
        items.append(("metric", f"metric {m['metric']}={m['value']:g} period={m.get('period_label')} "
                      f"province={m.get('province')} scope={m.get('scope')}", m))
    for q in entry.get("quantities", []):
        items.append(("quantity", f"quantity {q['value']:g} {q.get('unit') or ''}".rstrip(), q))
    for p in entry.get("people", []):
        items.append(("person", f"person {p['name']}", p))
        items += [("title", f"person {p['name']} title {t}", (p["name"], t)) for t in p["titles"]]
    for d in entry.get("documents", []):
        items.append(("document", f"document {d['kind']} code={d.get('code')} session={d.get('session')} "
                      f"term={d.get('term')}", d))
    return items


def gold(gold_set: str) -> list[dict]:
    path = gold_path(gold_set)
    return json.loads(path.read_text(encoding="utf-8"))["articles"] if path.exists() else []


def facts(gold_set: str) -> list[Fact]:
    """Every fact of a gold set (none when ../shared is absent)."""
    out = []
    for entry in gold(gold_set):
        whats = _unique([what for _kind, what, _item in _items(entry)])
        out += [Fact(gold_set, entry["file"], w) for w in whats]
    return out


def _rows(con, sql: str, params: list) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _take(pool: list, same: Callable[[Any], bool]) -> bool:
    """Find and remove the first row of pool that is the same: one row answers one gold fact."""
    for i, row in enumerate(pool):
        if same(row):
            del pool[i]
            return True
    return False


def found(warehouse: Path, gold_set: str) -> dict[str, bool]:
    """Fact id -> found in the warehouse, for every fact of the gold set."""
    s = scorer()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        by_file = {}
        for a in _rows(con, "select * from articles", []):
            by_file.setdefault(PurePosixPath(str(a["source_path"]).replace("\\", "/")).name, a)
        result: dict[str, bool] = {}
        for entry in gold(gold_set):
            a = by_file.get(entry["file"])
            doc = a["doc_id"] if a else None
            canon = [m for m in _rows(con, "select * from metrics where doc_id = ? and metric is not null", [doc])]
            numbers = _rows(con, "select * from metrics where doc_id = ?", [doc])
            people = _rows(con, "select * from people where doc_id = ?", [doc])
            names = {s.norm(p["name"]) for p in people}
            titles = [(s.norm(p["name"]), s.norm(p["title"])) for p in people if p.get("title")]
            documents = _rows(con, "select * from documents_cited where doc_id = ?", [doc])
            items = _items(entry)
            whats = _unique([what for _kind, what, _item in items])
            for (kind, _what, g), what in zip(items, whats):
                fact = Fact(gold_set, entry["file"], what)
                if a is None:
                    ok = False
                elif kind == "field":
                    want, got = entry["article"].get(g), a.get(g)
                    ok = (s.as_day(want) == s.as_day(got) if g in ("event_date", "published_at")
                          else s.norm_province(want) == s.norm_province(got) if g == "province"
                          else s.norm(want) == s.norm(got))
                elif kind == "metric":
                    ok = _take(canon, lambda p: (
                        g["metric"] == p["metric"] and s.same_number(g["value"], p["value"])
                        and s.norm(g.get("period_label")) == s.norm(p.get("period_label"))
                        and s.scope_kind(g.get("scope")) == s.scope_kind(p.get("scope"))
                        and s.norm_province(g.get("province")) == s.norm_province(p.get("province"))))
                elif kind == "quantity":
                    ok = _take(numbers, lambda p: s.same_number(g["value"], p["value"]))
                elif kind == "person":
                    ok = s.norm(g["name"]) in names
                elif kind == "title":
                    ok = (s.norm(g[0]), s.norm(g[1])) in titles
                else:
                    ok = _take(documents, lambda p: (
                        s.norm(g["code"]) == s.norm(p.get("code")) if g.get("code")
                        else g["kind"] == p.get("kind") and s.norm(g.get("session")) == s.norm(p.get("session"))))
                result[fact.id] = ok
        return result
    finally:
        con.close()


def build(gold_set: str, workdir: Path) -> Path:
    """A warehouse of exactly the gold set's articles (bench/score_dev.py's)."""
    from bench.score_dev import build as build_warehouse
    return build_warehouse(gold_path(gold_set), workdir)


def misses() -> list[str]:
    """The ids of every gold fact a fresh warehouse of its gold set does not find."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for gold_set in GOLD_SETS:
            result = found(build(gold_set, Path(tmp) / gold_set.replace("/", "_")), gold_set)
            out += [fact for fact, ok in result.items() if not ok]
    return out


def read_known_misses(path: Path = KNOWN_MISSES) -> set[str]:
    if not path.exists():
        return set()
    return {line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}


HEADER = """\
# Gold facts the extractor does not find today (tests/test_gold_facts.py marks each xfail: the test
# fails when a fact found before is lost, and reports XPASS when one of these is found).
# One fact a line: gold set, article file, fact (tab-separated), as bench/gold_facts.py names them.
# Written by `make gold-misses` (uv run --frozen python -m bench.gold_facts --write): rerun it after a
# change to extraction, and read the diff: a line added is a fact lost.
"""


def write_known_misses(ids: list[str], path: Path = KNOWN_MISSES) -> None:
    lines, last = [HEADER.rstrip("\n")], None
    for fact in ids:
        gold_set, file, _ = fact.split("\t", 2)
        if (gold_set, file) != last:
            lines.append(f"# {gold_set} {file}")
            last = (gold_set, file)
        lines.append(fact)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"rewrite {KNOWN_MISSES.relative_to(PROJECT)}")
    args = ap.parse_args(argv)
    ids = misses()
    n = sum(len(facts(g)) for g in GOLD_SETS)
    if args.write:
        before = read_known_misses()
        write_known_misses(ids)
        print(f"{KNOWN_MISSES.relative_to(PROJECT)}: {len(ids)} of {n} gold facts missed "
              f"({len(set(ids) - before)} newly missed, {len(before - set(ids))} now found)")
    else:
        print("\n".join(ids))
        print(f"{len(ids)} of {n} gold facts missed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
