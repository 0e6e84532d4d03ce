"""Every kind of bad input in one real run (flows.pipeline.run, no Prefect): each file is loaded
correctly or quarantined with its reason, the run succeeds, and the good articles' facts are
exactly those of a run without the bad files. The inputs are tests/fixtures/bad_input/ (committed)
plus what git cannot hold (tests/bad_input.py builds it: a named pipe, a 60 MB file, a file made
unreadable, one deleted and one still growing while the run reads)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

import flows.ingest as ingest
from flows.ingest import discover, read_batch
from flows.pipeline import run
from flows.settings import ENV_MAX_FILE_MB, ENV_MIN_FILE_AGE, Settings

from . import bad_input as bi
from .conftest import RAW

SEEDS = ("000_31de0f0f34ce37d1.txt", "003_0b702cc1b90c7b1a.txt")
FACT_TABLES = ("articles", "metrics", "people", "documents_cited")
NOT_COMPARED = ("run_id", "seen_at", "first_seen", "last_seen")


def q(wh: Path, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def rows_of(wh: Path, table: str, doc_ids: list[str]) -> list[tuple]:
    cols = [r[0] for r in q(wh, f"describe {table}") if r[0] not in NOT_COMPARED]
    return q(wh, f"select {', '.join(cols)} from {table} where doc_id in (select unnest(?)) order by all", [doc_ids])


def seed_raw(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in SEEDS:
        shutil.copyfile(RAW / name, folder / name)
    return folder


def unreadable(real_open):
    def _open(path):
        if Path(path).name == "unreadable.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)
    return _open


def meddle_after_listing(raw: Path):
    """A stage wrapper: right after the folder is listed, delete one file and append to another
    (a writer still at work), as another process could."""
    def stage(name, fn):
        if name != "discover":
            return fn

        def listed_then_changed(*args, **kwargs):
            out = fn(*args, **kwargs)
            if (raw / "vanishing.txt").exists():
                (raw / "vanishing.txt").unlink()
            if (raw / "growing.txt").exists():
                with open(raw / "growing.txt", "a", encoding="utf-8") as fh:
                    fh.write("Các chi bộ đã tổ chức sinh hoạt chuyên đề.\n")
            return out
        return listed_then_changed
    return stage


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad_input")
    raw = base / "raw"
    shutil.copytree(bi.FIXTURES, raw, symlinks=True)
    for name in SEEDS:
        shutil.copyfile(RAW / name, raw / name)
    bi.build_uncommittable(raw)
    wh = base / "bad.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ingest, "_open_file", unreadable(ingest._open_file))
        summary = run(Settings.resolve(raw, wh), stage=meddle_after_listing(raw))
    clean_wh = base / "clean.duckdb"
    clean = run(Settings.resolve(seed_raw(base / "clean_raw"), clean_wh))
    return {"raw": raw, "wh": wh, "summary": summary, "clean_wh": clean_wh, "clean": clean}


def test_the_run_succeeds_with_every_kind_of_bad_input(bad_run):
    s = bad_run["summary"]
    assert s.status == "success"
    assert q(bad_run["wh"], "select status from runs") == [("success",)]
    assert s.files_quarantined == len(bi.QUARANTINED)


def test_each_bad_file_is_quarantined_with_its_reason(bad_run):
    got = q(bad_run["wh"], "select source_path, reason, detail from quarantine")
    assert {p: r for p, r, _ in got} == bi.QUARANTINED
    assert len(got) == len(bi.QUARANTINED)  # one entry each
    assert all(d and len(d) > 20 for _, _, d in got)  # a reason a person can act on


def test_quarantine_details_say_what_to_do(bad_run):
    detail = dict(q(bad_run["wh"], "select source_path, detail from quarantine"))
    assert detail["image.txt"].startswith("a PNG image, not text")
    assert detail["huge.txt"] == ("60.0 MB (62914560 bytes); the limit is 20.0 MB (20971520 bytes) "
                                  "(PARTY_WAREHOUSE_MAX_FILE_MB): split it, or raise the limit and touch the file")
    assert "at byte 18 of" in detail["damaged_utf8.txt"]
    assert "first bad byte at 8 of" in detail["french_latin1.txt"]
    assert "Windows-1258, TCVN3 (ABC) or VNI-Windows" in detail["french_latin1.txt"]
    assert detail["pipe.txt"].startswith("a named pipe (FIFO), not a regular file")
    assert detail["unreadable.txt"].startswith("PermissionError: Permission denied")
    assert "'missing.txt'" in detail["broken_link.txt"]
    assert "/etc/passwd" in detail["outside_link.txt"]


def test_each_decodable_file_is_loaded_as_its_article(bad_run):
    wh = bad_run["wh"]
    got = {}
    for path in bi.LOADED:
        rows = q(wh, """select a.title, m.value from sources s join articles a using (doc_id)
                        left join metrics m on m.doc_id = a.doc_id and m.metric = 'party_members_admitted'
                        where s.source_path = ?""", [path])
        assert len(rows) == 1, (path, rows)
        got[path] = rows[0]
    want = {p: (bi.NO_FACTS_TITLE if v is None else bi.TITLE, None if v is None else float(v))
            for p, v in bi.LOADED.items()}
    assert got == want


def test_decoded_bodies_are_the_nfc_text(bad_run):
    """cp1258 keeps tone marks apart ("e" + U+0301): the cleaning stage stores NFC, identical to the
    body of the same article loaded from UTF-8."""
    wh = bad_run["wh"]
    bodies = dict(q(wh, "select s.source_path, a.body from sources s join articles a using (doc_id)"))
    utf8 = bodies["with space.txt"]
    for path, n in (("cp1258.txt", 101), ("tcvn3.txt", 102), ("vni.txt", 103), ("mojibake.txt", 104),
                    ("utf16le_no_bom.txt", 105), ("utf16be_no_bom.txt", 106)):
        assert bodies[path] == utf8.replace("110 đảng viên", f"{n} đảng viên"), path


def test_same_content_under_two_names_is_one_article_with_both_paths(bad_run):
    wh = bad_run["wh"]
    for a, b in (("with space.txt", "copy of with space.txt"), ("cp1258.txt", "inside_link.txt")):
        ids = q(wh, "select distinct doc_id from sources where source_path in (?, ?)", [a, b])
        assert len(ids) == 1, (a, b)
        assert q(wh, "select count(*) from articles where doc_id = ?", [ids[0][0]]) == [(1,)]
        assert sorted(r[0] for r in q(wh, "select file_path from manifest where sha256 = ?", [ids[0][0]])) == sorted([a, b])


def test_article_without_facts_is_loaded_not_quarantined(bad_run):
    wh = bad_run["wh"]
    (doc,), = q(wh, "select doc_id from sources where source_path = 'no_facts.txt'")
    for table in ("metrics", "people", "documents_cited"):
        assert q(wh, f"select count(*) from {table} where doc_id = ?", [doc]) == [(0,)]
    assert q(wh, "select status from manifest where file_path = 'no_facts.txt'") == [("loaded",)]


def test_good_articles_facts_equal_a_run_without_bad_files(bad_run):
    seeds = [r[0] for r in q(bad_run["clean_wh"], "select doc_id from articles")]
    assert len(seeds) == 2
    for table in FACT_TABLES:
        assert rows_of(bad_run["wh"], table, seeds) == rows_of(bad_run["clean_wh"], table, seeds), table
    assert bad_run["clean"].metrics_loaded > 0


def test_files_deleted_or_growing_while_read_are_left_for_the_next_run(bad_run):
    wh = bad_run["wh"]
    assert bad_run["summary"].files_skipped == 2
    assert q(wh, "select files_skipped from runs") == [(2,)]
    for name in ("vanishing.txt", "growing.txt"):
        for table, col in (("manifest", "file_path"), ("sources", "source_path"), ("quarantine", "source_path")):
            assert q(wh, f"select count(*) from {table} where {col} = ?", [name]) == [(0,)], (name, table)


def test_every_listed_file_is_accounted_for(bad_run):
    """Nothing vanishes: each entry of the raw folder is loaded, quarantined, or (deleted or
    growing during the run) left for the next run."""
    raw, wh = bad_run["raw"], bad_run["wh"]
    entries = {p.relative_to(raw).as_posix() for p in raw.rglob("*") if not p.name.startswith(".")}
    entries |= {"vanishing.txt"}  # hidden files (.gitattributes) are skipped by design
    entries -= {"folder.txt"}  # the folder is quarantined under its own name; its file is loaded
    loaded = {r[0] for r in q(wh, "select source_path from sources")}
    quarantined = {r[0] for r in q(wh, "select source_path from quarantine")}
    left = {"vanishing.txt", "growing.txt", "changed_content.txt"} - loaded
    assert entries - loaded - quarantined - left == set()
    assert loaded == set(bi.LOADED) | set(SEEDS) | {"changed_content.txt"}


# --- the same kinds, one at a time, where a second run or a setting matters --------------------

def test_a_file_still_being_written_is_taken_by_the_next_run_whole(tmp_path):
    raw = seed_raw(tmp_path / "raw")
    (raw / "growing.txt").write_text(bi.article(122), encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    s = run(Settings.resolve(raw, wh), stage=meddle_after_listing(raw))
    assert (s.status, s.articles_loaded, s.files_quarantined) == ("success", 2, 0)
    assert q(wh, "select count(*) from manifest where file_path = 'growing.txt'") == [(0,)]
    s = run(Settings.resolve(raw, wh))
    assert (s.files_new, s.articles_loaded) == (1, 1)
    body = q(wh, "select a.body from sources s join articles a using (doc_id) where s.source_path = 'growing.txt'")
    assert body[0][0].endswith("Các chi bộ đã tổ chức sinh hoạt chuyên đề.")


def test_changed_content_under_the_same_name_replaces_its_facts(tmp_path):
    raw = seed_raw(tmp_path / "raw")
    f = raw / "changed_content.txt"
    f.write_text(bi.article(115), encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    run(Settings.resolve(raw, wh))
    f.write_text(bi.article(116), encoding="utf-8")
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))  # a later mtime, as a real edit has
    s = run(Settings.resolve(raw, wh))
    assert (s.status, s.files_changed, s.articles_loaded) == ("success", 1, 1)
    values = q(wh, """select m.value from sources s join metrics m using (doc_id)
                      where s.source_path = 'changed_content.txt'""")
    assert values == [(116.0,)]
    assert q(wh, "select count(*) from metrics where value = 115") == [(0,)]
    assert q(wh, "select count(*) from articles")[0][0] == 3


def test_size_limit_is_a_setting_and_a_large_file_is_never_read(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(bi.article(130), encoding="utf-8")  # 441 bytes
    files, _ = discover(tmp_path)
    reads = []
    real = ingest._read_fd
    monkeypatch.setattr(ingest, "_read_fd", lambda fd, size: reads.append(size) or real(fd, size))
    monkeypatch.setenv(ENV_MAX_FILE_MB, str(400 / 1048576))  # 400 bytes
    b = read_batch(tmp_path, files)
    assert reads == []
    assert b.quarantine.select("reason", "detail").rows() == [
        ("too_large", "441 bytes; the limit is 400 bytes (PARTY_WAREHOUSE_MAX_FILE_MB): split it, or raise "
                      "the limit and touch the file")]
    assert b.files.select("file_path", "status").rows() == [("a.txt", "quarantined")]
    monkeypatch.setenv(ENV_MAX_FILE_MB, "1")
    assert read_batch(tmp_path, files).items.height == 1 and reads == [441]


def test_minimum_age_leaves_a_fresh_file_for_the_next_run(tmp_path, monkeypatch):
    (tmp_path / "fresh.txt").write_text(bi.article(131), encoding="utf-8")
    files, _ = discover(tmp_path)
    monkeypatch.setenv(ENV_MIN_FILE_AGE, "3600")
    b = read_batch(tmp_path, files)
    assert b.skipped.select("file_path", "reason").rows() == [("fresh.txt", "changing")]
    assert (b.items.height, b.quarantine.height, b.files.height) == (0, 0, 0)
    old = (tmp_path / "fresh.txt").stat().st_mtime_ns - 7200 * 10**9
    os.utime(tmp_path / "fresh.txt", ns=(old, old))
    files, _ = discover(tmp_path)
    assert read_batch(tmp_path, files).items.height == 1


def test_a_fifo_that_replaced_a_listed_file_does_not_hang_the_read(tmp_path):
    (tmp_path / "x.txt").write_text(bi.article(132), encoding="utf-8")
    files, _ = discover(tmp_path)
    (tmp_path / "x.txt").unlink()
    os.mkfifo(tmp_path / "x.txt")
    b = read_batch(tmp_path, files)  # a blocking open would wait here for a writer forever
    assert b.skipped.select("file_path", "reason").rows() == [("x.txt", "changing")]
    assert b.files.height == 0 and b.quarantine.height == 0


def test_committed_fixtures_are_what_the_builder_makes():
    want = bi.committed_files()
    got = {p.relative_to(bi.FIXTURES).as_posix(): p.read_bytes()
           for p in bi.FIXTURES.rglob("*") if p.is_file() and not p.is_symlink() and p.name != ".gitattributes"}
    assert got == want
    assert (bi.FIXTURES / ".gitattributes").read_text() == bi.GITATTRIBUTES
    links = {p.name: os.readlink(p) for p in bi.FIXTURES.iterdir() if p.is_symlink()}
    assert links == bi.COMMITTED_LINKS
