"""Sentence spans in a cleaned body, for provenance (metrics.sentence, char_start, char_end).

A sentence ends at a line break, or at ". ", "! ", "? ", "… " followed by an upper-case
letter, a digit or an opening quote, or at a stop glued to a capitalised word after a word of
three letters or more or a bracket ("(NSNN).Tuy nhiên"), unless the dot ends a known
abbreviation ("TP.", "TS.", "ThS.") or a single upper-case initial ("P. L").
"""
from __future__ import annotations

import re
from typing import NamedTuple

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
    return [Span(s, e) for _sent, s, e in sentences(body)]


def sentences(body: str) -> list[tuple[str, int, int]]:
    """(sentence, char_start, char_end) with body[char_start:char_end] == sentence."""
    out: list[tuple[str, int, int]] = []
    append = out.append
    abbr = _ABBR_BEFORE.search
    pos = 0
    for line in body.split("\n"):
        offset = pos
        pos += len(line) + 1
        cut = 0
        for m in _END.finditer(line):
            st = m.start()
            if abbr(line[max(0, st - 6): st + 1]):
                continue
            end = m.end()
            piece = line[cut:end]
            sent = piece.strip()
            if sent:  # the piece stripped of white space at both ends: where it stands in body
                start = offset + cut + len(piece) - len(piece.lstrip())
                append((sent, start, start + len(sent)))
            cut = end
        piece = line[cut:]
        sent = piece.strip()
        if sent:
            start = offset + cut + len(piece) - len(piece.lstrip())
            append((sent, start, start + len(sent)))
    return out
