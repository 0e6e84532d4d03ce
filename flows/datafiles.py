"""Reading the knowledge files in flows/data/ (UTF-8 TSV, a header row, '#' comment lines)."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def read_tsv(name: str, raw_columns: frozenset[str] = frozenset()) -> tuple[dict[str, str], ...]:
    """Rows of flows/data/<name> as dicts. Cells are stripped (empty cells are ''), except in
    `raw_columns`, whose white space is meaningful (a context pattern with a leading space)."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k.strip(): (v or "") if k in raw_columns else (v or "").strip() for k, v in row.items()}
                 for row in reader)
