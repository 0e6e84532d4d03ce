"""metrics.scope: the unit smaller than the province that a figure covers, read from the words
before the number (flows/data/scope_units.tsv). NULL = the whole province; 'national' = the
whole country."""
from __future__ import annotations

import re
from functools import lru_cache

from ..datafiles import read_tsv
from ..text.patterns import lower_is_safe
from ..text.letters import UPPER, lower
from ..text.places import canonical_province, find_places

_UNITS = {r["phrase"]: r["kind"] for r in read_tsv("scope_units.tsv")}
_NOT_NAMES = {r["word"] for r in read_tsv("scope_not_names.tsv")}
_PHRASES = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(p) for p in sorted(_UNITS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE)
# The same on lower-cased text (letters.lower) without IGNORECASE, which re searches faster.
_PHRASES_LOWER = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(p.lower()) for p in sorted(_UNITS, key=len, reverse=True)) + r")(?!\w)")
_CAP = rf"[{UPPER}0-9][\w.&\-]*"
# A proper name after the unit noun: capitalised words or numbers ("Cụm 1", "Công ty TOYOTA",
# "cơ quan Bộ Ngoại giao", "Khối doanh nghiệp tỉnh").
_NAME = re.compile(rf"\s+((?:số\s+)?(?:(?:cơ quan|các cơ quan|khối|liên doanh|cổ phần)\s+)?{_CAP}"
                   rf"(?:\s+(?:{_CAP}|các|cơ quan|và|tỉnh|doanh nghiệp|liên doanh|cổ phần))*"
                   rf"|(?:các cơ quan|doanh nghiệp|dân chính đảng)(?:\s+(?:tỉnh|thành phố|{_CAP}))*)")
# A unit noun with no name that is the subject of its clause ("chi bộ đã phát triển ...").
_SUBJECT_VERB = re.compile(r"\s+(?:đã|đang|hiện|có|phát triển|kết nạp|được|vẫn|luôn)\b", re.IGNORECASE)
_OUTER = re.compile(_PHRASES.pattern + r"\s+$", re.IGNORECASE)
_AFTER_NUMBER = re.compile(r"\d(?:[.,]\d+)*\s*$")
_CLUSTER = re.compile(r"\bCụm(?:\s+thi\s+đua)?(?:\s+số)?\s+\d+\b", re.IGNORECASE)
_PROVINCE_WORDS = re.compile(r"^(?:tỉnh|thành phố|tp\.?)$", re.IGNORECASE)
_VENUE = re.compile(r"(?:tại|ở|về|đến)\s*$", re.IGNORECASE)
_COMPARED = re.compile(r"(?:dẫn đầu|đứng đầu|đứng thứ\s+\w+|so với|tốp(?:\s+\w+)?|xếp thứ\s+\w+|cao nhất|thấp nhất)\s+$",
                       re.IGNORECASE)


# Units an article can be about as a whole: a bare "huyện", "toàn huyện" means the one it names.
_LOCAL_NOUNS = ("huyện", "quận", "thị xã", "xã", "phường", "thị trấn")
_PLURAL = re.compile(r"(?:các|những|mỗi|từng|nhiều|một số|hai|ba)\s+$", re.IGNORECASE)
_WORD_CAP = rf"[{UPPER}0-9][\w\-]*"
_LOCAL_NAMED = {n: re.compile(rf"(?<![\w])(?i:{n})[ \t]+({_WORD_CAP}(?:[ \t]+{_WORD_CAP}){{0,3}})") for n in _LOCAL_NOUNS}


@lru_cache(maxsize=256)
def _article_unit(noun: str, title: str | None, body: str) -> str | None:
    """The unit of this kind the article is about: "huyện Anh Sơn" when the headline names it, or
    when it is the only one the body names; None when it names none or several."""
    pattern = _LOCAL_NAMED.get(noun)
    if pattern is None:
        return None
    for text in (title or "", body):
        names = {m.group(1) for m in pattern.finditer(text) if m.group(1).split(" ")[0] not in _NOT_NAMES}
        if len(names) == 1:
            return f"{noun} {names.pop()}"
        if names:
            return None
    return None


def scope_of(sentence: str, start: int, end: int, title: str | None, body: str,
             places: list | None = None) -> tuple[str | None, bool]:
    """(scope, national) for the figure at sentence[start:end]. `places`: the sentence's
    find_places(), when the caller has them already."""
    prefix = sentence[:start]
    if places is None:
        places = find_places(sentence)
    found = _PHRASES_LOWER.finditer(lower(prefix)) if lower_is_safe(prefix) else _PHRASES.finditer(prefix)
    clause_start = prefix.rfind(";") + 1  # the figure's subject is in its own clause
    for m in reversed(list(found)):
        if m.start() < clause_start:
            break
        if _AFTER_NUMBER.search(prefix[:m.start()]):
            continue  # "28 đảng bộ trực thuộc": a counted noun, not the unit the figure covers
        unit = prefix[m.start(1):m.end(1)]  # as written
        kind = _UNITS[unit.lower()]
        if kind == "national":
            if _COMPARED.search(prefix[:m.start()]):
                continue  # "đứng thứ ba cả nước": a ranking against the country, not its figure
            return None, True
        if kind == "province":
            return None, False
        if kind == "cluster":
            named = _CLUSTER.search(title or "") or _CLUSTER.search(body)
            return (named.group(0) if named else unit), False
        rest = prefix[m.end():]
        name = _NAME.match(rest)
        if not name:
            nxt = rest.split()[:1]
            if nxt and _PROVINCE_WORDS.match(nxt[0]):
                return None, False  # "Đảng bộ tỉnh" = the whole province
            own = _article_unit(unit.lower(), title, body) if not _PLURAL.search(prefix[:m.start()]) else None
            if own:
                return own, False  # "của huyện đạt 11,5%" in an article about huyện Anh Sơn
            if _SUBJECT_VERB.match(rest):
                return unit, False  # "chi bộ đã phát triển được 23 đảng viên"
            continue
        name_text = name.group(1).strip()
        if name_text.split(" ")[0] in _NOT_NAMES:
            continue  # "huyện Theo ông A": a new sentence, not the unit's name
        if canonical_province(name_text) or canonical_province(name_text.split(" ")[0]):
            return None, False  # "Đảng bộ Nghệ An" is the province itself
        start = m.start()
        while True:  # "Chi bộ Công ty JAPFACOMFEED": the unit of a named unit
            outer = _OUTER.search(prefix[:start])
            if not outer or _UNITS.get(outer.group(1).lower()) != "unit":
                break
            start = outer.start(1)
        return f"{prefix[start:m.start()]}{unit} {name_text}".strip(), False
    for place in reversed([p for p in places if p.end <= start]):
        if place.kind == "district" and not _VENUE.search(sentence[:place.start]):
            return place.text, False  # "quận Cầu Giấy đã kết nạp 120 đảng viên"
    for place in (p for p in places if p.start >= end):
        if place.kind == "district" and not _VENUE.search(sentence[end:place.start]):
            return place.text, False  # "với kết quả thu 6.279 tỷ đồng, Nam Từ Liêm là ..."
    return None, False
