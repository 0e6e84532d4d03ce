r"""One scan of a text for many patterns at once, with Hyperscan: which patterns of a table can
match the text at all. A table of rules (the date shapes, the period shapes) then runs Python's
re only for the patterns that can, instead of searching the whole text with each.

Hyperscan has no look-around, no capture group and no back-reference, so each pattern is
loosened first (loosen): look-arounds and anchors are dropped (a zero-width test dropped only
widens what matches), named groups become plain groups, and a back-reference becomes a copy of
the group it refers to. `\s` is spelled to hold the separators U+001C..U+001F too, which Python
counts as white space and Hyperscan does not. So the loosened pattern matches wherever the
pattern does: when it is absent, the pattern is too (tests/test_multiscan.py checks that on
generated texts, and bench/extract_regress.py on every corpus article). A pattern Hyperscan
cannot compile, or one that can match the empty string, counts as present in every text.
Compiled databases are cached in the package's __pycache__ (see CACHE_DIR).
"""
from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import hyperscan

_SPACE = r"\s\x1c-\x1f"


def loosen(source: str) -> str:
    """A Hyperscan source matching wherever the Python regex `source` matches (see module doc)."""
    groups: dict[str, str] = {}
    out, _ = _loosen(source, 0, groups)
    return out


def _group_end(source: str, i: int) -> int:
    """Index just past the ")" that closes the group opening at source[i] == "("."""
    depth = 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _class_end(source, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced group in {source!r}")


def _class_end(source: str, i: int) -> int:
    """Index just past the "]" that closes the class opening at source[i] == "["."""
    j = i + 1
    if source[j:j + 1] == "^":
        j += 1
    if source[j:j + 1] == "]":
        j += 1
    while j < len(source) and source[j] != "]":
        j += 2 if source[j] == "\\" else 1
    return j + 1


def _loosen(source: str, i: int, groups: dict[str, str], stop: bool = False) -> tuple[str, int]:
    out: list[str] = []
    while i < len(source):
        c = source[i]
        if c == ")" and stop:
            return "".join(out), i
        if c == "\\":
            esc = source[i:i + 2]
            if esc in (r"\b", r"\B", r"\A", r"\Z"):
                pass  # zero width: dropped
            elif esc == r"\s":
                out.append("[" + _SPACE + "]")
            else:
                out.append(esc)
            i += 2
            continue
        if c == "[":
            end = _class_end(source, i)
            out.append(source[i:end].replace(r"\s", _SPACE))
            i = end
            continue
        if c in "^$":
            i += 1
            continue
        if c == "(":
            end = _group_end(source, i)
            head = source[i:i + 4]
            if head.startswith(("(?=", "(?!", "(?<=", "(?<!")):
                i = end
                # a quantifier after a zero-width group means nothing either
                q = re.match(r"(?:[?*+]|\{\d*(?:,\d*)?\})\??", source[i:])
                i += q.end() if q else 0
                continue
            m = re.match(r"\(\?P=(\w+)\)", source[i:])
            if m:
                out.append("(?:" + groups[m.group(1)] + ")")
                i = end
                continue
            m = re.match(r"\(\?P<(\w+)>|\(\?:|\(\?[aiLmsux]+:|\(", source[i:])
            opener = m.group(0)
            inner, close = _loosen(source, i + len(opener), groups, stop=True)
            if m.group(1):
                groups[m.group(1)] = inner
            flags = opener[2:-1] if opener.startswith("(?") and opener.endswith(":") and opener != "(?:" else ""
            out.append(("(?" + flags + ":" if flags else "(?:") + inner + ")")
            i = close + 1
            continue
        out.append(c)
        i += 1
    return "".join(out), i


@lru_cache(maxsize=8)
def _utf8(text: str) -> bytes:
    """text as the bytes Hyperscan scans. Cached: the date and period tables scan the same
    lower-cased body, people and places the same body."""
    return text.encode("utf-8", "surrogatepass")


_FLAGS_ALL_ENDS = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP
_FLAGS = _FLAGS_ALL_ENDS | hyperscan.HS_FLAG_SINGLEMATCH


# Compiled databases, cached by their expressions and Hyperscan's version: compiling the date
# shapes takes most of a second (Unicode classes), loading them a fraction of a millisecond.
CACHE_DIR = Path(__file__).resolve().parent / "__pycache__"


class PatternSet:
    """present(text): the indexes of the patterns (Python regex sources, with their re flags)
    that can match text, found in one scan. ends(text): the same, with where they can end.

    `with_ends`: the indexes of the patterns whose every match end Hyperscan reports (the others
    are reported once, and present() reads only that)."""

    def __init__(self, patterns: Sequence[tuple[str, int]], with_ends: frozenset[int] = frozenset()):
        self.always: set[int] = set()
        self._with_ends = with_ends
        exprs, ids, flags = [], [], []
        for k, (source, re_flags) in enumerate(patterns):
            try:
                expr = loosen(source).encode("utf-8")
                if re.compile(source, re_flags).fullmatch(""):
                    raise ValueError("matches the empty string")
            except Exception:  # not loosened, or empty: always present
                self.always.add(k)
                continue
            exprs.append(expr)
            ids.append(k)
            flags.append((_FLAGS_ALL_ENDS if k in with_ends else _FLAGS)
                         | (hyperscan.HS_FLAG_CASELESS if re_flags & re.IGNORECASE else 0))
        self._db = _database(exprs, ids, flags, self.always) if exprs else None

    def present(self, text: str) -> set[int]:
        found = set(self.always)
        if self._db is not None:
            def hit(pid, _from, _to, _flags, _ctx):
                found.add(pid)
            self._db.scan(_utf8(text), match_event_handler=hit)
        return found

    def ends(self, text: str) -> dict[int, tuple[int, ...] | None]:
        """The patterns that can match text, each with the character offsets in text where a match
        of its loosened form ends (wherever the pattern's own matches end, among others), in
        order; None for a pattern that is not of `with_ends` or is always present (it can end
        anywhere)."""
        out: dict[int, tuple[int, ...] | None] = dict.fromkeys(self.always)
        if self._db is None:
            return out
        hits: list[tuple[int, int]] = []

        def hit(pid, _from, to, _flags, _ctx):
            hits.append((to, pid))
        data = _utf8(text)
        self._db.scan(data, match_event_handler=hit)
        if not hits:
            return out
        hits.sort()
        with_ends, same = self._with_ends, len(data) == len(text)  # same: ASCII, bytes are characters
        found: dict[int, list[int]] = {}
        b0 = c0 = 0
        for b, pid in hits:
            if pid not in with_ends:
                out[pid] = None
                continue
            if not same and b != b0:  # characters up to byte b: counted from the last hit on
                c0 += len(data[b0:b].decode("utf-8", "surrogatepass"))
                b0 = b
            found.setdefault(pid, []).append(b if same else c0)
        for pid, cs in found.items():
            out[pid] = tuple(cs)
        return out


class Words:
    """Plain words (no pattern) found in one scan: leftmost_longest(text) is what re.findall finds
    with their alternation, longest word first (patterns.trie_pattern): from left to right, at
    the first place where a word starts the longest word there, then on after it. Hyperscan
    reports every place where a word ends; the words are chosen here."""

    def __init__(self, words: Sequence[str], cache: bool = True):
        self.words = list(words)
        if not self.words or not all(self.words):
            raise ValueError("no words, or an empty one")
        self._sizes = [len(w.encode("utf-8")) for w in self.words]
        # each word as its UTF-8 bytes: a word that is whole characters can only match whole characters
        exprs = ["".join(f"\\x{b:02x}" for b in w.encode("utf-8")).encode() for w in self.words]
        failed: set[int] = set()
        self._db = _database(exprs, list(range(len(exprs))), [0] * len(exprs), failed, cache)
        if failed or self._db is None:
            raise ValueError(f"Hyperscan cannot compile the words {sorted(failed)}")

    def leftmost_longest(self, text: str) -> list[str]:
        hits: list[tuple[int, int, int]] = []
        sizes = self._sizes

        def hit(pid, _from, to, _flags, _ctx):
            hits.append((to - sizes[pid], -sizes[pid], pid))
        self._db.scan(_utf8(text), match_event_handler=hit)
        hits.sort()  # by start, the longest first
        out, pos = [], 0
        for start, neg_size, pid in hits:
            if start >= pos:
                out.append(self.words[pid])
                pos = start - neg_size
        return out


def _database(exprs: list[bytes], ids: list[int], flags: list[int], always: set[int], cache: bool = True):
    """One database of the expressions: from CACHE_DIR when it holds them, else compiled (and
    cached when the folder can be written and `cache`). An expression Hyperscan cannot compile is
    left out and its id added to `always` (such a set is compiled each time, never cached)."""
    key = hashlib.sha256(repr((hyperscan.__version__, exprs, ids, flags)).encode()).hexdigest()[:32]
    path = CACHE_DIR / f"hyperscan-{key}.db"
    try:
        db = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)
        return db
    except Exception:  # none yet, damaged, or built for another CPU: compile it
        pass
    db = hyperscan.Database()
    try:
        db.compile(expressions=exprs, ids=ids, elements=len(exprs), flags=flags)
    except hyperscan.error:
        ok = []
        for e, i, f in zip(exprs, ids, flags):
            try:
                hyperscan.Database().compile(expressions=[e], ids=[i], elements=1, flags=[f])
                ok.append((e, i, f))
            except hyperscan.error:  # not Hyperscan's dialect: always present
                always.add(i)
        if not ok:
            return None
        db.compile(expressions=[o[0] for o in ok], ids=[o[1] for o in ok], elements=len(ok),
                   flags=[o[2] for o in ok])
        return db
    if not cache:
        return db
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(hyperscan.dumpb(db))
        os.replace(tmp, path)
    except OSError:  # a read-only install: compile each time
        pass
    return db
