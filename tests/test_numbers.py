"""Vietnamese numbers: notation, words, qualifiers, units, non-quantities (flows/text/numbers.py)."""
from __future__ import annotations

import re
from pathlib import Path


import pytest
from hypothesis import given, settings, strategies as st

from flows.text.numbers import find_numbers, format_vn, parse_number, read_tsv

from .conftest import CORPUS, need


def _mention(text: str, written: str):
    found = [m for m in find_numbers(text) if m.text == written]
    assert found, f"{written!r} not found in {[m.text for m in find_numbers(text)]}"
    return found[0]


# ------------------------------------------------------------------ data-file integrity

@pytest.mark.parametrize("row", read_tsv("numbers_words.tsv"), ids=lambda r: r["word"])
def test_words_rows(row):
    assert parse_number(row["example"]) == float(row["expected"])


@pytest.mark.parametrize("row", read_tsv("numbers_multipliers.tsv"), ids=lambda r: r["word"])
def test_multiplier_rows(row):
    assert parse_number(row["example"]) == float(row["expected"])


@pytest.mark.parametrize("row", read_tsv("numbers_qualifiers.tsv"), ids=lambda r: r["phrase"])
def test_qualifier_rows(row):
    qty = [m for m in find_numbers(row["example"]) if m.is_quantity]
    assert qty and qty[0].qualifier == row["expected"]


@pytest.mark.parametrize("row", read_tsv("numbers_units.tsv"), ids=lambda r: r["phrase"])
def test_unit_rows(row):
    qty = [m for m in find_numbers(row["example"]) if m.is_quantity]
    assert qty and qty[-1].unit == row["expected"]


@pytest.mark.parametrize("row", read_tsv("numbers_not_quantity.tsv"), ids=lambda r: r["example"][:30])
def test_not_quantity_rows(row):
    kinds = [m.kind for m in find_numbers(row["example"])]
    assert row["expected"] in kinds, kinds


# ------------------------------------------------------------------ parse_number

@pytest.mark.parametrize("text, value", [
    ("2.658", 2658), ("7,09", 7.09), ("190.000", 190000), ("1038,5", 1038.5),
    ("7.200 tỷ", 7.2e12), ("3,1 triệu", 3_100_000), ("1,3 vạn", 13000), ("54.968", 54968),
    ("ba", 3), ("mười hai", 12), ("hai mươi lăm", 25), ("nửa triệu", 500_000), ("bốn", 4),
    ("bảy", 7), ("tám", 8), ("mười lăm", 15), ("hai mươi mốt", 21), ("ba trăm", 300),
    ("5 triệu", 5_000_000), ("12.076", 12076), ("38.519", 38519), ("0,06", 0.06),
    ("1.000", 1000), ("100 triệu", 1e8), ("870 nghìn", 870_000), ("2 ngàn", 2000),
    ("10 tỉ", 1e10), ("hai nghìn", 2000), ("không có số", None), ("", None),
    ("hai triệu ba trăm nghìn", 2_300_000), ("một tỷ hai trăm triệu", 1.2e9), ("ba nghìn năm trăm", 3500),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


# ------------------------------------------------------------------ find_numbers on real phrasings

# (sentence, number as written, value, kind, other expected attributes)
REAL = [
    ("tốc độ tăng trưởng tổng sản phẩm 6 tháng ước đạt 7,09%, thu ngân sách", "7,09%", 7.09, "percent",
     {"qualifier": "estimate", "unit": "percent"}),
    ("tốc độ tăng trưởng tổng sản phẩm 6 tháng ước đạt 7,09%", "6", 6, "duration", {}),
    ("thu ngân sách đạt gần 7.200 tỷ đồng...", "7.200 tỷ", 7.2e12, "money", {"qualifier": "nearly", "unit": "VND"}),
    ("Đảng bộ Nghệ An hiện có 28 đảng bộ trực thuộc với hơn 190.000 đảng viên.", "28", 28, "count", {"qualifier": None}),
    ("Đảng bộ Nghệ An hiện có 28 đảng bộ trực thuộc với hơn 190.000 đảng viên.", "190.000", 190000, "count",
     {"qualifier": "over"}),
    ("toàn đảng bộ tỉnh đã kết nạp được 2.658 đảng viên mới, đạt 123,9% kế hoạch, nâng tổng số",
     "2.658", 2658, "count", {"pct_of_plan": 123.9}),
    ("toàn đảng bộ tỉnh đã kết nạp được 2.658 đảng viên mới, đạt 123,9% kế hoạch", "123,9%", 123.9, "percent",
     {"restates": True}),
    ("toàn cụm đã kết nạp được 746 đảng viên mới (đạt 39% kế hoạch)…", "746", 746, "count", {"pct_of_plan": 39}),
    ("toàn tỉnh có 497/567 tổ chức cơ sở đảng đã tổ chức đại hội (đạt 87,65%).", "497/567", 497, "fraction",
     {"denominator": 567}),
    ("toàn tỉnh có 497/567 tổ chức cơ sở đảng đã tổ chức đại hội (đạt 87,65%).", "87,65%", 87.65, "percent",
     {"restates": True}),
    ("Sáng nay (26/6), tại Diễn Châu", "26/6", 26, "date", {}),
    ("Sáng 2-8, Ban Thường vụ Đảng ủy Khối", "2-8", 2, "date", {}),
    ("Nghị quyết số 01-NQ/ĐUK ngày 15-5-2009 của Ban Chấp hành", "15-5-2009", 15, "date", {}),
    ("Nghị quyết số 01-NQ/ĐUK ngày 15-5-2009", "01-NQ/ĐUK", 1, "code", {}),
    ("Bám sát các nội dung của Nghị quyết số 09- NQ/TU của BCH", "09- NQ/TU", 9, "code", {}),
    ("thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị", "05-CT/TW", 5, "code", {}),
    ("Ban Bí thư ra Hướng dẫn (HD) 469 về", "469", 469, "code", {}),
    ("Cụm thi đua số 2, ngành Tổ chức", "2", 2, "code", {}),
    ("Tại hội nghị, đại diện ... sơ kết 2 năm thực hiện Nghị quyết", "2", 2, "duration", {}),
    ("Dự thảo tổng kết 10 năm thực hiện Nghị quyết", "10", 10, "duration", {}),
    ("Đại hội Đại biểu Quân đội lần thứ VIII (nhiệm kỳ 2006-2010).", "VIII", 8, "ordinal", {}),
    ("Đại hội Đại biểu Quân đội lần thứ VIII (nhiệm kỳ 2006-2010).", "2010", 2010, "year", {}),
    ("Đại hội Đại biểu Đảng bộ cơ quan Bộ Ngoại giao lần thứ 25", "25", 25, "ordinal", {}),
    ("Ban Chấp hành Đảng bộ huyện khóa 21 (2010 - 2015)", "21", 21, "ordinal", {}),
    ("Đảng ủy Sư đoàn 330 (Quân khu 9) về việc lãnh đạo", "330", 330, "name", {}),
    ("Đảng ủy Sư đoàn 330 (Quân khu 9) về việc lãnh đạo", "9", 9, "name", {}),
    ("Bí thư Chi bộ 38 (Đảng bộ phường Nghĩa Tân)", "38", 38, "name", {}),
    ("theo tinh thần Nghị quyết Trung ương 6- khóa XII", "6", 6, "name", {}),
    ("7 đảng viên được trao tặng Huy hiệu 30 năm tuổi Đảng", "30", 30, "name", {}),
    ("7 đảng viên được trao tặng Huy hiệu 30 năm tuổi Đảng", "7", 7, "count", {}),
    ("thảo luận, biểu quyết Điều 12 Điều lệ Đảng", "12", 12, "name", {}),
    ("Bộ Ngoại giao đã chuẩn bị tốt cho ASEM 5", "5", 5, "name", {}),
    ("Đảng bộ đạt trong sạch vững mạnh 5 năm liền (2012-2016)", "5", 5, "duration", {}),
    ("gần 400 đại biểu đại diện cho trên 126.000 đảng viên TP HCM", "126.000", 126000, "count", {"qualifier": "over"}),
    ("hơn 200 đại biểu đại diện cho gần 1.500 đảng viên của Đảng bộ", "1.500", 1500, "count",
     {"qualifier": "nearly"}),
    ("khoảng 20.000 ý kiến đóng góp", "20.000", 20000, "count", {"qualifier": "about"}),
    ("hơn 1,3 vạn lao động", "1,3 vạn", 13000, "count", {"qualifier": "over"}),
    ("Đỗ Mười, Lê Khả Phiêu, nguyên Tổng Bí thư", None, None, None, {}),
    ("Hai Phó Trưởng ban là các đồng chí", "Hai", 2, "count", {}),
    ("bổ sung bốn đồng chí vào Ban Chấp hành", "bốn", 4, "count", {"unit": None}),
    ("Kỷ luật tám tập thể, sáu sai phạm", "tám", 8, "count", {}),
    ("theo hai danh sách", "hai", 2, "count", {}),
    ("mỗi ngõ có một camera", None, None, None, {}),
    ("Qua hai năm triển khai thực hiện", "hai", 2, "duration", {}),
    ("tỷ lệ từ 80-90%", "90%", 90, "range", {"unit": "percent"}),
    ("tỷ lệ từ 80-90%", "80", 80, "range", {"unit": "percent"}),
    ("rộng khoảng 4-5ha", "5", 5, "range", {"unit": "ha", "qualifier": "about"}),
    ("47/47 chi bộ, đảng bộ trực thuộc", "47/47", 47, "fraction", {"denominator": 47}),
    ("40/1.911 đơn vị sự nghiệp công lập", "40/1.911", 40, "fraction", {"denominator": 1911}),
    ("đạt và vượt 21/22 chỉ tiêu", "21/22", 21, "fraction", {}),
    ("tính đến cuối quý I/2005, Đảng bộ", "I", 1, "date", {}),
    ("tính đến cuối quý I/2005, Đảng bộ", "2005", 2005, "year", {}),
    ("11:13, 26/06/2019", "11:13", 11, "time", {}),
    ("28/05/13 06:23 GMT+7", "28/05/13", 28, "date", {}),
    ("ngày 15 tháng 5 năm 2009", "15", 15, "date", {}),
    ("ngày 15 tháng 5 năm 2009", "2009", 2009, "year", {}),
    ("Hiện cả nước có hơn 90 triệu dân", "90 triệu", 9e7, "count", {"qualifier": "over"}),
    ("khoảng 5 triệu đảng viên", "5 triệu", 5e6, "count", {"qualifier": "about"}),
    ("100 triệu USD", "100 triệu", 1e8, "money", {"unit": "USD"}),
    ("tháng 5-2013 thảo luận", "5-2013", 5, "date", {}),
    ("từ 3 - 4 năm trở lại đây", "4", 4, "duration", {}),
    ("Sáng 21/4, Đại hội X tiếp tục làm việc", "X", 10, "ordinal", {}),
    ("8h sáng nay, Đại hội khai mạc", "8h", 8, "time", {}),
    ("với kết quả thu 6.279 tỷ đồng", "6.279 tỷ", 6.279e12, "money", {}),
    ("nâng tổng số đảng viên lên 54.968 đảng viên", "54.968", 54968, "count", {}),
    ("trung bình 53,26 tuổi", "53,26", 53.26, "count", {}),
]


@pytest.mark.parametrize("text, written, value, kind, attrs", REAL, ids=[f"{i}:{r[1]}" for i, r in enumerate(REAL)])
def test_find_numbers_real(text, written, value, kind, attrs):
    if written is None:
        assert [m for m in find_numbers(text) if m.is_quantity] == []
        return
    m = _mention(text, written)
    assert text[m.start:m.end] == m.text
    assert m.value == pytest.approx(value)
    assert m.kind == kind
    for k, v in attrs.items():
        assert getattr(m, k) == v, (k, getattr(m, k))


def test_seed_000_quantities():
    text = (Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_31de0f0f34ce37d1.txt")
    if not text.exists():
        pytest.skip("seeds absent")
    body = text.read_text(encoding="utf-8")
    qty = {(m.value, m.qualifier) for m in find_numbers(body) if m.is_quantity and not m.restates}
    for v in [(7.09, "estimate"), (7.2e12, "nearly"), (28, None), (190000, "over"), (14, None), (9, None)]:
        assert v in qty


def test_spans_cover_text():
    s = "Năm 2014, kết nạp được 2.658 đảng viên mới, đạt 123,9% kế hoạch, hơn 1,3 vạn lao động."
    for m in find_numbers(s):
        assert s[m.start:m.end] == m.text


KINDS = {"count", "percent", "money", "fraction", "range", "date", "time", "year", "duration", "ordinal", "code",
         "name"}
_PLAIN = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?")


def vietnamese_digits(written: str) -> float:
    """"2.658" -> 2658, "7,09" -> 7.09: read here on its own, not by the module under test."""
    whole, _, decimals = written.replace(".", "").partition(",")
    return int(whole) + (int(decimals) / 10 ** len(decimals) if decimals else 0)


def test_corpus_sample_mentions_are_consistent():
    """On 60 real articles, every mention is where it says, in order, of a known kind; its value
    is what its digits say; a percent is in 'percent'; only a fraction has a denominator."""
    paths = sorted(need(CORPUS / "genre").glob("*.txt"))[:60]
    n_plain = 0
    for p in paths:
        t = p.read_text(encoding="utf-8")
        end = 0
        for m in find_numbers(t):
            assert t[m.start:m.end] == m.text and m.start >= end, (p.name, m)
            end = m.end
            assert m.kind in KINDS and m.qualifier in (None, "over", "nearly", "about", "under", "estimate"), m
            assert (m.denominator is not None) == (m.kind == "fraction") or m.kind == "code", m
            assert (m.unit == "percent") == (m.kind == "percent") or m.kind == "range", m  # "80-90%"
            assert not m.restates or m.kind == "percent", m
            if m.kind == "count" and _PLAIN.fullmatch(m.text):
                assert m.value == pytest.approx(vietnamese_digits(m.text)), m
                n_plain += 1
    assert n_plain >= 100  # the sample holds over a hundred plain counts: the checks above ran on them


# ------------------------------------------------------------------ format_vn + properties

@pytest.mark.parametrize("x, dec, out", [
    (2658, None, "2.658"), (7.09, None, "7,09"), (190000, None, "190.000"), (1038.5, None, "1.038,5"),
    (7.2e12, None, "7.200.000.000.000"), (0.5, 2, "0,50"), (-1234.5, 1, "-1.234,5"), (12, 0, "12"),
])
def test_format_vn(x, dec, out):
    assert format_vn(x, dec) == out


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_roundtrip_int(n):
    assert parse_number(format_vn(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([1, 2]), st.integers(min_value=0, max_value=99))
def test_roundtrip_decimal(i, dec, frac):
    frac = frac % (10 ** dec)
    x = round(i + frac / 10 ** dec, dec)
    assert parse_number(format_vn(x, dec)) == pytest.approx(x)


_NOUNS = ["đảng viên", "tổ chức cơ sở đảng", "cán bộ", "hội viên", "tập thể", "cá nhân"]
_LEADS = ["Toàn tỉnh đã kết nạp được", "Đảng bộ hiện có", "Hội nghị khen thưởng", "Năm qua, huyện có"]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=10**7), st.sampled_from(_LEADS), st.sampled_from(_NOUNS),
       st.sampled_from(["", "hơn ", "gần ", "khoảng "]))
def test_find_in_generated_sentence(n, lead, noun, qual):
    written = format_vn(n)
    if 1900 <= n <= 2099:
        written = format_vn(n)  # "1.950": dotted, so not a year
    s = f"{lead} {qual}{written} {noun}."
    counts = [m for m in find_numbers(s) if m.kind == "count"]
    assert len(counts) == 1
    m = counts[0]
    start = len(lead) + 1 + len(qual)
    assert (m.start, m.end, m.value) == (start, start + len(written), n)
    assert m.qualifier == {"": None, "hơn ": "over", "gần ": "nearly", "khoảng ": "about"}[qual]
