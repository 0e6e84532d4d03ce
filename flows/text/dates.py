"""Dates in Vietnamese news text: printed publication dates and the day a meeting took place.

Shapes ("26/06/2019", "11:13, 26/06/2019", "Thứ sáu, 14/05/2021", "Sáng 2-8",
"Sáng nay (26/6)", "ngày 15 tháng 5 năm 2009", "28/05/13 06:23 GMT+7", ...) live in
flows/data/dates_patterns.tsv, with the day parts (dates_dayparts.tsv) and weekday names
(dates_weekdays.tsv) they refer to.

Year inference for the event date follows FACTS.md's reading rules: a year written with the
date; else the published date's year (the previous year when that would put the meeting
months after publication); else the article's own dated data (a data cut-off, a reviewed
period, a full date in the text); never a congress term, an anniversary or outside knowledge.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from flows.text.multiscan import PatternSet
from flows.text.patterns import WordStart
from flows.text.letters import lower
from flows.text.numbers import read_tsv


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    day: int | None
    month: int | None
    year: int | None
    hour: int | None
    minute: int | None
    text: str
    second: int | None = None
    pattern: str = ""          # the dates_patterns.tsv row that matched
    daypart: str | None = None  # "Sáng", "Sáng nay", ... as written, when the date has one


def _alt(phrases) -> str:
    out = []
    for p in sorted(phrases, key=len, reverse=True):
        out.append(r"\s+".join(re.escape(w) for w in p.split()))
    return "|".join(out)


_DAYPARTS = read_tsv("dates_dayparts.tsv")
_WEEKDAYS = read_tsv("dates_weekdays.tsv")
_PATTERN_ROWS = read_tsv("dates_patterns.tsv")

_PLACEHOLDERS = {
    "{D}": r"(?P<d>\d{1,2})",
    "{M}": r"(?P<m>\d{1,2})",
    "{Y}": r"(?P<y>\d{4}|\d{2})",
    "{S}": r"(?P<sep>[/.-])",
    "{S2}": r"(?P=sep)",
    "{TIME}": r"(?P<H>\d{1,2})\s*[:hg]\s*(?P<Min>\d{2})(?::(?P<Sec>\d{2}))?",
    "{DAYPART}": r"(?P<dp>" + _alt(r["phrase"].lower() for r in _DAYPARTS) + ")",
    "{WEEKDAY}": r"(?:" + _alt(r["phrase"].lower() for r in _WEEKDAYS) + ")",
}


def _source(pattern: str) -> str:
    for k, v in _PLACEHOLDERS.items():
        pattern = pattern.replace(k, v)
    return pattern


# Run on lower-cased text: much faster than IGNORECASE on non-ASCII text.
_SOURCES = [_source(r["pattern"]) for r in _PATTERN_ROWS]
_PATTERNS = [(r["name"], WordStart(src)) for r, src in zip(_PATTERN_ROWS, _SOURCES)]
# Which shapes can match a text at all, in one Hyperscan scan (flows/text/multiscan.py).
_PRESENT = PatternSet([(src, 0) for src in _SOURCES])
_HAS_DIGIT = re.compile(r"\d")


def _year(s: str | None) -> int | None:
    if not s:
        return None
    y = int(s)
    if len(s) == 2:
        y += 2000 if y < 50 else 1900
    return y


def _valid(d: int | None, m: int | None, y: int | None) -> bool:
    if m is None or not 1 <= m <= 12:
        return False
    if d is None:
        return y is not None
    try:
        date(y or 2000, m, d)  # 2000: leap year, lets 29/2 through without a year
    except ValueError:
        return False
    return True


def find_dates(text: str) -> list[DateMention]:
    """Date mentions in text, in order, non-overlapping (earlier pattern rows win)."""
    return list(_find_dates(text))


@lru_cache(maxsize=64)
def _find_dates(text: str) -> tuple[DateMention, ...]:
    if not _HAS_DIGIT.search(text):
        return ()
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    low = lower(text)
    present = _PRESENT.present(low)
    for k, (name, rx) in enumerate(_PATTERNS):
        if k not in present:
            continue
        for m in rx.finditer(low):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            g = m.groupdict()
            d = int(g["d"]) if g.get("d") else None
            mo = int(g["m"]) if g.get("m") else None
            y = _year(g.get("y"))
            if not _valid(d, mo, y):
                continue
            hh = int(g["H"]) if g.get("H") else None
            mi = int(g["Min"]) if g.get("Min") else None
            if hh is not None and (hh > 23 or (mi or 0) > 59):
                hh = mi = None
            taken.append((s, e))
            out.append(DateMention(s, e, d, mo, y, hh, mi, text[s:e],
                                   second=int(g["Sec"]) if g.get("Sec") else None,
                                   pattern=name, daypart=text[m.start("dp"):m.end("dp")] if g.get("dp") else None))
    out.sort(key=lambda x: x.start)
    return tuple(out)


def parse_published(line: str) -> datetime | None:
    """The date/time printed on a page ("11:13, 26/06/2019", "Cập nhật lúc 15:34, Thứ Sáu,
    02/08/2019 (GMT+7)", "Cập nhật ngày: 25/07/2020 13:05:15", "Thứ sáu,  14/05/2021",
    "28/05/13 06:23 GMT+7"); None unless the line holds a full date (day, month, year)."""
    for dm in find_dates(line):
        if dm.day and dm.month and dm.year:
            return datetime(dm.year, dm.month, dm.day, dm.hour or 0, dm.minute or 0, dm.second or 0)
    return None


# ------------------------------------------------------------------ event date

_LEAD_CHARS = 600
# A date right after a document code or "ban hành" is the document's date, not the meeting's.
_DOC_DATE_BEFORE = re.compile(r"(?:[A-ZĐ]{2,}/[\w.Ư]+|ban\s+hành|ký|số\s+\d+\S*)\s*,?\s*$", re.IGNORECASE)
# A date right after a word of flows/data/dates_historic.tsv is a day of a life or of history.
_HISTORIC_BEFORE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(r["words"]) for r in sorted(
    read_tsv("dates_historic.tsv"), key=lambda r: len(r["words"]), reverse=True)) + r")\W{0,20}(?:\w+\W+){0,2}$",
    re.IGNORECASE)
_PUBLISHED_SLACK = timedelta(days=7)


def _historic(text: str, dm: DateMention) -> bool:
    """A birth, admission, founding or death date: no meeting's day and no anchor of one."""
    digit = next((i for i, ch in enumerate(dm.text) if ch.isdigit()), 0)  # the mention may hold "ngày"
    return bool(_HISTORIC_BEFORE.search(text[max(0, dm.start - 30):dm.start + digit]))
_PERIOD_SLACK = timedelta(days=61)


def _candidate(body: str, title: str | None) -> DateMention | None:
    """The meeting's date in the lead: one with a day part first ("Sáng 2-8"), else a
    "ngày D-M" / "(D/M)" one that is not a document's date."""
    start = 0
    if title and body.startswith(title):
        start = len(title)
    lead = body[start:start + _LEAD_CHARS]
    mentions = [m for m in find_dates(lead) if m.day and m.month]
    with_part = [m for m in mentions if m.daypart]
    if with_part:
        return _shift(with_part[0], start)
    for m in mentions:
        line_start = lead.rfind("\n", 0, m.start) + 1
        line_end = lead.find("\n", m.end)
        rest = lead[m.end:line_end if line_end >= 0 else len(lead)]
        if not lead[line_start:m.start].strip(" ,:-") and len(rest.strip(" ,.:()")) < 12:
            continue  # a printed date line ("Thứ sáu, 14/05/2021"), not the meeting's date
        if m.pattern.startswith(("ngay_", "paren_", "weekday_", "words_")) or m.year:
            if _DOC_DATE_BEFORE.search(lead[max(0, m.start - 30):m.start]):
                continue
            return _shift(m, start)
    return None


def _shift(m: DateMention, offset: int) -> DateMention:
    return DateMention(m.start + offset, m.end + offset, m.day, m.month, m.year, m.hour, m.minute,
                       m.text, m.second, m.pattern, m.daypart)


def _first_on_or_after(day: int, month: int, after: date) -> date | None:
    for y in (after.year, after.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if d >= after:
            return d
    return None


_NEAR_FOLLOWING = timedelta(days=31)


def _anchor(body: str, title: str | None) -> tuple[date, timedelta] | None:
    """The article's own latest dated reference: (date, slack). A data cut-off or reviewed
    period ends at date (the meeting may come up to `slack` before it); a full date in the text
    (not a document's date) counts with no slack. Congress terms and anniversaries never count."""
    from flows.text import periods  # local import: periods uses dates

    text = body if not title or body.startswith(title) else f"{title}\n{body}"
    ends: list[date] = []
    ap = periods.article_period(title, body, None, None)
    if ap is not None and ap.kind != "range":
        ends.append(ap.end)
    for pm in periods.find_periods(text):
        if pm.role == "stated" and pm.kind in ("nM", "Q1", "Q2", "Q3", "Q4", "H1") and pm.year \
                and periods.is_cutoff(text, pm):
            p = periods.resolve(pm, None, None)
            if p is not None:
                ends.append(p.end)
    if ends:
        return max(ends), _PERIOD_SLACK
    full = []
    for dm in find_dates(text):
        if dm.day and dm.month and dm.year and not _DOC_DATE_BEFORE.search(text[max(0, dm.start - 30):dm.start]) \
                and not _historic(text, dm):
            full.append(date(dm.year, dm.month, dm.day))
    if full:
        return max(full), timedelta(0)
    return None


def event_date(body: str, title: str | None, published_at: datetime | None) -> date | None:
    """The day the meeting took place, or None when its year cannot be known from the text."""
    cand = _candidate(body, title)
    if cand is None:
        return None
    d, m = cand.day, cand.month
    if cand.year:
        return date(cand.year, m, d)
    # The same day and month written with a year elsewhere ("Sáng 21/4" ... "Chiều ngày 21/4/2006").
    same = [o.year for o in find_dates(body) if o.day == d and o.month == m and o.year and not _historic(body, o)]
    if same:
        return date(max(same), m, d)  # "(3.2.1930 - 3.2.2006)": the latest is this year's
    if published_at is not None:
        pub = published_at.date()
        for y in (pub.year, pub.year - 1):
            try:
                ev = date(y, m, d)
            except ValueError:
                continue
            if ev <= pub + _PUBLISHED_SLACK:
                return ev
        return None
    anchor = _anchor(body, title)
    if anchor is None:
        return None
    end, slack = anchor
    if not slack:
        # a dated reference a few weeks after the day and month ("Sáng 26-3 ... có hiệu lực từ ngày
        # 1-4-2018") is one that follows the meeting: the meeting is in the same year, just before it
        for y in (end.year, end.year - 1):
            try:
                before = date(y, m, d)
            except ValueError:
                continue
            if timedelta(0) < end - before <= _NEAR_FOLLOWING:
                return before
    return _first_on_or_after(d, m, end - slack)
