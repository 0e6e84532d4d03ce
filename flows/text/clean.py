"""Cleaning a raw article: normalised text, headline, printed date, outlet tag, byline.

The body keeps the headline as its first line (facts in the headline count) and drops what is
not article text: site navigation, printed date lines, outlet tags at the start of the lead,
repeated photo captions, comment prompts, related-links blocks, lone punctuation lines and the
byline. One line per paragraph, no empty lines. `clean_article` is idempotent on its body.

Language knowledge lives in flows/data/clean_*.tsv (line patterns, outlet tags, byline labels,
lead openers).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from flows.text.dates import find_dates
from flows.text.lists import split_numbered_items
from flows.text.normalize import normalize_text
from flows.text.numbers import LOWER_CLASS, UPPER_CLASS, read_tsv


@dataclass
class Cleaned:
    body: str
    title: str | None
    published_at: datetime | None
    published_text: str | None
    outlet_tag: str | None
    byline: str | None
    removed: list[str] = field(default_factory=list)
    segmented: bool = False  # the input was word-segmented ("đảng_viên") and was undone


# ------------------------------------------------------------------ data, compiled once

_LINE_ROWS = read_tsv("clean_lines.tsv")
_OUTLET_ROWS = read_tsv("clean_outlets.tsv")
_BYLINE_ROWS = read_tsv("clean_byline.tsv")
_LEAD_ROWS = read_tsv("clean_lead_starters.tsv")

UP, LO = UPPER_CLASS, LOWER_CLASS


def _full(role: str) -> re.Pattern | None:
    pats = [r["pattern"] for r in _LINE_ROWS if r["role"] == role]
    return re.compile("(?:" + "|".join(pats) + ")", re.IGNORECASE) if pats else None


_CUT_LINE = re.compile("(?:" + "|".join(r["pattern"] for r in _LINE_ROWS
                                         if r["role"] in ("nav", "comment", "punct")) + ")", re.IGNORECASE)
_RELATED = _full("related")
_DATE_LABELS = _full("datelabel")

_OUTLETS = {r["tag"]: r["outlet"] for r in _OUTLET_ROWS}
_OUTLET_ALT = "|".join(re.escape(t) for t in sorted(_OUTLETS, key=len, reverse=True))
_TAG_AT_START = re.compile(
    rf"^(?:\(\s*(?P<b>[^()\n]{{2,25}}?)\s*\)\s*[-–—:]+\s*|(?P<k>{_OUTLET_ALT}|[A-ZĐ]{{2,6}})\s*[-–—]+\s*(?=\S))"
)
_TAG_INSIDE = re.compile(rf"\s\(\s*(?P<b>[^()\n]{{2,25}}?)\s*\)\s*[-–—]+\s*(?={UP})")

_LEAD_START = re.compile("(?:" + "|".join(r["pattern"] for r in _LEAD_ROWS) + ")")
# A photo credit, and the words that open a caption run in between the headline and the lead.
_PHOTO_CREDIT = re.compile(r"(?:^|[\s(\-–])Ảnh\s*:", re.IGNORECASE)
_CAPTION_START = re.compile(r"(?<=[\w)]) (?:" + "|".join(re.escape(r["word"]) for r in sorted(
    read_tsv("clean_caption_starters.tsv"), key=lambda r: len(r["word"]), reverse=True)) + r")(?![\w])")


def cut_caption(headline: str) -> str:
    """The headline without a photo caption run into it ("... Đảng Bà X nhận hoa - Ảnh: Y" -> "... Đảng"):
    it ends where the last caption opener before the credit starts; unchanged without a credit or opener."""
    credit = _PHOTO_CREDIT.search(headline)
    if not credit:
        return headline
    starts = [m.start() for m in _CAPTION_START.finditer(headline, 0, credit.start()) if m.start() >= 10]
    return headline[:starts[-1]].strip() if starts else headline

_labels = [r["phrase"] for r in _BYLINE_ROWS if r["role"] == "label"]
_suffixes = [r["phrase"] for r in _BYLINE_ROWS if r["role"] == "suffix"]
_keep = [r["phrase"] for r in _BYLINE_ROWS if r["role"] == "keep_prefix"]
_not = [r["phrase"] for r in _BYLINE_ROWS if r["role"] == "not"]


def _alt(xs) -> str:
    return "|".join(re.escape(x) for x in sorted(xs, key=len, reverse=True))


_NAME_TOKEN = rf"(?:(?:{UP}\.\s?)+{UP}[\w]*\.?|{UP}\.|{UP}[\w]*)"
_NAME = rf"{_NAME_TOKEN}(?:[ ]{_NAME_TOKEN}){{0,4}}"
_NAMES = rf"{_NAME}(?:\s*[-–,&]\s*{_NAME}){{0,3}}"
# An agency or outlet after the names: "(TTXVN)", "(theo Al Jazeera)", "/KD&PL", "/VOV-ĐBSCL",
# "/Phnom Penh (Vietnam+)".
_AGENCY = (rf"(?:\s*\((?!(?i:{_alt(x.strip('()') for x in _suffixes)})\))(?:theo\s+)?{UP}[^()\n]{{1,24}}\)"
           rf"|\s*/\s*[\w&.+\-]+(?:[ ]{UP}[\w&.+\-]*){{0,2}}(?:\s*\({UP}[^()\n]{{1,19}}\))?)?")
# "Theo" + a source in any case ("Theo VFF", "Theo Báo Chính phủ")
_SOURCE = rf"(?:{_alt(_keep)})\s+{UP}[\w.+\-/]*(?:[ ](?:[\w.+\-/]+))" + "{0,5}"
_BYLINE_CORE = (rf"(?:(?:{_alt(_labels)})\s*:\s*)?(?P<by>{_SOURCE}|{_NAMES}{_AGENCY})"
                rf"(?:\s+(?i:{_alt(_suffixes)}))?")
# a word-segmented text spaces its outlet's "+" and "/" ("Theo Vietnam + / TTXVN"): written as printed
_BYLINE_SPACES = re.compile(r"(?<=\w)\s+(?=\+)|\s*/\s*")


def _tidy_byline(by: str) -> str:
    return _BYLINE_SPACES.sub(lambda m: "/" if "/" in m.group(0) else "", by.strip())
_BYLINE_LINE = re.compile(rf"{_BYLINE_CORE}\s*")
_BYLINE_GLUED = re.compile(rf"(?<=[.!?…”\"])(?<!\s{UP}\.)(?<!^{UP}\.)\s*{_BYLINE_CORE}\s*$")
_NOT_BYLINE = re.compile(rf"^(?:{_alt(_not)})\b", re.IGNORECASE)
_CREDIT_NEAR = re.compile(rf"(?:{_alt(_not)})\s*:", re.IGNORECASE)
_TRAILING_JUNK = re.compile(r"\s*(?:\./\.|\.\s*/\s*\.)\s*$")
_GLUED_AFTER = re.compile(r"[.!?…”\"]")  # _BYLINE_GLUED can only start right after one of these


def _strip_trailing_junk(line: str) -> str:
    """_TRAILING_JUNK.sub("", line): a line that does not end with "/." (and spaces) is left as
    it is without running the pattern, which tries every position of a long paragraph."""
    t = line.rstrip()
    if not (t.endswith(".") and t[:-1].rstrip().endswith("/")):
        return line
    return _TRAILING_JUNK.sub("", line)


@lru_cache(maxsize=256)
def _byline_glued(line: str) -> re.Match | None:
    """_BYLINE_GLUED.search(line), tried only right after a sentence end (its look-behind).
    Cached: the cleaning round that checks the fixed point reads the same last line again."""
    match = _BYLINE_GLUED.match
    for c in _GLUED_AFTER.finditer(line):
        m = match(line, c.end())
        if m is not None:
            return m
    return None

_ODD_SPACES = "\t\f\v\u00a0\u2007\u202f\u200b\u2060\u3000"
_SPACES = re.compile(rf"[ {_ODD_SPACES}]+")
_SEG_TOKEN = re.compile(r"[^\W\d_]+_[^\W\d_]")
_SEG_PUNCT = re.compile(r"\s[,.:;?!]\s")
_SEG_JOIN = re.compile(r"(?<=[^\W_])_(?=[^\W_])")
_SP_BEFORE = re.compile(r"\s+([,.;:!?)\]}”’%…])")
_SP_AFTER = re.compile(r"([(\[{“‘])\s+")
_SP_NUM = re.compile(r"(?<=\d) ([/.,]) (?=\d)")
_SP_DQ = re.compile(r'"\s*([^"\n]*?)\s*"')
_SP_SQ = re.compile(r"(?<![\w])'\s+([^'\n]*?)\s+'(?![\w])")
_TITLE_MAX = 250
_MAX_ROUNDS = 8
_SPLIT_MIN_LINE = 160


def _prep(raw: str) -> str:
    s = raw.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in s:
        s = html.unescape(s)
    s = s.replace("\ufeff", "").replace("\u2028", "\n").replace("\u2029", "\n")
    s = normalize_text(s)
    if "  " in s or any(c in s for c in _ODD_SPACES):  # most texts have nothing to replace
        s = _SPACES.sub(" ", s)
    return s


def is_segmented(text: str) -> bool:
    """Word-segmented text ("đảng_viên", "Hà_Nội , ngày 5 / 6"): many word_word tokens and
    spaced punctuation."""
    if "_" not in text:
        return False
    tokens = text.count(" ") + text.count("\n") + 1
    if tokens < 20:
        return False
    seg = len(_SEG_TOKEN.findall(text))
    return seg / tokens > 0.04 and len(_SEG_PUNCT.findall(text)) >= 2


def unsegment(text: str) -> str:
    s = _SEG_JOIN.sub(" ", text)
    s = _SP_NUM.sub(r"\1", s)
    s = _SP_BEFORE.sub(r"\1", s)
    s = _SP_AFTER.sub(r"\1", s)
    s = _SP_DQ.sub(r'"\1"', s)
    s = _SP_SQ.sub(r"'\1'", s)
    return s


def _date_line(line: str):
    """(datetime, mention) when the whole line is a printed date ("11:13, 26/06/2019")."""
    if len(line) > 80 or not any(map(str.isdigit, line)):
        return None
    for m in find_dates(line):
        if not (m.day and m.month and m.year):
            continue
        rest = line[:m.start] + " " + line[m.end:]
        rest = _DATE_LABELS.sub(" ", rest)
        if rest.strip(" .,;:()|-–"):
            continue
        return datetime(m.year, m.month, m.day, m.hour or 0, m.minute or 0, m.second or 0), m
    return None


def _is_name_line(line: str) -> str | None:
    """The byline a whole short line gives, or None."""
    if len(line) > 60 or len(line.split()) > 9 or _NOT_BYLINE.search(line):
        return None
    m = _BYLINE_LINE.fullmatch(line)
    return _tidy_byline(m.group("by")) if m else None


def _split_headline(first: str, later: list[str]) -> tuple[str, str] | None:
    """Split a first line that runs headline + (caption +) lead together."""
    # a) an outlet tag inside: "headline (NLĐ) - lead"
    m = _TAG_INSIDE.search(first, 10)
    if m and m.start() <= _TITLE_MAX:
        return first[:m.start()].strip(), first[m.start():].strip()
    # b) a teaser printed again later as its own line
    for ln in later:
        if 15 <= len(ln) < len(first) - 15 and first.endswith(" " + ln):
            return first[: -len(ln)].strip(), ln
    if len(first) < _SPLIT_MIN_LINE:
        return None
    # c) a quoted headline: “...” Caption/lead
    q = re.match(r"^([“\"'][^”\"'\n]{5,150}[”\"'])\s+(?=" + UP + ")", first)
    if q:
        return q.group(1), first[q.end():].strip()
    # d) a lead opener after a lower-case word: "... công ty cổ phần Đó là nội dung ..."
    for m in re.finditer(rf"(?<=[{LO[1:-1]}\d]) (?={UP}|\d)", first[:_TITLE_MAX]):
        if m.start() < 15:
            continue
        if _LEAD_START.match(first, m.end()):
            return first[:m.start()].strip(), first[m.end():].strip()
    # e) the lead opens by repeating a name from the headline: "Vĩnh Phúc: ... Vĩnh Phúc hiện đang"
    for m in re.finditer(rf"(?<=[{LO[1:-1]}]) (?P<n>{UP}\w*(?: {UP}\w*)+)", first[:_TITLE_MAX]):
        if m.start() < 15:
            continue
        if re.search(r"(?<![\w])" + re.escape(m.group("n")) + r"(?![\w])", first[:m.start()]):
            return first[:m.start()].strip(), first[m.start():].strip()
    return None


def _strip_tag(line: str):
    m = _TAG_AT_START.match(line)
    if not m:
        return None
    tag = (m.group("b") or m.group("k") or "").strip()
    if m.group("b") and (len(tag.split()) > 3 or not any(c.isupper() for c in tag)):
        return None
    rest = line[m.end():]
    if not rest:
        return None
    return tag, rest


def clean_article(raw: str) -> Cleaned:
    """Clean one article (see module doc). Runs the cleaning steps to a fixed point (at most
    a few rounds; real articles settle in one or two), so that clean_article(clean_article(x).body).body == clean_article(x).body."""
    c = _clean_once(raw)
    for _ in range(_MAX_ROUNDS):
        again = _clean_once(c.body)
        if again.body == c.body:
            break
        c = Cleaned(body=again.body, title=c.title if c.title is not None else again.title,
                    published_at=c.published_at or again.published_at,
                    published_text=c.published_text or again.published_text,
                    outlet_tag=c.outlet_tag or again.outlet_tag, byline=c.byline or again.byline,
                    removed=c.removed + again.removed, segmented=c.segmented)
    return c


def _clean_once(raw: str) -> Cleaned:
    removed: list[str] = []
    text = _prep(raw)
    seg = is_segmented(text)
    if seg:
        text = unsegment(text)
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [item for ln in lines if ln for item in split_numbered_items(ln).split("\n")]

    # whole-line cuts: navigation, comment prompts, lone punctuation
    kept = []
    for ln in lines:
        if _CUT_LINE.fullmatch(ln):
            removed.append(ln)
        else:
            kept.append(ln)
    lines = kept

    # related-links block: its header and the short link lines after it, at the end
    for i, ln in enumerate(lines):
        if i > 0 and _RELATED.fullmatch(ln) and all(len(x) < 160 for x in lines[i + 1:]):
            removed.extend(lines[i:])
            lines = lines[:i]
            break

    # printed date lines -> published_at; trailing page metadata after a final date line
    published_at = published_text = None
    trailing_outlet = None
    kept = []
    last_date_idx = None
    for i, ln in enumerate(lines):
        d = _date_line(ln)
        if d:
            if published_at is None:
                published_at, published_text = d[0], ln
            removed.append(ln)
            last_date_idx = len(kept)
            continue
        kept.append(ln)
    lines = kept
    if last_date_idx is not None and last_date_idx >= max(1, len(lines) - 4):
        tail = lines[last_date_idx:]
        if tail and all(len(x) < 300 and not re.search(r"[.!?]\s+" + UP, x) for x in tail):
            if tail and len(tail[-1]) <= 25:
                trailing_outlet = tail[-1]
            removed.extend(tail)
            lines = lines[:last_date_idx]

    # repeated captions (a line identical to the previous one) and re-printed lines inside later ones
    kept = []
    for ln in lines:
        if kept and ln == kept[-1]:
            removed.append(ln)
            continue
        kept.append(ln)
    lines = kept
    for i in range(min(4, len(lines))):
        src = lines[i]
        if len(src) < 40:
            continue
        for j in range(i + 1, len(lines)):
            if src in lines[j] and lines[j] != src:
                new = _SPACES.sub(" ", lines[j].replace(src, " ")).strip()
                removed.append(src)
                lines[j] = new
        lines = [ln for ln in lines if ln]

    # headline
    title = None
    outlet_tag = None
    if lines:
        first = lines[0]
        tagged = _strip_tag(first)
        if tagged or _LEAD_START.match(first) or first.startswith((">>", "»", "•", "- ", "+ ")):
            title = None
        else:
            split = _split_headline(first, lines[1:])
            if split and split[0] and split[1]:
                head = cut_caption(split[0])
                if head != split[0]:
                    removed.append(split[0][len(head):].strip())
                lines[0:1] = [head, split[1]]
                title = head
            elif len(first) <= _TITLE_MAX:
                title = first

    # outlet tag at the start of the lead
    lead_idx = 1 if title is not None else 0
    if lead_idx < len(lines):
        while True:
            tagged = _strip_tag(lines[lead_idx])
            if not tagged:
                break
            tag, rest = tagged
            outlet_tag = outlet_tag or tag
            removed.append(lines[lead_idx][: len(lines[lead_idx]) - len(rest)])
            lines[lead_idx] = rest.strip()
    if outlet_tag is None and trailing_outlet and (trailing_outlet in _OUTLETS or trailing_outlet.isupper()):
        outlet_tag = trailing_outlet

    # byline at the end
    byline = None
    first_body = 1 if title is not None else 0
    parts: list[str] = []
    popped: list[str] = []
    while len(lines) > first_body + 1:
        last = _strip_trailing_junk(lines[-1]).strip()
        if not last:
            removed.append(lines.pop())
            continue
        by = _is_name_line(last)
        if by and len(parts) >= 2:
            # three or more name-like lines at the end: an address or a list, not a byline
            lines.extend(reversed(popped))
            removed[len(removed) - len(popped):] = []
            parts = []
            break
        if by:
            parts.insert(0, by)
            popped.append(lines[-1])
            removed.append(lines.pop())
            continue
        if not parts:
            g = _byline_glued(last)
            if g and len(g.group(0)) <= 60 and not _NOT_BYLINE.search(g.group(0).strip()) \
                    and not _NOT_BYLINE.search(last) and not _CREDIT_NEAR.search(last[max(0, g.start() - 25):g.start()]):
                parts.insert(0, _tidy_byline(g.group("by")))
                removed.append(g.group(0))
                lines[-1] = last[: g.start()].rstrip()
                if _CUT_LINE.fullmatch(lines[-1]):
                    removed.append(lines.pop())
        break
    if not parts and not popped and len(lines) > first_body + 2:
        # a byline followed by photo captions (word-segmented feeds): look one or two lines back
        for k in (2, 3):
            if len(lines) - k <= first_body:
                break
            by = _is_name_line(lines[-k])
            if by and not _is_name_line(lines[-k - 1]) and not _is_name_line(lines[-k + 1]):
                parts.append(by)
                removed.append(lines.pop(-k))
                break
    if parts:
        byline = " - ".join(parts)

    body = "\n".join(ln for ln in lines if ln)
    return Cleaned(body=body, title=title, published_at=published_at, published_text=published_text,
                   outlet_tag=outlet_tag, byline=byline, removed=removed, segmented=seg)
