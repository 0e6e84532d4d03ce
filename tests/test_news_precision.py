"""Precision of canonical metrics on ../shared/corpus/news (about 20,000 real news articles of
every topic): every canonical metric the extractor keeps there has been read by hand, with a
verdict, in bench/news_metrics_reviewed.tsv, and at least 90% of them are right.

The check runs on the warehouse of the whole corpus that
tests/test_pipeline.py::test_every_corpus_file_loads_without_failing_the_run builds (slow), so the
news is extracted once. After a rule change adds a row, list it: `uv run --frozen python -m
bench.news_metrics --out /tmp/news.tsv`, read the new rows' sentences and add each with its verdict
and why."""
from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

REVIEWED = Path(__file__).resolve().parent.parent / "bench" / "news_metrics_reviewed.tsv"
KEY = ["id", "metric", "value"]


def reviewed() -> pl.DataFrame:
    return pl.read_csv(REVIEWED, separator="\t").with_columns(pl.col("value").round(6))


def feed_ids(news: Path) -> dict[str, str]:
    """'news/<feed>#<line>' (a source_path of the corpus warehouse) -> the article's id."""
    out = {}
    for feed in sorted(news.glob("*.jsonl")):
        with feed.open(encoding="utf-8") as f:
            for n, line in enumerate(f, start=1):
                if line.strip():
                    out[f"news/{feed.name}#{n}"] = json.loads(line)["id"]
    return out


def check_news_precision(kept: pl.DataFrame) -> None:
    """kept: id, metric, value of every canonical metric kept from the news corpus."""
    kept = kept.with_columns(pl.col("value").round(6))
    rev = reviewed()
    unreviewed = kept.join(rev, on=KEY, how="anti")
    assert unreviewed.height == 0, f"canonical metrics nobody has read: {unreviewed.rows()}"
    judged = kept.join(rev.select(KEY + ["verdict"]), on=KEY, how="left")
    assert judged.height > 0
    right = judged.filter(pl.col("verdict") == "right").height / judged.height
    assert right >= 0.90, judged.filter(pl.col("verdict") == "wrong").rows()


def test_reviewed_file_is_well_formed():
    rev = reviewed()
    assert set(rev["verdict"].unique()) <= {"right", "wrong"}
    assert rev.filter(pl.col("why").is_null() | (pl.col("why").str.len_chars() < 10)).height == 0
    assert rev.unique().height == rev.height
    assert rev.filter(pl.col("verdict") == "right").height / rev.height >= 0.90


def test_the_check_fails_on_an_unreviewed_or_a_wrong_row():
    rev = reviewed()
    with pytest.raises(AssertionError, match="nobody has read"):
        check_news_precision(pl.DataFrame({"id": ["x"], "metric": ["grdp_growth_pct"], "value": [1.0]}))
    wrong = rev.filter(pl.col("verdict") == "wrong").select(KEY)
    with pytest.raises(AssertionError):
        check_news_precision(wrong)
    check_news_precision(rev.filter(pl.col("verdict") == "right").select(KEY))
