"""Places: provinces, districts, outlets, and the province/location of an article.

Mechanisms only; every Vietnamese name lives in flows/data/:
  places_provinces.tsv   the 63 provinces in force 2008-2025 (canonical names, no "Tỉnh"/"Thành phố")
  places_aliases.tsv     other spellings and names of an article's own time ("TP.HCM", "BR-VT", "Hà Tây")
  places_districts.tsv   district-level units with their province (generated from vietnamadminunits' data)
  places_merger_2025.tsv province -> province after the 2025 merger (Resolution 202/2025/QH15)
  places_words.tsv       markers ("tỉnh", "huyện"...), words that end a location phrase, etc.
  outlets.tsv            outlet tags ("Baonghean.vn", "ĐTO", "NLĐ") -> newspaper and its province
  places_foreign.tsv     countries, regions and bodies outside Viet Nam ("Trung Quốc", "châu Á", "IMF")

Canonical province names are the short official names, written in the newer tone style:
"Hồ Chí Minh", "Thừa Thiên Huế", "Bà Rịa - Vũng Tàu" (ASCII hyphen with spaces), "Hòa Bình",
"Thanh Hóa", "Khánh Hòa", "Đắk Lắk", "Đắk Nông", "Kon Tum".

All inputs are expected to be normalised (flows.text.normalize.normalize_text). Word-segmented
text ("Hà_Nội") is read as if the underscores were spaces; spans are unchanged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flows.datafiles import read_tsv
from flows.text.letters import LOWER, UPPER  # noqa: F401 (re-exported)
from flows.text.normalize import fold, normalize_text
from flows.text.sentences import sentences
from flows.text.multiscan import PatternSet
from flows.text.patterns import WordStart, trie_pattern


__all__ = [
    "PlaceMention",
    "canonical_province",
    "find_places",
    "outlet_info",
    "province_2025",
    "article_province",
    "meeting_location",
    "load_tsv",
    "PROVINCES",
    "foreign_places",
]


def load_tsv(name: str) -> list[dict[str, str]]:
    """Rows of a data file of flows/data, values normalised (NFC, one tone-mark style)."""
    return [{k: normalize_text(v) for k, v in row.items()} for row in read_tsv(name)]


_KEY_DROP = re.compile(r"[\s\-–—.]")
_NEXT_WORD = re.compile(r"\s+([\w]+)")
_PROVINCE_WORD = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s*", re.IGNORECASE)


def _key(name: str) -> str:
    """Comparison key for place names: folded, no spaces, dashes or dots ("TP. HCM" = "tp.hcm" = "tphcm")."""
    return _KEY_DROP.sub("", fold(name.replace("_", " ")))


# ---------------------------------------------------------------- data, loaded once

_PROV_ROWS = load_tsv("places_provinces.tsv")
PROVINCES: tuple[str, ...] = tuple(r["province"] for r in _PROV_ROWS)
_PROV_TYPE = {r["province"]: r["type"] for r in _PROV_ROWS}
_ALIAS_ROWS = load_tsv("places_aliases.tsv")
_DIST_ROWS = load_tsv("places_districts.tsv")
_MERGER = {r["province"]: r["province_2025"] for r in load_tsv("places_merger_2025.tsv")}
_WORDS: dict[str, set[str]] = {}
for _r in load_tsv("places_words.tsv"):
    _WORDS.setdefault(_r["role"], set()).add(_r["word"])
_OUTLET_ROWS = load_tsv("outlets.tsv")
_FOREIGN_ROWS = load_tsv("places_foreign.tsv")

# province lookup: key -> canonical name
_PROV_BY_KEY: dict[str, str] = {_key(p): p for p in PROVINCES}
for _r in _ALIAS_ROWS:
    _PROV_BY_KEY.setdefault(_key(_r["alias"]), _r["province"])
_PROV_BY_KEY.update({_key("Tỉnh " + p): p for p in PROVINCES if _key("Tỉnh " + p) not in _PROV_BY_KEY})

# district lookup: name -> set of provinces, type
_DIST: dict[str, set[str]] = {}
for _r in _DIST_ROWS:
    _DIST.setdefault(_r["name"], set()).add(_r["province"])

# names searched in running text: name -> (province or None, scan mode, is_province)
_SCAN_PROV: dict[str, tuple[str, str]] = {p: (p, "bare") for p in PROVINCES}
for _r in _ALIAS_ROWS:
    if _r["scan"] != "no":
        _SCAN_PROV[_r["alias"]] = (_r["province"], _r["scan"])
# "Hồ Chí Minh" bare is almost always the person ("tư tưởng Hồ Chí Minh"): the alias row says marker-only
for _r in _ALIAS_ROWS:
    if _r["alias"] in PROVINCES and _r["scan"] != "bare":
        _SCAN_PROV[_r["alias"]] = (_r["province"], _r["scan"])

_ALL_NAMES = sorted(set(_SCAN_PROV) | {n for n in _DIST if not n.isdigit()}, key=len, reverse=True)
# Any name, as a whole word: (?<![\w])(?:name|...)(?![\w]).
_NAME_FAST = WordStart(trie_pattern(_ALL_NAMES) + r"(?![\w])")
# Places outside Viet Nam, as whole words, case-sensitive (one alternation, longest first).
_FOREIGN_RE = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(r["name"]) for r in sorted(
    _FOREIGN_ROWS, key=lambda r: len(r["name"]), reverse=True)) + r")(?![\w])")
_FOREIGN_BARE = {r["name"] for r in _FOREIGN_ROWS if r["guard"] == "bare"}
_WORD_BEFORE = re.compile(r"(\w+)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+(\w+)")


def foreign_places(text: str) -> list[re.Match]:
    """The places and bodies outside Viet Nam that text names (flows/data/places_foreign.tsv). A
    short name that is also a Vietnamese given name or place syllable (guard 'bare': "Nga", "Mỹ",
    "Đức") counts only with no capitalised word right before or after it ("Nguyễn Thị Nga",
    "Long Mỹ" and "Mỹ Tho" are not foreign)."""
    out = []
    for m in _FOREIGN_RE.finditer(text):
        if m.group(0) in _FOREIGN_BARE:
            b = _WORD_BEFORE.search(text, 0, m.start())
            a = _WORD_AFTER.match(text, m.end())
            if (b and b.group(1)[0].isupper()) or (a and a.group(1)[0].isupper()):
                continue
        out.append(m)
    return out


# Upper-case letters (Latin + Vietnamese): a class range like A-Z plus Vietnamese capitals would also take lower-case letters.
_U = "[" + re.escape(UPPER) + "]"


def _alt(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MARK = {
    "province": _WORDS.get("province_marker", set()),
    "city": _WORDS.get("city_marker", set()),
    "district": _WORDS.get("district_marker", set()),
    "commune": _WORDS.get("commune_marker", set()),
}
# a marker right before a name: "tỉnh ", "TP. ", "Thành phố " (case-insensitive for word markers)
_MARKER_BEFORE = re.compile(
    r"(?:(?<![\w])(?P<m>" + _alt({m for s in _MARK.values() for m in s}) + r"))\s*$", re.IGNORECASE)
_MARK_KIND = {fold(m): k for k, s in _MARK.items() for m in s}
_NUM_DISTRICT = WordStart(r"(?:quận|Quận)\s+(\d{1,2})(?![\w])")
_COMMUNE = re.compile(
    r"(?<![\w])(?:" + _alt(_MARK["commune"]) + r")\s+(" + _U + r"[\w]*(?:\s+" + _U + r"[\w]*)?(?:\s+\d+)?)(?![\w])")
_COMMUNE_FAST = WordStart(_COMMUNE.pattern[len(r"(?<![\w])"):])  # the same matches, faster
_PREV_WORD = re.compile(r"([\w.]+)[ \t]+$")
# Whether a numbered district or a commune can be named in a text at all, in one Hyperscan scan
# (flows/text/multiscan.py); worth it on a long text only (a body, not a sentence).
_MARKED_PRESENT = PatternSet([(_NUM_DISTRICT.pattern.pattern, 0), (_COMMUNE.pattern, 0)])
_SCAN_FROM = 256
_NOT_BARE = _WORDS.get("not_bare", set())
_PREFIX_OK = _WORDS.get("prefix_ok", set())


def canonical_province(name: str | None) -> str | None:
    """Canonical province name for a spelling ("TP.HCM" -> "Hồ Chí Minh", "Tỉnh Nghệ An" -> "Nghệ An"), else None.

    Names of an article's own time are kept ("Hà Tây" -> "Hà Tây")."""
    if not name:
        return None
    s = normalize_text(name).strip(" \t\r\n.,;:()")
    s = _PROVINCE_WORD.sub("", s) or s
    return _PROV_BY_KEY.get(_key(s)) or _PROV_BY_KEY.get(_key(name))


def province_2025(province: str | None) -> str | None:
    """The province after the 2025 merger (34 units): "Tiền Giang" -> "Đồng Tháp", "Hà Tây" -> "Hà Nội"."""
    p = canonical_province(province) if province else None
    return _MERGER.get(p) if p else None


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    province: str | None
    kind: str  # 'province' | 'district' | 'commune' | 'city'
    name: str


def _is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper()


def find_places(text: str) -> list[PlaceMention]:
    """Places named in text, in order. Districts resolve to their province when the name is unique;
    an ambiguous district ("Châu Thành") has province None. Bare names need no marker only when they
    are unambiguous, multi-syllable and not glued to a capitalised word (a person's name)."""
    work = text.replace("_", " ")
    out: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []
    for m in _NAME_FAST.finditer(work):
        name = m.group(0)
        s, e = m.start(), m.end()
        before = work[max(0, s - 12):s]
        mk = _MARKER_BEFORE.search(before)
        mkind = _MARK_KIND.get(fold(mk.group("m"))) if mk else None
        start = s - (len(before) - mk.start()) if mk else s
        # a number/letter glued after ("Mỹ Đình 2") or a capitalised continuation means a longer name
        nxt = _NEXT_WORD.match(work[e:e + 20])
        if nxt and nxt.group(1)[0].isupper() and not mkind and name not in _SCAN_PROV:
            continue
        fm = _FOREIGN_RE.match(work, s)
        if fm and fm.end() > e:
            continue  # "Thái Bình Dương" (the Pacific) is not Thái Bình
        prov_info = _SCAN_PROV.get(name)
        dist = _DIST.get(name)
        pm: PlaceMention | None = None
        if mkind == "province":
            if prov_info:
                pm = PlaceMention(start, e, work[start:e], prov_info[0], "province", name)
        elif mkind == "city":
            if prov_info and _PROV_TYPE.get(prov_info[0]) == "thành phố":
                pm = PlaceMention(start, e, work[start:e], prov_info[0], "province", name)
            elif dist:
                pv = next(iter(dist)) if len(dist) == 1 else None
                pm = PlaceMention(start, e, work[start:e], pv, "city", name)
            elif prov_info:
                pm = PlaceMention(start, e, work[start:e], prov_info[0], "city", name)
        elif mkind == "district":
            if dist:
                pv = next(iter(dist)) if len(dist) == 1 else None
                pm = PlaceMention(start, e, work[start:e], pv, "district", name)
        elif mkind == "commune":
            continue  # a commune that shares a district's name: handled by _COMMUNE below
        else:
            pw = _PREV_WORD.search(work[max(0, s - 30):s])
            if pw and _is_cap(pw.group(1)) and pw.group(1) not in _PREFIX_OK and not pw.group(1).endswith("."):
                continue  # part of a person's or organisation's name
            if work[e:e + 1] == "/":
                continue  # photo credit "Thống Nhất/TTXVN"
            if prov_info and prov_info[1] == "bare":
                pm = PlaceMention(s, e, name, prov_info[0], "province", name)
            elif dist and len(dist) == 1 and " " in name and name not in _NOT_BARE:
                pm = PlaceMention(s, e, name, next(iter(dist)), "district", name)
        if pm:
            out.append(pm)
            taken.append((pm.start, pm.end))
    marked = _MARKED_PRESENT.present(work) if len(work) >= _SCAN_FROM else {0, 1}
    for m in _NUM_DISTRICT.finditer(work) if 0 in marked else ():
        n = m.group(1)
        if n in _DIST:
            dist = _DIST[n]
            out.append(PlaceMention(m.start(), m.end(), work[m.start():m.end()],
                                    next(iter(dist)) if len(dist) == 1 else None, "district", n))
    for m in _COMMUNE_FAST.finditer(work) if 1 in marked else ():
        if any(a <= m.start() < b for a, b in taken):
            continue
        out.append(PlaceMention(m.start(), m.end(), work[m.start():m.end()], None, "commune", m.group(1)))
    out.sort(key=lambda p: p.start)
    return out


# ---------------------------------------------------------------- outlets

_OUTLETS: dict[str, tuple[str, str | None]] = {}
for _r in _OUTLET_ROWS:
    _val = (_r["outlet"], _r["province"] or None)
    _OUTLETS.setdefault(_key(_r["tag"]), _val)
    _dom = re.match(r"(?:www\.)?([^.]+)\.", _r["tag"].lower())
    if _dom and "." in _r["tag"]:
        _OUTLETS.setdefault(_key(_dom.group(1)), _val)


def outlet_info(tag: str | None) -> tuple[str, str | None] | None:
    """Outlet tag as printed -> (newspaper name, its province or None for a national outlet); None if unknown.

    "(Baonghean.vn) -" -> ("Báo Nghệ An", "Nghệ An"); "ĐTO" -> ("Báo Đồng Tháp", "Đồng Tháp"); "NLĐ" -> ("Báo Người Lao Động", None)."""
    if not tag:
        return None
    s = normalize_text(tag).strip(" \t\r\n()[]-–:")
    s = re.sub(r"^(?:https?://)?(?:www\.)?", "", s, flags=re.IGNORECASE)
    for cand in (s, re.sub(r"/.*$", "", s), re.sub(r"\.(?:vn|com|net|org|info)(?:\.vn)?$", "", s, flags=re.IGNORECASE)):
        hit = _OUTLETS.get(_key(cand))
        if hit:
            return hit
    return None


# ---------------------------------------------------------------- article province and location

_CENTRAL_VENUE = _WORDS.get("central_venue", set())
_TAI_BEFORE = re.compile(r"(?<![\w])tại\s+$", re.IGNORECASE)


def _province_votes(text: str, weight: int, votes: dict[str, int]) -> None:
    for p in find_places(text):
        if not p.province:
            continue
        if p.kind == "province" and p.name in _CENTRAL_VENUE and _TAI_BEFORE.search(text[max(0, p.start - 8):p.start]):
            continue  # "tại Hà Nội": where a national body met, not whose meeting it was
        votes[p.province] = votes.get(p.province, 0) + weight


def article_province(title: str | None, body: str, outlet_tag: str | None = None) -> str | None:
    """The province the article's meeting belongs to, or None (FACTS.md: never guessed).

    Evidence: provinces and unambiguous districts named in the headline and the body, and the
    outlet's province. One province named -> it. Several -> the one that dominates (at least
    two thirds of the weighted mentions, the headline counting three); otherwise None."""
    votes: dict[str, int] = {}
    if title:
        _province_votes(normalize_text(title), 3, votes)
    _province_votes(body, 1, votes)
    info = outlet_info(outlet_tag) if outlet_tag else None
    if info and info[1]:
        votes[info[1]] = votes.get(info[1], 0) + 3
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    if len(ranked) == 1:
        return ranked[0][0]
    total = sum(votes.values())
    if ranked[0][1] * 3 >= total * 2:
        return ranked[0][0]
    return None


_CENTRAL_BODY = _WORDS.get("central_body", set())
_CENTRAL_RE = re.compile(r"(?<![\w])(?:" + _alt(_CENTRAL_BODY) + r")(?![\w])", re.IGNORECASE) if _CENTRAL_BODY else None
# the end of an office's head right before a place: the place is the office's ("Bí thư Tỉnh ủy Hà Nam")
# ("Bí thư Thành ủy Buôn Ma Thuột, tỉnh Đắk Lắk": the province after a comma is the office's too)
PARENT_MARKERS = _WORDS.get("parent_marker", set())
_OFFICE_BEFORE = re.compile(r"(?i:" + _alt(_WORDS.get("office_word", set())) + r")(?:[^,;:.()]{0,30}"
                            r"|[^,;:.()]{0,30},[ \t]*(?:(?i:" + _alt(PARENT_MARKERS) + r")[ \t]*)?)$")


# a province's own bodies, named without their place ("Ban Tổ chức Tỉnh ủy", "UBND tỉnh")
_LOCAL_BODY_RE = re.compile(r"(?<![\w])(?:" + _alt(_WORDS.get("local_body", set())) + r")(?![\w])")


_TAKES_UP = _WORDS.get("takes_up", set())
# ... unless negated: "thôi giữ chức Bí thư Tỉnh ủy Hà Nam" is the post someone leaves
_TAKES_UP_RE = re.compile(r"(?<![\w])" + "".join(f"(?<!{re.escape(w)} )" for w in _WORDS.get("leaves", set()))
                          + r"(?:" + _alt(_TAKES_UP) + r")[ \t]+$", re.IGNORECASE) if _TAKES_UP else None


def central_meeting(title: str | None, lead: str) -> bool:
    """Whether the headline and the lead say a central body met and name no province or unit of
    one except inside the title of a post someone holds or leaves (places_words.tsv, roles
    central_body and takes_up): the article's meeting is then that body's, not a province's."""
    text = normalize_text(((title or "") + ". " + lead).replace("_", " "))

    def office_before(pos: int) -> re.Match | None:  # the office whose title holds what stands at pos
        return _OFFICE_BEFORE.search(text, max(0, pos - 45), pos)

    if _CENTRAL_RE is None or all(office_before(m.start()) for m in _CENTRAL_RE.finditer(text)):
        return False  # none, or only in someone's title ("Ủy viên BCH Trung ương Đảng")
    if not all(office_before(m.start()) for m in _LOCAL_BODY_RE.finditer(text)):
        return False  # "Ban Tổ chức Tỉnh ủy tổ chức hội nghị": a province's body met
    for p in find_places(text):
        if p.province is None:
            continue
        if p.kind == "province" and p.name in _CENTRAL_VENUE and _TAI_BEFORE.search(text[max(0, p.start - 8):p.start]):
            continue  # "tại Hà Nội": where the national body met
        office = office_before(p.start)
        if office is None or _TAKES_UP_RE is not None and _TAKES_UP_RE.search(text, max(0, office.start() - 30), office.start()):
            return False  # a province's own place, or the post someone takes up there ("làm Bí thư Tỉnh ủy Cao Bằng")
    return True


_LOC_STOPS = _WORDS.get("location_stop", set())
_LOC_NOT = _WORDS.get("location_not", set())
_LOC_VENUE = sorted(_WORDS.get("location_venue", set()), key=len, reverse=True)  # longest first
# "tại Hà Nội", "tại Hội trường ...", and a lower-case building before a name: "tại trụ sở Tỉnh ủy Hà Nam"
_TAI = WordStart(r"tại\s+(?=" + _U + (r"|(?:" + _alt(_LOC_VENUE) + r")\s+" + _U if _LOC_VENUE else "") + ")")
# A stop ends the phrase unless it closes an abbreviation of a unit ("TP.HCM", "TP. Hải Phòng", "Q.1").
_LOC_END = re.compile(r"[,;:!?()\"“”\n]|(?<!TP)(?<!TX)(?<!TT)(?<!\bQ)(?<!\bP)\.|\s[-–]\s|$")
_LOC_EVENT = _WORDS.get("location_event", set())
_EVENT_RE = re.compile(r"(?:" + _alt(_LOC_EVENT) + r")(?![\w])") if _LOC_EVENT else None
_STOP_RE = re.compile(r"\s(?:" + _alt(_LOC_STOPS) + r")(?![\w])")
_NOT_RE = re.compile(r"(?:^|\s)\s*(?:" + _alt(_LOC_NOT) + r")(?![\w])")


_LEAD_LIMIT = 3000


def lead_sentences_of(body: str, n: int, spans: list[tuple[str, int, int]] | None = None,
                      limit: int = _LEAD_LIMIT) -> list[tuple[str, int, int]]:
    """sentences(body[:limit].replace("_", " "))[:n], taken from the body's own sentences `spans`
    (sentences(body)) when they are the same: the body has no "_" before limit, and either it ends
    before limit or its (n+1)th sentence starts at least two characters before it (splitting the
    lead reads at most the first two characters of the next sentence; tests/test_places.py
    checks the two on generated texts)."""
    if spans is not None and "_" not in body[:limit]:
        if len(body) <= limit or (len(spans) > n and spans[n][1] + 2 <= limit):
            return spans[:n]
    return sentences(body[:limit].replace("_", " "))[:n]


def _venue_name(phrase: str) -> str:
    """A lower-case building and the name after it ("trụ sở UBND xã Vĩnh Mỹ B", "trụ sở Chính phủ"), up to the first
    lower-case word that is neither the second syllable of a capitalised word nor a unit word before a name
    ("trụ sở UBND xã làm ảnh hưởng" -> "trụ sở UBND xã")."""
    venue = next((v for v in _LOC_VENUE if phrase.startswith(v + " ")), None)
    if venue is None:
        return phrase
    words = phrase[len(venue):].split()
    keep = []
    for k, w in enumerate(words):
        second = k > 0 and words[k - 1][:1].isupper()  # "Chính phủ", "Quốc hội": a capitalised word's own syllable
        before_name = k + 1 < len(words) and (words[k + 1][:1].isupper() or words[k + 1][:1].isdigit())  # "xã Vĩnh Mỹ"
        if w[:1].islower() and not second and not before_name:
            break
        keep.append(w)
    return " ".join([venue, *keep]) if keep else phrase


def meeting_location(body: str, lead_sentences: int = 5,
                     spans: list[tuple[str, int, int]] | None = None) -> str | None:
    """Where the meeting was held, as named after "tại" in the lead ("tại Diễn Châu" -> "Diễn Châu",
    "tại Hội trường thành phố", "tại Trụ sở Chính phủ"); None when the lead names no place.
    spans: the body's sentences, when the caller has them (sentences(body))."""
    for sent, start, _end in lead_sentences_of(body, lead_sentences, spans):
        for m in _TAI.finditer(sent):
            rest = sent[m.end():]
            cut = _LOC_END.search(rest).start()
            phrase = rest[:cut]
            st = _STOP_RE.search(" " + phrase)
            if st:
                phrase = phrase[:max(0, st.start())]
            phrase = phrase.strip()
            if not phrase or len(phrase.split()) > 8:
                continue
            after = rest[len(phrase):]
            if _NOT_RE.match(after) or _NOT_RE.search(" " + phrase):
                continue
            if _EVENT_RE is not None and _EVENT_RE.match(phrase):
                continue  # "tại Hội nghị", "tại Lễ khai mạc": a gathering, not a place
            if phrase[:1].islower():
                phrase = _venue_name(phrase)
            return phrase
    return None
