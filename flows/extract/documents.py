"""Party documents cited in an article (FACTS.md, table documents_cited).

A document is cited when it is identified by a number ("Chỉ thị số 05-CT/TW", "Chỉ thị 05",
"Hướng dẫn (HD) 469") or by a plenum ("Nghị quyết Trung ương 6", "Nghị quyết TW4",
"Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII"). Congress
resolutions, unnumbered texts and State documents (codes "35/2012/NQ-HĐND", "68/NQ-CP") are not.

Language data: flows/data/documents_kinds.tsv (kind words and code letters),
documents_central.tsv (ways of writing "Trung ương"), documents_ordinals.tsv,
documents_not_party.tsv (State issuers), documents_words.tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from flows.text.patterns import lower_is_safe, trie_pattern
from flows.text.letters import lower
from flows.text.normalize import fold
from flows.text.places import load_tsv
from flows.text.sentences import sentences

__all__ = ["DocumentFact", "extract_documents"]


@dataclass(frozen=True)
class DocumentFact:
    kind: str
    code: str | None
    session: str | None
    term: str | None
    issued_on: date | None
    text: str
    sentence: str
    char_start: int
    char_end: int


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_KIND_ROWS = load_tsv("documents_kinds.tsv")
_KIND_WORD = {fold(r["word"]): r["kind"] for r in _KIND_ROWS if r["form"] == "word"}
_KIND_ABBR = {r["word"]: r["kind"] for r in _KIND_ROWS if r["form"] == "abbr"}
_CENTRAL = [r["word"] for r in load_tsv("documents_central.tsv")]
_ORD = {fold(r["word"]): r["number"] for r in load_tsv("documents_ordinals.tsv")}
_STATE = {r["issuer"] for r in load_tsv("documents_not_party.tsv")}
_W: dict[str, list[str]] = {}
for _r in load_tsv("documents_words.tsv"):
    _W.setdefault(_r["role"], []).append(_r["word"])

_L = r"[A-ZĐ]"
_NUMWORD = r"(?:\d+|" + _alt(_ORD) + r")"
_CODE = rf"(?P<num>\d+[a-z]?)\s*[-–]\s*(?P<abbr>{_L}+)\s*/\s*(?P<iss>{_L}[A-ZĐa-z.]*{_L}|{_L})"
_STATE_CODE = rf"\d+\s*/\s*(?:\d{{4}}\s*/\s*)?(?:{_L}+[-–]|{_L}+\d)"
_CENTRAL_ALT = "(?i:" + _alt(_CENTRAL) + ")"
_PLENUM = (
    rf"(?:(?:của\s+)?(?i:Hội nghị)\s+)?(?:"
    rf"(?:{_CENTRAL_ALT})\s*(?:Đảng\s*)?(?:lần thứ\s+)?(?P<n1>{_NUMWORD})(?![\w/])"
    rf"|lần thứ\s+(?P<n2>{_NUMWORD})\s+(?:của\s+)?(?:{_CENTRAL_ALT})(?:\s+Đảng)?"
    rf")"
)
_TERM = rf"(?:\s*[-–,(]?\s*(?:\(\s*)?khóa\s+(?P<t>[IVXLC]+|\d+)\s*\)?)"
_AFTER_NUM_NOT = _alt(_W.get("not_after_number", []))

_MENTION = re.compile(
    rf"(?<![\w])(?P<kw>(?i:{_alt(_KIND_WORD)}))(?![\w])"
    rf"(?:\s*\((?P<ab>{_L}+)\))?\s*(?:số\s+)?"
    rf"(?:(?P<state>{_STATE_CODE})|{_CODE}|(?P<pl>{_PLENUM})|(?P<bare>\d{{1,4}})(?![\w/.,-]\d|[\w/-]))"
)
_LONE_CODE = re.compile(rf"(?<![\w/-]){_CODE}(?![\w])")
_TERMS_AFTER = re.compile(
    rf"^(?:\s+của\s+[^,;.()]{{0,60}}?)?(?:\s*[-–,(]?\s*\(?\s*khóa\s+(?P<t>[IVXLC]+|\d+)\s*\)?)"
    rf"(?P<more>(?:\s*,\s*khóa\s+[IVXLC]+)*)", re.IGNORECASE)
_ISSUED = re.compile(r"^\s*,?\s*(?:ban hành\s+)?ngày\s+(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})")
# a document word of no FACTS.md kind right before a code ("Quyết định số 67-QĐ/TW", "Nghị định 05-NĐ/CP")
_OTHER_KIND_BEFORE = re.compile(r"(?<![\w])(?i:" + _alt(_W["other_kind"]) + r")\s*(?:số\s*)?$") if _W.get("other_kind") else None
_BARE_NOT = re.compile(rf"^\s*(?:{_AFTER_NUM_NOT}|%)(?![\w])", re.IGNORECASE)


def _num(word: str) -> str:
    return word if word.isdigit() else _ORD.get(fold(word), word)


def _issued(rest: str) -> date | None:
    m = _ISSUED.match(rest)
    if not m:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _terms(rest: str) -> tuple[list[str], int]:
    m = _TERMS_AFTER.match(rest)
    if not m:
        return [], 0
    terms = [m.group("t").upper()]
    terms += [t.upper() for t in re.findall(r"khóa\s+([IVXLC]+)", m.group("more") or "", re.IGNORECASE)]
    return terms, m.end()


# Cheap tests that let a sentence skip _MENTION and _LONE_CODE: a _MENTION match holds a kind
# word (a case-insensitive match of _KW_ANY), a _LONE_CODE match holds a _CODE_ANY match.
_KW_LOWER = sorted({w.lower() for w in _KIND_WORD})
_KW_ANY = re.compile(trie_pattern(_KW_LOWER))  # run on letters.lower(text)
_KW_ANY_I = re.compile(trie_pattern(_KW_LOWER), re.IGNORECASE)
_CODE_ANY = re.compile(rf"\d[a-z]?\s*[-–]\s*{_L}+\s*/")


def _has_kind_word(text: str) -> bool:
    if lower_is_safe(text):
        return _KW_ANY.search(lower(text)) is not None
    return _KW_ANY_I.search(text) is not None


def _from_sentence(sent: str, s0: int, work_sent: str) -> list[DocumentFact]:
    found: list[DocumentFact] = []
    covered: list[tuple[int, int]] = []
    has_kind_word = _has_kind_word(work_sent)
    has_code = _CODE_ANY.search(work_sent) is not None
    if not has_kind_word and not has_code:
        return found
    for m in _MENTION.finditer(work_sent) if has_kind_word else ():
        if m.group("state"):
            covered.append((m.start(), m.end()))
            continue
        kind = _KIND_WORD.get(fold(m.group("kw")))
        if not kind:
            continue
        end = m.end()
        code = session = None
        if m.group("num"):
            if m.group("iss") in _STATE:
                continue
            code = f"{m.group('num')}-{m.group('abbr')}/{m.group('iss')}"
            kind = _KIND_ABBR.get(m.group("abbr"), kind)
        elif m.group("pl"):
            n = m.group("n1") or m.group("n2")
            session = f"Trung ương {_num(n)}"
        else:
            bare = m.group("bare")
            if len(bare) == 4 and bare[:2] in ("19", "20"):
                continue  # a year: "Kế hoạch 2020"
            if _BARE_NOT.match(work_sent[end:]):
                continue
            code = bare
        rest = work_sent[end:]
        terms, tlen = _terms(rest)
        issued = _issued(rest)
        text_end = end + (tlen if terms and tlen <= 80 else 0)
        text = sent[m.start():text_end].strip()
        covered.append((m.start(), end))
        for t in terms or [None]:
            found.append(DocumentFact(kind, code, session, t, issued, text, sent, s0, s0 + len(sent)))
    for m in _LONE_CODE.finditer(work_sent) if has_code else ():
        if any(a <= m.start() < b for a, b in covered) or m.group("iss") in _STATE:
            continue
        if _OTHER_KIND_BEFORE is not None and _OTHER_KIND_BEFORE.search(work_sent, max(0, m.start() - 20), m.start()):
            continue  # "Quyết định số 67-QĐ/TW": a decision, none of FACTS.md's kinds, though its code reads "QĐ"
        kind = _KIND_ABBR.get(m.group("abbr"))
        if not kind:
            continue
        code = f"{m.group('num')}-{m.group('abbr')}/{m.group('iss')}"
        rest = work_sent[m.end():]
        found.append(DocumentFact(kind, code, None, None, _issued(rest), sent[m.start():m.end()], sent, s0, s0 + len(sent)))
    return found


def _score(d: DocumentFact) -> int:
    return (d.term is not None) + (d.issued_on is not None) + (d.code is not None and "/" in d.code) + (d.session is not None)


# Does the body cite anything at all: a kind word anywhere (_has_kind_word) or this.
_QUICK_CODE = re.compile(rf"\d\s*[-–]\s*{_L}+\s*/")


def extract_documents(body: str, sents: list[tuple[str, int, int]] | None = None) -> list[DocumentFact]:
    """One row per Party document cited, in order of first mention; repeated mentions of one
    document give one row, the most complete (term, date, full code).

    sents: the body's sentences (flows.text.sentences.sentences(body)) if the caller has them already
    (used when the body has no "_": word-segmented text is split with its underscores read as spaces)."""
    work = body.replace("_", " ")
    if not _has_kind_word(work) and not _QUICK_CODE.search(work):
        return []
    raw: list[DocumentFact] = []
    for _sent, s, e in (sents if sents is not None and work == body else sentences(work)):
        sent = work[s:e]
        raw.extend(_from_sentence(body[s:e], s, sent))
    # group mentions of the same document
    out: list[DocumentFact] = []
    for d in raw:
        merged = False
        for i, o in enumerate(out):
            if o.kind != d.kind:
                continue
            same = False
            if d.code and o.code:
                a, b = d.code, o.code
                same = a == b or a.split("-")[0] == b or b.split("-")[0] == a
                if same and (d.term and o.term and d.term != o.term):
                    same = False
            elif d.session and o.session and d.session == o.session:
                same = d.term == o.term or d.term is None or o.term is None
            if same:
                best = d if _score(d) > _score(o) else o
                other = o if best is d else d
                best = replace(best, term=best.term or other.term, issued_on=best.issued_on or other.issued_on,
                               code=max((best.code, other.code), key=lambda c: len(c or "")))
                out[i] = best
                merged = True
                break
        if not merged:
            out.append(d)
    # a plenum mention without a term, beside the same plenum with exactly one term, is that one
    final: list[DocumentFact] = []
    for d in out:
        if d.session and d.term is None:
            termed = [o for o in out if o.session == d.session and o.kind == d.kind and o.term]
            if termed:
                continue
        final.append(d)
    return final
