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
