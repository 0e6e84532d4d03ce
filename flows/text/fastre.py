"""Faster regexes with the same matches.

- trie_pattern: a long word list as a trie. Python's re tries the alternatives of "Hà Nội|Hà
  Nam|Hải Dương|..." one by one at every position; the trie ("H(?:à N(?:ội|am)|ải Dương)|...")
  tries one branch per letter, which for the ~700 place names is more than 10 times faster. It
  matches exactly what the plain alternation (longest word first) matches: at one position the
  words that fit are prefixes of one another, and the trie tries the longer one first.
- WordStart and Skip: a pattern that opens with a look-behind, a repeat or a set of alternatives
  that do not all open with a letter makes re try it at every position of the text. These find
  the positions where a match can start (first_chars: the characters it can open with) in C and
  try the pattern there only, or skip a text where a required part is nowhere.
- lower_is_safe: whether a lower-case pattern run on letters.lower(text) finds what the
  case-insensitive pattern finds on text (re.IGNORECASE is slow on non-ASCII text).

Every faster form is checked against the plain pattern by tests/test_fastre.py, and the whole
extractor against a snapshot of its output by bench/extract_regress.py.
"""
from __future__ import annotations

import re
from re import _constants as _C, _parser as _P
from functools import lru_cache
from typing import Iterable, Iterator


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


class WordStart:
    """re.compile(r"(?<![\\w])(?:" + body + ")", flags), the same matches, found faster.

    A pattern that opens with a look-behind makes re test it at every position of the text.
    When the body opens with digits or punctuation (first_chars below), WordStart looks for such
    a character with no letter, digit or _ before it (the test (?<![\\w]) makes) in C and tries
    the body there only. When re can skip to the body's first letters itself, finditer()
    searches the body and checks the character before itself; a body that opens with an
    optional part keeps the look-behind pattern. Either way a text where a required later part
    of the body (digits: "D/M") is nowhere is skipped (the guard)."""

    def __init__(self, body: str, flags: int = 0):
        self.pattern = re.compile(r"(?<![\w])(?:" + body + ")", flags)
        firsts = None if _skips(body, flags) else first_chars(body, flags)
        if firsts is not None and not _sparse(firsts):
            firsts = None  # letters or spaces start too many words: re's own search is faster
        self._body = None if firsts is None and _opens_optional(body) else re.compile("(?:" + body + ")", flags)
        if self.pattern.match("") is not None or _P.parse(body, flags).getwidth()[0] == 0:
            self._body = None  # a body that can match "": re's own finditer handles empty matches
            firsts = None
        # Without candidates, re tries the body (or the look-behind pattern) at every position, or
        # at every one of its first letters, common ones. The rest of the body after its first
        # parts must match inside any match; when that rest opens with digits or punctuation, a
        # search for it is fast, and when it finds nothing, nothing matches ("Sáng 2/8": no
        # "D/M" in the text, no match).
        self._guard = None
        own = first_chars(body, flags)
        if firsts is None and not _literal_prefix(body, flags) and not (own is not None and _sparse(own)):
            for tail in _element_tails(body):
                gf = first_chars(tail, flags)
                if gf is None or not _sparse(gf):
                    continue
                if next(_element_tails(tail), None) is not None:  # one element ("a year") is too common
                    try:
                        re.compile(tail, flags)
                        self._guard = (tail, flags)
                    except re.error:
                        pass
                break
        # "[first](?<![\w].)": a first character with no word character before it. Starting with a
        # set, the pattern lets re skip to candidates in C.
        self._start = None if firsts is None else re.compile("[" + _spelled(firsts) + r"](?<![\w](?s:.))")

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match]:
        if self._start is not None:
            match = self._body.match
            for c in self._start.finditer(text, pos):
                s = c.start()
                if s < pos:
                    continue
                m = match(text, s)
                if m is not None:
                    yield m
                    e = m.end()
                    pos = e if e > s else s + 1
            return
        if self._guard is not None and not _found(*self._guard, text, pos):
            return
        if self._body is None:
            yield from self.pattern.finditer(text, pos)
            return
        search = self._body.search
        while (m := search(text, pos)) is not None:
            s, e = m.span()
            if s and (text[s - 1].isalnum() or text[s - 1] == "_"):  # what (?<![\w]) tests
                pos = s + 1
                continue
            yield m
            pos = e if e > s else s + 1


@lru_cache(maxsize=64)
def _guard_pattern(source: str, flags: int) -> Skip:
    return Skip(re.compile(source, flags))


@lru_cache(maxsize=32)
def _found(source: str, flags: int, text: str, pos: int) -> bool:
    """Does the guard pattern `source` match in text[pos:]? Cached: patterns of one table share
    their guards ("D/M/Y" for several date shapes) and search the same text."""
    return _guard_pattern(source, flags).search(text, pos) is not None


def _skips(body: str, flags: int) -> bool:
    """Does re itself skip to where the body can match (a literal prefix or a set of first
    letters, re._compiler's own test)?"""
    from re import _compiler

    parsed = _P.parse("(?:" + body + ")", flags)
    prefix, _skip, _all = _compiler._get_literal_prefix(parsed, flags)
    return bool(prefix) or _compiler._get_charset_prefix(parsed, flags) is not None


def _sparse(firsts: str) -> bool:
    """Is a first_chars() set rare in running text: digits and punctuation, no letter or space?"""
    items = re.findall(r"\\.|.", firsts)
    return all(i == r"\d" or not (i[-1].isalpha() or i in (r"\s", r"\w", " ")) for i in items)


class _Unknown(Exception):
    pass


_CATEGORIES = {_C.CATEGORY_DIGIT: r"\d", _C.CATEGORY_WORD: r"\w", _C.CATEGORY_SPACE: r"\s"}
# \d and \s spelled out as characters (and every character past U+FFFF, where a few more digits
# live): re tests a set of characters much faster than one holding a category.
_SPELLED = {
    r"\d": "".join(re.escape(c) for c in map(chr, range(0x10000)) if c.isdecimal()) + "\U00010000-\U0010ffff",
    r"\s": "".join(re.escape(c) for c in map(chr, range(0x10000)) if c.isspace()),
}


def _spelled(firsts: str) -> str:
    """A first_chars() set with \\d and \\s spelled out (a superset: the same candidates or more)."""
    return "".join(_SPELLED.get(t, t) for t in re.findall(r"\\.|.", firsts, re.DOTALL))


def first_chars(body: str, flags: int = 0) -> str | None:
    """The inside of a character set holding every character a match of the regex `body` can
    start with, or None when that cannot be worked out here (case-insensitive patterns, negated
    sets, ".", back-references) or a match can be empty. Zero-width assertions are skipped,
    which can only make the set larger."""
    if flags & re.IGNORECASE:
        return None
    try:
        items, nullable = _first(_P.parse(body, flags))
    except _Unknown:
        return None
    if nullable or not items:
        return None
    return "".join(sorted(items))


def last_chars(body: str, flags: int = 0) -> str | None:
    """The inside of a character set holding every character a match of `body` can end with
    (compile it with the same flags), or None when that cannot be worked out or a match can be
    empty. Zero-width assertions are skipped."""
    try:
        items, nullable = _first(_P.parse(body, flags), reverse=True, flags=flags)
    except _Unknown:
        return None
    if nullable or not items:
        return None
    return "".join(sorted(items))


def _first(seq, reverse: bool = False, flags: int = 0) -> tuple[set[str], bool]:
    """(set items of the first characters, can the sequence match the empty string)."""
    out: set[str] = set()
    for op, av in (reversed(list(seq)) if reverse else seq):
        if op is _C.LITERAL:
            out.add(re.escape(chr(av)))
            return out, False
        if op is _C.IN:
            for iop, iav in av:
                if iop is _C.LITERAL:
                    out.add(re.escape(chr(iav)))
                elif iop is _C.RANGE:
                    out.add(re.escape(chr(iav[0])) + "-" + re.escape(chr(iav[1])))
                elif iop is _C.CATEGORY and iav in _CATEGORIES:
                    out.add(_CATEGORIES[iav])
                else:
                    raise _Unknown
            return out, False
        if op is _C.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & re.IGNORECASE:
                raise _Unknown
            got, nullable = _first(sub, reverse, flags)
        elif op is _C.BRANCH:
            nullable = False
            got = set()
            for alt in av[1]:
                g, n = _first(alt, reverse, flags)
                got |= g
                nullable = nullable or n
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
            lo, _hi, sub = av
            got, nullable = _first(sub, reverse, flags)
            nullable = nullable or lo == 0
        elif op is _C.ATOMIC_GROUP:
            got, nullable = _first(av, reverse, flags)
        elif op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue  # zero width
        else:
            raise _Unknown
        out |= got
        if not nullable:
            return out, False
    return out, True


def _opens_optional(body: str) -> bool:
    """Does the regex source start with a group marked optional ("(?:ngày\\s+)?...")?"""
    if not body.startswith("("):
        return False
    depth = 0
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a set: skip to its end
            j = body.find("]", i + 2)
            i = j + 1 if j > 0 else len(body)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return body[i + 1:i + 2] in ("?", "*")
        i += 1
    return False


class Skip:
    """A compiled pattern with the same search() and finditer() results, found faster when re
    itself cannot skip ahead (the pattern opens with a look-behind, a repeat or a set of
    alternatives that do not all open with a letter): a set of the characters a match can start
    with (first_chars) finds the candidates in C, and the pattern is tried there only. A pattern
    that opens with (?<![\\w]) also has candidates with a word character before them dropped in C.
    A pattern that opens with a negative look-behind (?<!X) has it tested in C as well, on the
    character before each candidate. Other methods (match, sub, ...) are the pattern's own."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self._start = None
        self._words = None
        src = pattern.pattern
        if src.startswith(r"(?<![\w])") and not _top_level_bar(src) \
                and _skips(src[len(r"(?<![\w])"):], pattern.flags):
            # "(?<![\w])" + a body re can skip to: WordStart searches the body
            self._words = WordStart(src[len(r"(?<![\w])"):], pattern.flags)
            return
        firsts = first_chars(src, pattern.flags)
        if firsts is not None:
            behind = _leading_lookbehind(pattern.pattern)
            self._start = re.compile("[" + _spelled(firsts) + "]" + (f"(?<!{behind}(?s:.))" if behind else ""),
                                     pattern.flags & ~re.IGNORECASE)

    def __getattr__(self, name):
        return getattr(self.pattern, name)

    def search(self, text: str, pos: int = 0) -> re.Match | None:
        if self._words is not None:
            return next(self._words.finditer(text, pos), None)
        if self._start is None:
            return self.pattern.search(text, pos)
        match = self.pattern.match
        for c in self._start.finditer(text, pos):
            m = match(text, c.start())
            if m is not None:
                return m
        return None

    def finditer(self, text: str, pos: int = 0) -> Iterator[re.Match]:
        if self._words is not None:
            yield from self._words.finditer(text, pos)
            return
        if self._start is None:
            yield from self.pattern.finditer(text, pos)
            return
        match = self.pattern.match
        for c in self._start.finditer(text, pos):
            s = c.start()
            if s < pos:
                continue
            m = match(text, s)
            if m is not None:  # never empty: first_chars is None for a pattern that can match ""
                yield m
                pos = m.end()


_ATOM = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]\\])*\]|[^\\()\[|?*+{]")
_QUANTIFIER = re.compile(r"(?:[?*+]|\{\d*(?:,\d*)?\})\??")
_NO_TAILS = re.compile(r"\\[xuUN0-9]|\(\?\(|\(\?[aiLmsux]+\)")  # escapes of several characters, conditionals, global flags


def _element_tails(body: str) -> Iterator[str]:
    """The regex sources left after dropping the first element of `body`, the first two, ...
    (an element: a character, an escape, a set or a group, with its quantifier). A match of
    body holds a match of each of them. Nothing for a body with a "|" at the top level or with
    what this reading does not cover (_NO_TAILS)."""
    if _top_level_bar(body) or _NO_TAILS.search(body):
        return
    rest = body
    while rest:
        if rest.startswith("("):
            end = _group_end(rest) + 1
        else:
            m = _ATOM.match(rest)
            if m is None:
                return
            end = m.end()
        q = _QUANTIFIER.match(rest, end)
        rest = rest[q.end() if q else end:]
        if rest and rest[0] not in "?*+{":
            yield rest


def _literal_prefix(body: str, flags: int) -> bool:
    """Does the body open with a literal of two characters or more (re finds those fast)?"""
    from re import _compiler

    prefix, _skip, _all = _compiler._get_literal_prefix(_P.parse("(?:" + body + ")", flags), flags)
    return len(prefix) >= 2


def _structure(source: str):
    """(index, character, depth after it) of each "(", ")" and "|" of a regex source that is
    not escaped and not inside a character set."""
    depth, i = 0, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1
            if source[j:j + 1] == "^":
                j += 1
            if source[j:j + 1] == "]":
                j += 1
            while j < len(source) and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            i = j + 1
            continue
        if c in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[c]
            yield i, c, depth
        i += 1


def _group_end(source: str) -> int:
    """Index of the ")" closing the group that opens source."""
    for i, c, depth in _structure(source):
        if c == ")" and depth == 0:
            return i
    raise ValueError("unbalanced group")


def _top_level_bar(source: str) -> bool:
    """Does the regex source have a "|" outside any group or set?"""
    return any(c == "|" and depth == 0 for _, c, depth in _structure(source))


def _leading_lookbehind(source: str) -> str | None:
    """X of a regex source that opens with a negative look-behind "(?<!X)", else None."""
    if not source.startswith("(?<!"):
        return None
    try:
        return source[4:_group_end(source)]
    except ValueError:
        return None


def _case_specials() -> str:
    """Characters for which a case-insensitive match and a match on text.lower() can differ:
    those whose lower case is not one character or not re's own lower case, and those re
    matches to other letters besides (re._casefix: "ı" and "i", "ſ" and "s", Greek variants)."""
    import _sre
    from re import _casefix

    related = {k for k in _casefix._EXTRA_CASES} | {x for v in _casefix._EXTRA_CASES.values() for x in v}
    related -= {ord("i"), ord("s")}  # "I" and "i", "S" and "s" are the same either way
    out = set()
    for cp in range(0x10000):
        c = chr(cp)
        low = c.lower()
        if len(low) != 1 or ord(low) != _sre.unicode_tolower(cp) or ord(low) in related:
            out.add(c)
    return "".join(sorted(out))


_SPECIALS = re.compile("[" + re.escape(_case_specials()) + "]")


def lower_is_safe(text: str) -> bool:
    """Does a pattern of lower-case letters, run without re.IGNORECASE on letters.lower(text),
    find exactly what it finds with re.IGNORECASE on text? True unless text holds one of the
    few characters whose case rules differ (_case_specials); callers keep the
    case-insensitive pattern for those texts."""
    return _SPECIALS.search(text) is None
