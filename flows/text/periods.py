"""Reporting periods: "6 tháng đầu năm 2019" -> 2019-H1, "quý I/2020" -> 2020-Q1,
"tính đến hết tháng 5 năm 2013" -> 2013-5M, "nhiệm kỳ 2020 - 2025" -> range, "hiện có" ->
asof the event day, "nâng tổng số … lên" -> asof the reviewed year's last day.

Shapes live in flows/data/periods_patterns.tsv; the review/plan words that pick an article's
main period live in flows/data/periods_review.tsv. Labels follow FACTS.md: '2014', '2019-H1',
'2020-Q3', '2020-9M', '2005-2010', '2019-06-26' (asof).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from flows.text.multiscan import PatternSet
from flows.text.patterns import WordStart, lower_is_safe
from flows.text.letters import lower
from flows.text.numbers import parse_number, read_tsv, roman_value


@dataclass(frozen=True)
class Period:
    kind: str   # 'Y', 'H1', 'H2', 'Q1'..'Q4', 'nM', 'range', 'asof'
    label: str  # '2014', '2019-H1', '2020-Q3', '2020-9M', '2005-2010', '2019-06-26'
    start: date
    end: date


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    text: str
    kind: str                # as Period.kind
    year: int | None = None
    n_months: int | None = None
    quarter: int | None = None
    year_end: int | None = None   # range
    day: date | None = None       # asof with a written day
    role: str = "stated"          # 'stated' | 'asof_total'


_ROWS = read_tsv("periods_patterns.tsv")
_REVIEW_ROWS = read_tsv("periods_review.tsv")

_N_WORDS = "mười một|mười hai|mười|một|hai|ba|bốn|năm|sáu|bảy|tám|chín"
_PH = {
    "{Y}": r"(?P<y>(?:19|20)\d\d)",
    "{Y1}": r"(?P<y1>(?:19|20)\d\d)",
    "{Y2}": r"(?P<y2>(?:19|20)\d\d)",
    "{N}": rf"(?P<n>\d{{1,2}}|{_N_WORDS})",
    "{Q}": r"(?P<q>iv|iii|ii|i|[1-4])",
    "{D}": r"(?P<d>\d{1,2})",
    "{M}": r"(?P<m>\d{1,2})",
}


def _source(p: str) -> str:
    # Patterns run on lower-cased text (much faster than IGNORECASE on non-ASCII text).
    p = p.lower()
    for k, v in _PH.items():
        p = p.replace(k.lower(), v)
    return p


_SOURCES = [_source(r["pattern"]) for r in _ROWS]
_PATTERNS = [(r["name"], r["kind"], r["role"], WordStart(src),
              tuple(w for w in r.get("needs", "").split("|") if w)) for r, src in zip(_ROWS, _SOURCES)]
# Which shapes can match a text at all, in one Hyperscan scan (flows/text/multiscan.py).
_PRESENT = PatternSet([(src, 0) for src in _SOURCES])
# The needs of each row as one pattern: "any of the words is in the text" in one search.
_NEEDS = [re.compile("|".join(map(re.escape, needs))) if needs else None for *_, needs in _PATTERNS]


def _phrase_rx(role: str) -> re.Pattern:
    words = sorted((r["phrase"] for r in _REVIEW_ROWS if r["role"] == role), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
                      + r")(?![\w])", re.IGNORECASE)


_REVIEW = _phrase_rx("review")
# The same, run on lower-cased text (letters.lower) without IGNORECASE: re skips to the first letters.
_REVIEW_LOWER = WordStart("(?:" + _REVIEW.pattern[len(r"(?<![\w])(?:"):].lower())
_PLAN = _phrase_rx("plan")
_MEETING = _phrase_rx("meeting")
_SENT_END = re.compile(r"[.!?…;]\s|\n")
_CUTOFF_BEFORE = re.compile(r"(?:đến|tới)\s+(?:hết|cuối)\s*$", re.IGNORECASE)
_OPENS_SENTENCE = re.compile(r"(?:^|\n|[.!?…]\s+)\s*(?:(?:trong|qua)\s+)?$", re.IGNORECASE)
_MAX_GAP = 120


def _first_n_kind(n: int) -> tuple[str, int | None]:
    if n == 3:
        return "Q1", None
    if n == 6:
        return "H1", None
    if n == 12:
        return "Y", None
    return "nM", n


def find_periods(text: str) -> list[PeriodMention]:
    """Period mentions in text, in order, non-overlapping (earlier pattern rows win)."""
    return list(_find_periods(text))


@lru_cache(maxsize=64)
def _find_periods(text: str) -> tuple[PeriodMention, ...]:
    taken: list[tuple[int, int]] = []
    out: list[PeriodMention] = []
    low = lower(text)
    present = _PRESENT.present(low)
    for k, ((_name, kind, role, rx, _needs), needs) in enumerate(zip(_PATTERNS, _NEEDS)):
        if k not in present or (needs is not None and needs.search(low) is None):
            continue
        for m in rx.finditer(low):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            g = m.groupdict()
            y = int(g["y"]) if g.get("y") else None
            pm = None
            if kind == "first_n":
                n_raw = g.get("n")
                n = int(n_raw) if n_raw and n_raw.isdigit() else int(parse_number(n_raw or "") or 0)
                if not 1 <= n <= 12:
                    continue
                k, nm = _first_n_kind(n)
                pm = PeriodMention(s, e, text[s:e], k, y, n_months=nm if k == "nM" else n)
            elif kind == "Q":
                qraw = g["q"].upper()
                q = int(qraw) if qraw.isdigit() else roman_value(qraw)
                if not q or not 1 <= q <= 4:
                    continue
                pm = PeriodMention(s, e, text[s:e], f"Q{q}", y, quarter=q)
            elif kind == "range":
                y1, y2 = int(g["y1"]), int(g["y2"])
                if not y1 < y2 <= y1 + 30:
                    continue
                pm = PeriodMention(s, e, text[s:e], "range", y1, year_end=y2)
            elif kind == "asof":
                day = None
                if g.get("d"):
                    try:
                        day = date(y, int(g["m"]), int(g["d"]))
                    except (ValueError, TypeError):
                        continue
                elif y is not None:
                    day = date(y, 12, 31)
                pm = PeriodMention(s, e, text[s:e], "asof", y, day=day, role=role)
            else:
                pm = PeriodMention(s, e, text[s:e], kind, y)
            taken.append((s, e))
            out.append(pm)
    out.sort(key=lambda p: p.start)
    return tuple(out)


def _label_period(kind: str, year: int, n: int | None = None) -> Period:
    if kind == "Y":
        return Period("Y", str(year), date(year, 1, 1), date(year, 12, 31))
    if kind == "H1":
        return Period("H1", f"{year}-H1", date(year, 1, 1), date(year, 6, 30))
    if kind == "H2":
        return Period("H2", f"{year}-H2", date(year, 7, 1), date(year, 12, 31))
    if kind.startswith("Q"):
        q = int(kind[1])
        m0 = 3 * (q - 1) + 1
        return Period(kind, f"{year}-{kind}", date(year, m0, 1),
                      date(year, m0 + 2, calendar.monthrange(year, m0 + 2)[1]))
    if kind == "nM":
        return Period("nM", f"{year}-{n}M", date(year, 1, 1), date(year, n, calendar.monthrange(year, n)[1]))
    raise ValueError(kind)


def _asof(day: date) -> Period:
    return Period("asof", day.isoformat(), day, day)


def resolve(mention: PeriodMention, default_year: int | None, event_date: date | None) -> Period | None:
    """The Period a mention names, filling a missing year from default_year (the article's
    year, from its own dates) and an undated asof from event_date; None when unknowable."""
    if mention.kind == "range":
        return Period("range", f"{mention.year}-{mention.year_end}",
                      date(mention.year, 1, 1), date(mention.year_end, 12, 31))
    if mention.kind == "asof":
        if mention.day is not None:
            return _asof(mention.day)
        if mention.role == "asof_total":
            y = mention.year or default_year
            return _asof(date(y, 12, 31)) if y else None
        return _asof(event_date) if event_date else None
    y = mention.year or default_year
    if y is None:
        return None
    return _label_period(mention.kind, y, mention.n_months)


def is_cutoff(text: str, mention: PeriodMention) -> bool:
    """Is the mention the article's own data (a cut-off "tính đến hết tháng 5 năm 2013", a
    reported period) rather than a plan ("triển khai nhiệm vụ 6 tháng cuối năm")?"""
    before = text[max(0, mention.start - 40):mention.start]
    if _CUTOFF_BEFORE.search(before) or mention.text.lower().lstrip().startswith(("tính", "đến", "tới")):
        return True
    clause = _SENT_END.split(before)[-1]
    return _PLAN.search(clause) is None


_REVIEWABLE = {"Y", "H1", "H2", "Q1", "Q2", "Q3", "Q4", "nM"}


def _year_nearby(text: str, mentions: list[PeriodMention], i: int) -> int | None:
    """A year given to a later period of the same sentence ("6 tháng đầu năm, triển khai nhiệm
    vụ 6 tháng cuối năm 2019")."""
    p = mentions[i]
    for q in mentions[i + 1:]:
        if _SENT_END.search(text, p.end, q.start):
            break
        if q.year and q.kind in _REVIEWABLE:
            return q.year
    return None


def article_period(title: str | None, body: str, event_date: date | None,
                   published_at: datetime | None) -> Period | None:
    """The main period the meeting reviews, or None when the article reviews none."""
    found = _reviewed(title, body)
    if found is None:
        return None
    kind, year, n_months = found
    year = year or (event_date.year if event_date else (published_at.year if published_at else None))
    return _label_period(kind, year, n_months) if year else None


@lru_cache(maxsize=16)
def _reviewed(title: str | None, body: str) -> tuple[str, int | None, int | None] | None:
    """(kind, year or None, n_months) of the period the article reviews; the caller fills a
    missing year from the article's dates. Cached: the event date's year inference asks too."""
    text = body if (not title or body.startswith(title)) else f"{title}\n{body}"
    mentions = find_periods(text)
    if not mentions:
        return None
    # 1. "sơ kết/tổng kết ... <period>" with no plan word and no sentence end in between.
    for r in _review_finditer(text):
        for i, p in enumerate(mentions):
            if p.start < r.end():
                continue
            if p.start - r.end() > _MAX_GAP or _SENT_END.search(text, r.end(), p.start):
                break
            if p.kind not in _REVIEWABLE:
                continue
            if _PLAN.search(text, r.end(), p.start):
                break
            return p.kind, p.year or _year_nearby(text, mentions, i), p.n_months
    # 2. A review meeting whose report opens a sentence with a period ("6 tháng đầu năm, ...").
    head = text[:400]
    if not _MEETING.search(head):
        return None
    for i, p in enumerate(mentions):
        if p.kind not in _REVIEWABLE:
            continue
        if not _OPENS_SENTENCE.search(text[max(0, p.start - 12):p.start]):
            continue
        if not text.startswith(",", p.end):
            continue
        return p.kind, p.year or _year_nearby(text, mentions, i), p.n_months
    return None


def _review_finditer(text: str):
    """_REVIEW.finditer(text), on the lower-cased text when that finds the same."""
    if lower_is_safe(text):
        return _REVIEW_LOWER.finditer(lower(text))
    return _REVIEW.finditer(text)
