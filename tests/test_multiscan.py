"""flows/text/multiscan.py: one Hyperscan scan says which patterns can match; never one that can
and is said absent."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings, strategies as st

from flows.text import dates, numbers, periods
from flows.text.letters import lower
from flows.text import multiscan
from flows.text.multiscan import PatternSet, loosen


def test_loosen_drops_zero_width_tests_and_keeps_what_matches():
    assert loosen(r"(?<![\w])(?:quận)\s+(\d{1,2})(?![\w])") == r"(?:quận)[\s\x1c-\x1f]+(?:\d{1,2})"
    assert loosen(r"(?P<d>\d{1,2})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)") == r"(?:\d{1,2})(?:[/.-])(?:\d{1,2})(?:[/.-])"
    assert loosen(r"^\bsố[\s,]*$") == r"số[\s\x1c-\x1f,]*"
    assert loosen(r"(?i:hội)(?=\s)?x") == r"(?i:hội)x"


def test_pattern_set_finds_the_shapes_present():
    ps = PatternSet([(r"(?<![\w])(?P<d>\d{1,2})/(?P<m>\d{1,2})", 0), (r"tháng\s+\d", 0), (r"(?i)quý", 0)])
    assert ps.present("sáng 26/6, hội nghị") == {0, 2}  # "(?i)" as a global flag: not Hyperscan's, always
    assert ps.present("tháng 6") == {1, 2}
    assert PatternSet([(r"x?", 0)]).present("abc") == {0}  # can match "": always
    assert PatternSet([(r"hội nghị", re.IGNORECASE)]).present("HỘI NGHỊ") == {0}


_PIECES = ["sáng", "chiều", "ngày", "tháng", "năm", "quý", "thứ hai", "chủ nhật", "mồng", "đến", "hết", "cuối",
           "tính đến", "6 tháng đầu năm", "nhiệm kỳ", "giai đoạn", "hiện nay", "nâng tổng số", "qua", "đầu",
           "26", "6", "2019", "2015", "2020", "19", "8h30", "10:15", "I", "IV", "sáu", "/", "-", "–", ".", ",",
           "(", ")", " ", "  ", "\n", "\x1c", "\u00a0", "x", "a1"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.booleans())
def test_no_date_or_period_shape_that_matches_is_said_absent(pieces, glue):
    text = ("" if glue else " ").join(pieces)
    low = lower(text)
    for table, present in ((dates._PATTERNS, dates._PRESENT.present(low)),
                           (periods._PATTERNS, periods._PRESENT.present(low))):
        for k, row in enumerate(table):
            rx = row[1] if len(row) == 2 else row[3]
            if next(rx.finditer(low), None) is not None:
                assert k in present, (row[0], text)


def test_the_date_and_period_tables_compile_in_hyperscan():
    assert dates._PRESENT.always == set() and periods._PRESENT.always == set()
    assert numbers._CTX_PRESENT.always == set()


_CONTEXT_PIECES = ["lúc", "vào", "lần thứ", "khóa", "Đại hội", "hạng", "Loại", "quý", "ngày", "Chỉ thị", "số",
                   "Tổng số", "Trung ương", "TW", "Cụm", "Quận", "năm", "nhiệm kỳ", "tháng", "/", "VN-Index",
                   "Hà Nội", "A", " ", ". ", "\x1c", "12", "(HĐND)"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CONTEXT_PIECES), max_size=10))
def test_no_number_context_that_occurs_is_said_absent(pieces):
    text = " ".join(pieces)
    present = numbers._CTX_PRESENT.present(text)
    for k, row in enumerate(numbers._BEFORE_CTX):
        flags = re.IGNORECASE if "i" in row.get("flags", "") else 0
        if re.search("(?:" + numbers.expand_classes(row["context"]) + ")", text, flags):
            assert k in present, (row["context"], text)


def test_a_compiled_set_is_cached_and_a_damaged_cache_is_compiled_again(tmp_path, monkeypatch):
    monkeypatch.setattr(multiscan, "CACHE_DIR", tmp_path)
    patterns = [(r"(?<![\w])(?P<d>\d{1,2})/(?P<m>\d{1,2})", 0), (r"tháng\s+\d", 0)]
    first = PatternSet(patterns)
    cached = list(tmp_path.glob("hyperscan-*.db"))
    assert len(cached) == 1
    again = PatternSet(patterns)  # loaded from the file
    for text in ("sáng 26/6", "tháng 6", "không có gì"):
        assert again.present(text) == first.present(text)
    assert again.present("sáng 26/6, tháng 6") == {0, 1}
    cached[0].write_bytes(b"damaged")
    third = PatternSet(patterns)
    assert third.present("tháng 6") == {1}
    assert cached[0].read_bytes() != b"damaged"  # compiled again and written back
    monkeypatch.setattr(multiscan, "CACHE_DIR", tmp_path / "file" / "cache")
    (tmp_path / "file").write_text("not a folder")
    assert PatternSet(patterns).present("26/6") == {0}  # a cache that cannot be written: compiled


_TONE_PIECES = ["o", "O", "u", "U", "q", "Q", "qu", "hoà", "hoá", "uỷ", "thuý", "quý", "qúa", "quỳ", "toàn", "oè",
                "à", "á", "ạ", "è", "ý", "ỵ", "ù", "ú", "ụ", "a", "ê", "ơ", "y", "n", "Đ", "3", "²", "Ⅻ", "_", "-",
                " ", "\n", ".", "ǅ"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TONE_PIECES), max_size=16), st.integers(0, 300))
def test_the_tone_scan_misses_no_old_style_tone_mark(pieces, pad):
    """normalize.needs_normalizing skips its two searches when one Hyperscan scan finds neither
    pattern: the scan must find each text the searches find, and the answer stay the same."""
    from flows.text import normalize

    for text in ("".join(pieces), "x" * pad + " ".join(pieces), " ".join(pieces) + "." * pad):
        found = normalize._OPEN_SYLLABLE_TONE.search(text) or normalize._QU_TONE.search(text)
        if found:
            assert normalize._TONE_SCAN.present(" " + text + " "), text
        old = not (text.isascii() or (unicodedata.is_normalized("NFC", text) and not found))
        assert normalize.needs_normalizing(text) == old, text


_WORD_PIECES = ["a", "b", "ab", "ba", "aab", "đ", "ả", "đảng", "ng", "xây dựng", " ", "\n", "x"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_WORD_PIECES), min_size=1, max_size=6, unique=True),
       st.lists(st.sampled_from(_WORD_PIECES + ["\ud800", "中"]), max_size=30))
def test_words_finds_what_their_trie_pattern_finds(words, pieces):
    from flows.text.patterns import trie_pattern

    text = "".join(pieces)
    assert multiscan.Words(words, cache=False).leftmost_longest(text) == re.findall(trie_pattern(words), text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["xây dựng đảng", "đảng viên", "kết nạp", "đảng", "tổ chức cơ sở đảng", "chi bộ",
                                 "cơ sở", "viên", " ", ", ", "x", "\n"]), max_size=25))
def test_topic_terms_found_as_the_pattern_finds_them(pieces):
    from flows.extract import topic

    text = "".join(pieces)
    assert topic._LOWER_WORDS.leftmost_longest(text) == re.compile(topic._PATTERN.pattern).findall(text)


_MEETING_PIECES = ["hội nghị", "sơ kết", "tổng kết", "giao ban", "đại hội", "khai mạc", "bế mạc", "tổ chức", "lần thứ",
                   "đảng bộ", "chi bộ", "đại biểu", "phiên", "lễ", "trao", "kỷ niệm", "gặp mặt", "tọa đàm", "xvi",
                   "  ", " ", ".", ",", "\n", "\x1c", "x", "(", ")"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_MEETING_PIECES), max_size=16), st.booleans())
def test_no_meeting_kind_rule_that_matches_is_said_absent(pieces, glue):
    from flows.extract import meeting

    text = ("" if glue else " ").join(pieces)
    present = meeting._LOWER_PRESENT.present(text)
    for k, fast in enumerate(meeting._LOWER_RULES):
        if fast is not None and fast.search(text):
            assert k in present, (k, text)


_WINDOW_PIECES = _CONTEXT_PIECES + ["thứ", "lần", "lúc", "Tổng số", "Con số", "tổ", "Ông", "Bà", "ASEM", "Mỹ Đình",
                                    "tháng 5 năm", "26", "2019", "VIII", "ba", "\n", "  ", "\u00a0", "x" * 30, "ſố",
                                    "İ", "Số"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WINDOW_PIECES), max_size=14), st.booleans(), st.integers(0, 14), st.integers(0, 50))
def test_a_before_context_that_matches_ends_where_the_scan_says(pieces, glue, at, pad):
    """_context_kind tries a before row only where the scan has its context end in the 48
    characters before the number with only white space after it (_can_end_before), and a
    weak_before row only where its context occurs: never a row whose pattern matches the window
    (the search it replaces)."""
    pieces.insert(min(at, len(pieces)), " " * pad)  # a context near the window's far end
    text = ("" if glue else " ").join(pieces)
    present = numbers._CTX_PRESENT.ends(text)
    for start in range(len(text) + 1):
        window = text[max(0, start - 48):start]
        for k, _kind, rx, _cons in numbers._BEFORE_ROWS:
            if rx.search(window):
                assert k in present and numbers._can_end_before(present[k], text, start), (k, text, start)
        for k, _kind, rx, _cons in numbers._WEAK_ROWS:
            if rx.search(window):
                assert k in present, (k, text, start)


def test_ends_are_character_offsets_of_every_match_end():
    ps = PatternSet([("tháng", 0), ("ngày", 0)], with_ends=frozenset({0}))
    assert ps.ends("tháng 5, tháng 6 ngày 2") == {0: (5, 14), 1: None}
    assert ps.ends("không") == {}
    assert PatternSet([(r"x?", 0)], with_ends=frozenset({0})).ends("abc") == {0: None}  # always: anywhere


def test_a_before_context_at_the_far_end_of_the_window_is_tried():
    """The window is 48 characters: a context whose match starts there, with only white space
    after it, is still tried."""
    for piece in _WINDOW_PIECES:
        for pad in range(0, 50):
            text = "x " + piece + " " * pad + "12"
            start = len(text) - 2
            present = numbers._CTX_PRESENT.ends(text)
            for k, _kind, rx, _cons in numbers._BEFORE_ROWS:
                if rx.search(text[max(0, start - 48):start]):
                    assert k in present and numbers._can_end_before(present[k], text, start), (k, text)
