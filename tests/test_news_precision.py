"""Precision of canonical metrics on ../shared/corpus/news (about 20,000 real news articles of
every topic): every canonical metric the extractor keeps there has been read by hand, with a
verdict, in bench/news_metrics_reviewed.tsv, and at least 90% of them are right.

After a rule change adds a row, list it: `uv run --frozen python -m bench.news_metrics --out
/tmp/news.tsv`, read the new rows' sentences and add each with its verdict and why."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from bench.news_metrics import NEWS, canonical_metrics

from .conftest import need

REVIEWED = Path(__file__).resolve().parent.parent / "bench" / "news_metrics_reviewed.tsv"
KEY = ["id", "metric", "value"]


def test_reviewed_file_is_well_formed():
    rev = pl.read_csv(REVIEWED, separator="\t")
    assert set(rev["verdict"].unique()) <= {"right", "wrong"}
    assert rev.filter(pl.col("why").is_null() | (pl.col("why").str.len_chars() < 10)).height == 0
    assert rev.unique().height == rev.height


@pytest.mark.slow
def test_every_canonical_metric_kept_on_real_news_is_reviewed_and_90_percent_right():
    need(NEWS)
    kept = canonical_metrics(jobs=2).with_columns(pl.col("value").round(6))
    rev = pl.read_csv(REVIEWED, separator="\t").with_columns(pl.col("value").round(6))
    unreviewed = kept.join(rev, on=KEY, how="anti")
    assert unreviewed.height == 0, f"canonical metrics nobody has read: {unreviewed.select(KEY + ['sentence']).rows()}"
    judged = kept.join(rev.select(KEY + ["verdict"]), on=KEY, how="left")
    assert judged.height > 0
    right = judged.filter(pl.col("verdict") == "right").height / judged.height
    assert right >= 0.90, judged.filter(pl.col("verdict") == "wrong").rows()
