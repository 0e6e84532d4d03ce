from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
# ../shared beside the project; PARTY_TEST_SHARED points elsewhere (tests/test_ci.py uses it).
SHARED = Path(os.environ.get("PARTY_TEST_SHARED") or PROJECT.parent / "shared")
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


# What the tests read in ../shared: without it they skip, except in CI.
SHARED_PARTS = ("spec/FACTS.md", "corpus/genre", "gold/seeds.json", "gold/corpus_dev.json", "seeds", "tools")


def in_ci() -> bool:
    """CI=true (as CI services set it; .ci/run sets it): missing test data fails, never skips."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def need(path: Path) -> Path:
    if not path.exists():
        message = f"{path} is not here (it sits beside the project in ../shared)"
        if in_ci():
            pytest.fail(message + "; CI=true requires it")
        pytest.skip(message)
    return path


def pytest_sessionstart(session):
    """In CI a missing ../shared fails the run at once (as PARTY_REQUIRE_CHROMIUM=1 does for the
    browser), whichever tests were chosen: otherwise some 30 tests would skip and the run pass."""
    missing = [part for part in SHARED_PARTS if not (SHARED / part).exists()]
    if in_ci() and missing:
        pytest.exit(f"CI=true and the test data in {SHARED} is missing: {', '.join(missing)}", returncode=1)


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A copy of the bundled raw/ folder that a test may change."""
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    return dst
