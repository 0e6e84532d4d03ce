"""Numbered lists whose line breaks were lost.

A list printed one item a line ("1. Hoàng Văn A, Bí thư Tỉnh ủy X" / "2. Lê Thị B, ...") often
reaches us as one line with each item's number glued to the end of the previous item:
"... Bí thư Tỉnh ủy X2. Lê Thị B, Giám đốc Sở Y3. Trần Văn C, ...". Read as prose, the number
sticks to the last word of a title ("X2.") or to a number that ends it ("Quân khu 7" + "18." =
"Quân khu 718."), and the sentence splitter sees no item boundary.

`split_numbered_items` puts each item back on its own line. It reads the list by its sequence:
a line that starts with item n ("n. " and a capital) is followed by n+1, n+2, ... in order,
each found as the first "k. " + capital after the previous item (or "k" + capital, glued to a
letter: a dot lost in print); so "718. " after item 17 is "7" + "18. ". It changes a line only when at least three items follow in sequence and at
least one number is glued to the word before it (a list already spaced as prose is left as it
is).
"""
from __future__ import annotations

import re
from functools import lru_cache

from flows.text.letters import UPPER

_FIRST = re.compile(r"[ \t]*(\d{1,3})\.[ \t]+(?=[" + re.escape(UPPER) + "])")
_ITEM_GAP = 4          # an item holds at least a short name before the next number
MIN_ITEMS = 3
MAX_ITEM = 400        # a list item is a name and its titles, not a paragraph


@lru_cache(maxsize=512)
def _marker(n: int) -> re.Pattern:
    """Item n's number: "n." + space + a capital; or, glued to a letter, "n" + space + a capital
    (a dot lost in print: "... Trung ương23 Ngô Văn Dụ")."""
    return re.compile(rf"{n}\.[ \t]+(?=[{re.escape(UPPER)}])|(?<=[^\W\d_]){n}[ \t]+(?=[{re.escape(UPPER)}])")


def _item_at(line: str, n: int, start: int) -> int:
    """Where item n's number starts in `line`, at or after `start` and within MAX_ITEM chars, or -1."""
    m = _marker(n).search(line, start, start + MAX_ITEM)
    return m.start() if m else -1


def split_numbered_items(line: str) -> str:
    """`line` with a run-together numbered list put back one item a line (see module doc)."""
    m = _FIRST.match(line)
    if m is None:
        return line
    n = int(m.group(1))
    cuts: list[int] = []
    glued = False
    pos = m.end()
    while True:
        i = _item_at(line, n + 1, pos + _ITEM_GAP)
        if i == -1:
            break
        cuts.append(i)
        glued = glued or not line[i - 1].isspace()
        n += 1
        pos = i + len(str(n))
    if len(cuts) + 1 < MIN_ITEMS or not glued:
        return line
    parts, last = [], 0
    for i in cuts:
        parts.append(line[last:i].rstrip(" \t"))
        last = i
    parts.append(line[last:])
    return "\n".join(parts)
