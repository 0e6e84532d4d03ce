"""Dates: shapes, printed publication dates, the event date and its year (flows/text/dates.py)."""
from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path


import pytest

from .conftest import gold_articles
from hypothesis import given, settings, strategies as st

from flows.text.dates import event_date, find_dates, parse_published
from flows.text.numbers import read_tsv

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _fmt(m) -> str:
    s = f"{m.day or ''}-{m.month or ''}-{m.year or ''}"
    s = "-".join("" if x == "" else x for x in s.split("-"))
    if m.hour is not None:
        s += f" {m.hour:02d}:{m.minute:02d}" + (f":{m.second:02d}" if m.second is not None else "")
    return s


@pytest.mark.parametrize("row", read_tsv("dates_patterns.tsv"), ids=lambda r: r["name"])
def test_pattern_rows(row):
    ms = find_dates(row["example"])
    assert ms, row["example"]
    assert _fmt(ms[0]) == row["expected"].replace("--", "-")


@pytest.mark.parametrize("row", read_tsv("dates_weekdays.tsv"), ids=lambda r: r["phrase"])
def test_weekday_rows(row):
    ms = find_dates(row["example"])
    assert ms and _fmt(ms[0]) == row["expected"] and ms[0].start == 0


@pytest.mark.parametrize("row", read_tsv("dates_dayparts.tsv"), ids=lambda r: r["phrase"])
def test_daypart_rows(row):
    ms = [m for m in find_dates(row["example"]) if m.daypart or m.pattern.startswith("paren")]
    assert ms and f"{ms[0].day}-{ms[0].month}" == row["expected"]


REAL = [
    ("11:13, 26/06/2019", (26, 6, 2019, 11, 13)),
    ("Cập nhật lúc 15:34, Thứ Sáu, 02/08/2019 (GMT+7)", (2, 8, 2019, 15, 34)),
    ("Cập nhật ngày: 25/07/2020 13:05:15", (25, 7, 2020, 13, 5)),
    ("Thứ sáu,  14/05/2021", (14, 5, 2021, None, None)),
    ("Sáng 2-8, Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh", (2, 8, None, None, None)),
    ("Sáng nay (26/6), tại Diễn Châu, Cụm thi đua số 2", (26, 6, None, None, None)),
    ("ĐTO - Sáng ngày 25/7, Ban Tổ chức (BTC) Tỉnh ủy", (25, 7, None, None, None)),
    ("LSO-Ngày 10/2/2015, Ban Tổ chức Tỉnh ủy tổ chức hội nghị", (10, 2, 2015, None, None)),
    ("(Baonghean.vn) - Sáng 6/6, tại Nghi Lộc", (6, 6, None, None, None)),
    ("Nghị quyết số 01-NQ/ĐUK ngày 15-5-2009 của Ban Chấp hành", (15, 5, 2009, None, None)),
    ("ngày 15 tháng 5 năm 2009", (15, 5, 2009, None, None)),
    ("27/05/13 20:18 GMT+7", (27, 5, 2013, 20, 18)),
    ("28/05/13 22:59 GMT+7", (28, 5, 2013, 22, 59)),
    ("Chiều ngày 21/4/2006, Đại hội bầu", (21, 4, 2006, None, None)),
    ("Tính đến hết tháng 5 năm 2013, toàn cụm", (None, 5, 2013, None, None)),
    ("(NLĐ) - Sáng qua, 27-12, tại Hà Nội", (27, 12, None, None, None)),
    ("QĐND - Ngày 28-5, đoàn công tác của Quân ủy", (28, 5, None, None, None)),
    ("(NLĐO) - Sáng 31-5, Ban Thường vụ Thành ủy TP Cần Thơ", (31, 5, None, None, None)),
    ("Chiều 20/6, Đảng ủy Văn phòng Chính phủ", (20, 6, None, None, None)),
    ("Chiều 19/11, phát biểu bế mạc hội nghị toàn quốc", (19, 11, None, None, None)),
    ("Sáng 27/1, tại Hà Nội, Ban Tổ chức trung ương", (27, 1, None, None, None)),
    ("dự thảo được thảo luận ngày 18/12/2018", (18, 12, 2018, None, None)),
    ("tọa đàm do Đảng ủy Khối tổ chức ngày 9-6.", (9, 6, None, None, None)),
    ("Đại hội khai mạc ngày 10-11 tại Hà Nội", (10, 11, None, None, None)),
    ("Ngày 7-5-2012, Ban Thường vụ Huyện ủy", (7, 5, 2012, None, None)),
    ("hệ thống trên cùng hôm 5-2, chính quyền", (5, 2, None, None, None)),
    ("01/06/13 05:20 GMT+7", (1, 6, 2013, 5, 20)),
    ("thi tốt nghiệp THCS (26/11/2004) sửa đổi", (26, 11, 2004, None, None)),
    ("ngày 6/2/2017 của Ban Bí thư", (6, 2, 2017, None, None)),
    ("10 giờ sáng thứ bảy (26/11), tàu", (26, 11, None, None, None)),
    ("thời hạn đến tháng 5/2017 chưa xong", (None, 5, 2017, None, None)),
]


@pytest.mark.parametrize("text, exp", REAL, ids=[r[0][:30] for r in REAL])
def test_find_dates_real(text, exp):
    ms = find_dates(text)
    assert ms, text
    m = ms[0]
    assert (m.day, m.month, m.year, m.hour, m.minute) == exp
    assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("text", ["22/32 cơ sở Đảng", "497/567 tổ chức", "tăng 80-90%", "khoảng 4-5ha",
                                  "nhiệm kỳ 2020 - 2025", "Đại hội lần thứ XIII", "cấp 31/13 bị sai"])
def test_not_dates(text):
    assert find_dates(text) == []


@pytest.mark.parametrize("line, exp", [
    ("11:13, 26/06/2019", datetime(2019, 6, 26, 11, 13)),
    ("Cập nhật lúc 15:34, Thứ Sáu, 02/08/2019 (GMT+7)", datetime(2019, 8, 2, 15, 34)),
    ("Cập nhật ngày: 25/07/2020 13:05:15", datetime(2020, 7, 25, 13, 5, 15)),
    ("Thứ sáu,  14/05/2021", datetime(2021, 5, 14)),
    ("28/05/13 06:23 GMT+7", datetime(2013, 5, 28, 6, 23)),
    ("Sáng 2-8", None),
    ("Không có ngày", None),
])
def test_parse_published(line, exp):
    assert parse_published(line) == exp


EVENT = [
    ("Sáng nay (26/6), tại Diễn Châu, Cụm thi đua", datetime(2019, 6, 26, 11, 13), date(2019, 6, 26)),
    ("Sáng 2-8, Ban Thường vụ", datetime(2019, 8, 2, 15, 34), date(2019, 8, 2)),
    ("LSO-Ngày 10/2/2015, Ban Tổ chức", datetime(2021, 5, 14), date(2015, 2, 10)),
    ("(NLĐ) - Sáng qua, 27-12, tại Hà Nội. Nhiệm kỳ 2006-2010.", None, None),
    ("Sáng 20/12, hội nghị. Đảng bộ hiện có 300 đảng viên.", datetime(2014, 1, 3), date(2013, 12, 20)),
    ("Sáng 6/6, tại Nghi Lộc. Tính đến hết tháng 5 năm 2013, toàn cụm đã kết nạp 746.", None, date(2013, 6, 6)),
    ("Hội nghị sơ kết 6 tháng đầu năm 2005 tổ chức ngày 5-7.", None, date(2005, 7, 5)),
    ("Chiều 20/6, lễ trao Huy hiệu. Đảng bộ vững mạnh 5 năm liền (2012-2016).", None, None),
    ("Hội nghị tổng kết công tác năm 2018, triển khai năm 2019 tổ chức ngày 19-1.", None, date(2019, 1, 19)),
    ("Không có ngày nào ở đây.", datetime(2013, 5, 28), None),
]


@pytest.mark.parametrize("body, pub, exp", EVENT, ids=[r[0][:30] for r in EVENT])
def test_event_date(body, pub, exp):
    assert event_date(body, None, pub) == exp




@pytest.mark.parametrize("path, art", gold_articles(), ids=lambda x: x.name if isinstance(x, Path) else "")
def test_event_date_gold(path, art):
    if not path.exists():
        pytest.skip("shared data absent")
    from flows.text.clean import clean_article
    c = clean_article(path.read_text(encoding="utf-8"))
    exp = date.fromisoformat(art["event_date"]) if art["event_date"] else None
    assert event_date(c.body, c.title, c.published_at) == exp


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)), st.sampled_from(["/", "-"]),
       st.sampled_from(["Sáng", "Chiều", "Ngày", "Sáng ngày"]))
def test_event_date_with_year_property(d, sep, part):
    body = f"{part} {d.day}{sep}{d.month}{sep}{d.year}, Ban Tổ chức Tỉnh ủy tổ chức hội nghị."
    assert event_date(body, None, None) == d


@pytest.mark.parametrize("row", read_tsv("dates_historic.tsv"), ids=lambda r: r["words"])
def test_historic_date_is_no_meeting_day(row):
    """A year-less meeting day takes no year from a birth, admission, founding or death date."""
    want = date.fromisoformat(row["expected"]) if row["expected"] else None
    assert event_date(row["example"], None, None) == want


def test_the_latest_same_day_date_gives_the_year():
    body = "Sáng 3-2, thành phố mít tinh kỷ niệm 76 năm ngày thành lập Đảng (3.2.1930 - 3.2.2006)."
    assert event_date(body, None, None) == date(2006, 2, 3)


def test_a_range_gives_its_first_day_the_month_and_year_of_its_last_which_stays_a_date():
    got = [(d.day, d.month, d.year) for d in find_dates("Trong 3 ngày từ 29 đến 31-12-2018, cả nước có 29 người chết.")]
    assert got == [(29, 12, 2018), (31, 12, 2018)]
    assert event_date("Hội nghị kéo dài từ 5 đến 12/1/2015. Sáng 5/1, Hội nghị khai mạc tại Hà Nội.", None, None) \
        == date(2015, 1, 5)


def test_a_dated_reference_a_few_weeks_after_the_day_puts_the_meeting_just_before_it():
    # "có hiệu lực từ ngày 1-4-2018" follows the meeting of "26-3": the same year, not the next
    assert event_date("Sáng 26-3, Bí thư Thành ủy trao quyết định. Quyết định có hiệu lực từ ngày 1-4-2018.", None, None) \
        == date(2018, 3, 26)
    # a dated reference well before the day: the meeting comes after it
    assert event_date("Ngày 14/1/2019, bà A nghỉ hưu. Chiều 27/2, ông B nhận quyết định.", None, None) == date(2019, 2, 27)
