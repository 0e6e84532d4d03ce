"""Score the extractor on hand-checked articles: build a warehouse from the gold sets' files
(copied to a temporary raw folder) and run ../shared/tools/score_extraction.py on it.

    uv run python -m bench.score_dev                      # every gold set, one by one, then all together
    uv run python -m bench.score_dev --gold FILE [--gold FILE ...] [--json]

The gold sets: ../shared/gold/corpus_dev.json (20 genre articles) and tests/gold/*.json (40 more:
25 genre, 15 general news, labelled from the text before the extractor's output was seen). A gold
file may name the corpus folder its files are in ("folder": "corpus/general"); otherwise a file is
looked for in ../shared/seeds, corpus/genre, then corpus/general.
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
GOLD_SETS = [SHARED / "gold" / "corpus_dev.json", *sorted((PROJECT / "tests" / "gold").glob("*.json"))]


def _source(name: str, folder: str | None) -> Path:
    places = [SHARED / folder] if folder else [SHARED / "seeds", SHARED / "corpus" / "genre", SHARED / "corpus" / "general"]
    src = next((p / name for p in places if (p / name).exists()), None)
    if src is None:
        raise FileNotFoundError(f"{name} is not in {', '.join(map(str, places))}")
    return src


def merged(golds: list[Path], workdir: Path) -> Path:
    """One gold file of every article of `golds` (file names must not clash)."""
    articles, seen = [], set()
    for g in golds:
        data = json.loads(g.read_text(encoding="utf-8"))
        for a in data["articles"]:
            if a["file"] in seen:
                raise ValueError(f"{a['file']} is in two gold sets")
            seen.add(a["file"])
            articles.append({**a, "_source": str(_source(a["file"], data.get("folder")))})
    out = workdir / "gold.json"
    out.write_text(json.dumps({"about": "merged", "articles": articles}, ensure_ascii=False), encoding="utf-8")
    return out


def build(gold: Path, workdir: Path) -> Path:
    """A warehouse of exactly the gold file's articles; returns its path."""
    data = json.loads(gold.read_text(encoding="utf-8"))
    raw = workdir / "raw"
    raw.mkdir(parents=True)
    for a in data["articles"]:
        src = Path(a["_source"]) if "_source" in a else _source(a["file"], data.get("folder"))
        shutil.copyfile(src, raw / a["file"])
    wh = workdir / "warehouse.duckdb"
    run(Settings.resolve(raw, wh))
    return wh


def score(golds: list[Path], as_json: bool = False) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        gold = merged(golds, Path(tmp))
        wh = build(gold, Path(tmp))
        cmd = [sys.executable, str(SHARED / "tools" / "score_extraction.py"), "--warehouse", str(wh),
               "--gold", str(gold)] + (["--json"] if as_json else [])
        return subprocess.call(cmd)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", action="append", type=Path, help="a gold set (repeatable); default: every set, then all")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.gold:
        return score(args.gold, args.json)
    rc = 0
    for g in GOLD_SETS:
        print(f"== {g.relative_to(PROJECT.parent)}", flush=True)
        rc |= score([g], args.json)
    print("== all gold sets together", flush=True)
    return rc | score(GOLD_SETS, args.json)


if __name__ == "__main__":
    sys.exit(main())
