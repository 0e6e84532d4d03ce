"""Numbers in Vietnamese news text.

Vietnamese notation: "." groups thousands, "," marks decimals ("2.658" -> 2658, "7,09" ->
7.09); multipliers follow the number ("7.200 tỷ", "3,1 triệu", "1,3 vạn"); small numbers are
often spelled out ("ba bước", "hai mươi lăm", "nửa triệu").

`find_numbers` returns every number mention with a `kind`: quantities ('count', 'percent',
'money', 'fraction', 'range') and non-quantities that the caller skips ('date', 'time', 'year',
'duration', 'ordinal', 'code', 'name'). The language knowledge (number words, multipliers,
qualifiers, units, the contexts that make a number a date/code/name) lives in
flows/data/numbers_*.tsv; this module holds the mechanism.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from ..datafiles import read_tsv as _read_tsv
from .letters import LOWER_CLASS, UPPER_CLASS  # noqa: F401 (re-exported)
from .multiscan import PatternSet
from .patterns import DIGITS, trie_pattern

# Vietnamese letters by case, for regexes in data files ({UP}, {LO}).


def read_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a data file of flows/data; the `context` column keeps its white space."""
    return list(_read_tsv(name, frozenset({"context"})))


def expand_classes(pattern: str) -> str:
    """Replace {UP}/{LO} placeholders of a data-file regex by letter classes."""
    return pattern.replace("{UP}", UPPER_CLASS).replace("{LO}", LOWER_CLASS)


@dataclass(frozen=True)
class NumberMention:
    value: float
    start: int
    end: int
    text: str
    qualifier: str | None = None
    unit: str | None = None
    denominator: float | None = None
    pct_of_plan: float | None = None
    kind: str = "count"
    # True for a percentage that only restates another mention: its "% of plan"
    # ("2.658 đảng viên mới, đạt 123,9% kế hoạch") or its N/M ("497/567 ... (đạt 87,65%)").
    restates: bool = False

    @property
    def is_quantity(self) -> bool:
        return self.kind in QUANTITY_KINDS


QUANTITY_KINDS = frozenset({"count", "percent", "money", "fraction", "range"})

# ---------------------------------------------------------------- data, compiled once

_WORDS = {r["word"]: r for r in read_tsv("numbers_words.tsv")}
_MULT = {r["word"]: float(r["factor"]) for r in read_tsv("numbers_multipliers.tsv")}
_QUAL_ROWS = read_tsv("numbers_qualifiers.tsv")
_UNIT_ROWS = read_tsv("numbers_units.tsv")
_CTX_ROWS = read_tsv("numbers_not_quantity.tsv")


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _cap_variants(words) -> list[str]:
    out = []
    for w in words:
        out.append(w)
        out.append(w[0].upper() + w[1:])
    return out


_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|\d+\.\d{1,2}(?![\d.])|\d+(?:,\d+)?"
_W_ALT = trie_pattern(_cap_variants(list(_WORDS) + [w for w in _MULT]))  # a trie: same matches, faster
_ROMAN = r"[IVXLC]+"
_UP = UPPER_CLASS

_SCAN = re.compile(
    rf"""(?<![\w])(?<!\d[.,])(?:
      (?P<code>\d+(?:/\d+)*\s?-\s?{_UP}[{_UP[1:-1]}.]*(?:[/-][\w.]+)+|\d+(?:/\d{{4}})?/{_UP}[\w.]*-[\w.-]+)
    | (?P<dmy>(?P<d>\d{{1,2}})(?P<s>[/.-])(?P<m>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}})(?![\d/]))
    | (?P<time>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?!\d)|\d{{1,2}}[hg](?:\d{{2}})?(?![\w]))
    | (?P<pair>(?P<a>{_NUM})(?:(?P<slash>/)|\s?(?P<dash>[-–])\s?)(?P<b>{_NUM}))
    | (?P<num>{_NUM})
    | (?P<roman>{_ROMAN})(?![\w])
    | (?P<words>(?:{_W_ALT})(?:\s+(?:{_W_ALT}))*)(?![\w])
    )""",
    re.VERBOSE,
)

# _SCAN.search, the same matches found faster. _SCAN opens with look-behinds, so re tries it
# at every position. A match starts either with a digit or a Roman numeral letter after no
# word character (_DIGIT_START finds those in C), or where the run of number words matches
# (_WORD_RUN, which opens with letters re skips to); _SCAN itself is then tried there only.
_DIGIT_START = re.compile("[" + DIGITS + r"IVXLC](?<![\w](?s:.))")
_WORD_RUN = re.compile(rf"(?:{_W_ALT})(?:\s+(?:{_W_ALT}))*(?![\w])")


def _scanner(text: str):
    """A function pos -> _SCAN.search(text, pos), for calls with pos never going back."""
    d = w = -1  # the next candidate of each kind at or after the last pos (len(text): none)
    n = len(text)
    match = _SCAN.match

    def search(pos: int) -> re.Match | None:
        nonlocal d, w
        while True:
            if d < pos:
                c = _DIGIT_START.search(text, pos)
                d = c.start() if c else n
            if w < pos:
                c = _WORD_RUN.search(text, pos)
                w = c.start() if c else n
            s = d if d < w else w
            if s >= n:
                return None
            m = match(text, s)
            if m is not None:
                return m
            pos = s + 1
    return search


_MULT_AFTER = re.compile(rf"\s?({_alt(_MULT)})(?![\w])")

_unit_alts = []
for _i, _r in enumerate(_UNIT_ROWS):
    _p = re.escape(_r["phrase"])
    if "i" in _r.get("flags", ""):
        _p = f"(?i:{_p})"
    _tail = "" if not _r["phrase"][-1].isalpha() else r"(?![^\W\d_])"
    if _r.get("unless_next"):
        _tail += rf"(?!\s*(?:{_r['unless_next']})(?![\w]))"
    _unit_alts.append(f"(?P<u{_i}>{_p}){_tail}")
_UNIT_AFTER = re.compile(r"\s?(?:" + "|".join(_unit_alts) + ")")

_QUALS = {r["phrase"].casefold(): r["kind"] for r in _QUAL_ROWS if r["kind"] != "filler"}
_FILLERS = [r["phrase"] for r in _QUAL_ROWS if r["kind"] == "filler"]
_QUAL_BEFORE = re.compile(
    rf"(?i)(?<![\w])(?P<q>{_alt(_QUALS)})(?:\s+(?:{_alt(_FILLERS)}))*\s+$"
)


def _ctx_regex(row: dict) -> re.Pattern:
    flags = re.IGNORECASE if "i" in row.get("flags", "") else 0
    ctx = expand_classes(row["context"])
    if row["side"] in ("before", "weak_before"):
        return re.compile(rf"(?:{ctx})\s*$", flags)
    if row["side"] == "after":
        return re.compile(rf"\s*(?:{ctx})", flags)
    return re.compile("")


def _num_constraint(row: dict):
    spec = row.get("number", "")
    if not spec:
        return None
    if spec in ("word", "digits"):
        return spec
    return re.compile(spec)


_CTX = [(r["kind"], r["side"], _ctx_regex(r), _num_constraint(r)) for r in _CTX_ROWS]
_CTX_AFTER = [c for c in _CTX if c[1] == "after"]
_CTX_SELF = [c for c in _CTX if c[1] == "self"]
# (index, kind, pattern, number constraint) of the before and weak_before rows, in order; the
# index is the row's in _CTX_PRESENT, which says in one Hyperscan scan of a text which rows'
# contexts occur in it at all (a row whose context is absent cannot match before any number), and
# for the before rows where their contexts can end (_CTX_WINDOW).
_BEFORE_CTX = [r for r in _CTX_ROWS if r["side"] in ("before", "weak_before")]
_CTX_PRESENT = PatternSet([("(?:" + expand_classes(r["context"]) + ")",
                            re.IGNORECASE if "i" in r.get("flags", "") else 0) for r in _BEFORE_CTX],
                          with_ends=frozenset(k for k, r in enumerate(_BEFORE_CTX) if r["side"] == "before"))
_BEFORE_ROWS = [(k, r["kind"], _ctx_regex(r), _num_constraint(r))
                for k, r in enumerate(_BEFORE_CTX) if r["side"] == "before"]
_WEAK_ROWS = [(k, r["kind"], _ctx_regex(r), _num_constraint(r))
              for k, r in enumerate(_BEFORE_CTX) if r["side"] == "weak_before"]
_CTX_WINDOW = 48  # a before row reads the 48 characters before the number


@lru_cache(maxsize=8)
def _contexts_in(text: str) -> dict[int, tuple[int, ...] | None]:
    """The before and weak_before rows whose context occurs in text, each with where it can end
    (_CTX_PRESENT.ends: one scan, cached: every number of a sentence asks)."""
    return _CTX_PRESENT.ends(text)


def _can_end_before(ends: tuple[int, ...] | None, text: str, start: int) -> bool:
    r"""Can a before row whose context ends at `ends` match the window before `start`? Its
    pattern, (?:context)\s*$ on text[start - 48:start], needs a context that ends in the window
    with only white space after it."""
    if ends is None:
        return True
    lo = start - _CTX_WINDOW
    for e in ends:
        if e > start:
            return False
        if e >= lo and (e == start or text[e:start].isspace()):
            return True
    return False

_SENT_START = re.compile(r"(?:^|[.!?:;…\"“”(\n\-–]\s*)$")
_PLAN_AFTER = re.compile(r"\s*(?:so\s+với\s+)?(?:kế\s+hoạch|chỉ\s+tiêu|KH)(?![\w])", re.IGNORECASE)
_PLAN_GAP = re.compile(r"^[^.;:\d]{0,60}?[,(]\s*(?:đạt|bằng|vượt)\s*$", re.IGNORECASE)
_RESTATE_GAP = re.compile(r"^[^.;:\d]{0,80}?[,(]\s*(?:đạt|bằng|chiếm|là)?\s*(?:tỷ\s+lệ\s*|tỉ\s+lệ\s*)?$", re.IGNORECASE)
_DATE_BEFORE = re.compile(
    r"(?:(?i:ngày|mùng|mồng|hôm|sáng|trưa|chiều|tối|đêm|thứ\s+\w+|chủ\s+nhật|nay|qua|từ|đến|tới)[,\s(]*|\()$"
)
_DATE_AFTER_END = re.compile(r"\s*(?:[),.;:]|$|\s(?:tại|và|đến|vừa|tới|năm)(?![\w]))")

# ---------------------------------------------------------------- value parsing


_EN_DECIMAL = re.compile(r"\d+\.\d{1,2}")
_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _digits_value(s: str) -> float:
    s = s.strip()
    if _EN_DECIMAL.fullmatch(s):  # English-style decimal "2.5"
        return float(s)
    return float(s.replace(".", "").replace(",", "."))


_ROMAN_VAL = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(s: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = _ROMAN_VAL.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


def _words_value(tokens: list[str]) -> float | None:
    """Value of a run of number words, or None when it is not a number on its own."""
    total = 0.0
    group = 0.0
    last = 0.0
    has_base = False
    prev_role = None
    for tok in tokens:
        low = tok.lower()
        if low in _MULT:
            if not has_base:
                return None
            total += (group or 1) * _MULT[low]
            group = last = 0
            prev_role = "mult"
            continue
        row = _WORDS.get(low)
        if row is None:
            return None
        role, val = row["role"], float(row["value"])
        if role == "digit":
            if prev_role == "digit":
                return None  # "hai năm" is two years, "ba bốn" an approximation
            group += val
            last = val
            has_base = True
        elif role == "after_tens":
            if prev_role not in ("tens", "ten"):
                return None
            group += val
            last = val
        elif role == "ten":
            group += 10
            last = 0
            has_base = True
        elif role == "tens":
            if prev_role != "digit":
                return None
            group = group - last + last * 10
            last = 0
        elif role == "hundred":
            if prev_role != "digit":
                return None
            group = group - last + last * 100
            last = 0
        elif role == "filler":
            if prev_role != "hundred":
                return None
        elif role == "half":
            group = 0.5
            has_base = True
        prev_role = role
    if not has_base:
        return None
    return total + group


def _split_words(s: str) -> list[str]:
    return s.split()


def _trim_word_run(tokens: list[str]) -> list[str]:
    """Longest prefix of tokens that reads as a number."""
    for n in range(len(tokens), 0, -1):
        if _words_value(tokens[:n]) is not None:
            return tokens[:n]
    return []


def _standalone_ok(tokens: list[str]) -> bool:
    if len(tokens) > 1:
        return True
    row = _WORDS.get(tokens[0].lower())
    return bool(row and row["standalone"] == "yes")


# ---------------------------------------------------------------- public API


def parse_number(text: str) -> float | None:
    """Value of the first number written in text ("2.658" -> 2658, "7,09" -> 7.09,
    "7.200 tỷ" -> 7.2e12, "nửa triệu" -> 500000, "hai mươi lăm" -> 25); None if there is none."""
    if not text:
        return None
    for m in _SCAN.finditer(text):
        g = m.lastgroup
        if g in ("num", "pair", "code", "dmy", "time"):
            raw = m.group("a") if g == "pair" else (m.group("num") if g == "num" else None)
            if raw is None:
                raw = _DIGITS.match(m.group(0)).group(0)
            value = _digits_value(raw)
            end = m.start() + len(raw)
            mm = _MULT_AFTER.match(text, end)
            if mm and g == "num":
                value *= _MULT[mm.group(1).lower()]
            return value
        if g == "words":
            toks = _trim_word_run(_split_words(m.group("words")))
            if toks:
                return _words_value(toks)
        if g == "roman" and text.strip() == m.group(0):
            return float(roman_value(m.group(0)) or 0) or None
    return None


def format_vn(x: float, decimals: int | None = None) -> str:
    """Vietnamese notation: thousands '.', decimal ','. decimals=None: as many as needed."""
    neg = x < 0
    x = abs(x)
    if decimals is None:
        if float(x).is_integer():
            s = f"{x:.0f}"
        else:
            s = repr(float(x))
            if "e" in s:
                s = f"{x:.10f}".rstrip("0").rstrip(".")
    else:
        s = f"{x:.{decimals}f}"
    intpart, _, frac = s.partition(".")
    groups = []
    while len(intpart) > 3:
        groups.insert(0, intpart[-3:])
        intpart = intpart[:-3]
    groups.insert(0, intpart)
    out = ".".join(groups) + ("," + frac if frac else "")
    return ("-" if neg else "") + out


def _fits(cons, raw: str, is_word: bool) -> bool:
    if cons is None:
        return True
    if cons == "word":
        return is_word
    if cons == "digits":
        return not is_word
    return bool(cons.fullmatch(raw))


def _context_kind(text: str, start: int, end: int, raw: str, is_word: bool) -> str | None:
    before = text[max(0, start - _CTX_WINDOW):start]
    present = _contexts_in(text)
    for k, kind, rx, cons in _BEFORE_ROWS:
        if k in present and _fits(cons, raw, is_word) and _can_end_before(present[k], text, start) \
                and rx.search(before):
            return kind
    kind = _after_kind(text, end, raw, is_word)
    if kind:
        return kind
    for kind, _side, _rx, cons in _CTX_SELF:
        if cons not in ("word", "digits", None) and cons.fullmatch(raw):
            return kind
    for k, kind, rx, cons in _WEAK_ROWS:
        if k in present and _fits(cons, raw, is_word) and rx.search(before):
            return kind
    return None


def _any_of(rows) -> re.Pattern | None:
    """One pattern that matches where any row's pattern matches (each row's match at a position
    is one of the alternation's); None when they cannot be joined."""
    try:
        return re.compile("|".join(f"(?{'i' if rx.flags & re.IGNORECASE else ''}:{rx.pattern})"
                                   for _k, _s, rx, _c in rows))
    except re.error:
        return None


# Whether any after row can match: one match instead of one per row (most numbers have none).
_ANY_AFTER = _any_of(_CTX_AFTER)


def _after_kind(text: str, end: int, raw: str, is_word: bool) -> str | None:
    after = text[end:end + 40]
    if _ANY_AFTER is not None and _ANY_AFTER.match(after) is None:
        return None
    for kind, _side, rx, cons in _CTX_AFTER:
        if _fits(cons, raw, is_word) and rx.match(after):
            return kind
    return None


def _qualifier(text: str, start: int) -> str | None:
    before = text[max(0, start - 30):start]
    m = _QUAL_BEFORE.search(before)
    if not m:
        return None
    return _QUALS.get(m.group("q").casefold())


def _unit_after(text: str, end: int):
    """(unit, kind, new_end) for a unit right after position end, else None."""
    m = _UNIT_AFTER.match(text, end)
    if not m:
        return None
    idx = int(m.lastgroup[1:])
    row = _UNIT_ROWS[idx]
    return row["unit"], row["kind"], m.end()


def _apply_mult_unit(text: str, value: float, end: int):
    """Extend a number by a following multiplier and unit. Returns (value, span_end, unit,
    unit_kind, scan_end): span_end covers the multiplier and '%', scan_end also the unit."""
    mm = _MULT_AFTER.match(text, end)
    if mm:
        value *= _MULT[mm.group(1).lower()]
        end = mm.end()
    unit = unit_kind = None
    span_end = end
    u = _unit_after(text, end)
    if u:
        unit, unit_kind, uend = u
        if unit == "percent":
            span_end = uend
        end = uend
    return value, span_end, unit, unit_kind, end


def _pair_is_date(text: str, m: re.Match, a: float, b: float, raw_a: str, raw_b: str) -> bool:
    """Is 'a/b' or 'a-b' a day and month ("26/6", "Sáng 2-8") rather than a fraction/range?"""
    if not (raw_a.isdigit() and raw_b.isdigit()):
        return False
    if _YEAR.fullmatch(raw_b) and 1 <= a <= 12:
        return True  # "tháng 5-2013", "5/2013": month and year
    if not (1 <= a <= 31 and 1 <= b <= 12):
        return False
    if _after_kind(text, m.end(), raw_b, False) == "duration":
        return False
    if _MULT_AFTER.match(text, m.end()) or _unit_after(text, m.end()):
        return False
    before = text[max(0, m.start() - 30):m.start()]
    if _DATE_BEFORE.search(before):
        return True
    if m.group("slash") and a > b:
        return True
    return bool(_DATE_AFTER_END.match(text, m.end()))


def find_numbers(text: str) -> list[NumberMention]:
    """Every number mention in text, in order, with spans into text."""
    out: list[NumberMention] = []
    pos = 0
    n = len(text)
    search = _scanner(text)
    while pos < n:
        m = search(pos)
        if not m:
            break
        g = m.lastgroup
        s, e = m.start(), m.end()
        pos = e
        if g == "code":
            raw = _DIGITS.match(m.group(0)).group(0)
            out.append(NumberMention(float(raw), s, e, text[s:e], kind="code"))
        elif g == "dmy":
            d, mo = int(m.group("d")), int(m.group("m"))
            kind = "date" if 1 <= d <= 31 and 1 <= mo <= 12 else "code"
            out.append(NumberMention(float(d), s, e, text[s:e], kind=kind))
        elif g == "time":
            out.append(NumberMention(float(_DIGITS.match(m.group(0)).group(0)), s, e, text[s:e], kind="time"))
        elif g == "pair":
            out.extend(_pair(text, m))
            pos = max(pos, out[-1].end) if out else pos
        elif g == "num":
            mention, pos = _single(text, m.group("num"), s, e, is_word=False)
            if mention:
                out.append(mention)
        elif g == "roman":
            kind = _context_kind(text, s, e, m.group("roman"), is_word=False)
            val = roman_value(m.group("roman"))
            if kind in ("ordinal", "date", "name", "code") and val:
                out.append(NumberMention(float(val), s, e, text[s:e], kind=kind))
        elif g == "words":
            toks = _split_words(m.group("words"))
            toks = _trim_word_run(toks)
            if not toks:
                pos = s + len(m.group("words").split()[0])
                continue
            # span of the accepted tokens
            span_end = s
            for t in toks:
                span_end = text.index(t, span_end) + len(t)
            pos = span_end
            first = toks[0]
            if not _standalone_ok(toks):
                continue
            if first[0].isupper() and not _SENT_START.search(text[max(0, s - 4):s]):
                continue  # "Đỗ Mười", "Ba Đình": a name part, not a number
            mention, pos = _single(text, " ".join(toks), s, span_end, is_word=True)
            if mention:
                out.append(mention)
    return _link(text, out)


_DOT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})")


def _single(text: str, raw: str, s: int, e: int, is_word: bool):
    dm = None if is_word else _DOT_DATE.fullmatch(raw)
    if dm and 1 <= int(dm.group(1)) <= 31 and 1 <= int(dm.group(2)) <= 12 \
            and _DATE_BEFORE.search(text[max(0, s - 30):s]):
        return NumberMention(float(dm.group(1)), s, e, raw, kind="date"), e  # "sáng nay 13.5"
    value = _words_value(raw.split()) if is_word else _digits_value(raw)
    if value is None:
        return None, e
    value, span_end, unit, unit_kind, scan_end = _apply_mult_unit(text, value, e)
    kind = unit_kind if unit_kind in ("percent", "money") else None
    if kind is None and unit is None:
        kind = _context_kind(text, s, e, raw, is_word)
    elif kind is None:
        kind = "count"
    kind = kind or "count"
    qual = _qualifier(text, s) if kind in QUANTITY_KINDS else None
    return NumberMention(value, s, span_end, text[s:span_end], qualifier=qual, unit=unit, kind=kind), scan_end


def _pair(text: str, m: re.Match) -> list[NumberMention]:
    raw_a, raw_b = m.group("a"), m.group("b")
    a, b = _digits_value(raw_a), _digits_value(raw_b)
    sa, ea = m.start("a"), m.end("a")
    sb, eb = m.start("b"), m.end("b")
    is_year = lambda r: bool(_YEAR.fullmatch(r))  # noqa: E731
    if is_year(raw_a) and is_year(raw_b):
        return [NumberMention(a, sa, ea, raw_a, kind="year"), NumberMention(b, sb, eb, raw_b, kind="year")]
    if _pair_is_date(text, m, a, b, raw_a, raw_b):
        return [NumberMention(a, m.start(), m.end(), m.group(0), kind="date")]
    if m.group("slash"):
        if (_context_kind(text, m.start(), m.end(), raw_a, False) == "code"
                and _CODE_BEFORE_ONLY(text, m.start())):
            return [NumberMention(a, m.start(), m.end(), m.group(0), kind="code")]
        value, span_end, unit, unit_kind, _ = _apply_mult_unit(text, b, eb)
        qual = _qualifier(text, m.start())
        kind = "fraction"
        return [NumberMention(a, m.start(), m.end(), m.group(0), qualifier=qual, unit=unit,
                              denominator=b, kind=kind)]
    # a range "80-90%", "4-5ha", "2,4-2,6%"
    value_b, span_end, unit, unit_kind, _ = _apply_mult_unit(text, b, eb)
    factor = value_b / b if b else 1.0
    kind = "range"
    ctx = None if unit else _context_kind(text, sb, eb, raw_b, False)
    if ctx == "duration":
        kind = "duration"
    qual = _qualifier(text, m.start())
    return [
        NumberMention(a * factor, sa, ea, raw_a, qualifier=qual, unit=unit, kind=kind),
        NumberMention(value_b, sb, span_end, text[sb:span_end], qualifier=qual, unit=unit, kind=kind),
    ]


_DOC_BEFORE = re.compile(
    r"(?:[Cc]hỉ\s+thị|[Nn]ghị\s+quyết|Quyết\s+định|[Hh]ướng\s+dẫn|Kết\s+luận|Quy\s+định|Thông\s+tư|[Nn]ghị\s+định|Công\s+văn|Kế\s+hoạch|Đề\s+án|Thông\s+báo|Tờ\s+trình|số)\s*$"
)


def _CODE_BEFORE_ONLY(text: str, start: int) -> bool:  # noqa: N802
    return bool(_DOC_BEFORE.search(text[max(0, start - 30):start]))


def _link(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """Attach "đạt N% kế hoạch" to the count it restates; flag percentages restating N/M."""
    if not mentions:
        return mentions
    out = list(mentions)
    for i in range(1, len(out)):
        p = out[i]
        if p.kind != "percent":
            continue
        prev = out[i - 1]
        if prev.kind not in ("count", "money", "fraction"):
            continue
        gap = text[prev.end:p.start]
        if _PLAN_AFTER.match(text, p.end) and _PLAN_GAP.match(gap):
            out[i - 1] = replace(prev, pct_of_plan=p.value)
            out[i] = replace(p, restates=True)
        elif prev.kind == "fraction" and prev.denominator and _RESTATE_GAP.match(gap):
            if abs(100.0 * prev.value / prev.denominator - p.value) < 0.51:
                out[i] = replace(p, restates=True)
    return out



# Which texts can hold a quantity (count, percent, money, fraction, range), as a pattern for
# Polars (Rust regex, whose \b and \s differ from Python's: hence the classes spelled out).
# find_numbers reads quantities from digits and from runs of number words only (Roman numerals
# are ordinals, dates, names or codes), and a run of one word only when that word may stand
# alone (numbers_words.tsv, standalone=yes). So a text holds a quantity only if it holds a
# digit, a stand-alone number word, or two number words (numbers_words.tsv,
# numbers_multipliers.tsv) in a row. The batch passes run find_numbers on those texts only.
NUMBER_WORDS = tuple(sorted(set(_WORDS) | set(_MULT), key=len, reverse=True))
_ALONE = tuple(w for w in NUMBER_WORDS if w in _WORDS and _WORDS[w]["standalone"] == "yes")
_NOT_WORD = r"[^\p{L}\p{N}_]"  # (Python's \w: letters, numbers and "_")
_ANY_WORD = "(?i:" + "|".join(re.escape(w) for w in NUMBER_WORDS) + ")"
QUANTITY_GATE = (r"\d"
                 + rf"|(?:^|{_NOT_WORD})(?i:" + "|".join(re.escape(w) for w in _ALONE) + rf")(?:{_NOT_WORD}|$)"
                 + rf"|(?:^|{_NOT_WORD}){_ANY_WORD}[\s\x1c-\x1f]+{_ANY_WORD}(?:{_NOT_WORD}|$)")
