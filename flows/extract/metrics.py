"""Numbers in a sentence -> metric facts: canonical metrics by the rules of
flows/data/metrics_phrases.tsv, every other meaningful count as a quantity with its noun."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..datafiles import read_tsv
from ..text.numbers import NumberMention, find_numbers

QUANTITY_KINDS = {"count", "percent", "money", "fraction"}
_TRAILING_QUALIFIERS = re.compile(
    r"(?:\s*\b(?:hơn|trên|gần|khoảng|xấp xỉ|ước đạt|ước tính|ước|đạt|được|tới|đến|là|thêm|mới|số)\b)+\s*$",
    re.IGNORECASE)
_TARGET = re.compile(r"phấn đấu|chỉ tiêu(?! kết nạp đảng viên mới)|mục tiêu|dự kiến|kế hoạch (?:đề ra )?là|sẽ\b",
                     re.IGNORECASE)
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


_CLAUSE_BREAK = re.compile(r"[;:]|,\s")
CLAUSE_END = re.compile(r"[;:.]|,\s")  # where a clause ends (also used by facts.py)


def _window(sentence: str, mentions: list[NumberMention], i: int) -> str:
    """The words before mention i, back to the previous quantity or the start of its clause."""
    start = 0
    for prev in reversed(mentions[:i]):
        if prev.kind in QUANTITY_KINDS:
            start = prev.end
            break
    text = sentence[start:mentions[i].start]
    breaks = list(_CLAUSE_BREAK.finditer(text))
    return text[breaks[-1].end():] if breaks else text


def counted_noun(after: str) -> str | None:
    m = _NOUN.match(after)
    if not m:
        return None
    noun = _NOUN_STOP.sub("", " " + m.group(1)).strip(" -")
    return noun or None


def classify(sentence: str) -> list[MetricHit]:
    """Every quantity of a sentence, canonical where a rule says so."""
    mentions = find_numbers(sentence)
    hits: list[MetricHit] = []
    for i, m in enumerate(mentions):
        if m.kind not in QUANTITY_KINDS or m.restates:
            continue
        if m.kind == "fraction" and not (m.denominator and 0 <= m.value <= m.denominator):
            continue  # "502/472" counts nothing out of anything: a ratio, a code or a date
        raw_before = _window(sentence, mentions, i)
        before = _TRAILING_QUALIFIERS.sub("", raw_before).rstrip()
        after = sentence[m.end:]
        rule = _match_rule(m, before, after, sentence)
        if rule is not None:
            hits.append(MetricHit(rule.metric, m.value, rule.unit, m.qualifier, m.pct_of_plan, m.denominator,
                                  m, raw_before))
            continue
        unit = m.unit or ("percent" if m.kind == "percent" else None) or counted_noun(after)
        if unit is None:
            continue
        hits.append(MetricHit(None, m.value, unit, m.qualifier, m.pct_of_plan, m.denominator, m, raw_before))
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
        if _TARGET.search(before):
            continue
        if rule.sentence is not None and not rule.sentence.search(sentence):
            continue
        return rule
    return None


def end_of_year(year: int) -> date:
    return date(year, 12, 31)
