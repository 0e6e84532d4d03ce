"""Sentence spans in a cleaned body, for provenance (metrics.sentence, char_start, char_end).

A sentence ends at a line break, or at ". ", "! ", "? ", "… " followed by an upper-case
letter, a digit or an opening quote, or at a stop glued to a capitalised word after a word of
three letters or more or a bracket ("(NSNN).Tuy nhiên"), unless the dot ends a known
abbreviation ("TP.", "TS.", "ThS.") or a single upper-case initial ("P. L").
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from .letters import LOWER, UPPER

_ABBREVIATIONS = ("TP", "Tp", "tp", "TX", "TT", "ThS", "TS", "PGS", "GS", "BS", "KS", "St", "Th", "Q", "P", "H")
# One mark opens every match, so that re skips to the marks instead of trying every position
# (a pattern opening with a look-behind, or with two alternatives, is tried at each one).
_END = re.compile(r"[.!?…](?:[.!?…]*[\"”’)]?(?=\s+[\"“‘(]?[" + UPPER + r"0-9])"
                  # a stop glued to the next sentence ("(NSNN).Tuy nhiên"): after a word of three
                  # letters or more, or a closing bracket or quote, before a capitalised word
                  r"|(?<=[.!?])(?:(?<=[^\W\d_]{3}.)|(?<=[)”\"].))(?=[" + UPPER + r"][" + LOWER + r"]))")
_ABBR_BEFORE = re.compile(r"(?:^|[\s(])(?:" + "|".join(_ABBREVIATIONS) + r"|[A-ZĐ])\.$")


class Span(NamedTuple):
    start: int
    end: int


def sentence_spans(body: str) -> list[Span]:
    """Non-empty sentence spans, stripped of surrounding white space, in order."""
    spans: list[Span] = []
    pos = 0
    for line in body.split("\n"):
        line_start = pos
        pos += len(line) + 1
        cut = 0
        for m in _END.finditer(line):
            if _ABBR_BEFORE.search(line[max(0, m.start() - 6): m.start() + 1]):
                continue
            spans.extend(_stripped(line, line_start, cut, m.end()))
            cut = m.end()
        spans.extend(_stripped(line, line_start, cut, len(line)))
    return spans


def _stripped(line: str, offset: int, a: int, b: int) -> Iterator[Span]:
    piece = line[a:b]
    lead = len(piece) - len(piece.lstrip())
    trail = len(piece) - len(piece.rstrip())
    if b - trail > a + lead:
        yield Span(offset + a + lead, offset + b - trail)


def sentences(body: str) -> list[tuple[str, int, int]]:
    """(sentence, char_start, char_end) with body[char_start:char_end] == sentence."""
    return [(body[s:e], s, e) for s, e in sentence_spans(body)]
