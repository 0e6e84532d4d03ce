from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"
RAW = PROJECT / "raw"

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def gold_entries() -> list[tuple[Path, dict]]:
    """(file, gold entry) of every hand-checked article in ../shared/gold (none if absent)."""
    import json
    out = []
    for name, folder in (("seeds.json", SHARED / "seeds"), ("corpus_dev.json", SHARED / "corpus" / "genre")):
        p = GOLD / name
        if p.exists():
            out += [(folder / a["file"], a) for a in json.loads(p.read_text(encoding="utf-8"))["articles"]]
    return out


def gold_articles() -> list[tuple[Path, dict]]:
    """(file, gold article fields) of every hand-checked article."""
    return [(path, entry["article"]) for path, entry in gold_entries()]


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (it sits beside the project in ../shared)")
    return path


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A copy of the bundled raw/ folder that a test may change."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst
