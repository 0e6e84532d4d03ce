"""The whole run without Prefect (the same stages the flow wraps), on copies of raw/."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows.pipeline import run
from flows.settings import Settings
from flows.warehouse import RunLocked, WarehousePaths, run_lock

from .conftest import SHARED, need
from .test_news_precision import check_news_precision, feed_ids

TABLES = ("articles", "metrics", "people", "documents_cited", "quarantine", "sources", "manifest")


def go(raw: Path, wh: Path, **kw):
    return run(Settings.resolve(raw, wh, **kw))


def q(wh: Path, sql: str, params=None):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def checksum(wh: Path, table: str) -> str:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        cols = [r[0] for r in con.execute(f"describe {table}").fetchall()
                if r[0] not in ("run_id", "seen_at", "first_seen", "last_seen")]
        rows = con.execute(f"select {', '.join(cols)} from {table} order by all").fetchall()
    finally:
        con.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def contract_columns() -> dict[str, list[str]]:
    """Tables and columns that ../shared/spec/FACTS.md names."""
    text = need(SHARED / "spec" / "FACTS.md").read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for name, block in re.findall(r"### `(\w+)`[^\n]*\n((?:\|[^\n]*\n)+)", text):
        out[name] = re.findall(r"^\| (\w+(?:, \w+)?) \|", block, re.M)  # the first table only
    out = {k: [c for cell in v for c in cell.split(", ") if c != "column"] for k, v in out.items()}
    ops = re.findall(r"`(quarantine|runs)\(([^)]*)\)`", text.replace("\n  ", " "))
    for name, cols in ops:
        out[name] = [c.strip() for c in cols.split(",")]
    views = {
        "metric_series": re.search(r"`metric_series`:.*?`(metric, .*?)`", text, re.S).group(1),
        "metric_period_over_period": "yoy_period_label, yoy_value, yoy_change, yoy_pct_change, "
                                     "prev_period_label, prev_value, prev_change, prev_pct_change",
    }
    for name, cols in views.items():
        out[name] = [c.strip() for c in cols.replace("\n", " ").split(",")]
    return out


@pytest.fixture
def first_run(raw_copy, tmp_path):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    summary = go(raw_copy, wh)
    return raw_copy, wh, summary


def test_first_run_fills_every_table_of_the_contract(first_run):
    raw, wh, s = first_run
    assert s.status == "success"
    assert (s.files_seen, s.files_new, s.files_changed, s.files_unchanged) == (5, 5, 0, 0)
    assert s.articles_loaded == 5 and s.files_quarantined == 0
    contract = contract_columns()
    assert set(contract) >= {"articles", "metrics", "people", "documents_cited", "quarantine", "runs",
                             "metric_series", "metric_period_over_period"}
    for table, cols in contract.items():
        have = [r[0] for r in q(wh, f"describe {table}")]
        assert set(cols) <= set(have), (table, set(cols) - set(have))
    assert q(wh, "select count(*) from articles")[0][0] == 5
    for table in ("metrics", "people", "documents_cited", "metric_series", "metric_period_over_period"):
        assert q(wh, f"select count(*) from {table}")[0][0] > 0, table
    assert q(wh, "select status, files_seen, articles_loaded from runs") == [("success", 5, 5)]
    assert q(wh, "select count(*) from quarantine")[0][0] == 0
    # provenance: every fact's sentence stands at its span in the body
    bad = q(wh, """select count(*) from metrics m join articles a using (doc_id)
                   where substr(a.body, m.char_start + 1, m.char_end - m.char_start) <> m.sentence""")
    assert bad == [(0,)]


def test_second_run_changes_nothing(first_run):
    raw, wh, _ = first_run
    before = {t: checksum(wh, t) for t in TABLES}
    s = go(raw, wh)
    assert (s.files_seen, s.files_new, s.files_changed, s.files_unchanged) == (5, 0, 0, 5)
    assert (s.articles_loaded, s.metrics_loaded, s.files_quarantined) == (0, 0, 0)
    assert {t: checksum(wh, t) for t in TABLES} == before
    assert q(wh, "select count(*), count(distinct run_id) from runs") == [(2, 2)]


def test_changed_file_replaces_its_facts(first_run):
    raw, wh, _ = first_run
    f = raw / "003_0b702cc1b90c7b1a.txt"
    old_id = hashlib.sha256(f.read_bytes()).hexdigest()
    text = f.read_text(encoding="utf-8").replace("2.658 đảng viên mới", "2.700 đảng viên mới")
    f.write_text(text, encoding="utf-8")
    s = go(raw, wh)
    assert (s.files_changed, s.files_unchanged, s.articles_loaded) == (1, 4, 1)
    new_id = hashlib.sha256(f.read_bytes()).hexdigest()
    assert q(wh, "select count(*) from articles where doc_id = ?", [old_id]) == [(0,)]
    for table in ("metrics", "people", "documents_cited"):
        assert q(wh, f"select count(*) from {table} where doc_id = ?", [old_id]) == [(0,)]
    assert q(wh, "select count(*) from articles")[0][0] == 5
    values = [r[0] for r in q(wh, "select value from metrics where doc_id = ? and metric = 'party_members_admitted'",
                              [new_id])]
    assert values == [2700.0]


def test_same_bytes_under_two_names_is_one_article_with_both_paths(first_run):
    raw, wh, _ = first_run
    (raw / "again").mkdir()
    (raw / "again" / "copy.txt").write_bytes((raw / "000_31de0f0f34ce37d1.txt").read_bytes())
    go(raw, wh)
    assert q(wh, "select count(*) from articles")[0][0] == 5
    assert q(wh, "select count(*) from sources")[0][0] == 6
    assert q(wh, "select count(distinct doc_id) from sources where source_path in "
                 "('again/copy.txt', '000_31de0f0f34ce37d1.txt')") == [(1,)]


def test_removed_file_keeps_its_facts(first_run):
    raw, wh, _ = first_run
    (raw / "000_31de0f0f34ce37d1.txt").unlink()
    s = go(raw, wh)
    assert s.files_seen == 4
    assert q(wh, "select count(*) from articles")[0][0] == 5


def test_bad_input_is_quarantined_once_and_the_run_succeeds(first_run):
    raw, wh, _ = first_run
    (raw / "empty.txt").write_bytes(b"")
    (raw / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    s = go(raw, wh)
    assert s.status == "success" and s.files_quarantined == 2
    assert q(wh, "select source_path, reason from quarantine order by 1") == [
        ("empty.txt", "empty"), ("image.txt", "binary")]
    s = go(raw, wh)
    assert s.files_quarantined == 0
    assert q(wh, "select count(*) from quarantine")[0][0] == 2


def test_a_second_run_while_one_holds_the_lock_exits(first_run):
    raw, wh, _ = first_run
    with run_lock(WarehousePaths(wh)):
        with pytest.raises(RunLocked, match="another run is writing"):
            go(raw, wh)


def test_publish_keeps_previous_and_reader_keeps_its_snapshot(first_run, tmp_path):
    raw, wh, _ = first_run
    # A reader in another process opens the published file and holds it during the next run.
    script = tmp_path / "reader.py"
    script.write_text(textwrap.dedent(f"""
        import duckdb, sys
        con = duckdb.connect({str(wh)!r}, read_only=True)
        print(con.execute("select count(*) from articles").fetchone()[0], flush=True)
        sys.stdin.readline()
        print(con.execute("select count(*) from articles").fetchone()[0], flush=True)
    """))
    reader = subprocess.Popen([sys.executable, str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert reader.stdout.readline().strip() == "5"
        (raw / "new.txt").write_text("Hội nghị sơ kết công tác xây dựng Đảng\n\nSáng 2-8-2019, "
                                     "Đảng bộ huyện kết nạp 12 đảng viên mới.", encoding="utf-8")
        s = go(raw, wh)
        assert s.status == "success" and s.articles_loaded == 1
        out, _ = reader.communicate("go\n", timeout=60)
        assert out.strip() == "5"  # the old snapshot
    finally:
        reader.kill()
    assert q(wh, "select count(*) from articles")[0][0] == 6  # a new connection: the new data
    assert WarehousePaths(wh).previous.exists()
    assert q(WarehousePaths(wh).previous, "select count(*) from articles")[0][0] == 5


def test_new_rules_reextract_stored_articles(first_run, monkeypatch):
    raw, wh, _ = first_run
    import flows.pipeline as pipeline
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "rules-of-tomorrow")
    s = go(raw, wh)
    assert (s.files_changed, s.files_unchanged, s.articles_loaded) == (5, 0, 5)
    assert q(wh, "select distinct extractor_version from articles") == [("rules-of-tomorrow",)]
    assert q(wh, "select distinct extractor_version from manifest") == [("rules-of-tomorrow",)]
    s = go(raw, wh)
    assert (s.files_unchanged, s.articles_loaded) == (5, 0)


def test_jsonl_articles_load_with_their_fields(tmp_path):
    import json
    raw = tmp_path / "raw"
    raw.mkdir()
    seed = (SHARED / "seeds" / "003_0b702cc1b90c7b1a.txt")
    text = need(seed).read_text(encoding="utf-8")
    lines = [json.dumps({"text": text, "url": "https://baolangson.vn/a", "title": "Tiêu đề JSON",
                         "published_at": "2015-02-11 08:00"}, ensure_ascii=False), "{broken"]
    (raw / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    wh = tmp_path / "w.duckdb"
    s = go(raw, wh)
    assert (s.articles_loaded, s.files_quarantined) == (1, 1)
    assert q(wh, "select source_path, url, title, cast(published_at as varchar) from articles") == [
        ("feed.jsonl#1", "https://baolangson.vn/a", "Tiêu đề JSON", "2015-02-11 08:00:00")]
    assert q(wh, "select value from metrics where metric = 'party_members_admitted'") == [(2658.0,)]
    assert q(wh, "select source_path, reason from quarantine") == [("feed.jsonl#2", "bad_json")]


@pytest.mark.slow
def test_every_corpus_file_loads_without_failing_the_run(tmp_path):
    corpus = need(SHARED / "corpus")
    wh = tmp_path / "corpus.duckdb"
    s = run(Settings.resolve(corpus, wh, batch_size=1000))
    assert s.status == "success"
    texts, feeds = list(corpus.rglob("*.txt")), list(corpus.rglob("*.jsonl"))  # news/: two feeds of 34 MB
    assert s.files_seen == len(texts) + len(feeds)
    n_inputs = len(texts) + sum(1 for f in feeds for x in f.read_bytes().split(b"\n") if x.strip())
    # every file and feed line is an article's source or quarantined (the feeds are over the file
    # size limit: it is per line for a feed)
    assert q(wh, "select (select count(*) from sources) + (select count(*) from quarantine "
                 "where reason <> 'unsupported_type')") == [(n_inputs,)]
    assert q(wh, "select count(*) from quarantine where reason = 'too_large'") == [(0,)]
    assert q(wh, "select count(*) from quarantine where reason = 'extract_error'") == [(0,)]
    genre_on = q(wh, "select avg(on_topic::int) from articles a join sources s using (doc_id) "
                     "where s.source_path like 'genre/%'")[0][0]
    assert genre_on > 0.9
    # every canonical metric kept from the real news has been read by hand, and 90% are right
    ids = feed_ids(corpus / "news")
    kept = pl.DataFrame(q(wh, "select s.source_path, m.metric, m.value from metrics m join sources s using (doc_id) "
                              "where s.source_path like 'news/%' and m.metric is not null"),
                        schema=["source_path", "metric", "value"], orient="row")
    check_news_precision(kept.select(pl.col("source_path").replace_strict(ids).alias("id"), "metric", "value"))


def test_a_failed_data_check_stops_the_publish_and_keeps_the_previous_warehouse(first_run, monkeypatch):
    raw, wh, _ = first_run
    before = {t: checksum(wh, t) for t in TABLES}
    import flows.pipeline as pipeline
    real = pipeline.extract_items

    def buggy(items):  # an extractor bug: a % of plan no text can give
        out = real(items)
        out["metrics"] = out["metrics"].with_columns(pct_of_plan=pl.lit(5000.0))
        return out

    monkeypatch.setattr(pipeline, "extract_items", buggy)
    (raw / "new.txt").write_text("Hội nghị sơ kết công tác xây dựng Đảng\n\nSáng 2-8-2019, huyện Diễn Châu "
                                 "kết nạp 12 đảng viên mới, đạt 80% kế hoạch.", encoding="utf-8")
    from flows.checks import DataCheckError
    with pytest.raises(DataCheckError, match="017_metrics_pct_of_plan_range") as err:
        go(raw, wh)
    assert "5000.0" in str(err.value)  # names the check and example rows
    assert {t: checksum(wh, t) for t in TABLES} == before  # the published warehouse is untouched
    monkeypatch.setattr(pipeline, "extract_items", real)
    s = go(raw, wh)  # the bug fixed: the next run loads the new file, nothing of the failed run
    assert (s.status, s.files_new, s.articles_loaded) == ("success", 1, 1)
    assert q(wh, "select count(*) from metrics where pct_of_plan = 5000") == [(0,)]
    assert [r[0] for r in q(wh, "select status from runs order by started_at")] == ["success", "failed", "success"]
