"""Score the extractor on hand-checked articles: build a warehouse from the gold set's files
(copied to a temporary raw folder) and run ../shared/tools/score_extraction.py on it.

    uv run python -m bench.score_dev [--gold ../shared/gold/corpus_dev.json] [--json]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from flows.pipeline import run
from flows.settings import Settings

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"


def build(gold: Path, workdir: Path) -> Path:
    """A warehouse of exactly the gold set's articles; returns its path."""
    articles = json.loads(gold.read_text(encoding="utf-8"))["articles"]
    raw = workdir / "raw"
    raw.mkdir(parents=True)
    for a in articles:
        name = a["file"]
        src = next((p for p in (SHARED / "seeds" / name, SHARED / "corpus" / "genre" / name,
                                SHARED / "corpus" / "general" / name) if p.exists()), None)
        if src is None:
            raise FileNotFoundError(f"{name} of {gold} is not in ../shared")
        shutil.copyfile(src, raw / name)
    wh = workdir / "warehouse.duckdb"
    run(Settings.resolve(raw, wh))
    return wh


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(SHARED / "gold" / "corpus_dev.json"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wh = build(Path(args.gold), Path(tmp))
        cmd = [sys.executable, str(SHARED / "tools" / "score_extraction.py"), "--warehouse", str(wh),
               "--gold", args.gold] + (["--json"] if args.json else [])
        return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
