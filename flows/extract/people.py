"""People named in an article, with their titles (FACTS.md, table people).

A person is a Vietnamese personal name (2-4 capitalised syllables starting with a family name)
that the text introduces as a person: after an honorific ("đồng chí", "ông") or a title, or
followed by ", title" / "- title" / "(title)", or listed under a shared title
("các Phó Thủ tướng: A, B, C"; "Đỗ Mười, Lê Khả Phiêu, nguyên Tổng Bí thư").

Titles are split at ",", " - ", ";" and "kiêm"; abbreviations are expanded; "nguyên"/"cố" stay
and carry over to the following titles of the same list; a title written with and without its
unit is one title, in its fullest form; ranks are titles, degrees are not.

Language data: flows/data/titles_*.tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flows.text.multiscan import PatternSet
from flows.text.normalize import fold
from flows.text.patterns import WordStart, lower_is_safe
from flows.text.letters import lower
from flows.text.places import LOWER, PARENT_MARKERS, PROVINCES, UPPER, canonical_province, load_tsv
from flows.text.sentences import sentences

__all__ = ["PersonFact", "extract_people", "normalize_title", "read_title"]


@dataclass(frozen=True)
class PersonFact:
    name: str
    title: str | None
    sentence: str
    char_start: int
    char_end: int


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_HEADS = {fold(r["head"]): r for r in load_tsv("titles_heads.tsv")}
_ABBR = {r["abbreviation"]: r["expansion"] for r in load_tsv("titles_abbreviations.tsv")}
_CONT = {fold(r["word"]) for r in load_tsv("titles_words.tsv")}
# a word that continues a title only right after one of some words ("tổ chức" after "ban", not after "Tỉnh ủy")
_CONT_AFTER = {fold(r["word"]): frozenset(fold(x) for x in r["after"].split("|"))
               for r in load_tsv("titles_words.tsv") if r.get("after")}
_CONT_AFTER_RE = re.compile(r"(?<![\w])(?:" + _alt({a for v in _CONT_AFTER.values() for a in v}) + r")[ \t]*$", re.IGNORECASE) \
    if _CONT_AFTER else None


def _cont_here(word: str, text: str, pos: int) -> bool:
    """May the continuation word `word` (folded) follow text[:pos]?"""
    after = _CONT_AFTER.get(word)
    if after is None:
        return True
    m = _CONT_AFTER_RE.search(text, max(0, pos - 12), pos)
    return m is not None and fold(m.group(0).strip()) in after
_ORG_WORDS = {fold(r["word"]) for r in load_tsv("titles_org_words.tsv")}
# capitalised, as the start of a name ("Hội Nông dân"; in "quốc hội Venezuela" it is no organisation word)
_ORG_WORD_END = re.compile(r"(?<![\w])(?:" + _alt({w[:1].upper() + w[1:] for w in _ORG_WORDS}) + r")[ \t]+$")
_TITLE_CASE_SYLLABLE = re.compile(r"[" + re.escape(UPPER) + r"](?:[" + re.escape(LOWER) + r"]+)?$")
_MODIFIERS = sorted({fold(r["word"]) for r in load_tsv("titles_modifiers.tsv")}, key=len, reverse=True)
_ROLE: dict[str, set[str]] = {}
for _r in load_tsv("titles_not_people.tsv"):
    _ROLE.setdefault(_r["role"], set()).add(_r["word"])
_TAIL_ROWS = load_tsv("titles_name_tails.tsv")
# "Hội đồng lý luận Trung ương": one to four lower-case syllables inside a name, before the words that end it
_BRIDGE_RE = re.compile(r"([" + re.escape(LOWER) + r"]+(?:[ \t]+[" + re.escape(LOWER) + r"]+){0,3})[ \t]+(?="
                        + _alt({r["word"] for r in _TAIL_ROWS if r["role"] == "tail"}) + r"(?![\w]))")
_NOT_BRIDGE_RE = re.compile(r"(?<![\w])(?:" + _alt({r["word"] for r in _TAIL_ROWS if r["role"] == "not_bridge"}
                                                  | _ROLE.get("stop", set()))
                            + r")(?![\w])", re.IGNORECASE)
_SURNAMES = {r["surname"] for r in load_tsv("titles_surnames.tsv")}
_UNITS = load_tsv("titles_units.tsv")
_INCOMPLETE = [r["word"] for r in _UNITS if r["role"] == "incomplete_end"]
_UNIT_WORDS = [r["word"] for r in _UNITS if r["role"] == "unit"]
_ALIASES = {r["alias"]: r["name"] for r in load_tsv("titles_name_aliases.tsv")}
_ALIAS_TITLES = {r["alias"]: [r["title"]] if r["title"] else [] for r in load_tsv("titles_name_aliases.tsv")}
_COUNTRIES = [r["name"] for r in load_tsv("titles_countries.tsv")]
_FOREIGN_HEADS = {fold(h) for h, r in _HEADS.items() if r["kind"] == "foreign"}

_HEAD_RE = re.compile(r"(?<![\w])(?:" + _alt(_HEADS) + r")(?![\w])", re.IGNORECASE)
# The same for lower-cased text (letters.lower), without IGNORECASE: re skips to the first letters.
_HEAD_LOWER = WordStart("(?:" + _alt({h.lower() for h in _HEADS}) + r")(?![\w])")
_OPENERS = _ROLE.get("opener", set())
_HONORIFIC_END = re.compile(r"(?:^|[\s,;:(\-–])(?:" + _alt(_ROLE["honorific"]) + r")\s*:?\s*$", re.IGNORECASE)
_FORMER = {fold(w) for w in _ROLE.get("former", set())}
_DEGREES = {w for w in _ROLE.get("degree", set())}
_JOINERS = _ROLE.get("joiner", set())
_STOPS = {fold(w) for w in _ROLE.get("stop", set())}
_IMPLIED = {fold(w) for w in _ROLE.get("implied", set())}
_APPOINT_RE = WordStart(r"(?:" + _alt(_ROLE.get("appointment", {"giữ chức"})) + r")\s+(?=\S)")
_LIST_INTRO = _ROLE.get("list_intro", set())
# "ông A từng đảm nhận các chức vụ: X, Y và Z": every title of the list is A's
_CAREER_NOUN = r"(?:" + _alt({w.lower() for w in _ROLE.get("career_noun", set())}) + r")"
# a noun that opens the list after a few words of its own: "nhiều vị trí công tác khác nhau ở địa phương như:"
_CAREER_NOUN_LIST = _CAREER_NOUN + r"(?:\s+[^\s,;:.()]+){0,7}?\s*(?::|\s+như\b\s*:?)"
_CAREER_RE = WordStart(r"(?:" + _alt({w.lower() for w in _ROLE.get("career", set())}) + r")(?:\s+(?:"
                       + _CAREER_NOUN_LIST + "|" + _CAREER_NOUN + r"))?(?:\s+(?:như|là))?\s*:?\s+(?=\S)")
# the same told of a person named in the sentence before: "ông", "bà", "đồng chí" as the subject, then a
# career word, or a few words and a noun that opens a list ("Ông có thời gian dài làm việc ở những vị trí: ...")
_PRONOUN_CAREER = WordStart(r"(?:" + _alt({w.lower() for w in _ROLE["honorific"]}) + r")\s+(?:(?:đã|cũng)\s+)?(?:"
                            + _CAREER_RE._body.pattern + r"|(?:[^\s,;:.()]+\s+){0,10}?" + _CAREER_NOUN_LIST + r"\s*)")
# "Ông Thắng từng giữ chức ...", "ông Quang có quá trình công tác lâu năm tại tỉnh, trải qua nhiều vị trí: ...":
# an honorific and one capitalised word, then within the clause a career word (on lower-cased text)
_SHORT_NAME_CAREER = WordStart(r"(?:" + _alt({w.lower() for w in _ROLE["honorific"]}) + r")\s+(?P<given>[" + re.escape(LOWER)
                               + r"]+)\s+(?:[^.;:()]{0,80}?\s)?(?:" + _CAREER_RE._body.pattern + ")")
_SUBJECT_WORD = re.compile(r"(?<![\w])(?:" + _alt(_ROLE["honorific"]) + r")(?![\w])", re.IGNORECASE)
# "tỉnh An Giang", "thành phố Cần Thơ", "TP Hồ Chí Minh": a province after a district-level title, set off by a comma
_PARENT_PLACE = re.compile(r"(?:" + _alt(PARENT_MARKERS) + r")\s+(?:" + _alt(PROVINCES) + r")")
# a title ending with a district-level unit and its name: "Huyện ủy Tịnh Biên", "UBND huyện Sa Pa", "Quận ủy Quận 12"
_LOCAL_UNIT_END = re.compile(r"(?i:" + _alt({r["word"] for r in _UNITS if r["role"] == "district_unit"}) + r")\s+(?:["
                             + re.escape(UPPER) + r"]\w*|\d+)(?:[ \t]+(?:[" + re.escape(UPPER) + r"]\w*|\d+)){0,3}$")
# "bổ nhiệm <title> cho": the title of the person the honorific after it introduces
_GRANT_END = re.compile(r"(?:^|\s)(?P<verb>" + _alt(_ROLE.get("grant", set())) + r")\s+[^,;:()]{3,120}?\s(?P<cho>"
                        + _alt(_ROLE.get("grant_to", {"cho"})) + r")$",
                        re.IGNORECASE)
# two-word compounds whose second word is the first word of a head ("nhiệm vụ" + "Trưởng ban" is no "Vụ trưởng")
_COMPOUND_RE = re.compile(r"(?<![\w])(?:" + _alt(_ROLE["compound"]) + r")(?![\w])", re.IGNORECASE) \
    if _ROLE.get("compound") else None
_APPOINT_START = re.compile(r"[ \t]*(?:" + _alt(_ROLE.get("appointment", set())) + r")[ \t]", re.IGNORECASE)
# plural markers open a new noun phrase: the lower-case word before one ends no name ("Thành ủy TP HCM về các vi phạm")
_PLURALS = {fold(w) for w in _ROLE.get("plural", set())}
# a list introduced without a colon ("... là ông A, ông B") after a title counted or marked plural ("4 Phó Bí thư",
# "các Phó Chủ tịch", "hai Phó Trưởng ban")
_PLURAL_INTRO = re.compile(r"[ \t]+(?:" + _alt(_LIST_INTRO) + r")[ \t]+(?=\S)")
_PLURAL_BEFORE = re.compile(r"(?:^|\s)(?:\d+|" + _alt({w for w in _ROLE.get("plural", set())} | _ROLE.get("count_word", set()))
                            + r")[ \t]+$", re.IGNORECASE)
_CAREER_SPLIT = re.compile(r"\s+(và|rồi)\s+(?=\S)")
_ACTING = {fold(w) for w in _ROLE.get("acting", set())}
_COPULA_END = re.compile(r"(?:^|\s)(?:" + _alt(_ROLE.get("copula", set())) + r")$", re.IGNORECASE)
_CREDIT_RE = re.compile(r"(?:^|[\s(])(?:" + _alt(_ROLE.get("credit", set())) + r")\s*:\s*$", re.IGNORECASE)
_NOT_NAME = tuple(sorted({fold(w) for w in _ROLE.get("not_name", set())}))
_ALIAS_RE = WordStart(r"(?:" + _alt(_ALIASES) + r")(?![\w])") if _ALIASES else None
# Whether an alias can be named in a body at all, in one Hyperscan scan (flows/text/multiscan.py):
# most bodies name none, and their sentences are then not searched one by one.
_ALIAS_PRESENT = PatternSet([(_ALIAS_RE.pattern.pattern, 0)]) if _ALIAS_RE else None
_ORG_NAMES = frozenset(fold(r["name"]) for r in load_tsv("titles_organisations.tsv"))
_ORG_LENS = sorted({len(n) for n in _ORG_NAMES}, reverse=True)
_MULTI_CONT = sorted((w for w in _CONT if " " in w), key=len, reverse=True)
_MULTI_CONT_SET = frozenset(_MULTI_CONT)
_MULTI_CONT_LENS = sorted({len(w) for w in _MULTI_CONT}, reverse=True)


def _multi_cont_prefixes(low: str):
    """The words of _MULTI_CONT that start `low`, longest first (as a scan of _MULTI_CONT finds them)."""
    for n in _MULTI_CONT_LENS:
        if low[:n] in _MULTI_CONT_SET and len(low) >= n:
            yield low[:n]

# a capitalised word of a name; a hyphen joins the syllables of a foreign one ("Kim Jong-un", "Moon Jae-in")
_WORD = "[" + re.escape(UPPER) + "][" + re.escape(LOWER) + "]*(?:-[" + re.escape(UPPER + LOWER) + "]+)*"
_CAP_RUN = re.compile(rf"(?<![\w.]){_WORD}(?:[ \t]+{_WORD})+(?![\w])")
_CAP_RUN_BODY = re.compile(_CAP_RUN.pattern[len(r"(?<![\w.])"):])  # re skips to the capitals


def _cap_runs(sent: str):
    """_CAP_RUN.finditer(sent), the same matches: the body is searched and the character
    before it checked here, as the look-behind does."""
    search = _CAP_RUN_BODY.search
    pos = 0
    while (m := search(sent, pos)) is not None:
        s = m.start()
        if s and (sent[s - 1].isalnum() or sent[s - 1] in "_."):
            pos = s + 1
            continue
        yield m
        pos = m.end()
# a joiner that starts an office's modifier does not split ("Phó Chủ tịch kiêm nhiệm Hội đồng Dân tộc")
_JOINER_MODIFIERS = [m.split(" ", 1)[1] for m in _MODIFIERS if m.split(" ")[0] in {fold(j) for j in _JOINERS} and " " in m]
_PIECE_SPLIT = re.compile(r"\s*(?:,|;|:|\s[-–]\s?|(?<=\w)[-–]\s|\s(?:" + _alt(_JOINERS) + r")\s"
                          + (r"(?!(?i:" + _alt(_JOINER_MODIFIERS) + r")(?!\w))" if _JOINER_MODIFIERS else "") + r")\s*")
_ENDS_CAPITALISED = re.compile(r"(?:^|\s)[\ue000-\ue002]?[" + re.escape(UPPER) + r"][\w]*$")
_DOT_BEFORE_CAPITAL = re.compile(r"\.(?=\s*[" + re.escape(UPPER) + "])")
_LIST_INTRO_END = re.compile(r"\s+(?:" + _alt(_LIST_INTRO) + r")\s*$")
_TOKEN = re.compile(r"[\w]+(?:[.\-][\w]+)*\.?|[^\w\s]")
_DISTRICTS_FOLDED: set[str] = set()
try:
    _DISTRICTS_FOLDED = {fold(r["name"]) for r in load_tsv("places_districts.tsv")}
except OSError:  # pragma: no cover
    pass
_PROVINCES_FOLDED = {fold(p) for p in PROVINCES}
_PLACES_FOLDED = _PROVINCES_FOLDED | _DISTRICTS_FOLDED


# ---------------------------------------------------------------- titles

_BLANKS = re.compile(r"[ \t]+")
_WORD_CHAR = re.compile(r"\w")
# Separators inside one organisation's name ("Vụ Thi đua - Khen thưởng", "Sở Văn hóa, Thể thao và Du lịch")
# are masked (_mask_joins) so that the title lists are not split there; the mask opens the next word.
_MASKS = {"\ue000": ", ", "\ue001": " - ", "\ue002": " – "}
_MASK_CLASS = "[\ue000-\ue002]"
_TITLE_TOKEN = re.compile(_MASK_CLASS + r"?[\w]+(?:[.&\-][\w]+)*\.?")
_NEXT_WORD = re.compile(r"[ \t]+" + _MASK_CLASS + r"?([\w]+)")
_FOOTNOTE = re.compile(r"([^\W\d_]*[" + re.escape(LOWER) + r"][^\W\d_]*)\d+\.?$")  # "Giang11." -> "Giang"
_GLUED_SENTENCE = re.compile(r"\.(?=[" + re.escape(UPPER) + "][" + re.escape(LOWER) + "])")
_JOIN_DASH = re.compile(r"(?<=\w)(?:[ \t]+[-–][ \t]*|[-–][ \t]*)(?=[" + re.escape(UPPER) + "])")
_JOIN_COMMA = re.compile(r",[ \t]+(?=[" + re.escape(UPPER) + r"]\w*(?:[ \t]+\w+)?[ \t]+(?:" + _alt(_ROLE.get("org_joiner", {"và"}))
                         + r")[ \t]+[" + re.escape(UPPER) + "])")
_ORG_JOINERS = {fold(w) for w in _ROLE.get("org_joiner", set())}
_POSSESSIVE = {fold(w) for w in _ROLE.get("possessive", set())}
_CREDITS = {w.split()[0] for w in _ROLE.get("credit", set())}
_HONORIFICS_FOLDED = {fold(w) for w in _ROLE["honorific"]}


def _starts_title_or_name(text: str) -> bool:
    """Whether text opens a new title, a person or an honorific rather than continuing a name."""
    t = text.lstrip(" \t" + "".join(_MASKS))
    if _HEAD_RE.match(t):
        return True
    words = t.split(None, 2)
    if not words:
        return True
    w0 = words[0].strip(",.;:")
    if fold(w0) in _FORMER or fold(w0) in _HONORIFICS_FOLDED or w0 in _DEGREES or w0 in _CREDITS:
        return True  # ... or a photo credit ("Lưu Hạc, Phó Thủ tướng Trung Quốc - Ảnh: REUTERS")
    return w0 in _SURNAMES and len(words) > 1 and words[1][:1].isupper()


def _mask_joins(text: str) -> str:
    """Mask the dashes and commas inside an organisation's name: a dash between two capitalised
    parts of one name ("Thi đua - Khen thưởng", "Bà Rịa - Vũng Tàu"), a comma in an enumeration
    closed by "và" ("Văn hóa, Thể thao và Du lịch"); not one that opens a title or a name."""
    if "-" not in text and "–" not in text and "," not in text:
        return text

    def sub(m: re.Match) -> str:
        if _starts_title_or_name(text[m.end():]):
            return m.group(0)
        g = m.group(0)
        return " " + ("\ue000" if "," in g else "\ue002" if "–" in g else "\ue001")
    return _JOIN_COMMA.sub(sub, _JOIN_DASH.sub(sub, text))


def _unmask(s: str) -> str:
    for k, v in _MASKS.items():
        s = s.replace(" " + k, v).replace(k, v.lstrip())
    return s
_GLUED_ABBR = re.compile(r"(?<=(?<![\w.])(?:" + "|".join(re.escape(a) for a in _ABBR if a.endswith(".")) + r"))(?=["
                         + re.escape(UPPER) + r"])")
_SPACED_ABBR = re.compile(r"(?<![\w&])([" + re.escape(UPPER) + r"&]{2,6})[ \t]+[-–][ \t]+([" + re.escape(UPPER) + r"&]{2,8})(?![\w&])")
_CLOSES = re.compile(r"\s*[,;:)\-–]")
_SPACES = re.compile(r"\s+")
_FORMER_AT_START = re.compile(r"(?i)(nguyên|cố)\s+")
_PLACE_UNITS = load_tsv("titles_place_units.tsv")
# "Tỉnh ủy tỉnh Quảng Nam" -> "Tỉnh ủy Quảng Nam": the committee's own unit word before its place's name, in lower
# case ("Thành ủy Thành phố Hồ Chí Minh" keeps it: "Thành phố" is part of that city's name)
_SAME_UNIT = re.compile("|".join(r"(?<![\w])((?i:" + re.escape(r["committee"]) + r"))[ \t]+" + re.escape(r["unit"])
                                 + r"(?:[ \t]+(?=[" + re.escape(UPPER) + "])|$)" for r in _PLACE_UNITS))
# the unit word before a place's name, left out of the key that says two titles are one
_UNIT_BEFORE_PLACE = re.compile(r"(?<![\w])(?:" + _alt({r["unit"] for r in _PLACE_UNITS}) + r")[ \t]+(?=["
                                + re.escape(UPPER) + "])", re.IGNORECASE)


@lru_cache(maxsize=8192)
def normalize_title(raw: str) -> str:
    """Expand abbreviations and write the title in its official capitalisation. Cached: a
    batch names the same titles again and again."""
    text = _GLUED_ABBR.sub(" ", _unmask(raw).replace("_", " "))  # "TP.Hà Nội" -> "TP. Hà Nội"
    text = _SPACED_ABBR.sub(lambda m: m.group(1) + "-" + m.group(2) if m.group(1) + "-" + m.group(2) in _ABBR
                            else m.group(0), text)  # "Sở KH - ĐT" -> "Sở KH-ĐT"
    toks = text.split()
    out: list[str] = []
    for t in toks:
        out.append(_ABBR.get(t, _ABBR.get(t.rstrip("."), t) if t.endswith(".") else t))
    s = " ".join(out)
    s = _SPACES.sub(" ", s).strip(" ,;:-–().")
    if not s:
        return s
    # heads in their official form ("phó bí thư" -> "Phó Bí thư", "trưởng ban tổ chức" -> "Trưởng Ban Tổ chức")
    m = _HEAD_RE.match(s)
    former = ""
    fm = _FORMER_AT_START.match(s)
    if fm:
        former = fm.group(1).capitalize() + " "
        s = s[fm.end():]
        m = _HEAD_RE.match(s)
    if m:
        head = _HEADS[fold(m.group(0))]["head"]
        head = _ABBR.get(head, head)
        rest = s[m.end():]
        if head.endswith(" ban") and rest[:1] == " " and rest[1:2].isalpha():
            head = head[:-3] + "Ban"  # "Trưởng ban Tổ chức" -> "Trưởng Ban Tổ chức"
        s = head + rest
    s = _official_case(s)
    s = _SAME_UNIT.sub(lambda m: next(g for g in m.groups() if g) + (" " if m.end() < len(s) else ""), s)
    return former + s[:1].upper() + s[1:]


_CASE_WORDS = {fold(r["word"]): r["word"] for r in load_tsv("titles_case.tsv")}
_CASE_RE = re.compile(r"(?<![\w])(?:" + _alt(_CASE_WORDS) + r")(?![\w])", re.IGNORECASE)


def _official_case(s: str) -> str:
    return _CASE_RE.sub(lambda m: _CASE_WORDS[fold(m.group(0))], s)


@lru_cache(maxsize=16384)
def _title_extent(text: str) -> int:
    """Length of the title that starts text (a head at 0): the head plus its organisation phrase:
    capitalised words, abbreviations, numbers, known lower-case unit words, the lower-case
    syllables of a capitalised name ("Giao thông vận tải") and "và" between two capitalised parts
    of one name ("Kế hoạch và Đầu tư"). A period or a number glued to a word ("Giang11.") ends it.
    Cached (a pure function of text): a batch names the same titles again and again."""
    m = _HEAD_RE.match(text)
    if not m:
        return 0
    pos = m.end()
    if _HEADS[fold(m.group(0))]["kind"] == "rank":
        return pos
    head_end = pos  # an organisation word that ends the head opens a name in any case ("Trưởng phòng Kế hoạch")
    ws = _BLANKS.match(text, pos)
    if ws:  # a word that qualifies the office, only here: "Phó Bí thư thường trực Tỉnh ủy"
        low = fold(text[ws.end():ws.end() + 16])
        mod = next((w for w in _MODIFIERS if low.startswith(w) and not _WORD_CHAR.match(low[len(w):len(w) + 1] or " ")),
                   None)
        if mod:
            pos = ws.end() + len(mod)
    in_name = False  # the last word taken is part of a capitalised name
    while True:
        rest = text[pos:]
        ws = _BLANKS.match(rest)
        if not ws:
            break
        after = rest[ws.end():]
        if in_name and after[:1].islower():
            bm = _BRIDGE_RE.match(after)  # "Viện Khoa học xã hội Việt Nam": the name goes on to its last words
            if bm and not _NOT_BRIDGE_RE.search(bm.group(1)):
                pos += ws.end() + bm.end(1)
                continue
        mm = None
        low = fold(after[:40])
        if after[:1].isupper():  # an official name whose lower-case syllables belong to it ("Bộ Xây dựng")
            mm = next((n for n in _ORG_LENS if low[:n] in _ORG_NAMES and not _WORD_CHAR.match(after[n:n + 1] or " ")),
                      None)
        for w in ([] if mm else _multi_cont_prefixes(low)):
            if not _WORD_CHAR.match(after[len(w):len(w) + 1] or " ") and _cont_here(w, text, pos):
                mm = len(w)
                break
        if mm:
            pos += ws.end() + mm
            in_name = after[:1].isupper()  # "Hội đồng lý luận Trung ương": a name may go on after it
            continue
        tk = _TITLE_TOKEN.match(after)
        if not tk:
            break
        w = tk.group(0)
        fw = fold(w)
        bare = w.lstrip("".join(_MASKS))
        tail = after[len(w):]
        nxt = _NEXT_WORD.match(tail)
        if fw in _ORG_JOINERS:
            if in_name and nxt is not None and nxt.group(1)[0].isupper() and not _starts_title_or_name(tail):
                pos += ws.end() + len(w)
                continue
            break
        foot = _FOOTNOTE.match(bare) if bare[:1].isupper() or _ENDS_CAPITALISED.search(text, 0, pos) else None
        if foot:  # a note number glued on ("Giang11.", "Xây dựng115."): the title ends with the word
            pos += ws.end() + (len(w) - len(bare)) + len(foot.group(1))
            break
        glued = _GLUED_SENTENCE.search(w)
        if glued and w[:glued.start()] not in _ABBR and w[:glued.start() + 1] not in _ABBR:
            pos += ws.end() + glued.start()  # "Cần Thơ.Ngoài ra": the next sentence glued on
            break
        if w.endswith(".") and w not in _ABBR and not _ABBR.get(w.rstrip(".")) and "." not in w[:-1]:
            w = w[:-1]  # the sentence's period, not the title's
            if not w:
                break
            if bare[:1].isupper() or bare[:1].isdigit() or fold(w) in _CONT:
                pos += ws.end() + len(w)
            break
        prev_cap = bool(_ENDS_CAPITALISED.search(text, 0, pos))
        nxt_ok = nxt is not None and (
            nxt.group(1)[0].isupper() or fold(nxt.group(1)) in _CONT and fold(nxt.group(1)) not in _PLURALS
            or any(_multi_cont_prefixes(fold(tail.strip()[:20]))) or fold(nxt.group(1)) in _STOPS
            or (fold(nxt.group(1)) in _ORG_JOINERS and (nn := _NEXT_WORD.match(tail, nxt.end())) is not None
                and nn.group(1)[0].isupper() and not _starts_title_or_name(tail[nxt.end():])))
        second_syllable = prev_cap and bare[:1].islower() and fw not in _STOPS and not _NOT_BRIDGE_RE.match(after) \
            and not _ends_with_place(text, pos) and (
            not tail.strip() or _CLOSES.match(tail) is not None or nxt_ok) and (
            fw not in _FORMER or nxt_ok and not _starts_title_or_name(tail))  # "Tài nguyên và Môi trường"
        if not second_syllable and prev_cap and bare[:1].islower() and fw not in _STOPS and fw not in _FORMER:
            # "Trung tâm Điều hành", "Cục Kiểm lâm": after an organisation word, its name's first word
            cap = _ENDS_CAPITALISED.search(text, 0, pos)
            second_syllable = bool(cap) and _TITLE_CASE_SYLLABLE.match(cap.group(0).strip()) is not None and (
                _ORG_WORD_END.search(text, max(0, cap.start() - 20), cap.start() + 1) is not None
                or cap.start() == head_end and fold(text[:head_end]).split(" ")[-1] in _ORG_WORDS)
        if bare[:1].isupper() or bare[:1].isdigit() or (fw in _CONT or fold(w.rstrip(".")) in _CONT) \
                and _cont_here(fold(w.rstrip(".")), text, pos) or second_syllable:
            if fw in _FORMER and bare[:1].islower() and not second_syllable:
                break
            pos += ws.end() + len(w)
            in_name = bare[:1].isupper() or second_syllable and fw not in _CONT
            continue
        break
    return pos


def _ends_with_place(text: str, pos: int) -> bool:
    """Does text[:pos] end with the whole name of a province or district ("Đắk Lắk", "Cần Thơ")? Then a lower-case
    word after it is no syllable of that name ("Bí thư Tỉnh ủy Đắk Lắk hứa sẽ ...")."""
    words = text[max(0, pos - 40):pos].split()
    return any(fold(" ".join(words[-n:])) in _PLACES_FOLDED for n in (2, 3) if len(words) >= n)


def read_title(text: str) -> str | None:
    """The title that starts text ("Chủ tịch HĐND tỉnh dự và phát biểu" -> "Chủ tịch Hội đồng nhân dân tỉnh"), or None."""
    t, _whole = _piece_title(_mask_joins(text.replace("_", " ")), anywhere=False)
    return normalize_title(t) if t else None


@lru_cache(maxsize=16384)
def _piece_title(piece: str, anywhere: bool) -> tuple[str | None, bool]:
    """(title, whole) for one piece of a title list. anywhere: the head may follow other words
    (then whole is False and the list stops there). Cached, like _title_extent."""
    p = piece.strip()
    if not p:
        return None, False
    if _COMPOUND_RE is not None:  # "nhiệm vụ Trưởng ban": "vụ" ends a word here, it opens no "Vụ trưởng"
        p = _COMPOUND_RE.sub(lambda m: m.group(0).replace(" ", "_"), p)
    former = ""
    for m in (_HEAD_LOWER.finditer(lower(p)) if lower_is_safe(p) else _HEAD_RE.finditer(p)):
        if m.start() > 0 and not anywhere:
            pre = p[:m.start()].strip()
            if fold(pre) in _FORMER or fold(pre) in _ACTING or fold(pre) == "các" \
                    or fold(pre).split(" ")[-1] in _ACTING and fold(pre).split(" ")[0] in _FORMER:
                pass
            else:
                return None, False
        ext = _title_extent(p[m.start():])
        if not ext:
            continue
        pre = p[:m.start()].strip()
        if len(pre.split()) > 1 and pre.split()[-1][:1].isupper() and fold(pre.split()[-1]) not in _FORMER \
                and not _HONORIFIC_END.search(pre):
            continue  # "Đoàn Chủ tịch": a head inside an organisation's name is no title
        if _ORG_WORD_END.search(p, max(0, m.start() - 20), m.start()):
            continue  # "Ban Bí thư", "Hội đồng Chủ tịch": an organisation named by an office

        words = pre.split()
        if words and fold(words[-1]) in _ACTING and (len(words) == 1 or fold(words[-2]) in _FORMER):
            former = words[-1] + " "  # "Quyền Giám đốc": the title's, not carried ("chính quyền Tổng thống X": no)
            words = words[:-1]
        if words and fold(words[-1]) in _FORMER:
            former = words[-1] + " " + former
            words = words[:-1]
        if words and fold(words[-1]) == "các":
            words = words[:-1]
        title = (former + p[m.start():m.start() + ext]).replace("_", " ")
        whole = not words and m.start() + ext >= len(p.rstrip())
        if anywhere and m.start() + ext < len(p.rstrip()):
            if fold(p[m.start() + ext:].strip()) not in _IMPLIED:
                continue  # must end at the name
            whole = not words
        return title, whole
    return None, False


def _pre_titles(pre: str) -> tuple[list[str], bool]:
    """Titles written before a name ("Ủy viên Bộ Chính trị, Bí thư Thành ủy Hà Nội "), and whether
    an honorific or title introduces the name."""
    titles, ok = _pre_titles_of(pre)
    return list(titles), ok


@lru_cache(maxsize=8192)
def _pre_titles_of(pre: str) -> tuple[tuple[str, ...], bool]:
    """_pre_titles, cached: the text between two names is read as the first one's post and the
    second one's pre, and captions repeat."""
    text = pre.rstrip()
    honor = False
    hm = _HONORIFIC_END.search(text)
    if hm:
        honor = True
        text = text[:hm.start() + (1 if hm.group(0)[:1] in " ,;:(-–" else 0)].rstrip(" ,-–")
        gm = _GRANT_END.search(text) if hm.start() > 0 else None
        if gm:  # "trao quyết định bổ nhiệm Trưởng ban Dân vận cho bà A": the office granted is A's
            t, _whole = _piece_title(text[gm.end("verb"):gm.start("cho")].strip(), anywhere=False)
            return ((t,) if t else ()), True
        cop = _COPULA_END.search(text) if hm.start() > 0 else None
        if cop:  # "Phó Bí thư khác là bà A": the title named before the copula is A's
            piece = _PIECE_SPLIT.split(_mask_joins(text[:cop.start()]))[-1]
            t, whole = _piece_title(piece, anywhere=True)
            hp = _HEAD_RE.search(piece)
            before = piece[:hp.start()].split() if hp else []
            if t and not (before and fold(before[-1]) in _POSSESSIVE):
                return (t,), True
            return (), True
        if not re.search(r"[,\-–]\s*$", pre[:hm.start() + 1]) and hm.start() > 0 and text and not text.endswith((",", "-", "–")):
            # "cho đồng chí Nguyễn Tấn Dũng": what precedes the honorific is not this person's title
            # unless a delimiter joins it ("Chủ tịch HĐTV - ông Lưu Vũ Hải")
            before = pre[:hm.start() + 1]
            if not re.search(r"[,\-–]\s*$", before):
                return (), True
    if not text:
        return (), honor
    text = _mask_joins(text)
    pieces = _PIECE_SPLIT.split(text)
    seps = _PIECE_SPLIT.findall(text)
    titles: list[str] = []
    i = len(pieces) - 1
    first = True
    while i >= 0:
        piece = pieces[i].strip()
        if piece in _DEGREES or piece.split("-")[0] in _DEGREES:
            i -= 1
            first = False
            continue
        t, whole = _piece_title(piece, anywhere=True)
        if not t:
            break
        if not whole and (hm or titles):
            hp = _HEAD_RE.search(piece)
            before = piece[:hp.start()].split() if hp else []
            if before and (fold(before[-1]) in _POSSESSIVE or titles and fold(before[-1]) in _STOPS):
                # "người phát ngôn của Tổng thống Philippines, ông Harry Roque", "điện đàm với Bộ trưởng
                # Tài chính Mỹ, Phó Thủ tướng Trung Quốc Lưu Hạc": the title is someone else's
                break
        titles.insert(0, t)
        first = False
        if not whole:
            break
        if i > 0 and seps[i - 1].strip() in (";", ":"):
            break
        i -= 1
    return tuple(titles), honor or bool(titles)


_ASIDE = re.compile(r"[ \t]*\(([^()]{0,40})\)")


def _post_titles(post: str) -> tuple[list[str], bool]:
    """Titles written after a name: ", Ủy viên BCH Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh dự ...";
    an aside in brackets with no title in it is passed over ("Lê Văn Hòa (SN 1967), nguyên Phó Chủ tịch ...")."""
    pm = _ASIDE.match(post)
    if pm and not _HEAD_RE.search(pm.group(1)) and re.match(r"\s*[,\-–]", post[pm.end():]):
        post = post[pm.end():]
    m = re.match(r"\s*(?:[,\-–(]|\s)\s*", post)
    if not m or not re.match(r"\s*[,\-–(]", post) or re.match(r",\S", post):
        return [], False  # ",Trưởng ban" glued: a keyword list, not a title
    text = _mask_joins(post[m.end():])
    paren = post[:m.end()].strip().startswith("(")
    if paren:
        close = text.find(")")
        text = text[:close] if close >= 0 else text
    else:
        text = re.split(r"[;:()]", text, maxsplit=1)[0]
    titles: list[str] = []
    for piece in _PIECE_SPLIT.split(text):
        ps = piece.strip()
        if ps in _DEGREES:
            continue
        if fold(ps).startswith("các "):
            break  # "Bí thư A, các Phó Bí thư: B, C": a plural title is the next names', not A's
        t, whole = _piece_title(ps, anywhere=False)
        if not t:
            if titles and _PARENT_PLACE.fullmatch(ps.rstrip(" .")) and _LOCAL_UNIT_END.search(titles[-1]):
                titles[-1] += ", " + ps.rstrip(" .")  # "Bí thư Huyện ủy Tịnh Biên, tỉnh An Giang": the district's province
                continue
            break
        ext_ok = whole
        titles.append(t)
        if not ext_ok:
            break
    return titles, bool(titles)


_CAREER_ASIDE = re.compile(r"[ \t]*\([^()]{0,80}\)")


def _career_titles(text: str, listed: bool = False) -> list[str]:
    """The titles of a career list ("Bí thư Huyện đoàn, Phó Chủ tịch UBND huyện và Chánh Văn phòng
    Tỉnh ủy."), up to the sentence's end or the first piece that is no title. An aside in brackets is
    passed over ("Phó Giám đốc Sở (từ 2006 đến 2008), Chủ tịch UBND huyện"). A semicolon separates items
    too; after one, an item must be a title and nothing more ("...; Phó Bí thư Tỉnh ủy Gia Lai; ..."), unless
    listed: the list was opened by a colon or "như"."""
    text = _CAREER_ASIDE.sub("", text)
    text = re.split(r"[()]|\.(?:\s|$)", text, maxsplit=1)[0]
    first, *more = text.split(";")
    titles: list[str] = []
    for piece in _PIECE_SPLIT.split(_mask_joins(first)):
        parts: list[str] = []
        split = _CAREER_SPLIT.split(piece.strip())  # part, joiner, part, ...
        for k in range(0, len(split), 2):
            part = split[k]
            if parts and not _HEAD_RE.match(part) and fold(part.split(" ", 1)[0]) not in _FORMER:
                parts[-1] += " " + split[k - 1] + " " + part  # "Sở Kế hoạch và Đầu tư": one name, not two titles
            else:
                parts.append(part)
        for part in parts:
            t, _whole = _piece_title(part, anywhere=False)
            if not t:
                return titles
            titles.append(t)  # a piece cut short ("Trưởng đoàn đại biểu ...") does not end the list
    for item in more:
        for piece in _PIECE_SPLIT.split(_mask_joins(item)):
            t, whole = _piece_title(piece.strip(), anywhere=False)
            if not t or not (whole or listed):
                return titles  # "...; Bí thư Huyện ủy Nguyễn Văn A phát biểu": another clause
            titles.append(t)
    return titles


def _listed(cue: str) -> bool:
    """Did a career cue open a list ("... các chức vụ:", "... nhiều vị trí như")?"""
    return cue.rstrip().endswith(":") or " như" in cue


def _complete_units(titles: list[str]) -> list[str]:
    """"Ủy viên Ban Thường vụ" followed in the same list by "... Tỉnh ủy" -> "Ủy viên Ban Thường vụ Tỉnh ủy"."""
    out = list(titles)
    for i, t in enumerate(out):
        ft = fold(t)
        if any(ft.endswith(fold(x)) for x in _INCOMPLETE):
            for later in out[i + 1:]:
                unit = next((u for u in _UNIT_WORDS if fold(later).endswith(fold(u))), None)
                if unit:
                    out[i] = t + " " + unit
                    break
    return out


def _carry_former(titles: list[str]) -> list[str]:
    titles = _complete_units([normalize_title(t) for t in titles])
    out: list[str] = []
    former = None
    for t in titles:
        w = t.split()[0]
        if fold(w) in _FORMER:
            former = w
        elif former:
            t = former + " " + t
        out.append(t)
    return out


# ---------------------------------------------------------------- names

_NAMED_AFTER_RE = re.compile(r"(?:^|[^\w])(?:" + _alt({fold(w) for w in _ROLE.get("named_after", set())}) + r")$")
# the later items of a list of streets or schools ("các tuyến đường như Võ Văn Tần, Điện Biên Phủ, Trần Quốc Thảo")
_NAMED_LIST_RE = re.compile(
    r"(?:^|[^\w])(?i:" + _alt(_ROLE.get("named_after", set())) + r")[ \t]+(?:(?:như|gồm|là)[ \t]*:?[ \t]*)?(?:"
    + _WORD + r"(?:[ \t]+" + _WORD + r")*(?:[ \t]*\([^()]{0,40}\))?[ \t]*(?:,|;|-|–|và|hoặc)[ \t]*){0,30}$")
_UNIT_BEFORE_RE = re.compile(r"(?:^|[^\w])(?:" + _alt({fold(w) for w in _ROLE.get("unit_before", set())}) + r")$")
_ADDRESS_RE = re.compile(r"(?:^|[\s(,])(?!(?:19|20)\d\d,?$)\d+[\w/]*,?$")  # "số 5 Trần Thánh Tông", "42 Nguyễn Huệ": a house number
_COUNTRY_FOLDED = {fold(c) for c in _COUNTRIES}
_COUNTRY_MAX = max((len(c.split()) for c in _COUNTRIES), default=1)
_HEADS_FOLDED = set(_HEADS)
_FOREIGN_HONORIFICS = {w.lower() for w in _ROLE.get("foreign_honorific", set())}


_COUNTRY_WORDS = {c.split()[0] for c in _COUNTRIES}
_COUNTRY_LAST = {c.split()[-1] for c in _COUNTRIES}
_FOREIGN_HEAD_LAST = {h.split()[-1] for h in _FOREIGN_HEADS}


def _country_at(words: list[str], j: int) -> int:
    """How many words of words[j:] make a country's name (0: none)."""
    if words[j] not in _COUNTRY_WORDS:
        return 0
    for n in range(min(_COUNTRY_MAX, len(words) - j), 0, -1):
        if fold(" ".join(words[j:j + n])) in _COUNTRY_FOLDED:
            return n
    return 0


def _offsets(sent: str, start: int, words: list[str]) -> list[int]:
    """Where each word of a capitalised run starting at `start` stands in sent."""
    offs = []
    p = start
    for w in words:
        p = sent.index(w, p)
        offs.append(p)
        p += len(w)
    return offs


def _names_in(sent: str) -> list[tuple[int, int, str, int]]:
    """(start, end, name, lead) of each personal name of sent; lead: how many capitalised words of
    the same run stand before it ("Bệnh viện Bạch Mai Ngô Quý Châu": 2), -1 for a foreign name
    its context introduces. A Vietnamese name starts with a family name 2 to 4 words before the
    run's end: a run with none there is only tried as a foreign name."""
    out = []
    for m in _cap_runs(sent):
        words = m.group(0).split()
        L = len(words)
        found = False
        offs = None
        if not _SURNAMES.isdisjoint(words[max(0, L - 4):L - 1]):
            offs = _offsets(sent, m.start(), words)
            i = 0
            in_country = set()
            if not _COUNTRY_WORDS.isdisjoint(words):
                for j in range(L):
                    if j not in in_country and (n := _country_at(words, j)) > 1:
                        in_country.update(range(j, j + n))
            while i < L:
                if i and fold(words[i - 1] + " " + words[i]) in _PLACES_FOLDED:
                    i += 1  # "Sơn La Hoàng Văn Chất", "quận Hoàng Mai Nguyễn Mạnh Hoàng": the place's last word
                    continue
                if words[i] in _SURNAMES and 2 <= L - i <= 4 and i not in in_country:
                    n, end = L - i, m.end()
                    if n == 4 and (words[i + 3] in _OPENERS or _HEAD_RE.match(sent, offs[i + 3])):
                        n, end = 3, offs[i + 2] + len(words[i + 2])  # "Nguyễn Tấn Dũng Thủ tướng ...": a caption runs on
                    cand = " ".join(words[i:i + n])
                    if _ok_name(cand, sent, offs[i], end):
                        out.append((offs[i], end, cand, i))
                        found = True
                        break
                i += 1
        if not found:
            f = _foreign_name(sent, m.start(), words, offs)
            if f:
                out.append((f[0], m.end(), f[1], -1))  # lead -1: the context says it is a person
    return out


def _foreign_name(sent: str, start: int, words: list[str], offs: list[int] | None) -> tuple[int, str] | None:
    """A foreign name is read only in a context that says it is a person: an honorific ("ông
    Donald Trump") or a title of a country's office ("Tổng thống Mỹ Donald Trump", "Chủ tịch Trung
    Quốc Tập Cận Bình", "Ngoại trưởng Sergei Lavrov"). Without one, no guess. offs: where the
    words stand (_offsets), None to work them out here when needed."""
    pre = sent[max(0, start - 60):start]
    if not pre.endswith((" ", "\t")):
        return None
    pw = pre.split()
    if not pw:
        return None
    last = pw[-1].lower()
    honorific = last in _FOREIGN_HONORIFICS
    if not (honorific or words[0] in _COUNTRY_WORDS or pw[-1] in _COUNTRY_LAST or last in _FOREIGN_HEAD_LAST):
        return None  # no context: no guess
    j = 0
    while j < len(words) and (n := _country_at(words, j)):
        j += n
    # a title names the country before the run ("Tổng Thư ký Liên hợp quốc Antonio Guterres", "Chủ tịch EU Donald Tusk")
    n_pre = 0 if j or honorific or pw[-1] not in _COUNTRY_LAST else next(
        (n for n in range(min(_COUNTRY_MAX, len(pw)), 0, -1) if fold(" ".join(pw[-n:])) in _COUNTRY_FOLDED), 0)
    if not (honorific or j or n_pre or fold(" ".join(pw[-2:])) in _FOREIGN_HEADS or fold(pw[-1]) in _FOREIGN_HEADS):
        return None  # no context: no guess
    rest = words[j:]
    if not 2 <= len(rest) <= 4 or rest[0] in _SURNAMES:
        return None
    if any(_country_at(rest, k) or fold(w) in _HEADS_FOLDED or fold(w) in _PLACES_FOLDED for k, w in enumerate(rest)):
        return None
    cand = " ".join(rest)
    if canonical_province(cand) or fold(cand) in _PLACES_FOLDED:
        return None
    if offs is None:
        offs = _offsets(sent, start, words)
    if any(_HEAD_RE.match(sent, offs[k]) for k in range(j, len(words))):
        return None  # "ông Quang Bí thư": a title begins inside the run
    if honorific and j == 0:
        return offs[0], cand
    if n_pre:
        pre = pre.rstrip()
        for _ in range(n_pre):
            pre = pre[:pre.rfind(" ") + 1].rstrip() + " " if " " in pre else ""
    heads = list(_HEAD_RE.finditer(pre))
    if not heads:
        return None
    h = heads[-1]
    if h.start() + _title_extent(pre[h.start():]) < len(pre.rstrip()):
        return None
    if j or n_pre or fold(h.group(0)) in _FOREIGN_HEADS:
        return offs[j], cand
    return None


def _ok_name(cand: str, sent: str, s: int, e: int) -> bool:
    if not _name_shape_ok(cand):
        return False
    if (fold(cand) + " " + fold(sent[e:e + 20])).startswith(_NOT_NAME):
        return False
    if _CREDIT_RE.search(sent[max(0, s - 20):s]) or sent[e:e + 1] == "/":
        return False
    # a street, school, prize, ideology ... named after a person ("đường Nguyễn Du", "tư tưởng Hồ Chí Minh")
    before = sent[max(0, s - 40):s].rstrip().lower()
    named = _NAMED_AFTER_RE.search(before)
    if named:
        unit = _UNIT_BEFORE_RE.search(before)
        if not (unit and unit.start() < named.start()):  # "thành phố" is not "phố" (a street)
            return False
    return True


@lru_cache(maxsize=16384)
def _name_shape_ok(cand: str) -> bool:
    """What _ok_name asks of the candidate alone (no place, province or country, no two names
    glued). Cached: an article names the same people again and again."""
    f = fold(cand)
    if f in _PLACES_FOLDED or canonical_province(cand) or f in _COUNTRY_FOLDED:
        return False
    words = cand.split()
    if any(fold(" ".join(words[k:])) in _COUNTRY_FOLDED for k in range(1, len(words) - 1)) \
            or any(fold(" ".join(words[:k])) in _COUNTRY_FOLDED for k in range(2, len(words))):
        return False  # "Đoàn Việt Nam", "Thái Lan Prayut ...": a country of two words or more, not a given name ("Đức")
    if any("-" in w and not w.split("-", 1)[1][:1].islower() for w in words):
        return False  # "Hà Nội-Prague": two names glued, not a person
    # a province or district name right at the start ("Hà Nội Hoàng ..." is cut before; "Hà Tĩnh" is a place)
    for k in (2, 3):
        if len(words) > k and fold(" ".join(words[:k])) in _PLACES_FOLDED:
            return False
    return True


def _headline_case(sent: str) -> bool:
    """A line written in title case ("Lễ Kỷ Niệm Ngày Thành Lập ...") names no one by its shape
    (sent: the text around the names, without them)."""
    ws = [w for w in _PARENS.sub(" ", sent).split() if w[:1].isalpha()]
    return len(ws) >= 5 and sum(w[0].isupper() for w in ws) >= 0.7 * len(ws)


# ---------------------------------------------------------------- main

_PARENS = re.compile(r"\([^()]*\)")
# An organisation's abbreviation in brackets inside a title: "Tập đoàn Dầu khí Việt Nam (PVN)"
_ABBR_PARENS = re.compile(r"\s*\([A-ZĐ][A-ZĐ&\-.]{1,9}\)(?=\s)")


def _drop_abbr_parens(text: str) -> str:
    """_ABBR_PARENS.sub("", text), without the search (which tries every position) when text has no "("."""
    return _ABBR_PARENS.sub("", text) if "(" in text else text
_LIST_JOIN = re.compile(r"\s*(?:,|,?\s+(?:" + _alt(_ROLE.get("org_joiner", {"và"})) + r"))\s*")


def _bare_names(infos: list[list], sent: str) -> None:
    """A name that no title or honorific introduces is a person by its shape (FACTS.md: title
    NULL): a family name and two or three more syllables standing on their own (no capitalised
    word before it in the same run); a two-syllable one ("Đỗ Mười") only in a list beside a
    person ("Lê Duẩn, Trường Chinh và Đỗ Mười"). Not in a line in title case."""
    if not infos or all(i[3] for i in infos):
        return
    outside, last = [], 0
    for inf in infos:
        outside.append(sent[last:inf[7]])
        last = inf[7] + len(inf[0])
    if _headline_case(" ".join(outside) + " " + sent[last:]):
        return
    def bare(inf: list) -> bool:  # no capitalised word before it, no house number ("số 5 Trần Thánh Tông")
        if inf[3] or inf[6]:
            return False
        if sent.strip(" \t\n.,;:-–()") == inf[0]:
            return False  # a name alone on its line: a byline or a signature, not a person the article names
        words = inf[0].split()
        if len(words) > 3 and fold(" ".join(words[-2:])) in _PROVINCES_FOLDED:
            return False  # a firm named with a province ("Hoàng Anh Gia Lai")
        before = sent[max(0, inf[7] - 20):inf[7]].rstrip(" \t")
        if _ADDRESS_RE.search(before) or _UNIT_BEFORE_RE.search(before.lower()):
            return False
        return not _NAMED_LIST_RE.search(sent, max(0, inf[7] - 500), inf[7])
    for inf in infos:
        if bare(inf) and len(inf[0].split()) >= 3:
            inf[3] = True
    for _round in range(2):
        for k, inf in enumerate(infos):
            if not bare(inf) or len(inf[0].split()) != 2:
                continue
            left = k > 0 and infos[k - 1][3] and _LIST_JOIN.fullmatch(infos[k - 1][5]) is not None
            right = k + 1 < len(infos) and infos[k + 1][3] and _LIST_JOIN.fullmatch(inf[5]) is not None
            inf[3] = left or right


_SHORT_FORMS = sorted(((fold(r["short"]), fold(r["full"]), r["full"]) for r in load_tsv("titles_short_forms.tsv")),
                      key=lambda r: len(r[0]), reverse=True)


def _short_form(title: str) -> tuple[int, tuple[str, str, str] | None]:
    """(length of a leading "nguyên"/"cố" and its space, the titles_short_forms.tsv row the rest opens with, or None)."""
    first = title.split(" ", 1)[0]
    lead = len(first) + 1 if fold(first) in _FORMER and " " in title else 0
    rest = fold(title[lead:])
    return lead, next((r for r in _SHORT_FORMS if rest == r[0] or rest.startswith(r[0] + " ")), None)


def _full_form(key: str) -> str:
    """A folded title with its short office written in full ("phó ban tổ chức" -> "phó trưởng ban tổ chức")."""
    lead, row = _short_form(key)
    return key if row is None else key[:lead] + row[1] + key[lead + len(row[0]):]


def _write_full(title: str) -> str:
    """The title with its short office replaced by the full one, written officially."""
    lead, row = _short_form(title)
    return title if row is None else title[:lead] + row[2] + title[lead + len(row[0]):]


def _join_modifiers(keys: dict[str, tuple[str, tuple[str, int, int]]]) -> None:
    """An office with its modifier only ("Phó Bí thư thường trực") and the same office with its organisation
    ("Phó Bí thư Thành ủy"), written for one person, are one title: "Phó Bí thư Thường trực Thành ủy" (in place)."""
    for k in [k for k in keys if " " in k]:
        if k not in keys:
            continue  # joined already
        hm = _HEAD_RE.match(keys[k][0])
        if not hm:
            continue
        head = fold(hm.group(0))
        mod = k[len(head):].strip()
        if mod not in _MODIFIERS:
            continue
        others = [o for o in keys if o != k and o.startswith(head + " ") and not o[len(head):].strip().startswith(mod)]
        if len(others) != 1:
            continue  # none, or more than one office it could qualify
        o = others[0]
        t, w = keys.pop(o)
        head_text = t[:len(hm.group(0))]
        joined = head_text + " " + keys[k][0][len(hm.group(0)):].strip() + t[len(head_text):]
        del keys[k]
        keys[fold(joined)] = (normalize_title(joined), w)


def _merged_into(k: str, into: dict[str, str | None]) -> str:
    """The title k ends up in, following the merges (a chain ends at a title kept)."""
    seen = {k}
    while into.get(k) is not None and into[k] not in seen:
        k = into[k]
        seen.add(k)
    return k


def extract_people(body: str, sents: list[tuple[str, int, int]] | None = None) -> list[PersonFact]:
    """One row per (person, title); a person named with no title gets one row with title None.

    sents: the body's sentences (flows.text.sentences.sentences(body)) if the caller has them already
    (used when the body has no "_": word-segmented text is split with its underscores read as spaces)."""
    work = body.replace("_", " ")
    titles_of: dict[str, list[tuple[str, tuple[str, int, int]]]] = {}
    order: list[str] = []
    seen_at: dict[str, tuple[str, int, int]] = {}

    def add(name: str, titles: list[str], where: tuple[str, int, int]) -> None:
        if name not in titles_of:
            titles_of[name] = []
            order.append(name)
            seen_at[name] = where
        for t in titles:
            nt = normalize_title(t)
            if nt:
                titles_of[name].append((nt, where))

    last_named: list[str] = []  # the people the last sentence that named anyone named
    aliases = _ALIAS_PRESENT is not None and bool(_ALIAS_PRESENT.present(work))
    for _s, s0, s1 in (sents if sents is not None and work == body else sentences(work)):
        sent_w = work[s0:s1]
        sent = body[s0:s1]
        where = (sent, s0, s1)
        names = _names_in(sent_w)
        if aliases:
            for m in _ALIAS_RE.finditer(sent_w):
                add(_ALIASES[m.group(0)], _ALIAS_TITLES[m.group(0)], where)
        if not names:
            # "Trước đó, ông đã đảm nhiệm các chức vụ: X, Y": a career told of the one person the
            # sentence before named
            pm = next(_PRONOUN_CAREER.finditer(lower(sent_w) if lower_is_safe(sent_w) else sent_w.lower()), None)
            lead = sent_w[:pm.start()].rstrip() if pm else ""
            if pm and len(last_named) == 1 and (not lead or lead.endswith(",") and len(lead.split()) <= 4):
                # the pronoun is the sentence's subject ("Trước đó, ông ..."), not "nơi cha ông đang là ..."
                add(last_named[0], _carry_former(_career_titles(sent_w[pm.end():], _listed(pm.group(0)))), where)
            else:
                # "Ông Thắng từng giữ chức ...": a person named before, called by the last word of the name
                low = lower(sent_w) if lower_is_safe(sent_w) else None
                sm = next(_SHORT_NAME_CAREER.finditer(low), None) if low is not None else None
                if sm:
                    given = sent_w[sm.start("given"):sm.end("given")]
                    known = [n for n in order if n.split()[-1] == given]
                    if len(known) == 1:
                        add(known[0], _carry_former(_career_titles(sent_w[sm.end():], _listed(sm.group(0)))), where)
            continue
        # shared titles introduced before a colon: "các Phó Thủ tướng: A, B, C"
        intro: list[tuple[int, str]] = []
        for cm in re.finditer(r":", sent_w):
            before = sent_w[:cm.start()]
            before = _LIST_INTRO_END.sub("", before)
            piece = re.split(r"[,;:]", _mask_joins(before))[-1]
            t, _ = _piece_title(piece, anywhere=True)
            if t:
                intro.append((cm.end(), re.sub(r"(?i)^các\s+", "", t)))
        # and without one after a plural title: "TP HCM có 4 Phó Bí thư là ông A - ...; ông B - ..."
        for lm in _PLURAL_INTRO.finditer(sent_w):
            piece = re.split(r"[,;:]", _mask_joins(sent_w[:lm.start()]))[-1]
            t, whole = _piece_title(piece, anywhere=True)
            hp = _HEAD_RE.search(piece)
            if t and whole is False and hp and _PLURAL_BEFORE.search(piece[:hp.start()]):
                intro.append((lm.end(), t))
        def pos_end(pos: int) -> int:
            gl = _DOT_BEFORE_CAPITAL.search(sent_w[pos:])
            return pos + gl.start() if gl else len(sent_w)

        infos = []
        for k, (s, e, name, lead) in enumerate(names):
            prev_end = names[k - 1][1] if k else 0
            next_start = names[k + 1][0] if k + 1 < len(names) else len(sent_w)
            pre = _drop_abbr_parens(sent_w[prev_end:s])  # "Tập đoàn Dầu khí Việt Nam (PVN) X"
            post = _drop_abbr_parens(sent_w[e:next_start])
            pre_t, pre_ok = _pre_titles(pre)
            if k and _APPOINT_START.match(pre):
                pre_t = []  # "dưới thời ông A làm Bí thư Thành ủy, ông B ...": the office is A's
            post_t, post_ok = _post_titles(post)
            # a segment between two names that ends in an honorific or touches the next name belongs to the next
            nxt_titles: set[str] = set()  # the next name's titles, written right before it
            if k + 1 < len(names):
                nxt_pre, _ = _pre_titles(post)
                nxt_honor = bool(_HONORIFIC_END.search(post.rstrip()))
                if nxt_pre and (nxt_honor or not re.search(r"[,;:\-–(]\s*$", post)):
                    nxt_titles = {normalize_title(x) for x in nxt_pre}
                    if nxt_honor:
                        post_t = []
                    else:
                        post_t = [t for t in post_t if normalize_title(t) not in nxt_titles]
                    post_ok = bool(post_t) or post_ok
            # the offices taken ("... được bầu làm X") and the career ("từng giữ các chức vụ X, Y") are
            # lists of their own: a "nguyên" of the posts before them is not theirs
            later_t: list[list[str]] = []
            for am in _APPOINT_RE.finditer(post):
                t_app, _w = _piece_title(re.split(r"[,;:()]", post[am.end():])[0], anywhere=False)
                if t_app and _HEAD_RE.match(post[am.end():]):
                    later_t.append([t_app])
            for cm in _CAREER_RE.finditer(lower(post) if lower_is_safe(post) else post.lower()):
                if _SUBJECT_WORD.search(post, 0, cm.start()):
                    break  # "..., nơi cha ông đang là ...": another's
                career = [t for t in _career_titles(post[cm.end():], _listed(cm.group(0))) if normalize_title(t) not in nxt_titles]
                if career:  # "từng công tác tại Công ty X, sau đó kinh qua các chức vụ ...": the one with titles
                    later_t.append(career)
                    break
            if len(name.split()) == 2 and _UNIT_BEFORE_RE.search(sent_w[max(0, s - 20):s].rstrip().lower()):
                continue  # "Phó Chủ tịch UBND xã Hà Linh": the commune's name, not a person
            shared = [t for pos, t in intro if pos <= s < pos_end(pos)]
            infos.append([name, pre_t, post_t, pre_ok or post_ok or bool(shared) or lead < 0, shared, post, lead, s,
                          later_t])
        # "Đỗ Mười, Lê Khả Phiêu, nguyên Tổng Bí thư": names joined by a bare comma share the next one's titles
        for k in range(len(infos) - 2, -1, -1):
            name, pre_t, post_t, ok, shared, post, _lead, _s, _later = infos[k]
            if not pre_t and not post_t and re.fullmatch(r"\s*,\s*", post):
                infos[k][2] = list(infos[k + 1][2])
                infos[k][3] = ok or infos[k + 1][3]
        _bare_names(infos, sent_w)
        named_here = []
        for name, pre_t, post_t, ok, shared, _post, _lead, _s, later_t in infos:
            if not ok:
                continue
            titles = _carry_former(pre_t) + _carry_former(post_t) + [t for ts in later_t for t in _carry_former(ts)]
            add(name, shared + titles, where)
            named_here.append(name)
        last_named = list(dict.fromkeys(named_here))

    out: list[PersonFact] = []
    for name in order:
        ts = titles_of[name]
        keys: dict[str, tuple[str, tuple[str, int, int]]] = {}
        for t, w in ts:
            keys.setdefault(fold(t), (t, w))
        _join_modifiers(keys)
        # a title with and without its unit is one title, in its fullest form; so is a title with and
        # without the unit word before its place ("UBND tỉnh Kiên Giang", "UBND Kiên Giang"), and a short
        # form with the full one ("Phó Ban Tổ chức ...", "Phó Trưởng Ban Tổ chức ...": titles_short_forms.tsv)
        full = {k: _full_form(k) for k in keys}
        bare = {k: fold(_UNIT_BEFORE_PLACE.sub("", full[k])) for k in keys}
        into = {k: next((o for o in keys if o != k and (full[o].startswith(full[k] + " ") or bare[o] == bare[k]
                                                       and (len(o), o) > (len(k), k))), None) for k in keys}
        final = [k for k in keys if into[k] is None]
        if not final:
            sent, s0, s1 = seen_at[name]
            out.append(PersonFact(name, None, sent, s0, s1))
        for k in final:
            t, (sent, s0, s1) = keys[k]
            if full[k] != k and any(into[o] is not None and full[o] == o and _merged_into(o, into) == k for o in keys):
                t = _write_full(t)  # the same office written in full for this person: the full form
            out.append(PersonFact(name, t, sent, s0, s1))
    return out
