"""The shortcuts of flows/text/numbers.py and flows/extract/metrics.py against the searches they
skip: each says "no match" only where the search finds none."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from flows.extract import metrics
from flows.text import numbers

_AFTER_PIECES = ["tháng", "năm", "giờ", "giờ 30", "sáng", "h", "h30", "g", "là", "Đình", "Ba", "/", "QĐ", "-", "TTg",
                 "nhiệm kỳ", "đời", "người", "đảng viên", " ", "  ", "\n", "\x1c", "8", "30", ",", "x", "A"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_AFTER_PIECES), max_size=10), st.booleans())
def test_no_after_context_that_matches_is_said_absent(pieces, glue):
    text = ("" if glue else " ").join(pieces)
    for pos in range(len(text) + 1):
        after = text[pos:pos + 40]
        if any(rx.match(after) for _kind, _side, rx, _cons in numbers._CTX_AFTER):
            assert numbers._ANY_AFTER.match(after), (text, pos)


def test_the_after_rows_join_into_one_pattern():
    assert numbers._ANY_AFTER is not None


_QUAL_PIECES = list(metrics._TRAILING_WORDS) + ["HƠN", "Được", "ſố", "ſ", "İ", "K", "khoảng", "thêm mới", "đảng viên",
                                                "có", " ", "  ", "\n", "\t", ",", "x", "ban", "sốt"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_QUAL_PIECES), max_size=8), st.booleans())
def test_trailing_qualifiers_dropped_as_the_pattern_drops_them(pieces, glue):
    text = ("" if glue else " ").join(pieces)
    for t in (text, text + " ", text + "\n"):
        assert metrics.drop_trailing_qualifiers(t) == metrics._TRAILING_QUALIFIERS.sub("", t), t
