"""What a publish costs when the warehouse is large.

Builds a working database with the project's schema (flows.schema.apply_schema) holding N
synthetic but realistic articles (bodies of 3-4 KB of Vietnamese text, ~6 metrics, ~3 people and
~1 document cited per article), then times flows.warehouse.publish (checkpoint, copy, fsync,
atomic rename) twice:

  1. first publish, after the bulk load was checkpointed (copy + fsync + rename of the whole file);
  2. a later run's publish: 100 new articles loaded into the working copy, then publish
     (checkpoint of the new rows + copy of the whole file + fsync + keeping the previous file).

    uv run python -m bench.publish_cost [--articles 100000] [--dir DIR] [--keep] [--json]

The text is made from the words of the bundled raw/ articles: a pool of random sentences of
those words, each body a random draw of sentences (so bodies differ, as real ones do, but are
not compressible as one repeated text). Figures depend on the disk: the copy reads the working
file from the page cache (it was just written) and the fsync waits for the disk.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from flows import schema
from flows.warehouse import WarehousePaths, open_working, publish

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "flows" / "data"
CHUNK = 10_000  # articles handed to DuckDB per Arrow batch

METRICS = [("party_members_admitted", "person", "kết nạp {v} đảng viên mới"),
           ("party_members_total", "person", "hiện có {v} đảng viên"),
           ("party_committees_direct", "organization", "{v} đảng bộ trực thuộc"),
           ("grassroots_orgs_total", "organization", "{v} tổ chức cơ sở đảng"),
           ("commendations_collective", "collective", "khen thưởng {v} tập thể"),
           ("commendations_individual", "person", "khen thưởng {v} cá nhân"),
           (None, "chi bộ", "{v} chi bộ")]
TITLES = ["Bí thư Tỉnh ủy", "Phó Bí thư Tỉnh ủy", "Trưởng Ban Tổ chức Tỉnh ủy",
          "Ủy viên Ban Thường vụ Tỉnh ủy", "Chủ tịch Hội đồng nhân dân tỉnh", "Phó Trưởng Ban Tổ chức Tỉnh ủy"]
MIDDLE = ["Văn", "Thị", "Đình", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Đức"]
GIVEN = ["Thông", "Hợp", "Kiểm", "Lậm", "Quế", "Thắng", "Hùng", "Lan", "Hoa", "Nam", "Sơn", "Hải"]
DOC_KINDS = [("nghi_quyet", "NQ"), ("chi_thi", "CT"), ("quy_dinh", "QĐ"), ("ket_luan", "KL")]
MEETINGS = ["so_ket", "tong_ket", "giao_ban", "dai_hoi", "hoi_nghi"]
OUTLETS = ["Báo Nghệ An", "Báo Lạng Sơn", "Báo Đồng Tháp", "Báo Nhân Dân", "Xây dựng Đảng"]


def tsv_column(name: str, column: int = 0) -> list[str]:
    rows = [line.split("\t") for line in (DATA / name).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return [r[column] for r in rows[1:]]


def vocabulary() -> list[str]:
    words = []
    for path in sorted((PROJECT / "raw").glob("*.txt")):
        words += [w.lower() for w in re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8"))]
    return words  # with repeats: sampling follows the words' frequencies


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        words = vocabulary()
        self.sentences = [self._sentence(words) for _ in range(50_000)]
        self.provinces = tsv_column("places_provinces.tsv")
        merger = dict(zip(tsv_column("places_merger_2025.tsv", 0), tsv_column("places_merger_2025.tsv", 1)))
        self.province_2025 = merger
        self.surnames = tsv_column("titles_surnames.tsv")

    def _sentence(self, words: list[str]) -> str:
        s = " ".join(self.rng.choices(words, k=self.rng.randint(12, 30)))
        return s[0].upper() + s[1:] + "."

    def body(self, facts: list[str]) -> tuple[str, list[tuple[int, int]]]:
        """A body of 3-4 KB (UTF-8) holding the fact sentences; their (start, end) in it."""
        target = self.rng.randint(3000, 4000)
        parts, size, spans, pos = [], 0, [], 0
        fact_at = sorted(self.rng.sample(range(1, 20), len(facts)))
        i = 0
        while size < target or len(spans) < len(facts):
            if len(spans) < len(facts) and i == fact_at[len(spans)]:
                s = facts[len(spans)]
                spans.append((pos, pos + len(s)))
            else:
                s = self.rng.choice(self.sentences)
            parts.append(s)
            pos += len(s) + 1
            size += len(s.encode()) + 1
            i += 1
        return " ".join(parts), spans

    def chunk(self, start: int, n: int, run_id: str) -> dict[str, pa.Table]:
        rng = self.rng
        a, m, p, d, s = ({} for _ in range(5))

        def add(table: dict, **cols):
            for k, v in cols.items():
                table.setdefault(k, []).append(v)

        for i in range(start, start + n):
            doc_id = hashlib.sha256(f"bench-{i}".encode()).hexdigest()
            province = rng.choice(self.provinces)
            year = rng.randint(2010, 2024)
            half = rng.choice(["H1", "H2"])
            p_start = date(year, 1 if half == "H1" else 7, 1)
            p_end = date(year, 6, 30) if half == "H1" else date(year, 12, 31)
            label = f"{year}-{half}"
            event = p_end + timedelta(days=rng.randint(1, 20))
            published = datetime.combine(event, datetime.min.time()) + timedelta(hours=rng.randint(7, 20))
            metric_rows = rng.sample(METRICS, 6)
            values = [float(rng.randint(5, 5000)) for _ in metric_rows]
            fact_sentences = [f"Trong 6 tháng, toàn tỉnh {tpl.format(v=f'{int(v):,}'.replace(',', '.'))}."
                              for (_, _, tpl), v in zip(metric_rows, values)]
            people = [(f"{rng.choice(self.surnames)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}", rng.choice(TITLES))
                      for _ in range(3)]
            fact_sentences += [f"Đồng chí {name}, {title} phát biểu tại hội nghị." for name, title in people]
            kind, abbr = rng.choice(DOC_KINDS)
            code = f"{rng.randint(1, 60):02d}-{abbr}/TW"
            fact_sentences.append(f"Thực hiện {code} của Bộ Chính trị, các cấp ủy đã quán triệt.")
            body, spans = self.body(fact_sentences)
            add(a, doc_id=doc_id, source_path=f"feed/{i // 1000:04d}/{i:07d}.txt", url=f"https://example.vn/{i}",
                title=rng.choice(self.sentences)[:90], outlet=rng.choice(OUTLETS), published_at=published,
                event_date=event, province=province, location=None, meeting_kind=rng.choice(MEETINGS),
                period_label=label, byline="Bench", on_topic=rng.random() < 0.9, body=body, period_kind=half,
                period_start=p_start, period_end=p_end, province_2025=self.province_2025.get(province),
                extractor_version="bench", run_id=run_id)
            add(s, source_path=f"feed/{i // 1000:04d}/{i:07d}.txt", file_path=f"feed/{i // 1000:04d}/{i:07d}.txt",
                doc_id=doc_id)
            for no, ((metric, unit, _), v, (c0, c1)) in enumerate(zip(metric_rows, values, spans)):
                add(m, doc_id=doc_id, fact_no=no, metric=metric, value=v, unit=unit, qualifier=None,
                    pct_of_plan=None, denominator=None, period_kind=half, period_start=p_start, period_end=p_end,
                    period_label=label, province=province, scope=None, sentence=body[c0:c1], char_start=c0,
                    char_end=c1)
            for (name, title), (c0, c1) in zip(people, spans[6:9]):
                add(p, doc_id=doc_id, name=name, title=title, province=province, sentence=body[c0:c1],
                    char_start=c0, char_end=c1)
            c0, c1 = spans[9]
            add(d, doc_id=doc_id, kind=kind, code=code, session=None, term="XII", issued_on=None, text=code,
                sentence=body[c0:c1], char_start=c0, char_end=c1)
        return {"articles": a, "metrics": m, "people": p, "documents_cited": d, "sources": s}


def insert(con: duckdb.DuckDBPyConnection, tables: dict[str, dict[str, list]]) -> None:
    con.execute("begin transaction")
    for table, columns in tables.items():
        con.register("bench_rows", pa.table(columns))
        con.execute(f"insert into {table} by name select * from bench_rows")
        con.unregister("bench_rows")
    con.execute("commit")


def load(con, gen: Generator, start: int, n: int, run_id: str) -> None:
    for offset in range(start, start + n, CHUNK):
        insert(con, gen.chunk(offset, min(CHUNK, start + n - offset), run_id))
    con.execute("insert into runs (run_id, started_at, finished_at, status) values (?, ?, ?, 'success')",
                [run_id, datetime.now(), datetime.now()])


def mb(n: int) -> float:
    return n / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.publish_cost", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000, help="articles in the warehouse (default 100000)")
    ap.add_argument("--dir", type=Path, help="folder for the warehouse files (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the files afterwards")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    folder = args.dir or Path(tempfile.mkdtemp(prefix="publish_cost_"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = WarehousePaths(folder / "warehouse.duckdb")
    for f in (paths.published, paths.working, paths.previous):
        f.unlink(missing_ok=True)
    out: dict = {"articles": args.articles, "folder": str(folder)}
    try:
        t = time.perf_counter()
        gen = Generator(args.seed)
        con = duckdb.connect(str(paths.working))
        schema.apply_schema(con)
        load(con, gen, 0, args.articles, "bench-load")
        out["load_s"] = time.perf_counter() - t
        sizes = con.execute("select count(*), sum(strlen(body)) from articles").fetchall()[0]
        out["rows"] = {name: con.execute(f"select count(*) from {name}").fetchall()[0][0]
                       for name in ("articles", "metrics", "people", "documents_cited")}
        out["body_mb"] = mb(sizes[1])
        t = time.perf_counter()
        con.checkpoint()
        out["checkpoint_after_load_s"] = time.perf_counter() - t

        t = time.perf_counter()
        publish(con, paths)
        first = time.perf_counter() - t
        size = paths.published.stat().st_size
        out["file_mb"] = mb(size)
        out["first_publish"] = {"seconds": first, "mb_per_s": mb(size) / first}

        # a later run: a small batch into the working copy, then publish again
        con = open_working(paths)
        load(con, gen, args.articles, 100, "bench-run-2")
        t = time.perf_counter()
        publish(con, paths)
        second = time.perf_counter() - t
        size = paths.published.stat().st_size
        out["next_run_publish"] = {"new_articles": 100, "seconds": second, "mb_per_s": mb(size) / second,
                                   "file_mb": mb(size)}
        out["disk_mb_after"] = mb(sum(f.stat().st_size for f in (paths.published, paths.working, paths.previous)))
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        nr = out["next_run_publish"]
        print(f"warehouse of {args.articles} articles ({out['rows']['metrics']} metrics, {out['rows']['people']} people, "
              f"{out['rows']['documents_cited']} documents; {out['body_mb']:.0f} MB of body text)")
        print(f"  built in {out['load_s']:.1f} s; checkpoint after the load {out['checkpoint_after_load_s']:.2f} s")
        print(f"  file: {out['file_mb']:.0f} MB")
        print(f"  first publish (copy + fsync + rename): {out['first_publish']['seconds']:.2f} s, "
              f"{out['first_publish']['mb_per_s']:.0f} MB/s")
        print(f"  next run's publish (+{nr['new_articles']} articles: checkpoint + copy + fsync + keep previous + "
              f"rename): {nr['seconds']:.2f} s, {nr['mb_per_s']:.0f} MB/s")
        print(f"  disk used by working + published + previous: {out['disk_mb_after']:.0f} MB "
              f"(a fourth copy exists during a publish)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
