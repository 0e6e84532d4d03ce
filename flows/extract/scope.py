"""metrics.scope: the unit smaller than the province that a figure covers, read from the words
before the number (flows/data/scope_units.tsv). NULL = the whole province; 'national' = the
whole country."""
from __future__ import annotations

import re

from ..datafiles import read_tsv
from ..text.places import canonical_province

_UNITS = {r["phrase"]: r["kind"] for r in read_tsv("scope_units.tsv")}
_PHRASES = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(p) for p in sorted(_UNITS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE)
# A proper name after the unit noun: capitalised words, numbers, "số 2", abbreviations.
_NAME = re.compile(r"\s+((?:số\s+)?(?:[A-ZĐÀ-Ỹ0-9][\w.&\-]*)(?:\s+(?:[A-ZĐÀ-Ỹ0-9][\w.&\-]*|các|cơ|quan|và|tỉnh|doanh|nghiệp))*)")
_CLUSTER = re.compile(r"\bCụm(?:\s+thi\s+đua)?(?:\s+số)?\s+\d+\b", re.IGNORECASE)
_PROVINCE_WORDS = re.compile(r"^(?:tỉnh|thành phố|tp\.?)$", re.IGNORECASE)


def scope_of(prefix: str, title: str | None, body: str) -> tuple[str | None, bool]:
    """(scope, national) for a figure whose sentence reads `prefix` before the number."""
    for m in reversed(list(_PHRASES.finditer(prefix))):
        kind = _UNITS[m.group(1).lower()]
        if kind == "national":
            return None, True
        if kind == "province":
            return None, False
        if kind == "cluster":
            named = _CLUSTER.search(title or "") or _CLUSTER.search(body)
            return (named.group(0) if named else m.group(1)), False
        rest = prefix[m.end():]
        name = _NAME.match(rest)
        if not name:
            nxt = rest.split()[:1]
            if nxt and _PROVINCE_WORDS.match(nxt[0]):
                return None, False  # "Đảng bộ tỉnh", "huyện ủy ... thành phố" = the whole province
            continue  # "đảng bộ trực thuộc": a counted noun, not a unit's name
        name_text = name.group(1).strip()
        if canonical_province(name_text) or canonical_province(name_text.split(" ")[0]):
            return None, False  # "Đảng bộ Nghệ An" is the province itself
        return f"{m.group(1)} {name_text}".strip(), False
    return None, False
