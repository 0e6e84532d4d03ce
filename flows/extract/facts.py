"""One batch of decoded articles -> the frames of the warehouse tables.

Extraction is an ordered tuple of passes over the batch (PASSES): one row per doc_id, each
article's fields, the sentence frame of the whole batch, the candidates marked on it in Polars,
then metrics, people and documents. The functions the passes call are pure and live in
flows/text and flows/extract; their knowledge lives in flows/data.
"""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

from ..ingest import ITEMS_SCHEMA
from ..text.clean import Cleaned, clean_article
from ..text.dates import event_date as find_event_date, parse_published
from ..text.periods import Period, article_period, find_periods, resolve
from ..text.places import article_province, central_meeting, find_places, meeting_location, outlet_info, province_2025
from ..text.numbers import QUANTITY_GATE
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


# ---------------------------------------------------------------------------------------------
# Extraction as an ordered tuple of passes (the shape of sqlglot's optimizer): each pass takes the
# batch's Work and hands it on. The text of the whole batch is tested by compiled engines (Polars
# expressions, run in Rust over every sentence at once); Python runs the rules only on the
# articles and sentences those tests keep. An article whose extraction fails in any pass goes to
# quarantine with the error, its rows of earlier passes are dropped, and the batch goes on.


@dataclass
class Article:
    """What later passes read of one article (the fields pass sets it)."""
    row: tuple            # the articles row, in ARTICLES_SCHEMA order
    body: str
    title: str | None
    province: str | None
    event_date: date | None
    period: Period | None
    as_of: date
    on_topic: bool
    spans: list = field(default_factory=list)  # (sentence, char_start, char_end)


@dataclass
class Work:
    items: pl.DataFrame                                        # the batch, one row per doc_id
    articles: dict[str, Article] = field(default_factory=dict)  # doc_id -> article, in batch order
    sentences: pl.DataFrame | None = None                      # doc_id, sent_no, sentence, start, end, flags
    rows: dict[str, list] = field(default_factory=lambda: {"metrics": [], "people": [], "documents": []})
    quarantined: list[tuple] = field(default_factory=list)


def unique_docs(work: Work) -> Work:
    """Same bytes twice (one doc_id) are extracted once."""
    work.items = work.items.unique(subset="doc_id", keep="first", maintain_order=True)
    return work


def _each(work: Work, fn, docs=None) -> None:
    """fn(doc_id, article) for each article still in the batch (or those of `docs`); one that
    raises leaves the batch for quarantine."""
    for doc_id in list(work.articles if docs is None else docs):
        a = work.articles.get(doc_id)
        if a is None:
            continue
        try:
            fn(doc_id, a)
        except Exception as exc:  # an article the rules cannot read must not stop the run
            _quarantine(work, doc_id, a.row[1], exc)


def _quarantine(work: Work, doc_id: str, source_path: str, exc: Exception) -> None:
    work.articles.pop(doc_id, None)
    work.quarantined.append((source_path, doc_id, "extract_error", f"{type(exc).__name__}: {exc}"[:500]))


def article_fields(work: Work) -> Work:
    """Clean each article, then its fields (headline, dates, province, period, meeting kind,
    location, topic) and its sentences."""
    for row in work.items.select("doc_id", "source_path", "text", "url", "title", "published").iter_rows():
        doc_id, source_path = row[0], row[1]
        try:
            work.articles[doc_id] = _article(*row)
        except Exception as exc:
            _quarantine(work, doc_id, source_path, exc)
    return work


def split_sentences(work: Work) -> Work:
    """The sentence frame of the batch: one row per sentence, in article and text order."""
    cols: dict[str, list] = {"doc_id": [], "sent_no": [], "sentence": [], "start": [], "end": []}
    for doc_id, a in work.articles.items():
        for i, (sent, s, e) in enumerate(a.spans):
            cols["doc_id"].append(doc_id)
            cols["sent_no"].append(i)
            cols["sentence"].append(sent)
            cols["start"].append(s)
            cols["end"].append(e)
    work.sentences = pl.DataFrame(cols, schema={"doc_id": pl.String, "sent_no": pl.Int32, "sentence": pl.String,
                                                "start": pl.Int32, "end": pl.Int32})
    return work


def mark_candidates(work: Work) -> Work:
    """Which sentences can hold what, for the whole batch at once in Polars: a quantity needs a
    digit or a number word (numbers.QUANTITY_GATE)."""
    work.sentences = work.sentences.with_columns(
        has_quantity=pl.col("sentence").str.contains(QUANTITY_GATE))
    return work


def find_metrics(work: Work) -> Work:
    """Metric rows, from the sentences that can hold a quantity."""
    spans: dict[str, list] = {}
    for doc_id, sent, s, e in work.sentences.filter("has_quantity").select(
            "doc_id", "sentence", "start", "end").iter_rows():
        spans.setdefault(doc_id, []).append((sent, s, e))

    def one(doc_id: str, a: Article) -> None:
        work.rows["metrics"].extend(_metrics(doc_id, a.body, spans[doc_id], a.title, a.province, a.event_date,
                                             a.period, a.as_of, a.on_topic))
    _each(work, one, docs=spans)
    return work


def find_people(work: Work) -> Work:
    def one(doc_id: str, a: Article) -> None:
        work.rows["people"].extend((doc_id, p.name, p.title, a.province, p.sentence, p.char_start, p.char_end)
                                   for p in extract_people(a.body, a.spans))
    _each(work, one)
    return work


def find_documents(work: Work) -> Work:
    def one(doc_id: str, a: Article) -> None:
        work.rows["documents"].extend(
            (doc_id, d.kind, d.code, d.session, d.term, d.issued_on if _not_future(d.issued_on) else None,
             d.text, d.sentence, d.char_start, d.char_end) for d in extract_documents(a.body, a.spans))
    _each(work, one)
    return work


PASSES = (unique_docs, article_fields, split_sentences, mark_candidates, find_metrics, find_people, find_documents)


def extract_items(items: pl.DataFrame, passes=PASSES, timings: dict[str, float] | None = None) -> dict[str, pl.DataFrame]:
    """items: source_path, file_path, doc_id, text, url, title, published (from ingest) -> the
    frames of the tables (articles, metrics, people, documents, quarantine). `timings`, when
    given, receives the CPU seconds of each pass (bench/extract_regress.py prints them)."""
    work = Work(items)
    for p in passes:
        t = time.process_time()
        work = p(work)
        if timings is not None:
            timings[p.__name__] = timings.get(p.__name__, 0.0) + time.process_time() - t
    kept = set(work.articles)
    return {
        "articles": pl.DataFrame([a.row for a in work.articles.values()], schema=ARTICLES_SCHEMA, orient="row"),
        **{name: pl.DataFrame([r for r in work.rows[name] if r[0] in kept], schema=schema, orient="row")
           for name, schema in (("metrics", METRICS_SCHEMA), ("people", PEOPLE_SCHEMA),
                                ("documents", DOCUMENTS_SCHEMA))},
        "quarantine": pl.DataFrame(work.quarantined, schema=QUARANTINE_SCHEMA, orient="row"),
    }


def extract_article(doc_id: str, source_path: str, text: str, url: str | None = None,
                    title: str | None = None, published: str | None = None):
    """One article through the passes -> (article row, metric rows, people rows, document rows)
    as tuples in the column order of the *_SCHEMA dicts. Raises what made it fail."""
    items = pl.DataFrame([(source_path, None, doc_id, text, url, title, published)], orient="row",
                         schema=ITEMS_SCHEMA)
    out = extract_items(items)
    if out["quarantine"].height:
        raise ValueError(out["quarantine"]["detail"][0])
    return (out["articles"].row(0), out["metrics"].rows(), out["people"].rows(), out["documents"].rows())


def _article(doc_id: str, source_path: str, text: str, url: str | None, title: str | None,
             published: str | None) -> Article:
    """Clean one article and read its fields."""
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
    if province and central_meeting(title, " ".join(s for s, _, _ in spans[:3] if not title or s.strip() != title.strip())):
        province = None  # a central body's meeting: the province of a post named there is not the article's
    ev = find_event_date(body, title, published_at)
    ev = ev if _not_future(ev) else None
    period = article_period(title, body, ev, published_at)
    kind = meeting_kind(title, lead)
    topical = on_topic(body)
    row = (
        doc_id, source_path, url, title, outlet, published_at, ev, province,
        meeting_location(body, spans=spans), kind, period.label if period else None, c.byline, topical, body,
        period.kind if period else None, period.start if period else None, period.end if period else None,
        province_2025(province) if province else None,
    )
    as_of = ev or (published_at.date() if published_at else None) or date.today()
    return Article(row, body, title, province, ev, period, as_of, topical, spans)


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
