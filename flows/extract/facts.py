"""One batch of decoded articles -> the frames of the warehouse tables.

Per article: clean -> article fields -> metrics, people, documents. The functions it calls are
pure and live in flows/text and flows/extract; their knowledge lives in flows/data.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

from ..text.clean import Cleaned, clean_article
from ..text.dates import event_date as find_event_date, parse_published
from ..text.periods import Period, article_period, find_periods, resolve
from ..text.places import article_province, find_places, meeting_location, outlet_info, province_2025
from ..text.sentences import sentences
from .documents import extract_documents
from .meeting import meeting_kind
from .metrics import CLAUSE_END, MetricHit, classify, end_of_year
from .people import extract_people
from .scope import scope_of
from .topic import on_topic

_PACKAGE = Path(__file__).resolve().parent.parent


def _extractor_version() -> str:
    """A digest of every rule and every line of extraction code: when the rules change, the next
    run re-extracts the stored articles (their version differs)."""
    h = hashlib.sha256()
    for folder in ("data", "text", "extract"):
        for p in sorted((_PACKAGE / folder).rglob("*")):
            if p.is_file() and p.suffix in {".py", ".tsv", ".json"}:
                h.update(p.relative_to(_PACKAGE).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()[:16]


EXTRACTOR_VERSION = _extractor_version()

ARTICLES_SCHEMA = {
    "doc_id": pl.String, "source_path": pl.String, "url": pl.String, "title": pl.String,
    "outlet": pl.String, "published_at": pl.Datetime("us"), "event_date": pl.Date, "province": pl.String,
    "location": pl.String, "meeting_kind": pl.String, "period_label": pl.String, "byline": pl.String,
    "on_topic": pl.Boolean, "body": pl.String, "period_kind": pl.String, "period_start": pl.Date,
    "period_end": pl.Date, "province_2025": pl.String,
}
METRICS_SCHEMA = {
    "doc_id": pl.String, "fact_no": pl.Int32, "metric": pl.String, "value": pl.Float64, "unit": pl.String,
    "qualifier": pl.String, "pct_of_plan": pl.Float64, "denominator": pl.Float64, "period_kind": pl.String,
    "period_start": pl.Date, "period_end": pl.Date, "period_label": pl.String, "province": pl.String,
    "scope": pl.String, "sentence": pl.String, "char_start": pl.Int32, "char_end": pl.Int32,
}
PEOPLE_SCHEMA = {"doc_id": pl.String, "name": pl.String, "title": pl.String, "province": pl.String,
                 "sentence": pl.String, "char_start": pl.Int32, "char_end": pl.Int32}
DOCUMENTS_SCHEMA = {"doc_id": pl.String, "kind": pl.String, "code": pl.String, "session": pl.String,
                    "term": pl.String, "issued_on": pl.Date, "text": pl.String, "sentence": pl.String,
                    "char_start": pl.Int32, "char_end": pl.Int32}
QUARANTINE_SCHEMA = {"source_path": pl.String, "doc_id": pl.String, "reason": pl.String, "detail": pl.String}

STOCK_METRICS = {"party_members_total", "party_committees_direct", "grassroots_orgs_total"}
_NOW_WORDS = re.compile(r"hiện có|hiện nay|đến nay|hiện tại|hiện đang", re.IGNORECASE)
_RAISE_TOTAL = re.compile(r"nâng tổng số", re.IGNORECASE)
_VENUE = re.compile(r"(?:tại|ở|về)\s*$", re.IGNORECASE)


def extract_items(items: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """items: source_path, file_path, doc_id, text, url, title, published (from ingest).
    Same bytes twice (one doc_id) are extracted once. An article whose extraction fails goes to
    quarantine with the error, and the batch goes on."""
    articles, metrics, people, documents, quarantined = [], [], [], [], []
    seen: set[str] = set()
    for row in items.iter_rows(named=True):
        if row["doc_id"] in seen:
            continue
        seen.add(row["doc_id"])
        try:
            a, m, p, d = extract_article(row["doc_id"], row["source_path"], row["text"],
                                         url=row["url"], title=row["title"], published=row["published"])
        except Exception as exc:  # an article the rules cannot read must not stop the run
            quarantined.append((row["source_path"], row["doc_id"], "extract_error",
                                f"{type(exc).__name__}: {exc}"[:500]))
            continue
        articles.append(a)
        metrics.extend(m)
        people.extend(p)
        documents.extend(d)
    return {
        "articles": pl.DataFrame(articles, schema=ARTICLES_SCHEMA, orient="row"),
        "metrics": pl.DataFrame(metrics, schema=METRICS_SCHEMA, orient="row"),
        "people": pl.DataFrame(people, schema=PEOPLE_SCHEMA, orient="row"),
        "documents": pl.DataFrame(documents, schema=DOCUMENTS_SCHEMA, orient="row"),
        "quarantine": pl.DataFrame(quarantined, schema=QUARANTINE_SCHEMA, orient="row"),
    }


def extract_article(doc_id: str, source_path: str, text: str, url: str | None = None,
                    title: str | None = None, published: str | None = None):
    """One article -> (article row, metric rows, people rows, document rows) as tuples in the
    column order of the *_SCHEMA dicts."""
    c: Cleaned = clean_article(text)
    body = c.body
    title = (title.strip() if title else None) or c.title
    published_at = (_iso_or_printed(published) if published else None) or c.published_at
    info = outlet_info(c.outlet_tag) if c.outlet_tag else None
    outlet = info[0] if info else None
    published_at = published_at if _not_future(published_at) else None  # a misprint, not a date
    province = article_province(title, body, c.outlet_tag)
    spans = sentences(body)
    lead = _lead(spans, title)
    ev = find_event_date(body, title, published_at)
    ev = ev if _not_future(ev) else None
    period = article_period(title, body, ev, published_at)
    kind = meeting_kind(title, lead)
    topical = on_topic(body)
    article = (
        doc_id, source_path, url, title, outlet, published_at, ev, province,
        meeting_location(body), kind, period.label if period else None, c.byline, topical, body,
        period.kind if period else None, period.start if period else None, period.end if period else None,
        province_2025(province) if province else None,
    )
    as_of = ev or (published_at.date() if published_at else None) or date.today()
    metric_rows = _metrics(doc_id, body, spans, title, province, ev, period, as_of, topical)
    people_rows = [(doc_id, p.name, p.title, province, p.sentence, p.char_start, p.char_end)
                   for p in extract_people(body, spans)]
    doc_rows = [(doc_id, d.kind, d.code, d.session, d.term, d.issued_on if _not_future(d.issued_on) else None,
                 d.text, d.sentence, d.char_start, d.char_end) for d in extract_documents(body, spans)]
    return article, metric_rows, people_rows, doc_rows


LEAD_SENTENCES = 4


def _lead(spans: list[tuple[str, int, int]], title: str | None) -> str:
    """The first sentences after the headline, where a report says what happened."""
    rest = [s for s, _, _ in spans if not title or s.strip() != title.strip()]
    return " ".join(rest[:LEAD_SENTENCES])


def _default_year(period: Period | None, ev: date | None) -> int | None:
    if period is not None and period.kind != "range":
        return period.start.year
    return ev.year if ev else None


def _metric_period(hit: MetricHit, sentence: str, found: list, period: Period | None,
                   ev: date | None) -> Period | None:
    """The period a figure covers: its sentence's own (`found`: the sentence's period
    mentions), else the rules of FACTS.md."""
    year = _default_year(period, ev)
    pos = hit.mention.start
    dated_asof = [pm for pm in found if pm.kind == "asof" and pm.day is not None and pm.start < pos]
    if dated_asof:  # "Tính đến ngày 25/6/2020, toàn tỉnh có 497/567 ..." fixes the day for any figure
        return resolve(dated_asof[-1], year, ev)
    if hit.metric in STOCK_METRICS or (hit.metric is None and _NOW_WORDS.search(hit.before)):
        if _RAISE_TOTAL.search(hit.before) or any(pm.role == "asof_total" for pm in found):
            ref = next((pm for pm in reversed(found) if pm.start < pos and pm.kind == "Y" and pm.year), None)
            y = ref.year if ref else (period.start.year if period and period.kind == "Y" else None)
            if y is None:
                return None
            d = end_of_year(y)
            return Period("asof", d.isoformat(), d, d)
        asof = [pm for pm in found if pm.kind == "asof"]
        if asof:
            return resolve(min(asof, key=lambda pm: abs(pm.start - pos)), year, ev)
        if ev is None:
            return None
        return Period("asof", ev.isoformat(), ev, ev)
    stated = [pm for pm in found if pm.kind != "asof" and pm.role == "stated"]
    before = [pm for pm in stated if pm.start < pos]
    if before:
        return resolve(before[-1], year, ev)
    # A period after the number counts only in the same clause, and never a range there
    # ("8 đảng viên ... 5 năm liền (2012-2016)" is a criterion, not the period of the figure).
    after = [pm for pm in stated if pm.kind != "range" and not CLAUSE_END.search(sentence[pos:pm.start])]
    if after:
        return resolve(after[0], year, ev)
    return period


def _not_future(value: date | datetime | None) -> bool:
    """A date an article gives can be at most a day ahead of this machine (time zones); one
    further ahead is a misprint or a misreading and is dropped rather than guessed."""
    if value is None:
        return True
    day = value.date() if isinstance(value, datetime) else value
    return day <= date.today() + timedelta(days=1)


def _iso_or_printed(value: str) -> datetime | None:
    """A date field of a JSONL record: ISO 8601 ("2015-02-11", "2015-02-11T08:00:00+07:00", kept as
    local time) or a date as Vietnamese pages print it ("11:13, 26/06/2019")."""
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:
        return parse_published(value)


def _metrics(doc_id, body, spans, title, province, ev, period, as_of: date, topical: bool = True) -> list[tuple]:
    rows: list[tuple] = []
    seen: set[tuple] = set()
    for sentence, start, end in spans:
        hits = classify(sentence, topical)
        if not hits:
            continue
        places = find_places(sentence)
        periods = find_periods(sentence)
        for hit in hits:
            scope, national = scope_of(sentence, hit.mention.start, hit.mention.end, title, body, places)
            fact_province = None if national else _sentence_province(sentence, places, hit.mention.start, province)
            p = _metric_period(hit, sentence, periods, period, ev)
            if p is not None and p.start > as_of:
                if hit.metric:
                    continue  # a period after the article's own date: a target, not a fact
                p = None
            key = (hit.metric, hit.value, hit.unit, p.label if p else None, scope, fact_province)
            if key in seen:
                continue
            seen.add(key)
            rows.append((doc_id, len(rows), hit.metric, hit.value, hit.unit, hit.qualifier, hit.pct_of_plan,
                         hit.denominator, p.kind if p else None, p.start if p else None, p.end if p else None,
                         p.label if p else None, fact_province, "national" if national else scope,
                         sentence, start, end))
    return rows


def _sentence_province(sentence: str, places, pos: int, article_prov: str | None) -> str | None:
    """The article's province, unless the sentence names exactly one other before the number
    (not as a venue: "khai mạc tại Hà Nội" says where, not whose)."""
    named = {pl_.province for pl_ in places if pl_.province and pl_.start < pos and pl_.kind == "province"
             and not _VENUE.search(sentence[:pl_.start])}
    if len(named) == 1:
        return named.pop()
    return article_prov
