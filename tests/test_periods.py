"""Reporting periods (flows/text/periods.py)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path


import pytest

from .conftest import gold_articles
from hypothesis import given, settings, strategies as st

from flows.text.numbers import read_tsv
from flows.text.periods import Period, article_period, find_periods, resolve

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _label(text: str, default_year=None, ev=None) -> str | None:
    ms = find_periods(text)
    if not ms:
        return None
    p = resolve(ms[0], default_year, ev)
    return p.label if p else "?"


@pytest.mark.parametrize("row", read_tsv("periods_patterns.tsv"), ids=lambda r: r["name"])
def test_pattern_rows(row):
    assert _label(row["example"]) == row["expected"]


@pytest.mark.parametrize("row", [r for r in read_tsv("periods_review.tsv") if r["expected"] != "-"],
                         ids=lambda r: r["phrase"])
def test_review_rows(row):
    p = article_period(None, row["example"], None, None)
    assert p is not None and p.label == row["expected"]


@pytest.mark.parametrize("row", [r for r in read_tsv("periods_review.tsv") if r["role"] == "plan"],
                         ids=lambda r: r["phrase"])
def test_plan_rows(row):
    """A period after a plan word (a target, a strategy's horizon) is never the one a review reviews, even
    after "sơ kết" or "tổng kết"."""
    text = row["example"] if any(w in row["example"] for w in ("sơ kết", "tổng kết")) else "sơ kết " + row["example"]
    assert article_period(None, text, None, None) is None


REAL = [
    ("6 tháng đầu năm 2019, trên cơ sở bám sát các chủ trương", None, "2019-H1"),
    ("triển khai nhiệm vụ 6 tháng cuối năm 2019.", None, "2019-H2"),
    ("6 tháng cuối năm (2019)", None, "2019-H2"),
    ("sơ kết công tác thi đua 6 tháng đầu năm, triển khai", 2019, "2019-H1"),
    ("quý I/2020", None, "2020-Q1"),
    ("quý III năm 2020", None, "2020-Q3"),
    ("báo cáo 3 tháng đầu năm", 2021, "2021-Q1"),
    ("kết quả 9 tháng đầu năm 2020", None, "2020-9M"),
    ("9 tháng đầu năm", 2020, "2020-9M"),
    ("sáu tháng đầu năm 2018", None, "2018-H1"),
    ("Năm 2014, toàn đảng bộ tỉnh đã kết nạp", None, "2014"),
    ("tổng kết công tác tổ chức xây dựng Đảng năm 2014, triển khai", None, "2014"),
    ("Tính đến hết tháng 5 năm 2013, toàn cụm", None, "2013-5M"),
    ("tính đến cuối quý I/2005, Đảng bộ", None, "2005-Q1"),
    ("Đại hội Đảng bộ tỉnh lần thứ XI, nhiệm kỳ 2020 - 2025", None, "2020-2025"),
    ("nhiệm kỳ 2020-2025", None, "2020-2025"),
    ("5 năm (2000-2004)", None, "2000-2004"),
    ("giai đoạn 2016-2020", None, "2016-2020"),
    ("Ban Chấp hành khóa 21 (2010 - 2015)", None, "2010-2015"),
    ("Tính đến ngày 25/6/2020, toàn tỉnh có", None, "2020-06-25"),
    ("Đến hết năm 2017, toàn Đảng có gần 5 triệu đảng viên", None, "2017-12-31"),
    ("Trong năm 2004, đã kết nạp được 121 đảng viên", None, "2004"),
    ("năm 2018 toàn Đảng bộ TP đã kết nạp được hơn 9.160 đảng viên mới", None, "2018"),
    ("nửa đầu năm 2020", None, "2020-H1"),
    ("từ năm 2016 đến năm 2020", None, "2016-2020"),
    ("ba năm (2016 - 2018)", None, "2016-2018"),
    ("tổ chức Lễ kỷ niệm 90 năm Ngày thành lập", None, None),
    ("Đại hội Đại biểu toàn quốc lần thứ XIII của Đảng", None, None),
    ("quý I", None, "?"),
    ("6 tháng đầu năm học 2019", None, None),
]


@pytest.mark.parametrize("text, default_year, label", REAL, ids=[r[0][:30] for r in REAL])
def test_find_and_resolve(text, default_year, label):
    assert _label(text, default_year) == label


def test_asof_roles():
    ev = date(2019, 6, 26)
    (m,) = find_periods("Đảng bộ Nghệ An hiện có 28 đảng bộ trực thuộc")
    assert m.kind == "asof" and resolve(m, 2019, ev) == Period("asof", "2019-06-26", ev, ev)
    assert resolve(m, 2019, None) is None
    (t,) = [x for x in find_periods("nâng tổng số đảng viên mới trong toàn tỉnh lên 54.968") if x.role == "asof_total"]
    assert resolve(t, 2014, None).label == "2014-12-31"
    assert resolve(t, None, None) is None


def test_no_year_no_period():
    (m,) = find_periods("6 tháng đầu năm")
    assert resolve(m, None, None) is None


def test_period_bounds():
    p = resolve(find_periods("quý II/2020")[0], None, None)
    assert (p.start, p.end) == (date(2020, 4, 1), date(2020, 6, 30))
    p = resolve(find_periods("9 tháng đầu năm 2020")[0], None, None)
    assert (p.kind, p.start, p.end) == ("nM", date(2020, 1, 1), date(2020, 9, 30))
    p = resolve(find_periods("6 tháng cuối năm 2019")[0], None, None)
    assert (p.kind, p.start, p.end) == ("H2", date(2019, 7, 1), date(2019, 12, 31))


ARTICLE = [
    ("Sáng 2-8, Ban Thường vụ tổ chức Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm, "
     "triển khai nhiệm vụ 6 tháng cuối năm 2019.", date(2019, 8, 2), "2019-H1"),
    ("LSO-Ngày 10/2/2015, Ban Tổ chức Tỉnh ủy tổ chức hội nghị tổng kết công tác tổ chức xây dựng Đảng "
     "năm 2014, triển khai nhiệm vụ năm 2015.", date(2015, 2, 10), "2014"),
    ("Giao ban công tác tổ chức xây dựng đảng Cụm 1\nSáng 6/6, tại Nghi Lộc.\n6 tháng đầu năm, Ban tổ chức "
     "các huyện đã tham mưu.", date(2013, 6, 6), "2013-H1"),
    ("Đó là nội dung cuộc tọa đàm ngày 9-6. Trong năm 2004, đã kết nạp được 121 đảng viên.", date(2005, 6, 9), None),
    ("Ban Tổ chức triển khai nhiệm vụ công tác năm 2015.", date(2015, 2, 10), None),
]


@pytest.mark.parametrize("body, ev, label", ARTICLE, ids=[r[2] or "none" for r in ARTICLE])
def test_article_period(body, ev, label):
    p = article_period(None, body, ev, None)
    assert (p.label if p else None) == label




@pytest.mark.parametrize("path, art", gold_articles(), ids=lambda x: x.name if isinstance(x, Path) else "")
def test_article_period_gold(path, art):
    if not path.exists():
        pytest.skip("shared data absent")
    from flows.text.clean import clean_article
    from flows.text.dates import event_date
    c = clean_article(path.read_text(encoding="utf-8"))
    ev = event_date(c.body, c.title, c.published_at)
    p = article_period(c.title, c.body, ev, c.published_at)
    assert (p.label if p else None) == art["period_label"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1990, max_value=2030), st.sampled_from(
    [("6 tháng đầu năm {y}", "{y}-H1"), ("6 tháng cuối năm {y}", "{y}-H2"), ("quý II/{y}", "{y}-Q2"),
     ("9 tháng đầu năm {y}", "{y}-9M"), ("năm {y}", "{y}"), ("nhiệm kỳ {y} - {y2}", "{y}-{y2}")]))
def test_generated_labels(y, shape):
    text, label = shape
    s = "Kết quả " + text.format(y=y, y2=y + 5) + ", toàn tỉnh đã kết nạp 200 đảng viên."
    assert _label(s) == label.format(y=y, y2=y + 5)
