"""Canonical metrics the extractor keeps from ../shared/corpus/news (about 20,000 real news
articles of every topic): the precision check of the generalisation issue.

    uv run --frozen python -m bench.news_metrics [--out FILE] [--jobs 2]
    uv run --frozen python -m bench.news_metrics --coverage   # how often each precision rule fires there

Writes one row per canonical metric (article id, metric, value, period, province, scope,
sentence) as TSV. bench/news_metrics_reviewed.tsv holds the same rows with a verdict each, read
by hand; tests/test_news_precision.py checks that every canonical metric the extractor keeps
on the news corpus is listed there, and that the share judged right stays >= 0.90.
"""
from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import polars as pl

PROJECT = Path(__file__).resolve().parent.parent
NEWS = PROJECT.parent / "shared" / "corpus" / "news"
COLUMNS = ["id", "metric", "value", "unit", "period_label", "province", "scope", "on_topic", "sentence"]


def _records() -> list[tuple[str, str]]:
    out = []
    for path in sorted(NEWS.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    out.append((r["id"], r["text"]))
    return out


def _extract(chunk: list[tuple[str, str]]) -> list[dict]:
    from flows.extract.facts import extract_article
    rows = []
    for rid, text in chunk:
        article, metrics, _people, _docs = extract_article(rid, rid, text)
        for m in metrics:
            if m[2] is None:
                continue
            rows.append({"id": rid, "metric": m[2], "value": m[3], "unit": m[4], "period_label": m[11],
                         "province": m[12], "scope": m[13], "on_topic": article[12],
                         "sentence": " ".join(m[14].split())[:400]})
    return rows


def _coverage(chunk: list[tuple[str, str]]) -> dict[str, int]:
    """Per article: which rows of metrics_not_canonical.tsv (and the off-topic gates) kept a
    candidate a quantity, and which places of places_foreign.tsv and words of metrics_subjects.tsv
    it names."""
    import re
    from collections import Counter

    from flows.datafiles import read_tsv
    from flows.extract.metrics import classify
    from flows.extract.topic import on_topic
    from flows.text.clean import clean_article
    from flows.text.places import foreign_places
    from flows.text.sentences import sentences

    subjects = [(r["word"], re.compile(r"(?<!\w)" + re.escape(r["word"]) + r"(?!\w)", re.IGNORECASE))
                for r in read_tsv("metrics_subjects.tsv")]
    counts: Counter = Counter()
    for _rid, text in chunk:
        body = clean_article(text).body
        topical = on_topic(body)
        fired = {f"blocked:{h.blocked_by}" for s, _, _ in sentences(body) for h in classify(s, topical) if h.blocked_by}
        fired |= {f"foreign:{m.group(0)}" for m in foreign_places(body)}
        fired |= {f"subject:{w}" for w, rx in subjects if rx.search(body)}
        counts.update(fired)
    return dict(counts)


def coverage(jobs: int = 2) -> dict[str, int]:
    """Articles of the news corpus in which each rule fires (see _coverage)."""
    from collections import Counter

    recs = _records()
    size = max(1, len(recs) // (jobs * 8))
    chunks = [recs[i:i + size] for i in range(0, len(recs), size)]
    total: Counter = Counter()
    with ProcessPoolExecutor(jobs) as ex:
        for part in ex.map(_coverage, chunks):
            total.update(part)
    return dict(total)


def canonical_metrics(jobs: int = 1, limit: int | None = None) -> pl.DataFrame:
    recs = _records()[:limit]
    if jobs <= 1:
        rows = _extract(recs)
    else:
        size = max(1, len(recs) // (jobs * 8))
        chunks = [recs[i:i + size] for i in range(0, len(recs), size)]
        with ProcessPoolExecutor(jobs) as ex:
            rows = [r for part in ex.map(_extract, chunks) for r in part]
    return pl.DataFrame(rows, schema={c: (pl.Float64 if c == "value" else pl.Boolean if c == "on_topic" else pl.String)
                                      for c in COLUMNS}, orient="row")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="/tmp/news_metrics.tsv")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--coverage", action="store_true", help="count the articles each precision rule fires in")
    args = ap.parse_args(argv)
    if args.coverage:
        for key, n in sorted(coverage(args.jobs).items(), key=lambda kv: (kv[0].split(":")[0], -kv[1])):
            print(f"{n:6d}  {key}")
        return 0
    df = canonical_metrics(args.jobs, args.limit)
    df.write_csv(args.out, separator="\t")
    print(f"{df.height} canonical metrics from {NEWS} -> {args.out}")
    print(df.group_by("metric").len().sort("len", descending=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
