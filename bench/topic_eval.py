"""How well articles.on_topic separates ../shared/corpus/genre (Party organization-building
news) from ../shared/corpus/general (political and social news, mostly not the genre).

    uv run python -m bench.topic_eval [--sweep]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from flows.extract.topic import MIN_DENSITY, MIN_SCORE, STRONG_SCORE, topic_score
from flows.ingest import DecodeError, decode_bytes
from flows.text.clean import clean_article

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def scores(folder: Path) -> list[tuple[float, float]]:
    out = []
    for p in sorted(folder.glob("*.txt")):
        try:
            text = decode_bytes(p.read_bytes())
        except DecodeError:
            continue
        out.append(topic_score(clean_article(text).body))
    return out


def confusion(genre, general, min_score: float, min_density: float, strong: float = STRONG_SCORE) -> dict:
    def hit(s):
        return s[0] >= min_score and (s[1] >= min_density or s[0] >= strong)
    tp = sum(hit(s) for s in genre)
    fp = sum(hit(s) for s in general)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / len(genre)
    return {"tp": tp, "fn": len(genre) - tp, "fp": fp, "tn": len(general) - fp, "precision": round(p, 3),
            "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", action="store_true", help="try other thresholds too")
    args = ap.parse_args(argv)
    genre, general = scores(CORPUS / "genre"), scores(CORPUS / "general")
    print(f"genre {len(genre)} articles, general {len(general)} articles")
    print(f"thresholds score>={MIN_SCORE} density>={MIN_DENSITY}:", confusion(genre, general, MIN_SCORE, MIN_DENSITY))
    if args.sweep:
        for ms in (4, 6, 8, 10, 12, 15):
            for md in (0.5, 1.0, 1.5, 2.0, 3.0, 4.0):
                print(ms, md, confusion(genre, general, ms, md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
