"""articles.meeting_kind from the lead (first) and the headline, by flows/data/meeting_kinds.tsv."""
from __future__ import annotations

import re

from ..datafiles import read_tsv

_RULES = sorted(((int(r["priority"]), r["kind"], re.compile(r["pattern"], re.IGNORECASE))
                 for r in read_tsv("meeting_kinds.tsv")), key=lambda t: t[0])


def meeting_kind_of(text: str) -> str | None:
    """The kind of the rule with the best priority; among equals, the one said first."""
    best = None
    for priority, kind, pattern in _RULES:
        m = pattern.search(text)
        if m and (best is None or (priority, m.start()) < best[:2]):
            best = (priority, m.start(), kind)
    return best[2] if best else None


def meeting_kind(title: str | None, lead: str) -> str | None:
    """The lead says what happened; the headline is the fallback."""
    return meeting_kind_of(lead) or (meeting_kind_of(title) if title else None)
