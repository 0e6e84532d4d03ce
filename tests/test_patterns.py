"""flows/text/patterns.py: each building block finds exactly what the plain form finds."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from flows.text.letters import LOWER, lower
from flows.text.patterns import DIGITS, WordStart, _case_specials, lower_is_safe, trie_pattern, word_start

WORDS = ["Hà Nội", "Hà Nam", "Hà", "Hải Dương", "Hải", "Hải Phòng", "H", "Nam Định", "Nam"]


def test_trie_pattern_matches_as_the_alternation():
    trie = re.compile(trie_pattern(WORDS))
    alt = re.compile("|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)))
    text = "Hà Nội, Hà Nam, Hà Tĩnh, Hải Dương, Hải Phòng, Nam Định, Nam Hà"
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in alt.finditer(text)]
    assert [m.group(0) for m in trie.finditer(text)][:3] == ["Hà Nội", "Hà Nam", "Hà"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="HàNộiamảDươngPhòĐị ,", max_size=40))
def test_trie_pattern_on_any_text(text):
    trie = re.compile(trie_pattern(WORDS))
    alt = re.compile("|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True)))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in alt.finditer(text)]


def test_word_start_needs_no_word_character_before():
    rx = word_start(r"quận\s+\d+")
    assert [m.group(0) for m in rx.finditer("quận 3, tiểuquận 4, (quận 10)")] == ["quận 3", "quận 10"]


def test_digits_is_what_backslash_d_matches():
    spelled = re.compile("[" + DIGITS + "]")
    for cp in range(0x10000):
        c = chr(cp)
        assert bool(spelled.match(c)) == bool(re.match(r"\d", c)), hex(cp)


def test_lower_is_safe_on_every_character_of_the_bmp():
    """For every lower-case letter a pattern can hold, a case-insensitive search over all the
    characters of the BMP that lower_is_safe accepts finds the characters whose letters.lower()
    is that letter, and nothing else."""
    specials = set(_case_specials())
    text = "".join(c for c in map(chr, range(0x10000)) if c not in specials and not 0xD800 <= ord(c) < 0xE000)
    assert lower_is_safe(text)
    low = lower(text)
    assert len(low) == len(text)
    for letter in set(LOWER + "abcdefghijklmnopqrstuvwxyz0123456789đ") - specials:
        insensitive = [m.start() for m in re.finditer(re.escape(letter), text, re.IGNORECASE)]
        plain = [m.start() for m in re.finditer(re.escape(letter), low)]
        assert insensitive == plain, letter


def test_lower_is_safe_refuses_the_letters_whose_case_rules_differ():
    assert lower_is_safe("Tỉnh ủy Hà Nội, ĐẢNG BỘ")
    # Turkish dotless i, the long s, Greek final sigma and the micro sign fold differently in re
    for c in ("ı", "ſ", "İ", "Σ", "ς", "µ", "ẞ"):
        assert not lower_is_safe("Hà Nội " + c)
    rx, low = re.compile("hội nghị", re.IGNORECASE), re.compile("hội nghị")
    text = "HỘI NGHỊ Ban Chấp hành; Hội Nghị"
    assert [m.span() for m in rx.finditer(text)] == [m.span() for m in low.finditer(lower(text))]


WORD_START_BODIES = [
    r"(?:sáng|chiều)\s*,?\s*(?:ngày\s+)?(?P<d>\d{1,2})\s*[/-]\s*(?P<m>\d{1,2})(?![\d/])",
    r"(?P<d>\d{1,2})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<y>\d{4})",
    r"(?:ngày\s+)?(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})",  # an optional opening
    r"(?:quận|Quận)\s+(\d{1,2})(?![\w])",
    r"tại\s+(?=[A-ZĐ])",
    r"(?:x)?",  # can match "": left to the plain pattern
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789 /-–().,ntđáhiệayIVXLCQquậnNgàyTỉtạiĐx_\n", max_size=60),
       st.integers(min_value=0, max_value=5))
def test_word_start_finds_what_the_look_behind_pattern_finds(text, pos):
    for body in WORD_START_BODIES:
        fast = [(m.span(), m.groups()) for m in WordStart(body).finditer(text, pos)]
        plain = [(m.span(), m.groups()) for m in word_start(body).finditer(text, pos)]
        assert fast == plain, body
