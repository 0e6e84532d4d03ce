"""Discover, plan and read: the first stages, on files a test makes."""
from __future__ import annotations

import codecs
import json
import os
from pathlib import Path

import polars as pl
import pytest

from flows.ingest import DecodeError, decode_bytes, discover, plan, read_batch, sha256_hex

TEXT = "Giao ban công tác tổ chức xây dựng đảng Cụm 1\n\nSáng 6/6, tại Nghi Lộc, kết nạp 746 đảng viên mới."


def write(root: Path, rel: str, data: bytes) -> Path:
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"),
    codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
])
def test_decode_accepts_utf8_and_utf16_with_bom(data):
    assert decode_bytes(data) == TEXT


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"  \n\t \n", "empty"),
    (TEXT.encode("cp1258", errors="replace"), "undecodable"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"abc\x00def", "binary"),
])
def test_decode_rejects_with_a_reason(data, reason):
    with pytest.raises(DecodeError) as err:
        decode_bytes(data)
    assert err.value.reason == reason
    assert err.value.detail


def test_discover_lists_article_files_and_names_problems(tmp_path):
    write(tmp_path, "a.txt", b"x")
    write(tmp_path, "sub/b.TXT", b"y")
    write(tmp_path, "feed.jsonl", b"{}")
    write(tmp_path, "page.html", b"<p>")
    write(tmp_path, "notes.md", b"z")
    write(tmp_path, ".hidden.txt", b"h")
    (tmp_path / "dir.txt").mkdir()
    os.symlink(tmp_path / "missing.txt", tmp_path / "broken.txt")
    os.symlink("/etc/hostname", tmp_path / "outside.txt")
    os.symlink(tmp_path / "a.txt", tmp_path / "inside.txt")
    files, problems = discover(tmp_path)
    assert files.sort("file_path")["file_path"].to_list() == [
        "a.txt", "feed.jsonl", "inside.txt", "page.html", "sub/b.TXT"]
    assert dict(zip(files["file_path"], files["kind"]))["feed.jsonl"] == "jsonl"
    assert dict(problems.select("source_path", "reason").iter_rows()) == {
        "broken.txt": "broken_symlink", "dir.txt": "not_a_file", "notes.md": "unsupported_type",
        "outside.txt": "symlink_outside_raw"}


def test_discover_missing_folder_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        discover(tmp_path / "nope")


def test_plan_marks_new_changed_unchanged_and_stale_rules():
    files = pl.DataFrame({"file_path": ["new.txt", "same.txt", "touched.txt", "old_rules.txt", "bad.txt"],
                          "size": [1, 2, 3, 4, 5], "mtime_ns": [10, 20, 31, 40, 50], "kind": ["txt"] * 5})
    manifest = pl.DataFrame({"file_path": ["same.txt", "touched.txt", "old_rules.txt", "bad.txt"],
                             "size": [2, 3, 4, 5], "mtime_ns": [20, 30, 40, 50],
                             "sha256": ["a", "b", "c", None],
                             "status": ["loaded", "loaded", "loaded", "quarantined"],
                             "extractor_version": ["v2", "v2", "v1", "v1"]})
    out = plan(files, manifest, "v2")
    assert dict(zip(out["file_path"], out["state"])) == {
        "new.txt": "new", "same.txt": "unchanged", "touched.txt": "changed",
        "old_rules.txt": "changed", "bad.txt": "unchanged"}


def _batch(root: Path):
    files, _ = discover(root)
    return read_batch(root, files)


def test_read_batch_items_and_quarantine(tmp_path):
    write(tmp_path, "good.txt", TEXT.encode())
    write(tmp_path, "copy.txt", TEXT.encode())
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "latin.txt", "Tỉnh ủy".encode("cp1258", errors="replace") + b"\xff")
    b = _batch(tmp_path)
    assert sorted(b.items["source_path"]) == ["copy.txt", "good.txt"]
    assert b.items["doc_id"].unique().to_list() == [sha256_hex(TEXT.encode())]
    q = dict(b.quarantine.select("source_path", "reason").iter_rows())
    assert q == {"empty.txt": "empty", "latin.txt": "undecodable"}
    assert dict(b.files.select("file_path", "status").iter_rows()) == {
        "copy.txt": "loaded", "good.txt": "loaded", "empty.txt": "quarantined", "latin.txt": "quarantined"}


def test_read_batch_jsonl_one_article_per_line_bad_line_alone(tmp_path):
    lines = [
        json.dumps({"text": TEXT, "url": "https://baonghean.vn/a", "title": "T", "published_at": "2013-06-06"},
                   ensure_ascii=False),
        "{not json",
        json.dumps({"url": "x"}),
        "",
        json.dumps({"body": "Bài thứ hai về kết nạp đảng viên."}, ensure_ascii=False),
    ]
    raw = "\n".join(lines).encode()
    write(tmp_path, "feed.jsonl", raw)
    b = _batch(tmp_path)
    items = {r["source_path"]: r for r in b.items.iter_rows(named=True)}
    assert sorted(items) == ["feed.jsonl#1", "feed.jsonl#5"]
    first = items["feed.jsonl#1"]
    assert (first["url"], first["title"], first["published"]) == ("https://baonghean.vn/a", "T", "2013-06-06")
    assert first["doc_id"] == sha256_hex(raw.split(b"\n")[0])
    assert dict(b.quarantine.select("source_path", "reason").iter_rows()) == {
        "feed.jsonl#2": "bad_json", "feed.jsonl#3": "no_text"}
    assert b.files["status"].to_list() == ["partial"]


def test_read_batch_file_deleted_after_listing_is_skipped(tmp_path):
    write(tmp_path, "gone.txt", TEXT.encode())
    files, _ = discover(tmp_path)
    (tmp_path / "gone.txt").unlink()
    b = read_batch(tmp_path, files)
    assert b.skipped == ["gone.txt"] and b.items.height == 0 and b.files.height == 0


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Giao ban công tác xây dựng đảng Cụm 1 - Báo Nghệ An</title>
<link rel="canonical" href="https://baonghean.vn/giao-ban-cum-1.html">
<meta property="article:published_time" content="2013-06-06T10:20:00+07:00"></head>
<body><nav>Mới nhất Tin nóng Media</nav><article><h1>Giao ban công tác tổ chức xây dựng đảng Cụm 1</h1>
<p>(Baonghean.vn) - Sáng 6/6, tại Nghi Lộc, Ban tổ chức Tỉnh ủy tổ chức giao ban công tác xây dựng đảng Cụm 1.</p>
<p>Tính đến hết tháng 5 năm 2013, toàn cụm đã kết nạp được 746 đảng viên mới (đạt 39% kế hoạch).</p>
</article><footer>Gửi bình luận của bạn</footer></body></html>"""


@pytest.mark.parametrize("name", ["page.html", "page.htm", "saved-as-text.txt"])
def test_read_batch_html_page_text_title_date_link(tmp_path, name):
    write(tmp_path, name, PAGE.encode("utf-8"))
    b = _batch(tmp_path)
    assert b.quarantine.height == 0
    item = b.items.row(0, named=True)
    assert item["title"] == "Giao ban công tác tổ chức xây dựng đảng Cụm 1"
    assert item["url"] == "https://baonghean.vn/giao-ban-cum-1.html"
    assert item["published"] == "2013-06-06"
    assert item["text"].startswith("Giao ban công tác tổ chức xây dựng đảng Cụm 1\n")
    assert "746 đảng viên mới" in item["text"] and "Tin nóng" not in item["text"]


def test_html_page_without_article_text_is_quarantined(tmp_path):
    write(tmp_path, "empty.html", b"<html><head><title>x</title></head><body><script>1</script></body></html>")
    b = _batch(tmp_path)
    assert dict(b.quarantine.select("source_path", "reason").iter_rows()) == {"empty.html": "no_text"}
