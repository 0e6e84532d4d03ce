"""flows/text/fastre.py: every faster form finds exactly what the plain pattern finds."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from flows.text.fastre import (Skip, WordStart, first_chars, last_chars, lower_is_safe, trie_pattern,
                               _element_tails)
from flows.text.letters import lower

TEXTS = [
    "",
    "Sáng 26/6, tính đến ngày 25/6/2020, toàn tỉnh có 497/567 chi bộ (đạt 87,65%).",
    "Quận 3 và quận 10; xã Ninh Xá, phường Phú Đô; thị trấn Hồ.",
    "Nhiệm kỳ 2015 - 2020, giai đoạn (2010-2015) và 5 năm 2016–2020 đã qua.",
    "X.Nguyễn Văn An, Trần Thị Bình - Bí thư; A1Nguyễn Văn Cường.",
    "đến nay; tới nay; tính đến thời điểm hiện tại; hiện nay đang có 12 người.",
    "ab\u00a0cd\n12 34",
]


def spans(it):
    return [(m.span(), m.groups()) for m in it]


def test_trie_pattern_matches_as_the_alternation():
    words = ["Hà Nội", "Hà Nam", "Hà", "Hải Dương", "Hải"]
    trie = re.compile(trie_pattern(words))
    alt = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    text = "Hà Nội, Hà Nam, Hà Tĩnh, Hải Dương, Hải Phòng"
    assert [m.group(0) for m in trie.finditer(text)] == [m.group(0) for m in alt.finditer(text)]


def test_first_and_last_chars():
    assert first_chars(r"(?:tính\s+)?(?:đến|tới)\s+nay") == "tđ"
    assert first_chars(r"\d+/\d+") == r"\d"
    assert first_chars(r"(?:x)?") is None  # can match ""
    assert first_chars("abc", re.IGNORECASE) is None
    assert first_chars(r"[^a]b") is None  # a negated set: unknown
    assert last_chars(r"(?:lần\s+thứ|thứ|lần)") == "nứ"
    assert last_chars(r"ngày(?![\w])") == "y"  # look-arounds are skipped


def test_element_tails():
    assert list(_element_tails(r"(?:sáng|chiều)\s*,?(?P<d>\d{1,2})[/-]x")) == [
        r"\s*,?(?P<d>\d{1,2})[/-]x", r",?(?P<d>\d{1,2})[/-]x", r"(?P<d>\d{1,2})[/-]x", "[/-]x", "x"]
    assert list(_element_tails("a|b")) == []
    assert list(_element_tails(r"\x41b")) == []  # an escape of several characters: not read


@pytest.mark.parametrize("body", [
    r"(?:tính\s+(?:đến|tới)|đến|tới)\s+nay",           # re skips to the first letters: body search
    r"(?:sáng|chiều)\s*,?\s*(?:ngày\s+)?(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})(?![\d/])",  # a D/M guard
    r"(?P<d>\d{1,2})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4})",  # digits: candidates
    r"(?:ngày\s+)?(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})",  # optional opening: look-behind and a guard
    r"(?:\d+\s+năm\s*)?\(?\s*(?P<a>(?:19|20)\d\d)\s*[-–]\s*(?P<b>(?:19|20)\d\d)(?!\d)",
    r"(?:x)?",                                         # can match "": plain finditer
])
def test_word_start_finds_what_the_look_behind_pattern_finds(body):
    ws = WordStart(body)
    plain = re.compile(r"(?<![\w])(?:" + body + ")")
    for text in TEXTS:
        low = lower(text)
        assert spans(ws.finditer(low)) == spans(plain.finditer(low))
        for pos in (0, 5, len(low)):
            assert spans(ws.finditer(low, pos)) == spans(plain.finditer(low, pos))


@pytest.mark.parametrize("source", [
    r"(?<![\w])(?:quận|Quận)\s+(\d{1,2})(?![\w])",  # WordStart inside
    r"(?<![\w/-])(?P<n>\d+)\s*-\s*(?P<a>[A-ZĐ]+)/(?P<i>[A-ZĐ]+)",  # candidates, look-behind tested in C
    r"(?<![\w.])[A-ZĐ][a-zàáạảãăâđêôơư]*(?:[ \t]+[A-ZĐ][a-zàáạảãăâđêôơư]*)+(?![\w])",
    r"(?i)(?<![\w])hội nghị",                      # case-insensitive: the pattern itself
])
def test_skip_finds_what_the_pattern_finds(source):
    rx = re.compile(source)
    sk = Skip(rx)
    text = " ".join(TEXTS) + " Chỉ thị 05-CT/TW; 12-NQ/TW; Hội nghị X.Nguyễn Văn An"
    assert spans(sk.finditer(text)) == spans(rx.finditer(text))
    for pos in range(0, len(text), 7):
        a, b = sk.search(text, pos), rx.search(text, pos)
        assert (a and a.span()) == (b and b.span())


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 /-–().,ntđáhiệayIVXLCQquậnNgàyTỉ\n", max_size=60))
def test_word_start_and_skip_on_any_text(text):
    for body in (r"(?:ngày\s+)?(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})(?![\d/])",
                 r"(?:ngày|tháng)\s*,?\s*(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})(?![\d/])",
                 r"(?:\d+\s+năm\s*)?\(?\s*(?P<a>\d\d)\s*[-–]\s*(?P<b>\d\d)",
                 r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})"):
        plain = re.compile(r"(?<![\w])(?:" + body + ")")
        assert spans(WordStart(body).finditer(text)) == spans(plain.finditer(text))
    rx = re.compile(r"(?<![\w])(?:quận|Quận)\s+(\d{1,2})(?![\w])")
    assert spans(Skip(rx).finditer(text)) == spans(rx.finditer(text))


def test_lower_is_safe():
    assert lower_is_safe("Tỉnh ủy Hà Nội, ĐẢNG BỘ")
    # Turkish dotless i, the long s and the Kelvin-less Greek letters fold differently in re
    for c in ("ı", "ſ", "İ", "Σ", "ς"):
        assert not lower_is_safe("Hà Nội " + c)
    rx, low = re.compile("hội nghị", re.IGNORECASE), re.compile("hội nghị")
    text = "HỘI NGHỊ Ban Chấp hành; Hội Nghị"
    assert lower_is_safe(text)
    assert [m.span() for m in rx.finditer(text)] == [m.span() for m in low.finditer(lower(text))]
