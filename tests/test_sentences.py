"""Sentence spans (flows/text/sentences.py)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from flows.text.letters import LOWER, UPPER
from flows.text.sentences import _END, sentence_spans, sentences


@pytest.mark.parametrize("text,want", [
    ("Tỉnh đã kết nạp 200 đảng viên. Năm 2019 có 300.", ["Tỉnh đã kết nạp 200 đảng viên.", "Năm 2019 có 300."]),
    # a stop glued to the next sentence, after a word or a bracket
    ("ảnh hưởng đến thu ngân sách nhà nước (NSNN).Tuy nhiên, thành phố vẫn thu đạt.",
     ["ảnh hưởng đến thu ngân sách nhà nước (NSNN).", "Tuy nhiên, thành phố vẫn thu đạt."]),
    ("Hội nghị bế mạc.Sau đó, đoàn đi thăm xã.", ["Hội nghị bế mạc.", "Sau đó, đoàn đi thăm xã."]),
    # abbreviations and initials glued to a name stay in the sentence
    ("TP.Hồ Chí Minh có 24 quận, huyện.", ["TP.Hồ Chí Minh có 24 quận, huyện."]),
    ("ThS.Nguyễn Văn An phát biểu.", ["ThS.Nguyễn Văn An phát biểu."]),
    ("Bài: Th.Dương", ["Bài: Th.Dương"]),
    ("Truy cập Baonghean.vn để đọc.", ["Truy cập Baonghean.vn để đọc."]),
])
def test_sentences(text, want):
    got = sentences(text)
    assert [s for s, _, _ in got] == want
    assert all(text[a:b] == s for s, a, b in got)


# _END as first written: two alternatives, the second opening with look-behinds (re tries it at
# every position). The pattern in the module opens with one mark instead: the same matches.
_END_AS_WRITTEN = re.compile(r"[.!?…][.!?…]*[\"”’)]?(?=\s+[\"“‘(]?[" + UPPER + r"0-9])"
                             r"|(?:(?<=[^\W\d_]{3})|(?<=[)”\"]))[.!?](?=[" + UPPER + r"][" + LOWER + r"])")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcAB Tuyđ)”\".!?…’(“‘0 \n", max_size=30))
def test_end_finds_what_the_written_pattern_finds(text):
    assert [m.span() for m in _END.finditer(text)] == [m.span() for m in _END_AS_WRITTEN.finditer(text)]


def _plain_sentences(body: str) -> list[tuple[str, int, int]]:
    """The splitting rule written plainly: each line cut after each sentence end, each piece
    stripped of white space, empty ones dropped."""
    from flows.text.sentences import _ABBR_BEFORE, _END

    out, pos = [], 0
    for line in body.split("\n"):
        cuts = [m.end() for m in _END.finditer(line) if not _ABBR_BEFORE.search(line[max(0, m.start() - 6):m.start() + 1])]
        for a, b in zip([0] + cuts, cuts + [len(line)]):
            piece = line[a:b]
            lead, trail = len(piece) - len(piece.lstrip()), len(piece) - len(piece.rstrip())
            if b - trail > a + lead:
                out.append((body[pos + a + lead:pos + b - trail], pos + a + lead, pos + b - trail))
        pos += len(line) + 1
    return out


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["Ab", "cd", "Đảng", "TP", "ThS", "Q", "3", "x", ".", "..", "!", "?", "…", "\"", "“",
                                 "”", "’", ")", "(", " ", "  ", "\t", "\n", "\x1c", "\u2003", "_"]), max_size=40))
def test_sentences_are_those_of_the_plain_rule(pieces):
    body = "".join(pieces)
    assert sentences(body) == _plain_sentences(body)
    assert [tuple(s) for s in sentence_spans(body)] == [(s, e) for _t, s, e in _plain_sentences(body)]
