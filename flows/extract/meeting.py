"""articles.meeting_kind from the lead (first) and the headline, by flows/data/meeting_kinds.tsv."""
from __future__ import annotations

import re

from ..datafiles import read_tsv
from ..text.patterns import lower_is_safe
from ..text.letters import lower
from ..text.multiscan import PatternSet

_RULES = sorted(((int(r["priority"]), r["kind"], re.compile(r["pattern"], re.IGNORECASE))
                 for r in read_tsv("meeting_kinds.tsv")), key=lambda t: t[0])


def _lower_only(pattern: str) -> bool:
    """Are the pattern's letters all lower case (escapes such as \\S aside)? Then it finds on
    letters.lower(text) without IGNORECASE what it finds on text with it (see lower_is_safe)."""
    plain = re.sub(r"\\.", "", pattern)
    return plain == plain.lower()


# The rules again, for lower-cased text: a pattern without IGNORECASE lets re skip to its first
# letters (None: a rule with upper-case letters keeps its case-insensitive pattern).
_LOWER_RULES = [re.compile(p.pattern) if _lower_only(p.pattern) else None for _, _, p in _RULES]
# Which of those can match a lower-cased text at all, in one Hyperscan scan (flows/text/multiscan.py):
# most leads hold none. (A rule without one is never asked: "" stands in its place.)
_LOWER_PRESENT = PatternSet([(fast.pattern if fast is not None else "", 0) for fast in _LOWER_RULES])


def meeting_kind_of(text: str) -> str | None:
    """The kind of the rule with the best priority; among equals, the one said first."""
    best = None
    low = lower(text) if lower_is_safe(text) else None
    present = _LOWER_PRESENT.present(low) if low is not None else set()
    for k, ((priority, kind, pattern), fast) in enumerate(zip(_RULES, _LOWER_RULES)):
        if low is not None and fast is not None:
            m = fast.search(low) if k in present else None
        else:
            m = pattern.search(text)
        if m and (best is None or (priority, m.start()) < best[:2]):
            best = (priority, m.start(), kind)
    return best[2] if best else None


def meeting_kind(title: str | None, lead: str) -> str | None:
    """The lead says what happened; the headline is the fallback."""
    return meeting_kind_of(lead) or (meeting_kind_of(title) if title else None)
