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

from flows.text.normalize import fold
from flows.text.fastre import Skip, WordStart, lower_is_safe
from flows.text.letters import lower
from flows.text.places import LOWER, PROVINCES, UPPER, canonical_province, load_tsv
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
_ROLE: dict[str, set[str]] = {}
for _r in load_tsv("titles_not_people.tsv"):
    _ROLE.setdefault(_r["role"], set()).add(_r["word"])
_SURNAMES = {r["surname"] for r in load_tsv("titles_surnames.tsv")}
_UNITS = load_tsv("titles_units.tsv")
_INCOMPLETE = [r["word"] for r in _UNITS if r["role"] == "incomplete_end"]
_UNIT_WORDS = [r["word"] for r in _UNITS if r["role"] == "unit"]
_ALIASES = {r["alias"]: r["name"] for r in load_tsv("titles_name_aliases.tsv")}

_HEAD_RE = re.compile(r"(?<![\w])(?:" + _alt(_HEADS) + r")(?![\w])", re.IGNORECASE)
# The same for lower-cased text (letters.lower), without IGNORECASE: re skips to the first letters.
_HEAD_LOWER = WordStart("(?:" + _alt({h.lower() for h in _HEADS}) + r")(?![\w])")
_HONORIFIC_END = re.compile(r"(?:^|[\s,;:(\-–])(?:" + _alt(_ROLE["honorific"]) + r")\s*:?\s*$", re.IGNORECASE)
_FORMER = {fold(w) for w in _ROLE.get("former", set())}
_DEGREES = {w for w in _ROLE.get("degree", set())}
_JOINERS = _ROLE.get("joiner", set())
_STOPS = {fold(w) for w in _ROLE.get("stop", set())}
_IMPLIED = {fold(w) for w in _ROLE.get("implied", set())}
_APPOINT_RE = Skip(re.compile(r"(?<![\w])(?:" + _alt(_ROLE.get("appointment", {"giữ chức"})) + r")\s+(?=\S)"))
_LIST_INTRO = _ROLE.get("list_intro", set())
_CREDIT_RE = re.compile(r"(?:^|[\s(])(?:" + _alt(_ROLE.get("credit", set())) + r")\s*:\s*$")
_NOT_NAME = tuple(sorted({fold(w) for w in _ROLE.get("not_name", set())}))
_ALIAS_RE = Skip(re.compile(r"(?<![\w])(?:" + _alt(_ALIASES) + r")(?![\w])")) if _ALIASES else None
_MULTI_CONT = sorted((w for w in _CONT if " " in w), key=len, reverse=True)
_MULTI_CONT_SET = frozenset(_MULTI_CONT)
_MULTI_CONT_LENS = sorted({len(w) for w in _MULTI_CONT}, reverse=True)


def _multi_cont_prefixes(low: str):
    """The words of _MULTI_CONT that start `low`, longest first (as a scan of _MULTI_CONT finds them)."""
    for n in _MULTI_CONT_LENS:
        if low[:n] in _MULTI_CONT_SET and len(low) >= n:
            yield low[:n]

_WORD = "[" + re.escape(UPPER) + "][" + re.escape(LOWER) + "]*"
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
_PIECE_SPLIT = re.compile(r"\s*(?:,|;|:|\s[-–]\s?|(?<=\w)[-–]\s|\s(?:" + _alt(_JOINERS) + r")\s)\s*")
_ENDS_CAPITALISED = re.compile(r"(?:^|\s)[" + re.escape(UPPER) + r"][\w]*$")
_DOT_BEFORE_CAPITAL = re.compile(r"\.(?=\s*[" + re.escape(UPPER) + "])")
_LIST_INTRO_END = re.compile(r"\s+(?:" + _alt(_LIST_INTRO) + r")\s*$")
_TOKEN = re.compile(r"[\w]+(?:[.\-][\w]+)*\.?|[^\w\s]")
_DISTRICTS_FOLDED: set[str] = set()
try:
    _DISTRICTS_FOLDED = {fold(r["name"]) for r in load_tsv("places_districts.tsv")}
except OSError:  # pragma: no cover
    pass
_PLACES_FOLDED = {fold(p) for p in PROVINCES} | _DISTRICTS_FOLDED


# ---------------------------------------------------------------- titles

_BLANKS = re.compile(r"[ \t]+")
_WORD_CHAR = re.compile(r"\w")
_TITLE_TOKEN = re.compile(r"[\w]+(?:\.[\w]+)*\.?")
_NEXT_WORD = re.compile(r"[ \t]+([\w]+)")
_CLOSES = re.compile(r"\s*[,;:)\-–]")
_SPACES = re.compile(r"\s+")
_FORMER_AT_START = re.compile(r"(?i)(nguyên|cố)\s+")


def normalize_title(raw: str) -> str:
    """Expand abbreviations and write the title in its official capitalisation."""
    toks = raw.replace("_", " ").split()
    out: list[str] = []
    for t in toks:
        out.append(_ABBR.get(t, _ABBR.get(t.rstrip("."), t) if t.endswith(".") else t))
    s = " ".join(out)
    s = _SPACES.sub(" ", s).strip(" ,;:-–()")
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
    return former + s[:1].upper() + s[1:]


_CASE_WORDS = {
    "tỉnh ủy": "Tỉnh ủy", "thành ủy": "Thành ủy", "huyện ủy": "Huyện ủy", "quận ủy": "Quận ủy", "thị ủy": "Thị ủy",
    "đảng ủy": "Đảng ủy", "ban tổ chức": "Ban Tổ chức", "ban thường vụ": "Ban Thường vụ", "ban chấp hành": "Ban Chấp hành",
    "trung ương": "Trung ương", "bộ chính trị": "Bộ Chính trị", "ủy ban kiểm tra": "Ủy ban Kiểm tra",
    "hội đồng nhân dân": "Hội đồng nhân dân", "ủy ban nhân dân": "Ủy ban nhân dân", "tổng cục chính trị": "Tổng cục Chính trị",
    "hội đồng thành viên": "Hội đồng thành viên", "hội đồng quản trị": "Hội đồng quản trị", "ban bí thư": "Ban Bí thư",
    "ban nội chính": "Ban Nội chính", "ban tuyên giáo": "Ban Tuyên giáo", "ban dân vận": "Ban Dân vận", "ban kinh tế": "Ban Kinh tế",
    "quân ủy": "Quân ủy", "đảng ủy quân sự": "Đảng ủy Quân sự", "văn phòng": "Văn phòng", "chính phủ": "Chính phủ",
}
_CASE_RE = re.compile(r"(?<![\w])(?:" + _alt(_CASE_WORDS) + r")(?![\w])", re.IGNORECASE)


def _official_case(s: str) -> str:
    return _CASE_RE.sub(lambda m: _CASE_WORDS[fold(m.group(0))], s)


def _title_extent(text: str) -> int:
    """Length of the title that starts text (a head at 0): the head plus capitalised words,
    abbreviations, numbers and known lower-case unit words."""
    m = _HEAD_RE.match(text)
    if not m:
        return 0
    pos = m.end()
    if _HEADS[fold(m.group(0))]["kind"] == "rank":
        return pos
    while True:
        rest = text[pos:]
        ws = _BLANKS.match(rest)
        if not ws:
            break
        after = rest[ws.end():]
        mm = None
        low = fold(after[:30])
        for w in _multi_cont_prefixes(low):
            if not _WORD_CHAR.match(after[len(w):len(w) + 1] or " "):
                mm = len(w)
                break
        if mm:
            pos += ws.end() + mm
            continue
        tk = _TITLE_TOKEN.match(after)
        if not tk:
            break
        w = tk.group(0)
        prev_cap = bool(_ENDS_CAPITALISED.search(text, 0, pos))
        tail = after[len(w):]
        nxt = _NEXT_WORD.match(tail)
        second_syllable = prev_cap and w[0].islower() and fold(w) not in _FORMER and fold(w) not in _STOPS and (
            not tail.strip() or _CLOSES.match(tail) is not None
            or (nxt is not None and (nxt.group(1)[0].isupper() or fold(nxt.group(1)) in _CONT
                                     or any(_multi_cont_prefixes(fold(tail.strip()[:20]))))))
        if w[0].isupper() or w[0].isdigit() or fold(w) in _CONT or fold(w.rstrip(".")) in _CONT or second_syllable:
            if fold(w) in _FORMER and w[0].islower():
                break
            pos += ws.end() + len(w)
            continue
        break
    return pos


def read_title(text: str) -> str | None:
    """The title that starts text ("Chủ tịch HĐND tỉnh dự và phát biểu" -> "Chủ tịch Hội đồng nhân dân tỉnh"), or None."""
    t, _whole = _piece_title(text.replace("_", " "), anywhere=False)
    return normalize_title(t) if t else None


def _piece_title(piece: str, anywhere: bool) -> tuple[str | None, bool]:
    """(title, whole) for one piece of a title list. anywhere: the head may follow other words
    (then whole is False and the list stops there)."""
    p = piece.strip()
    if not p:
        return None, False
    former = ""
    for m in (_HEAD_LOWER.finditer(lower(p)) if lower_is_safe(p) else _HEAD_RE.finditer(p)):
        if m.start() > 0 and not anywhere:
            pre = p[:m.start()].strip()
            if fold(pre) in _FORMER or fold(pre) == "các":
                pass
            else:
                return None, False
        ext = _title_extent(p[m.start():])
        if not ext:
            continue
        pre = p[:m.start()].strip()
        words = pre.split()
        if words and fold(words[-1]) in _FORMER:
            former = words[-1] + " "
            words = words[:-1]
        if words and fold(words[-1]) == "các":
            words = words[:-1]
        title = former + p[m.start():m.start() + ext]
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
    text = pre.rstrip()
    honor = False
    hm = _HONORIFIC_END.search(text)
    if hm:
        honor = True
        text = text[:hm.start() + (1 if hm.group(0)[:1] in " ,;:(-–" else 0)].rstrip(" ,-–")
        if not re.search(r"[,\-–]\s*$", pre[:hm.start() + 1]) and hm.start() > 0 and text and not text.endswith((",", "-", "–")):
            # "cho đồng chí Nguyễn Tấn Dũng": what precedes the honorific is not this person's title
            # unless a delimiter joins it ("Chủ tịch HĐTV - ông Lưu Vũ Hải")
            before = pre[:hm.start() + 1]
            if not re.search(r"[,\-–]\s*$", before):
                return [], True
    if not text:
        return [], honor
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
        titles.insert(0, t)
        first = False
        if not whole:
            break
        if i > 0 and seps[i - 1].strip() in (";", ":"):
            break
        i -= 1
    return titles, honor or bool(titles)


def _post_titles(post: str) -> tuple[list[str], bool]:
    """Titles written after a name: ", Ủy viên BCH Trung ương Đảng, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh dự ..."."""
    m = re.match(r"\s*(?:[,\-–(]|\s)\s*", post)
    if not m or not re.match(r"\s*[,\-–(]", post) or re.match(r",\S", post):
        return [], False  # ",Trưởng ban" glued: a keyword list, not a title
    text = post[m.end():]
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
        t, whole = _piece_title(ps, anywhere=False)
        if not t:
            break
        ext_ok = whole
        titles.append(t)
        if not ext_ok:
            break
    return titles, bool(titles)


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

def _names_in(sent: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _cap_runs(sent):
        words = m.group(0).split()
        offs = []
        p = m.start()
        for w in words:
            p = sent.index(w, p)
            offs.append(p)
            p += len(w)
        L = len(words)
        i = 0
        while i < L:
            if words[i] in _SURNAMES and 2 <= L - i <= 4:
                cand = " ".join(words[i:])
                if _ok_name(cand, sent, offs[i], m.end()):
                    out.append((offs[i], m.end(), cand))
                    break
            elif words[i] in _SURNAMES and L - i > 4 and i == 0:
                # "Nguyễn Văn Hải Phó ..." is rare; a long run starting with a surname: take 3
                pass
            i += 1
    return out


def _ok_name(cand: str, sent: str, s: int, e: int) -> bool:
    f = fold(cand)
    if f in _PLACES_FOLDED or canonical_province(cand):
        return False
    if (f + fold(sent[e:e + 20])).startswith(_NOT_NAME):
        return False
    words = cand.split()
    # a province or district name right at the start ("Hà Nội Hoàng ..." is cut before; "Hà Tĩnh" is a place)
    for k in (2, 3):
        if len(words) > k and fold(" ".join(words[:k])) in _PLACES_FOLDED:
            return False
    if _CREDIT_RE.search(sent[max(0, s - 20):s]) or sent[e:e + 1] == "/":
        return False
    return True


# ---------------------------------------------------------------- main

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

    for _s, s0, s1 in (sents if sents is not None and work == body else sentences(work)):
        sent_w = work[s0:s1]
        sent = body[s0:s1]
        where = (sent, s0, s1)
        names = _names_in(sent_w)
        if _ALIAS_RE:
            for m in _ALIAS_RE.finditer(sent_w):
                add(_ALIASES[m.group(0)], [], where)
        if not names:
            continue
        # shared titles introduced before a colon: "các Phó Thủ tướng: A, B, C"
        intro: list[tuple[int, str]] = []
        for cm in re.finditer(r":", sent_w):
            before = sent_w[:cm.start()]
            before = _LIST_INTRO_END.sub("", before)
            piece = re.split(r"[,;:]", before)[-1]
            t, _ = _piece_title(piece, anywhere=True)
            if t:
                intro.append((cm.end(), re.sub(r"(?i)^các\s+", "", t)))
        def pos_end(pos: int) -> int:
            gl = _DOT_BEFORE_CAPITAL.search(sent_w[pos:])
            return pos + gl.start() if gl else len(sent_w)

        infos = []
        for k, (s, e, name) in enumerate(names):
            prev_end = names[k - 1][1] if k else 0
            next_start = names[k + 1][0] if k + 1 < len(names) else len(sent_w)
            pre = sent_w[prev_end:s]
            post = sent_w[e:next_start]
            pre_t, pre_ok = _pre_titles(pre)
            post_t, post_ok = _post_titles(post)
            # a segment between two names that ends in an honorific or touches the next name belongs to the next
            if k + 1 < len(names):
                nxt_pre, _ = _pre_titles(post)
                nxt_honor = bool(_HONORIFIC_END.search(post.rstrip()))
                if nxt_pre and (nxt_honor or not re.search(r"[,;:\-–(]\s*$", post)):
                    if nxt_honor:
                        post_t = []
                    else:
                        post_t = [t for t in post_t if normalize_title(t) not in {normalize_title(x) for x in nxt_pre}]
                    post_ok = bool(post_t) or post_ok
            for am in _APPOINT_RE.finditer(post):
                t_app, _w = _piece_title(re.split(r"[,;:()]", post[am.end():])[0], anywhere=False)
                if t_app and _HEAD_RE.match(post[am.end():]):
                    post_t = post_t + [t_app]
            shared = [t for pos, t in intro if pos <= s < pos_end(pos)]
            infos.append([name, pre_t, post_t, pre_ok or post_ok or bool(shared), shared, post])
        # "Đỗ Mười, Lê Khả Phiêu, nguyên Tổng Bí thư": names joined by a bare comma share the next one's titles
        for k in range(len(infos) - 2, -1, -1):
            name, pre_t, post_t, ok, shared, post = infos[k]
            if not pre_t and not post_t and re.fullmatch(r"\s*,\s*", post):
                infos[k][2] = list(infos[k + 1][2])
                infos[k][3] = ok or infos[k + 1][3]
        for name, pre_t, post_t, ok, shared, _post in infos:
            if not ok:
                continue
            titles = _carry_former(pre_t) + _carry_former(post_t)
            add(name, shared + titles, where)

    out: list[PersonFact] = []
    for name in order:
        ts = titles_of[name]
        keys: dict[str, tuple[str, tuple[str, int, int]]] = {}
        for t, w in ts:
            keys.setdefault(fold(t), (t, w))
        # a title with and without its unit is one title, in its fullest form
        final = [k for k in keys if not any(o != k and o.startswith(k + " ") for o in keys)]
        if not final:
            sent, s0, s1 = seen_at[name]
            out.append(PersonFact(name, None, sent, s0, s1))
        for k in final:
            t, (sent, s0, s1) = keys[k]
            out.append(PersonFact(name, t, sent, s0, s1))
    return out
