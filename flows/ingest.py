"""Discover input files, compare them with the manifest, read and decode them.

Plain functions over Polars frames; the flow calls them once per run (discover, plan) and
once per batch (read_batch).
"""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .settings import MAX_FILE_BYTES

ARTICLE_EXTENSIONS = {".txt": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}

FILES_SCHEMA = {"file_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "kind": pl.String}
PROBLEMS_SCHEMA = {"source_path": pl.String, "reason": pl.String, "detail": pl.String}


def discover(raw_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every article file below raw_dir (path relative to raw_dir, size, mtime, kind), and the
    entries that cannot be inputs (with a reason). Hidden files and folders are skipped."""
    raw_dir = Path(raw_dir)
    files: list[tuple[str, int, int, str]] = []
    problems: list[tuple[str, str, str]] = []
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    root = raw_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(raw_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for d in dirnames:
            suffix = Path(d).suffix.lower()
            if suffix in ARTICLE_EXTENSIONS:
                rel = Path(dirpath, d).relative_to(raw_dir).as_posix()
                problems.append((rel, "not_a_file", f"{rel} is a directory named like an article file; its contents are read as usual"))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath, name)
            rel = path.relative_to(raw_dir).as_posix()
            kind = ARTICLE_EXTENSIONS.get(path.suffix.lower())
            if kind is None:
                problems.append((rel, "unsupported_type", "only .txt, .jsonl, .html and .htm files are read; rename or convert it"))
                continue
            try:
                if path.is_symlink():
                    target = path.resolve(strict=True)
                    if not target.is_relative_to(root):
                        problems.append((rel, "symlink_outside_raw", f"links to {target}, outside the raw folder; copy the file in instead"))
                        continue
                st = path.stat()
            except FileNotFoundError:
                problems.append((rel, "broken_symlink", "the link points to nothing; fix or remove it"))
                continue
            except (RuntimeError, OSError) as exc:
                problems.append((rel, "unreadable", f"{type(exc).__name__}: {exc}"))
                continue
            if not path.is_file():
                problems.append((rel, "not_a_file", "not a regular file"))
                continue
            files.append((rel, st.st_size, st.st_mtime_ns, kind))
    return (pl.DataFrame(files, schema=FILES_SCHEMA, orient="row"),
            pl.DataFrame(problems, schema=PROBLEMS_SCHEMA, orient="row"))


def plan(files: pl.DataFrame, manifest: pl.DataFrame, extractor_version: str) -> pl.DataFrame:
    """files + a `state` column: 'new', 'changed' (size, mtime or extraction rules differ),
    or 'unchanged'. manifest has file_path, size, mtime_ns, status, extractor_version."""
    m = manifest.select(
        "file_path",
        pl.col("size").alias("m_size"),
        pl.col("mtime_ns").alias("m_mtime_ns"),
        pl.col("status").alias("m_status"),
        pl.col("extractor_version").alias("m_version"),
        pl.col("sha256").alias("m_sha256"),
    )
    joined = files.join(m, on="file_path", how="left")
    same_stat = (pl.col("size") == pl.col("m_size")) & (pl.col("mtime_ns") == pl.col("m_mtime_ns"))
    current = (pl.col("m_status") == "quarantined") | (pl.col("m_version") == extractor_version)
    state = (
        pl.when(pl.col("m_size").is_null()).then(pl.lit("new"))
        .when(same_stat & current).then(pl.lit("unchanged"))
        .otherwise(pl.lit("changed"))
    )
    return joined.with_columns(state=state).drop("m_size", "m_mtime_ns", "m_status", "m_version")


@dataclass
class Batch:
    """What read_batch made of a batch of files."""
    items: pl.DataFrame  # one row per article: source_path, file_path, doc_id, text, url, title, published
    quarantine: pl.DataFrame  # source_path, file_path, doc_id, reason, detail
    files: pl.DataFrame  # one row per file read: file_path, size, mtime_ns, sha256, status
    skipped: list[str] = field(default_factory=list)  # files that vanished or changed while read

ITEMS_SCHEMA = {"source_path": pl.String, "file_path": pl.String, "doc_id": pl.String, "text": pl.String,
                "url": pl.String, "title": pl.String, "published": pl.String}
QUARANTINE_SCHEMA = {"source_path": pl.String, "file_path": pl.String, "doc_id": pl.String,
                     "reason": pl.String, "detail": pl.String}
READ_FILES_SCHEMA = {"file_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.String,
                     "status": pl.String}

# JSONL field names accepted, first present wins (documented in README "Input formats").
JSONL_TEXT_FIELDS = ("text", "body", "content", "article")
JSONL_URL_FIELDS = ("url", "link", "canonical_url")
JSONL_TITLE_FIELDS = ("title", "headline")
JSONL_DATE_FIELDS = ("published_at", "published", "date", "publish_date")


class DecodeError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


def decode_bytes(data: bytes) -> str:
    """UTF-8, UTF-8 with BOM, UTF-16 with BOM; anything else raises DecodeError."""
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8):], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        if b"\x00" in data:
            raise DecodeError("binary", "contains NUL bytes: not a text file (an image or a document "
                              "saved as .txt?); save the article text as UTF-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError("undecodable", f"not valid {encoding.upper()} at byte {exc.start}; "
                          "save the file as UTF-8") from None
    if "\x00" in text:
        raise DecodeError("binary", "contains NUL bytes: not a text file")
    if not text.strip():
        raise DecodeError("empty", "the file holds no text")
    return text


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_batch(raw_dir: Path, files: pl.DataFrame) -> Batch:
    """Read and decode each file of the batch. Bad input goes to quarantine, never raises."""
    items: list[tuple] = []
    quarantined: list[tuple] = []
    read: list[tuple] = []
    skipped: list[str] = []
    for rel, size, mtime_ns, kind in files.select("file_path", "size", "mtime_ns", "kind").iter_rows():
        path = Path(raw_dir, rel)
        try:
            st = path.stat()
            if st.st_size > MAX_FILE_BYTES:
                quarantined.append((rel, rel, None, "too_large", f"{st.st_size} bytes; the limit is {MAX_FILE_BYTES}: split it"))
                read.append((rel, st.st_size, st.st_mtime_ns, None, "quarantined"))
                continue
            data = path.read_bytes()
        except FileNotFoundError:
            skipped.append(rel)  # deleted since listing: it is simply not there any more
            continue
        except OSError as exc:
            quarantined.append((rel, rel, None, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"))
            read.append((rel, size, mtime_ns, None, "quarantined"))
            continue
        file_sha = sha256_hex(data)
        n_items, n_quarantined = len(items), len(quarantined)
        if kind == "jsonl":
            _read_jsonl(rel, data, items, quarantined)
        else:
            try:
                if kind == "html" or looks_like_html(data):
                    items.append((rel, rel, file_sha, *read_html(data)))
                else:
                    items.append((rel, rel, file_sha, decode_bytes(data), None, None, None))
            except DecodeError as exc:
                quarantined.append((rel, rel, file_sha, exc.reason, exc.detail))
        has_items, has_bad = len(items) > n_items, len(quarantined) > n_quarantined
        if not has_items and not has_bad:
            quarantined.append((rel, rel, file_sha, "empty", "the file holds no article"))
            has_bad = True
        status = "partial" if has_items and has_bad else ("loaded" if has_items else "quarantined")
        read.append((rel, st.st_size, st.st_mtime_ns, file_sha, status))
    return Batch(
        items=pl.DataFrame(items, schema=ITEMS_SCHEMA, orient="row"),
        quarantine=pl.DataFrame(quarantined, schema=QUARANTINE_SCHEMA, orient="row"),
        files=pl.DataFrame(read, schema=READ_FILES_SCHEMA, orient="row"),
        skipped=skipped,
    )


_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>])", re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    """A saved web page, whatever its name (an HTML page saved as .txt)."""
    return bool(_HTML_START.match(data[:512]))


def read_html(data: bytes) -> tuple[str, str | None, str | None, str | None]:
    """(text, url, title, published) of a saved news page: its main text, headline, canonical
    link and date, found by trafilatura (a library made for news pages; works offline). The
    page's own charset is honoured. Raises DecodeError when the page holds no article text."""
    import trafilatura  # imported here: it is only needed when there is HTML to read

    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                      include_tables=True, favor_recall=True)
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        raise DecodeError("no_text", "no article text found in the HTML page (a list of links, a "
                          "script-only page?); save the article text as .txt")
    title = doc.title or None
    if title and not text.lstrip().startswith(title.strip()):
        text = f"{title}\n{text}"  # the headline opens the body, as in a .txt article
    return text, doc.url or None, title, doc.date or None


def _first(record: dict, names: tuple[str, ...]) -> str | None:
    for n in names:
        v = record.get(n)
        if isinstance(v, str) and v.strip():
            return v
    return None


def _read_jsonl(rel: str, data: bytes, items: list, quarantined: list) -> None:
    for lineno, raw_line in enumerate(data.splitlines(), start=1):
        if not raw_line.strip():
            continue
        source = f"{rel}#{lineno}"
        line_sha = sha256_hex(raw_line)
        try:
            record = json.loads(decode_bytes(raw_line))
        except DecodeError as exc:
            quarantined.append((source, rel, line_sha, exc.reason, exc.detail))
            continue
        except json.JSONDecodeError as exc:
            quarantined.append((source, rel, line_sha, "bad_json", f"line {lineno}: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(record, dict):
            quarantined.append((source, rel, line_sha, "bad_json", f"line {lineno}: not a JSON object"))
            continue
        text = _first(record, JSONL_TEXT_FIELDS)
        if text is None:
            quarantined.append((source, rel, line_sha, "no_text",
                                f"line {lineno}: none of the fields {', '.join(JSONL_TEXT_FIELDS)} holds text"))
            continue
        items.append((source, rel, line_sha, text, _first(record, JSONL_URL_FIELDS),
                      _first(record, JSONL_TITLE_FIELDS), _first(record, JSONL_DATE_FIELDS)))
