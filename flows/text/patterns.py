r"""Regex building blocks, on public APIs only (no CPython private module).

- trie_pattern: a long word list as a trie. Python's re tries the alternatives of "Hà Nội|Hà
  Nam|Hải Dương|..." one by one at every position; the trie ("H(?:à N(?:ội|am)|ải Dương)|...")
  tries one branch per letter, which for the ~700 place names is more than 10 times faster. It
  matches exactly what the plain alternation (longest word first) matches: at one position the
  words that fit are prefixes of one another, and the trie tries the longer one first.
- lower_is_safe: whether a lower-case pattern run on letters.lower(text) finds what the
  case-insensitive pattern finds on text (re.IGNORECASE is slow on non-ASCII text).
- WordStart: a pattern that opens with (?<![\w]), found without trying every position.
- DIGITS: every character ``\\d`` matches, spelled out for a character set (re tests a set of
  characters faster than one holding a category).

tests/test_patterns.py checks each against the plain form, over every character of the BMP.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable


def trie_pattern(words: Iterable[str]) -> str:
    """A regex source (no group) matching any of `words`, the longest one first."""
    root: dict = {}
    for w in words:
        if not w:
            raise ValueError("an empty word")
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    if not root:
        raise ValueError("no words")
    return _emit(root)


def _emit(node: dict) -> str:
    alts = [re.escape(ch) + _emit(node[ch]) for ch in sorted(k for k in node if k)]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 and "" not in node else "(?:" + "|".join(alts) + ")"
    return body + "?" if "" in node else body


def word_start(body: str, flags: int = 0) -> re.Pattern:
    r"""(?<![\w])(?:body): `body` where it does not continue a word."""
    return re.compile(r"(?<![\w])(?:" + body + ")", flags)


class WordStart:
    r"""word_start(body, flags).finditer, the same matches found faster. re cannot skip ahead in
    a pattern that opens with a look-behind: it tries it at every position of the text. This
    searches the body alone, which re skips to where its first characters are, and drops a match
    with a word character before it (what (?<![\w]) tests: str.isalnum() or "_"), going on one
    character further. An empty match is left to the plain pattern from there."""

    def __init__(self, body: str, flags: int = 0):
        self.pattern = word_start(body, flags)
        self._body = re.compile("(?:" + body + ")", flags)

    def finditer(self, text: str, pos: int = 0):
        search = self._body.search
        n = len(text)
        pos = min(pos, n)
        while pos <= n and (m := search(text, pos)) is not None:
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] == "_"):
                pos = s + 1
                continue
            if e == s:
                yield from self.pattern.finditer(text, s)
                return
            yield m
            pos = e


DIGITS = "".join(re.escape(c) for c in map(chr, range(0x10000)) if c.isdecimal()) + "\U00010000-\U0010ffff"


def _case_specials() -> str:
    """Characters for which a case-insensitive match and a match on letters.lower(text) can
    differ: those whose lower case is not one character or not their case fold, those whose upper case lowers to
    another letter ("ı" -> "I" -> "i", "ſ" -> "S" -> "s", "ς" -> "Σ" -> "σ": re matches such
    letters to each other), and those other letters, except "i" and "s" ("I" and "i", "S" and
    "s" are the same either way)."""
    out = set()
    chars = [chr(cp) for cp in range(0x10000)]
    for c in chars:
        low, up = c.lower(), c.upper()
        if len(low) != 1 or c.casefold() != low:
            out.add(c)
        if len(up) == 1 and up.lower() != low:
            out.update({c, up, up.lower()})
    out -= set("iIsS")
    # and the letters whose lower or upper case is one of those ("ϴ" lowers to "θ", which re
    # matches to "ϑ")
    out |= {c for c in chars if c.lower() in out or c.upper() in out} - set("iIsS")
    return "".join(sorted(out))


_SPECIALS = re.compile("[" + re.escape(_case_specials()) + "]")


def case_safe(text: str) -> bool:
    """lower_is_safe(text), not cached: for the many short texts asked once each (a cache of
    them would push out the bodies that several extractors ask about)."""
    return _SPECIALS.search(text) is None


@lru_cache(maxsize=32)
def lower_is_safe(text: str) -> bool:
    """Does a pattern of lower-case letters, run without re.IGNORECASE on letters.lower(text),
    find exactly what it finds with re.IGNORECASE on text? True unless text holds one of the
    few characters whose case rules differ (_case_specials); callers keep the
    case-insensitive pattern for those texts. Cached: several extractors ask it of the same body."""
    return case_safe(text)
