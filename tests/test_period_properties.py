"""Properties of the reporting periods (flows/text/periods.py), by behaviour only (text in, period
out), so they hold through a rewrite of the extractor (issue 17):

- every period the extractor's grammar (flows/data/periods_patterns.tsv) can produce, from any
  text its patterns match, passes data check 022 (sql/checks/022_period_label_consistent.sql):
  a label the check refuses would stop a whole run from publishing;
- each period kind and label shape, written in Vietnamese with any year, gives the label and the
  first and last day a test computes on its own (calendar arithmetic, not the module's).
"""
from __future__ import annotations

import calendar
import string
from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import assume, example, given, settings, strategies as st

from flows.checks import CHECKS_DIR, prepare_checks
from flows.ingest import vietnamese_letters
from flows.schema import apply_schema
from flows.text.numbers import read_tsv
from flows.text.periods import Period, article_period, find_periods, resolve

CHECK_022 = (CHECKS_DIR / "022_period_label_consistent.sql").read_text(encoding="utf-8")
_CON = None


def check_022(periods: list[Period]) -> list[tuple]:
    """The rows check 022 reports for these periods, as the periods of facts of one article."""
    global _CON
    if not periods:
        return []
    if _CON is None:
        _CON = duckdb.connect()
        apply_schema(_CON)
        prepare_checks(_CON)  # the checks read views of every row (flows/checks.py)
    con = _CON
    con.execute("begin transaction")
    try:
        con.executemany(
            "insert into metrics (doc_id, fact_no, value, unit, sentence, char_start, char_end, period_kind,"
            " period_label, period_start, period_end) values ('d', ?, 1, 'person', 's', 0, 1, ?, ?, ?, ?)",
            [[i, p.kind, p.label, p.start, p.end] for i, p in enumerate(periods)])
        return con.execute(CHECK_022).fetchall()
    finally:
        con.execute("rollback")


def periods_of(text: str, default_year: int | None = None, event: date | None = None) -> list[Period]:
    return [p for p in (resolve(m, default_year, event) for m in find_periods(text)) if p is not None]


# --- every label the grammar can produce passes check 022 ---------------------------------------

_ROWS = read_tsv("periods_patterns.tsv")
# Text the patterns match, in the characters of news text (\d and \s stay ASCII, as in articles).
_ALPHABET = st.sampled_from(sorted(set(string.ascii_letters + string.digits + " \n/-–().,")
                                   | vietnamese_letters()))
_PLACEHOLDERS = {
    "{Y}": r"(?:19|20)\d\d", "{Y1}": r"(?:19|20)\d\d", "{Y2}": r"(?:19|20)\d\d",
    "{N}": r"(?:\d{1,2}|mười một|mười hai|mười|một|hai|ba|bốn|năm|sáu|bảy|tám|chín)",
    "{Q}": r"(?:iv|iii|ii|i|[1-4])", "{D}": r"\d{1,2}", "{M}": r"\d{1,2}",
}


def _as_regex(pattern: str) -> str:
    for k, v in _PLACEHOLDERS.items():
        pattern = pattern.replace(k, v)
    return pattern


@st.composite
def grammar_text(draw) -> str:
    """A sentence holding one or two phrases that some period pattern matches, upper- or
    lower-case, with any years, months, days and quarters the placeholders allow."""
    phrases = []
    for _ in range(draw(st.integers(1, 2))):
        row = draw(st.sampled_from(_ROWS))
        phrase = draw(st.from_regex(_as_regex(row["pattern"]), fullmatch=True, alphabet=_ALPHABET))
        phrases.append(phrase.capitalize() if draw(st.booleans()) else phrase)
    return "Kết quả " + ", ".join(phrases) + ", toàn tỉnh đã kết nạp 120 đảng viên."


@settings(max_examples=200, deadline=None)
@given(grammar_text(), st.none() | st.integers(1990, 2030), st.none() | st.dates(date(1990, 1, 1), date(2030, 12, 31)))
@example("Kết quả nhiệm kỳ 2020 - 2020, toàn tỉnh đã kết nạp 120 đảng viên.", None, None)  # issue 17
@example("Kết quả 12 tháng đầu năm 2019, toàn tỉnh đã kết nạp 120 đảng viên.", None, None)  # issue 17
@example("Kết quả tính đến hết tháng 12/2019, toàn tỉnh đã kết nạp 120 đảng viên.", None, None)
@example("Kết quả tính đến ngày 29/2/2019, toàn tỉnh đã kết nạp 120 đảng viên.", None, None)
def test_every_period_the_grammar_produces_passes_check_022(text, default_year, event):
    periods = periods_of(text, default_year, event)
    assert check_022(periods) == []
    for p in periods:  # and the label the check accepted is this period's own
        assert p.start <= p.end


def test_check_022_refuses_the_range_label_of_the_bug_issue_17_names():
    """The helper sees what the warehouse's check sees: "2020-2020" fails it. ("2019-12M" passes
    022: test_first_n_months catches that bug by its label.)"""
    assert [r[-1] for r in check_022([Period("range", "2020-2020", date(2020, 1, 1), date(2020, 12, 31))])] == [
        "period_label does not have the form of its period_kind"]
    assert check_022([Period("Y", "2019", date(2019, 1, 1), date(2019, 12, 31))]) == []


# --- each kind and label shape, with its own expected label and days -----------------------------

years = st.integers(1900, 2099)
_N_WORDS = {1: "một", 2: "hai", 3: "ba", 4: "bốn", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín",
            10: "mười", 11: "mười một", 12: "mười hai"}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def last_day(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))


def only(text: str, default_year: int | None = None, event: date | None = None) -> tuple:
    found = periods_of(text, default_year, event)
    assert len(found) == 1, (text, found)
    p = found[0]
    return p.kind, p.label, p.start, p.end


def sentence(phrase: str) -> str:
    return f"Trong {phrase}, toàn Đảng bộ đã kết nạp 2.658 đảng viên mới."


@settings(max_examples=150, deadline=None)
@given(years, st.integers(1, 12), st.booleans())
@example(2019, 12, False)  # issue 17: dropping 12 -> "Y" gives "2019-12M"
@example(2019, 6, True)
@example(2020, 3, False)
def test_first_n_months(y, n, in_words):
    """"n tháng đầu năm Y": 3 -> Q1, 6 -> H1, 12 -> the year, else nM; from 1 Jan to the last day
    of month n."""
    written = _N_WORDS[n] if in_words else str(n)
    kind = {3: "Q1", 6: "H1", 12: "Y"}.get(n, "nM")
    label = {"Q1": f"{y}-Q1", "H1": f"{y}-H1", "Y": str(y)}.get(kind, f"{y}-{n}M")
    assert only(sentence(f"{written} tháng đầu năm {y}")) == (kind, label, date(y, 1, 1), last_day(y, n))


@settings(max_examples=50, deadline=None)
@given(years, st.integers(13, 99) | st.just(0))
@example(2019, 13)
def test_no_first_n_months_beyond_twelve(y, n):
    """"13 tháng đầu năm 2019" names no months: only the year it mentions is read."""
    assert periods_of(sentence(f"{n} tháng đầu năm {y}")) == [Period("Y", str(y), date(y, 1, 1), date(y, 12, 31))]


@settings(max_examples=50, deadline=None)
@given(years, st.integers(1900, 2099), st.sampled_from(["6 tháng đầu năm {y}", "quý II/{y}", "năm {y}",
                                                         "9 tháng đầu năm {y}", "6 tháng cuối năm {y}"]))
def test_a_written_year_wins_over_the_articles_year(y, article_year, phrase):
    assert only(sentence(phrase.format(y=y)), article_year)[1].startswith(str(y))


@settings(max_examples=100, deadline=None)
@given(years, st.integers(1, 12))
def test_cut_off_at_the_end_of_a_month(y, n):
    kind = {3: "Q1", 6: "H1", 12: "Y"}.get(n, "nM")
    label = {"Q1": f"{y}-Q1", "H1": f"{y}-H1", "Y": str(y)}.get(kind, f"{y}-{n}M")
    assert only(f"Tính đến hết tháng {n} năm {y}, toàn cụm đã kết nạp 746 đảng viên mới.") == \
        (kind, label, date(y, 1, 1), last_day(y, n))
    assert only(f"Tính đến hết tháng {n}/{y}, toàn cụm có 746 đảng viên.")[1] == label


@settings(max_examples=50, deadline=None)
@given(years, st.sampled_from(["6 tháng cuối năm {y}", "sáu tháng cuối năm {y}", "nửa cuối năm {y}"]))
def test_second_half(y, phrase):
    assert only(sentence(phrase.format(y=y))) == ("H2", f"{y}-H2", date(y, 7, 1), date(y, 12, 31))


@settings(max_examples=50, deadline=None)
@given(years)
def test_first_half_in_words(y):
    assert only(sentence(f"nửa đầu năm {y}")) == ("H1", f"{y}-H1", date(y, 1, 1), date(y, 6, 30))


@settings(max_examples=100, deadline=None)
@given(years, st.integers(1, 4), st.sampled_from(["quý {q}/{y}", "quý {q} năm {y}", "quý {q}-{y}"]),
       st.booleans())
def test_quarters(y, q, shape, roman):
    phrase = shape.format(q=_ROMAN[q] if roman else q, y=y)
    assert only(sentence(phrase)) == (f"Q{q}", f"{y}-Q{q}", date(y, 3 * q - 2, 1), last_day(y, 3 * q))


@settings(max_examples=50, deadline=None)
@given(years)
def test_a_year(y):
    assert only(sentence(f"năm {y}")) == ("Y", str(y), date(y, 1, 1), date(y, 12, 31))


@settings(max_examples=200, deadline=None)
@given(st.integers(1900, 2099), st.integers(-5, 40),
       st.sampled_from(["nhiệm kỳ {a} - {b}", "nhiệm kỳ {a}-{b}", "giai đoạn {a}–{b}", "từ năm {a} đến năm {b}",
                        "5 năm ({a}-{b})", "thời kỳ ({a} - {b})"]))
@example(2020, 0, "nhiệm kỳ {a} - {b}")  # issue 17: "nhiệm kỳ 2020 - 2020" is no range
@example(2020, 5, "nhiệm kỳ {a} - {b}")
@example(1990, 30, "giai đoạn {a}–{b}")
@example(1990, 31, "giai đoạn {a}–{b}")
def test_ranges_run_forwards_and_at_most_thirty_years(a, span, shape):
    """A range is a term of years: from 1 Jan of the first to 31 Dec of the last, the last after
    the first and at most 30 years later. "2020 - 2020" or "2025 - 2020" is no range."""
    b = a + span
    assume(b <= 2099)
    found = periods_of(sentence(shape.format(a=a, b=b)))
    ranges = [(p.kind, p.label, p.start, p.end) for p in found if p.kind == "range"]
    if 0 < span <= 30:
        assert ranges == [("range", f"{a}-{b}", date(a, 1, 1), date(b, 12, 31))]
    else:
        assert ranges == []
    assert check_022(found) == []


@settings(max_examples=150, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)),
       st.sampled_from(["Tính đến ngày {d}/{m}/{y}", "đến ngày {d}/{m}/{y}", "tới {d}/{m}/{y}", "đến hết ngày {d} / {m} / {y}"]))
def test_as_of_a_day(day, shape):
    text = shape.format(d=day.day, m=day.month, y=day.year) + ", toàn tỉnh có 497/567 tổ chức cơ sở đảng."
    assert only(text) == ("asof", day.isoformat(), day, day)


def days_that_do_not_exist(y: int):
    return st.sampled_from([2, 4, 6, 9, 11]).flatmap(
        lambda m: st.tuples(st.just(m), st.integers(calendar.monthrange(y, m)[1] + 1, 31)))


@settings(max_examples=50, deadline=None)
@given(years.flatmap(lambda y: st.tuples(st.just(y), days_that_do_not_exist(y))))
@example((2019, (2, 29)))
def test_no_period_for_a_day_that_does_not_exist(y_md):
    y, (m, d) = y_md
    assert [p for p in periods_of(f"Tính đến ngày {d}/{m}/{y}, toàn tỉnh có 497 đảng viên.") if p.kind == "asof"] == []


@settings(max_examples=50, deadline=None)
@given(years, st.sampled_from(["Đến hết năm {y}", "Tính đến cuối năm {y}", "tới hết năm {y}"]))
def test_as_of_the_end_of_a_year(y, shape):
    day = date(y, 12, 31)
    assert only(shape.format(y=y) + ", toàn Đảng có gần 5 triệu đảng viên.") == ("asof", day.isoformat(), day, day)


@settings(max_examples=50, deadline=None)
@given(st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.integers(1990, 2030))
def test_as_of_now_is_the_event_day_and_a_raised_total_the_year_end(event, y):
    assert only("Đảng bộ tỉnh hiện có 28 đảng bộ trực thuộc.", y, event) == ("asof", event.isoformat(), event, event)
    assert periods_of("Đảng bộ tỉnh hiện có 28 đảng bộ trực thuộc.", y, None) == []
    end = date(y, 12, 31)
    assert only("Đảng bộ đã nâng tổng số đảng viên lên 54.968.", y, event) == ("asof", end.isoformat(), end, end)


@settings(max_examples=100, deadline=None)
@given(years, st.sampled_from([
    ("6 tháng đầu năm", "H1"), ("sáu tháng đầu năm", "H1"), ("6 tháng cuối năm", "H2"), ("quý II", "Q2"),
    ("3 tháng đầu năm", "Q1"), ("9 tháng đầu năm", "9M"), ("12 tháng đầu năm", "Y")]))
def test_a_period_without_its_year_takes_the_articles_year(y, phrase_kind):
    phrase, kind = phrase_kind
    label = str(y) if kind == "Y" else f"{y}-{kind}"
    assert only(sentence(phrase), y)[1] == label
    assert periods_of(sentence(phrase), None) == []  # no year anywhere: no period


@settings(max_examples=100, deadline=None)
@given(years, st.sampled_from([("6 tháng đầu năm {y}", "{y}-H1"), ("năm {y}", "{y}"), ("quý III năm {y}", "{y}-Q3"),
                               ("9 tháng đầu năm {y}", "{y}-9M"), ("6 tháng cuối năm {y}", "{y}-H2")]),
       st.sampled_from(["sơ kết", "tổng kết", "đánh giá kết quả", "kiểm điểm"]))
def test_the_period_a_meeting_reviews_and_not_the_one_it_plans(y, phrase_label, review):
    phrase, label = phrase_label
    body = (f"Sáng 2-8, Ban Thường vụ tổ chức hội nghị {review} công tác xây dựng Đảng {phrase.format(y=y)}, "
            f"triển khai nhiệm vụ năm {y + 1}.")
    p = article_period(None, body, date(y + 1, 1, 10), None)
    assert p is not None and p.label == label.format(y=y) and check_022([p]) == []
    planned = f"Ban Tổ chức triển khai nhiệm vụ công tác {phrase.format(y=y)}."
    assert article_period(None, planned, date(y, 1, 10), None) is None
    # the reviewed period without its year takes the year the same sentence gives a later period
    # ("sơ kết ... 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối năm 2019"), not the article's
    yearless = (f"Hội nghị {review} công tác xây dựng Đảng 6 tháng đầu năm, triển khai nhiệm vụ 6 tháng cuối "
                f"năm {y}.")
    assert article_period(None, yearless, date(y + 1, 1, 10), None).label == f"{y}-H1"
    # a plan word between the review and the period: the period is the plan's, not the review's
    planned_after_review = f"Ban Tổ chức tổ chức hội nghị {review}, triển khai nhiệm vụ {phrase.format(y=y)}."
    assert article_period(None, planned_after_review, date(y, 1, 10), None) is None
