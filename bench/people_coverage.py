"""Coverage of the people and titles data on real news (../shared/corpus/news, read in place).

    uv run --frozen python -m bench.people_coverage [--limit N] [--sample 100 --out bench/people_audit.tsv]

Prints, over the news articles:
- how often each title head (titles_heads.tsv) occurs, and the organisation phrase the title
  reader takes after it (the first word of the phrase: "Bộ", "Sở", "Ủy ban" ...);
- every capitalised run that starts with a family name (titles_surnames.tsv): how many are read
  as people, and the left contexts (the word before) of those that are and are not;
- how many rows of each titles_*.tsv file occur in the text at all;
- the people rows the extractor keeps (with and without a title).
--sample N writes N random people rows (name, title, sentence excerpt) for a hand audit, with
empty verdict and reason columns (bench/people_audit.tsv holds the audited sample).
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import re
from collections import Counter
from pathlib import Path

from flows.extract import people as P
from flows.text.clean import clean_article
from flows.text.letters import lower
from flows.text.normalize import fold
from flows.text.places import load_tsv

NEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "news"


def read_news(limit: int = 0):
    n = 0
    for path in sorted(NEWS.glob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                d = json.loads(line)
                yield d["id"], clean_article(d["text"]).body
                n += 1
                if limit and n >= limit:
                    return


def _word_before(text: str, start: int) -> str:
    ws = text[max(0, start - 30):start].split()
    return lower(ws[-1]) if ws else "^"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default="")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args(argv)

    heads, org_first, runs_in, runs_out = Counter(), Counter(), Counter(), Counter()
    ctx_in, ctx_out = Counter(), Counter()
    n_docs = n_rows = n_null = n_phrase = 0
    rows = []
    words_re = {name: [(r, re.compile(r"(?<![\w])" + re.escape(lower(k)) + r"(?![\w])"))
                       for r in load_tsv(name) for k in [r[key]]]
                for name, key in (("titles_heads.tsv", "head"), ("titles_words.tsv", "word"),
                                  ("titles_not_people.tsv", "word"), ("titles_countries.tsv", "name"))}
    abbr = {r["abbreviation"] for r in load_tsv("titles_abbreviations.tsv")}
    seen_rows: dict[str, set[int]] = {k: set() for k in words_re}
    seen_abbr: set[str] = set()
    surnames_seen: Counter = Counter()
    for doc_id, body in read_news(args.limit):
        n_docs += 1
        low = lower(body)
        for name, pats in words_re.items():
            for i, (_r, rx) in enumerate(pats):
                if i not in seen_rows[name] and rx.search(low):
                    seen_rows[name].add(i)
        seen_abbr.update(t for t in set(re.findall(r"[\w&.\-]+", body)) if t in abbr)
        for m in P._HEAD_RE.finditer(body):
            h = P._HEADS[fold(m.group(0))]["head"]
            heads[h] += 1
            line = body[m.start():m.start() + 160].split("\n")[0]
            ext = P._title_extent(P._mask_joins(line))
            names = [s for s, _e, _n, _l in P._names_in(line) if s > 0]
            phrase = line[m.end() - m.start():min([ext] + names)].split()  # up to the name the title introduces
            if phrase:
                n_phrase += 1
                org_first[phrase[0]] += 1
        for sent in body.split("\n"):
            found = {s: name for s, _e, name, _l in P._names_in(sent)}
            for m in P._cap_runs(sent):
                ws = m.group(0).split()
                k = next((i for i, w in enumerate(ws) if w in P._SURNAMES), None)
                if k is None:
                    continue
                surnames_seen[ws[k]] += 1
                left = " ".join(ws[:k]) if k else _word_before(sent, m.start())
                if any(m.start() <= s < m.end() for s in found):
                    runs_in[" ".join(ws[k:])] += 1
                    ctx_in[left] += 1
                else:
                    runs_out[" ".join(ws[k:])] += 1
                    ctx_out[left] += 1
        for p in P.extract_people(body):
            n_rows += 1
            n_null += p.title is None
            rows.append((doc_id, p))

    def top(c: Counter, n: int) -> str:
        return ", ".join(f"{k} {v}" for k, v in c.most_common(n))

    print(f"news articles: {n_docs}")
    print(f"title heads: {len(heads)} of {len(P._HEADS)} heads occur, {sum(heads.values())} times; "
          f"{n_phrase} of them ({n_phrase / max(1, sum(heads.values())):.0%}) with an organisation phrase")
    print(f"  most frequent: {top(heads, args.top)}")
    print(f"  absent: {', '.join(sorted(set(r['head'] for r in load_tsv('titles_heads.tsv')) - set(heads)))}")
    print(f"organisation phrases, first word: {len(org_first)} distinct; {top(org_first, args.top)}")
    n_in, n_out = sum(runs_in.values()), sum(runs_out.values())
    print(f"capitalised runs with a family name: {n_in + n_out} ({len(runs_in) + len(runs_out)} distinct); "
          f"read as a person {n_in} ({n_in / max(1, n_in + n_out):.0%}), not {n_out}")
    print(f"  left context of runs read as people: {top(ctx_in, args.top)}")
    print(f"  left context of runs not read as people: {top(ctx_out, args.top)}")
    print(f"  most frequent runs not read as people: {top(runs_out, args.top)}")
    print(f"family names seen: {len(surnames_seen)} of {len(P._SURNAMES)}")
    for name in words_re:
        print(f"{name}: {len(seen_rows[name])} of {len(words_re[name])} rows occur")
    print(f"titles_abbreviations.tsv: {len(seen_abbr)} of {len(abbr)} abbreviations occur")
    print(f"people rows: {n_rows} ({n_null} with no title, {n_rows - n_null} titled)")

    if args.sample and args.out:
        random.seed(args.seed)
        with open(args.out, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, delimiter="\t", lineterminator="\n")
            w.writerow(["doc_id", "name", "title", "excerpt", "name_verdict", "title_verdict", "reason"])
            for doc_id, p in random.sample(rows, min(args.sample, len(rows))):
                s = p.sentence.replace("\n", " ").replace("\t", " ")
                i = s.find(p.name)
                w.writerow([doc_id, p.name, p.title or "", s[max(0, i - 110):i + len(p.name) + 110].strip(), "", "", ""])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
