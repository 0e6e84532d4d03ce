"""articles.meeting_kind from the lead (first) and the headline, by flows/data/meeting_kinds.tsv."""
from __future__ import annotations

import re

from ..datafiles import read_tsv

_RULES = sorted(((int(r["priority"]), r["kind"], re.compile(r["pattern"], re.IGNORECASE))
                 for r in read_tsv("meeting_kinds.tsv")), key=lambda t: t[0])


def meeting_kind_of(text: str) -> str | None:
    for _, kind, pattern in _RULES:
        if pattern.search(text):
            return kind
    return None


def meeting_kind(title: str | None, lead: str) -> str | None:
    """The lead says what happened; the headline is the fallback."""
    return meeting_kind_of(lead) or (meeting_kind_of(title) if title else None)
