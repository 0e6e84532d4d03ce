"""JSONL feeds of any size (issue 14, item 2): the size limit is per article (per line); a feed is
read in segments of at most --batch-size lines, so memory is bounded by the batch, not the feed;
a feed that only grew costs the next run only its new lines; a rewritten one is read again."""
from __future__ import annotations

import hashlib
import json
import os

import polars as pl
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from flows.ingest import feed_segments
from flows.pipeline import extract_in_turn, run
from flows.settings import DEFAULT_BATCH_SIZE, ENV_MAX_FILE_MB, Settings

from .conftest import RAW
from .crash_runner import digests

SEEDS = sorted(p.read_text(encoding="utf-8") for p in RAW.glob("*.txt"))


def line(i: int, extra: str = "") -> str:
    """One feed article: a seed article (they differ) with its number, so no two lines are equal."""
    return json.dumps({"title": f"Bài {i}", "text": f"{SEEDS[i % len(SEEDS)]}\nBài số {i}.{extra}",
                       "url": f"https://example.vn/{i}"}, ensure_ascii=False)


def write_feed(path, lines: list[str], end: str = "\n") -> None:
    path.write_text("\n".join(lines) + end, encoding="utf-8")


class Spy:
    """Extraction in this process, noting the source paths of each batch it extracts."""
    def __init__(self):
        self.batches: list[list[str]] = []

    def __call__(self, raw_dir, file_batches):
        for frames in extract_in_turn()(raw_dir, file_batches):
            self.batches.append(sorted(frames["batch_sources"]["source_path"].to_list()
                                       + frames["batch_quarantine"]["source_path"].to_list()))
            yield frames


def go(raw, wh, spy=None, **kw):
    return run(Settings.resolve(raw, wh, **kw), extract=spy)


def test_a_feed_over_the_file_limit_loads_and_the_limit_is_per_line(tmp_path, monkeypatch):
    """Before: the whole feed was quarantined as too_large (the limit was per file)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [line(i) for i in range(12)]
    lines[6] = line(6, " " + "dài " * 6000)  # 24 KB: over the limit of one article
    write_feed(raw / "feed.jsonl", lines)
    monkeypatch.setenv(ENV_MAX_FILE_MB, "0.01")  # 10,485 bytes: each other line is under it, the feed is 5 times over
    assert (raw / "feed.jsonl").stat().st_size > 4 * 10485
    wh = tmp_path / "w.duckdb"
    s = go(raw, wh)
    assert (s.status, s.articles_loaded, s.files_quarantined) == ("success", 11, 1)
    con = __import__("duckdb").connect(str(wh), read_only=True)
    try:
        assert con.execute("select source_path, reason, detail from quarantine").fetchall() == [
            ("feed.jsonl#7", "too_large", f"line 7: {len(lines[6].encode())} bytes; the limit of one article is "
             "10485 bytes (PARTY_WAREHOUSE_MAX_FILE_MB): split it, or raise the limit and touch the file")]
        assert con.execute("select count(*) from sources where file_path = 'feed.jsonl'").fetchall() == [(11,)]
        assert con.execute("select status from manifest").fetchall() == [("partial",)]
    finally:
        con.close()


def test_a_feed_is_read_in_batches_of_at_most_batch_size_articles(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_feed(raw / "a-feed.jsonl", [line(i) for i in range(10)])
    (raw / "b.txt").write_text(SEEDS[0], encoding="utf-8")
    spy = Spy()
    s = go(raw, tmp_path / "small.duckdb", spy, batch_size=4)
    assert (s.status, s.articles_loaded) == ("success", 11)
    assert spy.batches == [[f"a-feed.jsonl#{i}" for i in (1, 2, 3, 4)], [f"a-feed.jsonl#{i}" for i in (5, 6, 7, 8)],
                           ["a-feed.jsonl#10", "a-feed.jsonl#9", "b.txt"]]
    go(raw, tmp_path / "big.duckdb")  # one batch: the same warehouse
    assert digests(tmp_path / "small.duckdb") == digests(tmp_path / "big.duckdb")


@pytest.mark.parametrize("batch_size", [3, 2000])
def test_an_appended_feed_costs_the_next_run_only_its_new_lines(tmp_path, batch_size):
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [line(i) for i in range(8)] + ["{not json"]
    write_feed(raw / "feed.jsonl", lines)
    wh = tmp_path / "w.duckdb"
    assert go(raw, wh, batch_size=batch_size).articles_loaded == 8
    lines += [line(i) for i in range(8, 11)]
    write_feed(raw / "feed.jsonl", lines)  # the same first lines, three more
    spy = Spy()
    s = go(raw, wh, spy, batch_size=batch_size)
    assert (s.files_changed, s.articles_loaded, s.files_quarantined) == (1, 3, 0)
    assert sorted(p for b in spy.batches for p in b) == ["feed.jsonl#10", "feed.jsonl#11", "feed.jsonl#12"]
    fresh = tmp_path / "fresh.duckdb"
    go(raw, fresh)
    assert digests(wh) == digests(fresh)  # the same as reading the whole feed once
    assert go(raw, wh, Spy()).articles_loaded == 0  # and then nothing to do


@pytest.mark.parametrize("change", ["a line rewritten", "a line removed", "the last line had no line end"])
def test_a_rewritten_feed_is_read_again_whole(tmp_path, change):
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = [line(i) for i in range(6)]
    write_feed(raw / "feed.jsonl", lines, end="" if change == "the last line had no line end" else "\n")
    wh = tmp_path / "w.duckdb"
    go(raw, wh, batch_size=4)
    if change == "a line rewritten":
        lines[1] = line(1, " Đã sửa.")
    elif change == "a line removed":
        del lines[1]
    lines.append(line(6))  # and the feed grew
    write_feed(raw / "feed.jsonl", lines)
    spy = Spy()
    s = go(raw, wh, spy, batch_size=4)
    assert sorted(p for b in spy.batches for p in b) == sorted(f"feed.jsonl#{i}" for i in range(1, len(lines) + 1))
    fresh = tmp_path / "fresh.duckdb"
    go(raw, fresh)
    assert digests(wh) == digests(fresh)
    assert s.status == "success"


# --- the segments of a feed ------------------------------------------------------------------------

_lines = st.lists(st.binary(max_size=12).map(lambda b: b.replace(b"\n", b"")), max_size=30)


@hsettings(max_examples=150, deadline=None)
@given(old=_lines, new=_lines, old_ends=st.booleans(), per=st.integers(1, 5), seg_bytes=st.integers(1, 80),
       tamper=st.booleans())
def test_property_segments_cover_every_new_line_once_with_its_number_and_prefix_hash(
        tmp_path_factory, old, new, old_ends, per, seg_bytes, tamper):
    old_data = b"\n".join(old) + (b"\n" if old and old_ends else b"")
    data = old_data + b"".join(x + b"\n" for x in new)
    if tamper and old_data:  # the old part rewritten: never taken for a feed that grew
        data = bytes([data[0] ^ 1]) + data[1:]
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        resume = (len(old_data), hashlib.sha256(old_data).hexdigest()) if old_data else None
        segs = feed_segments(fd, len(data), per, resume, segment_bytes=seg_bytes)
    finally:
        os.close(fd)
    grew = bool(old_data) and not tamper and old_data.endswith(b"\n")
    assert segs[0].start == (len(old_data) if grew else 0)
    assert segs[-1].end == len(data)
    for a, b in zip(segs, segs[1:]):
        assert a.end == b.start and b.first_line == a.first_line + a.n_lines
    for s in segs:
        chunk = data[s.start:s.end]
        assert s.first_line == data[:s.start].count(b"\n") + 1  # the number of its first line
        assert s.n_lines == len(chunk.split(b"\n")) - (chunk.endswith(b"\n") or not chunk)
        assert 1 <= s.n_lines <= per or (s.n_lines == 0 and not chunk)
        assert s.prefix_sha256 == hashlib.sha256(data[:s.end]).hexdigest()
        assert s.end == len(data) or data[s.end - 1:s.end] == b"\n"  # cut at line ends only


@pytest.mark.slow
def test_a_34_mb_feed_of_the_corpus_loads_in_batches_of_at_most_batch_size(tmp_path):
    """../shared/corpus/news/news_00.jsonl (about 34 MB, 10,000 real articles) was quarantined
    whole as too_large; now every line is loaded (or quarantined alone), the default batch size at most a batch."""
    import shutil

    from .conftest import SHARED, need
    feed = need(SHARED / "corpus" / "news" / "news_00.jsonl")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(feed, raw / "news_00.jsonl")
    n_lines = sum(1 for x in feed.read_bytes().split(b"\n") if x.strip())
    spy, wh = Spy(), tmp_path / "w.duckdb"
    s = go(raw, wh, spy)
    assert s.status == "success" and s.files_seen == 1
    assert max(len(b) for b in spy.batches) <= DEFAULT_BATCH_SIZE and sum(len(b) for b in spy.batches) == n_lines
    con = __import__("duckdb").connect(str(wh), read_only=True)
    try:
        loaded = con.execute("select count(*) from sources").fetchone()[0]
        bad = dict(con.execute("select reason, count(*) from quarantine group by reason").fetchall())
    finally:
        con.close()
    assert "too_large" not in bad and "extract_error" not in bad
    assert loaded + sum(bad.values()) == n_lines
