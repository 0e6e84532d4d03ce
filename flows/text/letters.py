"""Letter classes for regexes over Vietnamese text (Python's re has no \\p{Lu})."""
from __future__ import annotations

from functools import lru_cache

# Every upper- / lower-case letter of Latin, Latin-1, Latin Extended A/B and Latin Extended
# Additional (which holds the Vietnamese letters with tone marks: "Ỹ", "ỹ").
UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isalpha() and c.isupper())
LOWER = "".join(c for c in map(chr, range(0x61, 0x1F00)) if c.isalpha() and c.islower())
UPPER_CLASS = f"[{UPPER}]"
LOWER_CLASS = f"[{LOWER}]"


@lru_cache(maxsize=16)
def lower(text: str) -> str:
    """text.lower() with every offset kept: a letter whose lower case is longer ("İ") stays as
    it is. Patterns of lower-case words run on it instead of re.IGNORECASE, which is much slower
    on non-ASCII text. Cached: several extractors lower the same body."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
