"""Numbers in a sentence -> metric facts: canonical metrics by the rules of
flows/data/metrics_phrases.tsv, every other meaningful count as a quantity with its noun.

A number a rule reads as canonical stays a plain quantity when a row of
flows/data/metrics_not_canonical.tsv says its subject is not the province, a unit of it or the
country (another country, a company, a sector, sanctioned people, another party) or that it was
not achieved (a target, a plan, a forecast, a condition)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..datafiles import read_tsv
from ..text.numbers import NumberMention, find_numbers
from ..text.patterns import case_safe
from ..text.places import find_places, foreign_places

QUANTITY_KINDS = {"count", "percent", "money", "fraction"}
_TRAILING_WORDS = ("hơn", "trên", "gần", "khoảng", "xấp xỉ", "ước đạt", "ước tính", "ước", "đạt", "được", "tới",
                   "đến", "là", "thêm", "mới", "số")
_TRAILING_QUALIFIERS = re.compile(r"(?:\s*\b(?:" + "|".join(_TRAILING_WORDS) + r")\b)+\s*$", re.IGNORECASE)


def drop_trailing_qualifiers(text: str) -> str:
    """_TRAILING_QUALIFIERS.sub("", text): the qualifier words that end text, dropped. Most texts
    do not end with one (a match ends with one of the words, then only white space), and re
    would try the pattern at each of their positions: those are returned as they are."""
    if case_safe(text) and not text.rstrip().lower().endswith(_TRAILING_WORDS):
        return text
    return _TRAILING_QUALIFIERS.sub("", text)
# The counted noun after a number: words up to punctuation, a number or a joining word.
_NOUN = re.compile(r"\s*((?:[^\W\d_]+(?:[ \-][^\W\d_]+){0,4}))")
_NOUN_STOP = re.compile(
    r"\s(?:và|với|của|trong|tại|đã|được|để|cho|là|có|trên|đạt|so|từ|đến|theo|thuộc|gồm|nhằm|về|ở|nâng|tăng|giảm|chiếm|bằng|trở|mỗi|năm|tháng|người)\b.*$",
    re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    metric: str
    unit: str
    number_kind: str
    after: re.Pattern
    before: re.Pattern | None
    exclude_before: re.Pattern | None
    exclude_after: re.Pattern | None
    sentence: re.Pattern | None
    priority: int


def _compile(p: str) -> re.Pattern | None:
    p = p.strip()
    return re.compile(p, re.IGNORECASE) if p else None


def _rule(r: dict[str, str]) -> Rule:
    after = r["after"].strip()
    return Rule(metric=r["metric"], unit=r["unit"], number_kind=r["number_kind"],
                after=re.compile(r"\s*(?:" + after + ")", re.IGNORECASE) if after else re.compile(""),
                before=_compile(r["before"]), exclude_before=_compile(r["exclude_before"]),
                exclude_after=_compile(r["exclude_after"]), sentence=_compile(r["sentence"]),
                priority=int(r["priority"]))


RULES: tuple[Rule, ...] = tuple(sorted((_rule(r) for r in read_tsv("metrics_phrases.tsv")),
                                       key=lambda r: r.priority))


@dataclass(frozen=True)
class NotCanonical:
    name: str
    metrics: frozenset[str] | None  # None: every metric
    where: frozenset[str]  # 'clause', 'before', 'after'
    pattern: re.Pattern | None  # None: {FOREIGN}, the places of places_foreign.tsv


def _not_canonical(r: dict[str, str]) -> NotCanonical:
    metrics = None if r["metrics"].strip() == "*" else frozenset(m.strip() for m in r["metrics"].split(","))
    pat = r["pattern"].strip()
    return NotCanonical(r["name"], metrics, frozenset(w.strip() for w in r["where"].split(",")),
                        None if pat == "{FOREIGN}" else re.compile(pat, re.IGNORECASE))


NOT_CANONICAL: tuple[NotCanonical, ...] = tuple(_not_canonical(r) for r in read_tsv("metrics_not_canonical.tsv"))

@dataclass
class MetricHit:
    metric: str | None
    value: float
    unit: str
    qualifier: str | None
    pct_of_plan: float | None
    denominator: float | None
    mention: NumberMention  # spans relative to the sentence
    before: str  # the words before the number (for period/scope decisions)
    # the canonical metric a rule read, and the row of metrics_not_canonical.tsv that kept it a
    # plain quantity (None when it is canonical or no rule read one)
    blocked_metric: str | None = None
    blocked_by: str | None = None


_CLAUSE_BREAK = re.compile(r"[;:]|,\s")
CLAUSE_END = re.compile(r"[;:.]|,\s")  # where a clause ends (also used by facts.py)


def _window(sentence: str, mentions: list[NumberMention], i: int) -> str:
    """The words before mention i, back to the previous quantity or the start of its clause."""
    start = 0
    for prev in reversed(mentions[:i]):
        if prev.kind in QUANTITY_KINDS:
            start = prev.end
            break
    return _clause_tail(sentence[start:mentions[i].start])


def _clause_tail(text: str) -> str:
    """The end of text from its last clause break ("; ", ": ", ", ") on."""
    breaks = list(_CLAUSE_BREAK.finditer(text))
    return text[breaks[-1].end():] if breaks else text


# Between two items of one list: the first one's counted noun (a few words, no number) and a comma or
# semicolon, maybe "và": the second item shares the words before the first ("có A, B và C").
_LIST_GAP = re.compile(r"\s*[^\W\d_]+(?:[ \-][^\W\d_]+){0,5}\s*(?:[,;]\s*(?:và\s+)?|\s+và\s+)")


def counted_noun(after: str) -> str | None:
    m = _NOUN.match(after)
    if not m:
        return None
    noun = _NOUN_STOP.sub("", " " + m.group(1)).strip(" -")
    return noun or None


def blocked_by(metric: str, sentence: str, start: int, end: int) -> str | None:
    """The name of the first row of metrics_not_canonical.tsv that keeps the figure at
    sentence[start:end] from being `metric`, or None."""
    before = sentence[:start]
    texts = {"before": before, "clause": _clause_tail(before), "after": CLAUSE_END.split(sentence[end:], 1)[0]}
    for row in NOT_CANONICAL:
        if row.metrics is not None and metric not in row.metrics:
            continue
        for where in row.where:
            text = texts[where]
            if (foreign_places(text) if row.pattern is None else row.pattern.search(text)):
                return row.name
    return None


OFF_TOPIC = "off_topic"
# Metrics read only from articles about Party organisation-building work: elsewhere (a ministry's
# award ceremony, a court case, a foreign party) whose Party members or whose commendations a
# figure counts cannot be told. Economic metrics name their subject in the sentence and are read
# everywhere, under metrics_not_canonical.tsv.
TOPICAL_ONLY = frozenset({"party_members_admitted", "party_members_total", "party_committees_direct",
                          "grassroots_orgs_total", "grassroots_congresses_held", "commendations_collective",
                          "commendations_individual"})


# Metrics whose subject an off-topic article's sentence must name (flows/data/metrics_subjects.tsv).
NEEDS_SUBJECT = frozenset({"grdp_growth_pct", "budget_revenue_vnd"})
SUBJECTS = read_tsv("metrics_subjects.tsv")
_SUBJECT_RE = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(r["word"]) for r in sorted(
    SUBJECTS, key=lambda r: len(r["word"]), reverse=True)) + r")(?!\w)", re.IGNORECASE)
NO_SUBJECT = "no_subject"


def names_subject(text: str) -> bool:
    """Whether text names a Vietnamese place, a local unit or the country (metrics_subjects.tsv)."""
    return bool(_SUBJECT_RE.search(text)) or any(p.province or p.kind != "province" for p in find_places(text))


def classify(sentence: str, on_topic: bool = True) -> list[MetricHit]:
    """Every quantity of a sentence, canonical where a rule says so and no row of
    metrics_not_canonical.tsv says otherwise. In an article that is not about Party
    organisation-building work (on_topic False), the Party and commendation metrics (TOPICAL_ONLY)
    stay plain quantities (blocked_by OFF_TOPIC), and an economic figure (NEEDS_SUBJECT) too unless
    the sentence names whose it is before the number (blocked_by NO_SUBJECT)."""
    mentions = find_numbers(sentence)
    hits: list[MetricHit] = []
    listed: tuple[int, str] | None = None  # (end, words before) of the last quantity read
    for i, m in enumerate(mentions):
        if m.kind not in QUANTITY_KINDS or m.restates:
            continue
        if m.kind == "fraction" and not (m.denominator and 0 <= m.value <= m.denominator):
            continue  # "502/472" counts nothing out of anything: a ratio, a code or a date
        raw_before = _window(sentence, mentions, i)
        if listed is not None and _LIST_GAP.fullmatch(sentence, listed[0], m.start):
            raw_before = listed[1]  # "hiện có 28 đảng bộ trực thuộc, 1.040 tổ chức cơ sở đảng, 80.000 đảng viên"
        listed = (m.end, raw_before)
        before = drop_trailing_qualifiers(raw_before).rstrip()
        after = sentence[m.end:]
        rule = _match_rule(m, before, after, sentence)
        blocked = None if rule is None else blocked_by(rule.metric, sentence, m.start, m.end)
        if blocked is None and rule is not None and not on_topic:
            if rule.metric in TOPICAL_ONLY:
                blocked = OFF_TOPIC
            elif rule.metric in NEEDS_SUBJECT and not names_subject(sentence[:m.start]):
                blocked = NO_SUBJECT
        if rule is not None and blocked is None:
            hits.append(MetricHit(rule.metric, m.value, rule.unit, m.qualifier, m.pct_of_plan, m.denominator,
                                  m, raw_before))
            continue
        unit = m.unit or ("percent" if m.kind == "percent" else None) or counted_noun(after)
        if unit is None:
            continue
        hits.append(MetricHit(None, m.value, unit, m.qualifier, m.pct_of_plan, m.denominator, m, raw_before,
                              rule.metric if blocked else None, blocked))
    return hits


def _match_rule(m: NumberMention, before: str, after: str, sentence: str) -> Rule | None:
    kind = "count" if m.kind == "fraction" else m.kind
    for rule in RULES:
        wanted = rule.number_kind
        if wanted == "fraction":
            if m.kind != "fraction":
                continue
        elif wanted != kind:
            continue
        if not rule.after.match(after):
            continue
        if rule.before is not None and not rule.before.search(before):
            continue
        if rule.exclude_before is not None and rule.exclude_before.search(before):
            continue
        if rule.exclude_after is not None and rule.exclude_after.search(CLAUSE_END.split(after, 1)[0]):
            continue
        if rule.sentence is not None and not rule.sentence.search(sentence):
            continue
        return rule
    return None


def end_of_year(year: int) -> date:
    return date(year, 12, 31)
