"""articles.on_topic: is the article about Party organization-building work?

A weighted count of the terms in flows/data/topic_terms.tsv; on topic when the weighted count
reaches MIN_SCORE and either its density (per 1,000 characters) reaches MIN_DENSITY or the count
alone reaches STRONG_SCORE (a long article that keeps coming back to the subject). The thresholds
were set by measuring ../shared/corpus/genre against ../shared/corpus/general (README).
"""
from __future__ import annotations

import re

from ..datafiles import read_tsv
from ..text.patterns import lower_is_safe, trie_pattern
from ..text.letters import lower
from ..text.multiscan import Words

_TERMS = [(r["term"], float(r["weight"])) for r in read_tsv("topic_terms.tsv")]
_WEIGHT = {t.lower(): w for t, w in _TERMS}
_PATTERN = re.compile(trie_pattern(_WEIGHT), re.IGNORECASE)  # a trie: same matches, 4 times faster
# What the same pattern finds on lower-cased text without IGNORECASE, found in one Hyperscan scan.
_LOWER_WORDS = Words(list(_WEIGHT))

MIN_SCORE = 10.0
MIN_DENSITY = 4.0
STRONG_SCORE = 25.0


def topic_score(body: str) -> tuple[float, float]:
    """(weighted term count, weighted count per 1,000 characters)."""
    if lower_is_safe(body):
        score = sum(_WEIGHT[t] for t in _LOWER_WORDS.leftmost_longest(lower(body)))
    else:
        score = sum(_WEIGHT[m.group(0).lower()] for m in _PATTERN.finditer(body))
    return score, 1000.0 * score / max(len(body), 1)


def on_topic(body: str) -> bool:
    score, density = topic_score(body)
    return score >= MIN_SCORE and (density >= MIN_DENSITY or score >= STRONG_SCORE)
