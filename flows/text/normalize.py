"""Text normalisation, done once per article: NFC and one tone-mark style.

Vietnamese has two conventions for where the tone mark goes in an open syllable
ending in "oa", "oe", "uy": the old style "hoà", "uỷ" and the newer "hòa", "ủy".
Articles mix them; the warehouse stores the newer style so that "Tỉnh uỷ" and
"Tỉnh ủy" are the same string. "quý", "hoàng", "thuyền" are left alone (the
vowel after "q" is part of the consonant; a closed syllable keeps its mark).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .letters import LOWER, UPPER
from .multiscan import PatternSet

_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}
# o/u followed by a toned a/e/y that ends the syllable (no letter follows).
# (Written with the o/u first and the "no q before" check after it: re then skips straight to
# the o/u letters instead of testing the look-behind at every position, 4 times faster.)
_OPEN_SYLLABLE_TONE = re.compile(r"([oOuU](?<![qQ].)(?:(?<=[oO])[àáảãạèéẻẽẹ]|(?<=[uU])[ỳýỷỹỵ]))(?![^\W\d_])")
# Misplaced mark on the "u" of "qu" ("qúa" -> "quá"): the tone belongs on the next vowel.
_QU_TONE = re.compile(r"([qQ])([ùúủũụ])([aăâeêioôơy])(?![^\W\d_])")


def _move_tone(match: re.Match) -> str:
    first, second = match.group(1)[0], match.group(1)[1]
    decomposed = unicodedata.normalize("NFD", second)
    tone = "".join(c for c in decomposed if c in _TONES)
    base = "".join(c for c in decomposed if c not in _TONES)
    return unicodedata.normalize("NFC", first + tone) + unicodedata.normalize("NFC", base)


def _move_qu_tone(match: re.Match) -> str:
    q, u_toned, vowel = match.groups()
    decomposed = unicodedata.normalize("NFD", u_toned)
    tone = "".join(c for c in decomposed if c in _TONES)
    base = "".join(c for c in decomposed if c not in _TONES)
    return q + base + unicodedata.normalize("NFC", vowel + tone)


# The two patterns above as Hyperscan can scan them, on " " + text + " " (that space stands for the
# start and the end of the text): each drops no match of its pattern (a letter of letters.py is a
# letter for [^\W\d_]; tests/test_multiscan.py checks them on generated texts). One scan of a long
# text that finds neither spares the two searches, which re runs at every "o" and "u".
_TONE_SCAN = PatternSet([
    ("[^qQ](?:[oO][àáảãạèéẻẽẹ]|[uU][ỳýỷỹỵ])[^" + UPPER + LOWER + "]", 0),
    ("[qQ][ùúủũụ][aăâeêioôơy][^" + UPPER + LOWER + "]", 0),
])
_SCAN_FROM = 256  # characters: on a shorter text the two searches cost less than a scan


def needs_normalizing(text: str) -> bool:
    """Cheap test: is there anything for normalize_text to do?"""
    if text.isascii():
        return False
    if not unicodedata.is_normalized("NFC", text):
        return True
    if len(text) >= _SCAN_FROM and not _TONE_SCAN.present(" " + text + " "):
        return False
    return _OPEN_SYLLABLE_TONE.search(text) is not None or _QU_TONE.search(text) is not None


def normalize_text(text: str) -> str:
    """NFC plus the newer tone-mark style. Idempotent."""
    if not needs_normalizing(text):
        return text
    s = unicodedata.normalize("NFC", text)
    s = _OPEN_SYLLABLE_TONE.sub(_move_tone, s)
    s = _QU_TONE.sub(_move_qu_tone, s)
    return s


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Comparison key: normalised, casefolded, single spaces. Cached: the extractors fold the
    same short words and phrases over and over."""
    return re.sub(r"\s+", " ", normalize_text(text)).strip().casefold()
