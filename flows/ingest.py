"""Discover input files, compare them with the manifest, read and decode them.

Plain functions over Polars frames; the flow calls them once per run (discover, plan) and
once per batch (read_batch).

Decoding (decode_text): UTF-8 and UTF-16 with a BOM; UTF-16 without one (told by where its NUL
bytes stand); UTF-8 that was once read as Windows-1252 and saved again ("Äáº£ng" for "Đảng"),
repaired; and the legacy Vietnamese encodings Windows-1258, TCVN3 (ABC) and VNI-Windows, each
tried and kept only when the result reads as Vietnamese: its words with marks are known
Vietnamese syllables (flows/data/encoding_syllables.tsv) and it holds no letter foreign to
Vietnamese. Anything else is quarantined with a reason (DecodeError).
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import json
import logging
import os
import re
import stat
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import polars as pl

from .datafiles import read_tsv
from .settings import max_file_bytes, min_file_age

log = logging.getLogger(__name__)

ARTICLE_EXTENSIONS = {".txt": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}

FILES_SCHEMA = {"file_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "kind": pl.String}
PROBLEMS_SCHEMA = {"source_path": pl.String, "reason": pl.String, "detail": pl.String}
_LOOP = "the link leads back to itself (a loop of links); fix or remove it"


def discover(raw_dir: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every article file below raw_dir (path relative to raw_dir, size, mtime, kind), and the
    entries that cannot be inputs (with a reason). Hidden files and folders are skipped (a writer
    can write ".name.part" and rename it when complete). Nothing is opened here: a named pipe
    or a device named x.txt is reported, never read."""
    raw_dir = Path(raw_dir)
    files: list[tuple[str, int, int, str]] = []
    problems: list[tuple[str, str, str]] = []
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    root = raw_dir.resolve()

    def scan(folder: str, prefix: str) -> None:
        """Files of `folder` (sorted), then its sub-folders, depth first. One lstat a plain file
        (os.scandir knows the entry's type); links take the careful path."""
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            problems.append((prefix.rstrip("/") or ".", "unreadable",
                             f"cannot list this folder ({exc.strerror}); its files are not read: make it readable"))
            return
        folders = []
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = prefix + name
            try:
                real_dir = entry.is_dir(follow_symlinks=False)
                link = entry.is_symlink()
                dir_link = link and entry.is_dir()
            except OSError:
                real_dir, link, dir_link = False, True, False
            if dir_link:  # a link to a folder is never followed
                problems.append((rel, "symlink_folder", "a link to a folder: folders are not read through links "
                                 "(it could loop or lead out of the raw folder); move or copy the folder in"))
                continue
            if real_dir:
                if os.path.splitext(name)[1].lower() in ARTICLE_EXTENSIONS:
                    problems.append((rel, "not_a_file", f"{rel} is a directory named like an article file; its "
                                     "contents are read as usual"))
                folders.append((entry.path, rel + "/"))
                continue
            kind = ARTICLE_EXTENSIONS.get(os.path.splitext(name)[1].lower())
            if kind is None:
                problems.append((rel, "unsupported_type", "only .txt, .jsonl, .html and .htm files are read; rename or convert it"))
                continue
            if link:
                found = _linked_file(Path(entry.path), rel, root, problems)
                if found is None:
                    continue
                st = found
            else:
                try:
                    st = entry.stat(follow_symlinks=False)  # never opens the file
                except FileNotFoundError:
                    continue  # deleted while the folder was listed: gone, nothing to read
                except OSError as exc:
                    problems.append((rel, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"))
                    continue
            if not stat.S_ISREG(st.st_mode):
                what = _FILE_TYPES.get(stat.S_IFMT(st.st_mode), "a special file")
                problems.append((rel, "not_a_file", f"{what}, not a regular file: it is not read; replace it with "
                                 "the article file"))
                continue
            files.append((rel, st.st_size, st.st_mtime_ns, kind))
        for path, rel in folders:
            scan(path, rel)

    scan(str(raw_dir), "")
    return (pl.DataFrame(files, schema=FILES_SCHEMA, orient="row"),
            pl.DataFrame(problems, schema=PROBLEMS_SCHEMA, orient="row"))


def _linked_file(path: Path, rel: str, root: Path, problems: list) -> os.stat_result | None:
    """The stat of the file a link points to, or None (and a problem noted) when the link is
    broken, loops, or leads out of the raw folder."""
    try:
        target = path.resolve(strict=True)
        if not target.is_relative_to(root):
            problems.append((rel, "symlink_outside_raw", f"links to {target}, outside the raw folder; copy the file in instead"))
            return None
        return path.stat()  # follows the link; never opens the file
    except FileNotFoundError:
        if path.is_symlink():
            problems.append((rel, "broken_symlink", f"the link points to {os.readlink(path)!r}, which does "
                             "not exist; fix or remove it"))
        return None  # else deleted while the folder was listed: gone, nothing to read
    except RuntimeError:  # Python 3.11 reports a loop of links this way
        problems.append((rel, "symlink_loop", _LOOP))
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.append((rel, "symlink_loop", _LOOP))
        else:
            problems.append((rel, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}"))
        return None


_FILE_TYPES = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
               stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device"}


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
    # A JSONL feed read whole under the same rules that is now larger may only have grown (lines
    # appended): split_feeds checks its first grown_from bytes against the manifest's hash.
    grown_from = (pl.when((pl.col("kind") == "jsonl") & (pl.col("m_status") != "quarantined")
                          & (pl.col("m_version") == extractor_version)
                          & (pl.col("m_size") > 0) & (pl.col("m_size") < pl.col("size")))
                  .then(pl.col("m_size")).otherwise(None).cast(pl.Int64))
    return joined.with_columns(state=state, grown_from=grown_from).drop(
        "m_size", "m_mtime_ns", "m_status", "m_version")


# --- JSONL feeds of any size ------------------------------------------------------------------

SEGMENT_BYTES = 64 << 20  # a feed segment ends at the first line end past this many bytes
FEED_SCHEMA = {"start": pl.Int64, "end": pl.Int64, "first_line": pl.Int64, "n_lines": pl.Int64,
               "prefix_sha256": pl.String}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Segment:
    start: int  # byte offset of its first line
    end: int  # byte offset after its last line (its line end included)
    first_line: int  # line number of its first line (1 = the file's first)
    n_lines: int
    prefix_sha256: str  # SHA-256 of the file's bytes [0, end): the manifest's sha256 once it is loaded


def feed_segments(fd: int, size: int, lines_per_segment: int, resume: tuple[int, str] | None = None,
                  segment_bytes: int = SEGMENT_BYTES) -> list[Segment]:
    """Cut the first `size` bytes of a JSONL file into segments of whole lines: at most
    lines_per_segment lines (a line ends with "\n"; the file's last one may lack it) or about
    segment_bytes bytes each, streaming (memory holds one chunk). With resume=(offset, sha256)
    of an earlier read: when the file's first `offset` bytes still hash to sha256 and end with a
    line end, the feed only grew, and the segments start at offset (its old lines are not read
    again); else it was rewritten and is cut from its first byte."""
    h, line_no, pos = hashlib.sha256(), 0, 0  # line_no: lines before pos
    if resume is not None:
        offset, old_sha = resume
        last = b""
        while pos < offset:
            chunk = os.pread(fd, min(_CHUNK, offset - pos), pos)
            if not chunk:
                break
            h.update(chunk)
            line_no += chunk.count(b"\n")
            pos += len(chunk)
            last = chunk[-1:]
        if not (pos == offset and last == b"\n" and h.hexdigest() == old_sha):
            h, line_no, pos = hashlib.sha256(), 0, 0  # rewritten, not grown: read it all
    segments: list[Segment] = []
    start, n_lines, last = pos, 0, b"\n"
    while pos < size:
        chunk = os.pread(fd, min(_CHUNK, size - pos), pos)
        if not chunk:
            break
        hashed = i = 0
        while (nl := chunk.find(b"\n", i)) >= 0:
            n_lines, i = n_lines + 1, nl + 1
            if n_lines >= lines_per_segment or pos + i - start >= segment_bytes:
                h.update(chunk[hashed:i])
                hashed = i
                segments.append(Segment(start, pos + i, line_no + 1, n_lines, h.hexdigest()))
                line_no, start, n_lines = line_no + n_lines, pos + i, 0
        h.update(chunk[hashed:])
        pos += len(chunk)
        last = chunk[-1:]
    if pos > start or not segments:  # the lines after the last cut (or an empty file)
        n_lines += pos > start and last != b"\n"  # a last line without its "\n"
        segments.append(Segment(start, pos, line_no + 1, n_lines, h.hexdigest()))
    return segments


def split_feeds(raw_dir: Path, todo: pl.DataFrame, lines_per_segment: int) -> pl.DataFrame:
    """The rows to read, with the columns of FEED_SCHEMA: a .txt or .html file is one row
    (start 0, end its size, first_line NULL, n_lines 1); a JSONL feed becomes one row per
    segment of at most lines_per_segment lines (feed_segments), so a feed of any size is read
    in batches of bounded memory, and a feed that only grew is read from its old end. A feed
    that cannot be opened or changed since listing stays one row: read_batch says why."""
    rows = []
    for row in todo.iter_rows(named=True):
        whole = {"start": 0, "end": row["size"], "first_line": None, "n_lines": 1, "prefix_sha256": None}
        if row["kind"] != "jsonl":
            rows.append(row | whole)
            continue
        try:
            fd = _open_file(Path(raw_dir, row["file_path"]))
        except OSError:
            rows.append(row | whole | {"first_line": 1})
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or (st.st_size, st.st_mtime_ns) != (row["size"], row["mtime_ns"]):
                rows.append(row | whole | {"first_line": 1})
                continue
            resume = ((row["grown_from"], row["m_sha256"]) if row.get("grown_from") and row.get("m_sha256")
                      else None)
            for seg in feed_segments(fd, row["size"], lines_per_segment, resume):
                rows.append(row | {"start": seg.start, "end": seg.end, "first_line": seg.first_line,
                                   "n_lines": max(seg.n_lines, 1), "prefix_sha256": seg.prefix_sha256})
        finally:
            os.close(fd)
    schema = dict(todo.schema) | FEED_SCHEMA
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


ITEMS_SCHEMA = {"source_path": pl.String, "file_path": pl.String, "doc_id": pl.String, "text": pl.String,
                "url": pl.String, "title": pl.String, "published": pl.String}
QUARANTINE_SCHEMA = {"source_path": pl.String, "file_path": pl.String, "doc_id": pl.String,
                     "reason": pl.String, "detail": pl.String}
# keep_lines: the lines of a JSONL feed kept from before (read from line keep_lines + 1: a feed that
# only grew, or a later segment of a large one); 0 when the whole file was read.
READ_FILES_SCHEMA = {"file_path": pl.String, "size": pl.Int64, "mtime_ns": pl.Int64, "sha256": pl.String,
                     "status": pl.String, "keep_lines": pl.Int64}
SKIPPED_SCHEMA = {"file_path": pl.String, "reason": pl.String, "detail": pl.String}
WARNINGS_SCHEMA = {"source_path": pl.String, "file_path": pl.String, "doc_id": pl.String, "kind": pl.String,
                   "detail": pl.String}


@dataclass
class Batch:
    """What read_batch made of a batch of files."""
    items: pl.DataFrame  # one row per article: source_path, file_path, doc_id, text, url, title, published
    quarantine: pl.DataFrame  # source_path, file_path, doc_id, reason, detail
    files: pl.DataFrame  # one row per file read: file_path, size, mtime_ns, sha256, status
    # Files left for the next run, not in `files` (so not in the manifest) nor in `quarantine`:
    # file_path, reason ('vanished': deleted since listing; 'changing': its size or mtime moved
    # since listing, or it is younger than the minimum age), detail.
    skipped: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=SKIPPED_SCHEMA))
    # Articles loaded, but not exactly as their bytes: source_path, file_path, doc_id, kind
    # ('replaced_bytes': a few damaged bytes read as U+FFFD), detail. They go to load_warnings.
    warnings: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=WARNINGS_SCHEMA))


# JSONL field names accepted, first present wins (documented in docs/running.md, "Input formats").
JSONL_TEXT_FIELDS = ("text", "body", "content", "article")
JSONL_URL_FIELDS = ("url", "link", "canonical_url")
JSONL_TITLE_FIELDS = ("title", "headline")
JSONL_DATE_FIELDS = ("published_at", "published", "date", "publish_date")


class DecodeError(ValueError):
    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # what the bytes were read as: "utf-8", "utf-16-le", "windows-1258", ...
    warning: str | None = None  # loaded, but not exactly: a few damaged bytes replaced (load_warnings)


# File formats that are not text, by their first bytes: named in the quarantine detail. The last
# ones start like ordinary words, so they count only with a NUL byte among the first 16.
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
          (b"GIF89a", "a GIF image"), (b"%PDF-", "a PDF document"),
          (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx document)"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
          (b"{\\rtf", "an RTF document"), (b"\x1f\x8b", "a gzip archive"))
_MAGIC_WITH_NUL = ((b"BM", "a BMP image"), (b"RIFF", "a RIFF file (a WebP image or WAV sound)"))
_SAVE_AS_UTF8 = "save the article text as UTF-8"
_WORD = re.compile(r"[^\W\d_]+")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")

# Thresholds of the "reads as Vietnamese" test. Measured on 80 articles of ../shared/corpus (the first
# 3,000 characters of each, written in Windows-1258, VNI and TCVN3 and read back in all three): the
# right reading has 0.99 to 1.0 of its words with marks in encoding_syllables.tsv, the best wrong one
# at most 0.30 (median 0.09).
MIN_KNOWN_SHARE = 0.6  # share of the words with marks that are known Vietnamese syllables
MAX_FOREIGN_SHARE = 0.02  # share of non-ASCII characters that are no Vietnamese letter (or stray marks)
MIN_REPAIR_GAIN = 0.2  # a mojibake repair must raise the known share by this much
MIN_MARKED_WORDS = 3  # fewer words with marks than this: too little to tell
# UTF-8 with fewer invalid byte sequences than this share of its bytes (two in 3,000 bytes; none
# below 1,001 bytes) is loaded with U+FFFD in their place and a warning row; more is quarantined.
MAX_DAMAGED_SHARE = 0.001


def decode_bytes(data: bytes) -> str:
    """The text of an input file's bytes (see decode_text); raises DecodeError."""
    return decode_text(data).text


def decode_text(data: bytes) -> Decoded:
    """Decode the bytes of an article. Raises DecodeError with reason 'empty', 'binary',
    'mojibake', 'unknown_encoding' or 'undecodable' and a detail a person can act on."""
    if not data.strip():
        raise DecodeError("empty", "the file holds no text (empty or only white space); remove it or save the "
                          "article in it")
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8):]
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            damaged = _damaged_utf8(body, exc.start)
            if damaged is None:
                raise DecodeError("undecodable", f"not valid UTF-8 at byte {exc.start} of {len(body)}; "
                                  f"{_SAVE_AS_UTF8}") from None
            return damaged
        return _repair_mojibake(_checked(text, "utf-8"))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(_strict(data, "utf-16"), "utf-16")
    kind = _magic(data)
    if kind:
        raise DecodeError("binary", f"{kind}, not text (a file renamed to .txt?); {_SAVE_AS_UTF8}")
    if b"\x00" in data:
        order = _utf16_order(data)
        if order is None:
            raise DecodeError("binary", f"contains NUL bytes: not a text file (an image or a document saved as "
                              f".txt?); {_SAVE_AS_UTF8}")
        return _checked(_strict(data, order), order)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _checked_legacy(data, exc.start)
    decoded = _checked(text, "utf-8")
    return _repair_mojibake(decoded)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError("undecodable", f"not valid {encoding.upper()} at byte {exc.start} of {len(data)}; "
                          f"{_SAVE_AS_UTF8}") from None


def _checked(text: str, encoding: str) -> Decoded:
    if not text.strip():
        raise DecodeError("empty", "the file holds no text (empty or only white space); remove it or save the "
                          "article in it")
    if _control_share(text) > 0.01:
        raise DecodeError("binary", f"decodes as {encoding.upper()} but is full of control characters: not a text "
                          f"file; {_SAVE_AS_UTF8}")
    return Decoded(text, encoding)


def _magic(data: bytes) -> str | None:
    for prefix, kind in _MAGIC:
        if data.startswith(prefix):
            return kind
    for prefix, kind in _MAGIC_WITH_NUL:
        if data.startswith(prefix) and b"\x00" in data[:16]:
            return kind
    return None


def _control_share(text: str) -> float:
    """Share of C0 control characters (but tabs and line ends). The C1 ones are left out: they are
    what Windows-1252's unassigned bytes become in mojibake, which is repaired, not binary."""
    sample = text[:200_000]
    bad = sum(1 for c in sample if (c < " " and c not in _ALLOWED_CONTROLS) or c == "\x7f")
    return bad / max(len(sample), 1)


def _utf16_order(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes stand where UTF-16 text without a BOM puts
    them (the high byte of every ASCII or Latin-1 character), else None."""
    sample = data[:65536]
    half = len(sample) // 2
    if half < 8:  # too short to tell
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 0.25 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.25 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


# --- reads as Vietnamese? ---------------------------------------------------------------------

@lru_cache(maxsize=None)
def _known_syllables() -> frozenset[str]:
    return frozenset(r["syllable"] for r in read_tsv("encoding_syllables.tsv"))


@lru_cache(maxsize=None)
def vietnamese_letters() -> frozenset[str]:
    """The letters of Vietnamese with their marks (NFC), both cases, as in encoding_vni.tsv."""
    return frozenset(r["char"] for r in read_tsv("encoding_vni.tsv")) | frozenset("đĐ")


@dataclass(frozen=True)
class Score:
    marked: int  # words with a non-ASCII character
    known: float  # share of those that are known Vietnamese syllables
    foreign: float  # share of non-ASCII characters that are no Vietnamese letter

    @property
    def n_known(self) -> int:
        return round(self.marked * self.known)

    @property
    def vietnamese(self) -> bool:
        return (self.marked >= MIN_MARKED_WORDS and self.known >= MIN_KNOWN_SHARE
                and self.foreign <= MAX_FOREIGN_SHARE)


def vietnamese_score(text: str) -> Score:
    """How much `text` reads as Vietnamese (see the thresholds above)."""
    text = unicodedata.normalize("NFC", text[:200_000])
    marked = [w for w in _WORD.findall(text.lower()) if not w.isascii()]
    syllables = _known_syllables()
    known = sum(1 for w in marked if w in syllables)
    letters = vietnamese_letters()
    non_ascii = foreign = 0
    for i, c in enumerate(text):
        if c < "\x80" or c.isspace():
            continue
        non_ascii += 1
        if c in letters:
            continue
        if c.isalpha() or unicodedata.category(c) == "Mn" or c < "\xa0":
            foreign += 1  # a letter Vietnamese does not use, a stray mark, a C1 control
        elif 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha():
            foreign += 1  # a symbol inside a word: "B¶o", "Ä‘áº£ng"
    return Score(len(marked), known / max(len(marked), 1), foreign / max(non_ascii, 1))


# --- legacy encodings -------------------------------------------------------------------------

def _windows_1252_sloppy() -> str:
    """Byte -> character of Windows-1252; its five unassigned bytes as the C1 controls (as Windows does)."""
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


_CP1252 = _windows_1252_sloppy()
_CP1252_BYTE = {c: b for b, c in enumerate(_CP1252)} | {chr(b): b for b in range(0x80, 0xA0)}


@lru_cache(maxsize=None)
def _tcvn3_table() -> dict[int, str]:
    table = {b: _CP1252[b] for b in range(256)}
    table.update({int(r["byte"], 16): r["char"] for r in read_tsv("encoding_tcvn3.tsv")})
    return table


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (ABC fonts): one byte a letter, by flows/data/encoding_tcvn3.tsv."""
    return data.decode("latin-1").translate(_tcvn3_table())


@lru_cache(maxsize=None)
def _vni_pattern() -> tuple[re.Pattern, dict[str, str]]:
    table = {r["vni"]: r["char"] for r in read_tsv("encoding_vni.tsv")}
    keys = sorted(table, key=len, reverse=True)  # "ôù" (ớ) before "ô" (ơ)
    return re.compile("|".join(map(re.escape, keys))), table


def decode_vni(data: bytes) -> str:
    """VNI-Windows: a base letter and a byte for its marks, by flows/data/encoding_vni.tsv."""
    pattern, table = _vni_pattern()
    text = "".join(_CP1252[b] for b in data) if not data.isascii() else data.decode("ascii")
    return pattern.sub(lambda m: table[m.group(0)], text)


def decode_cp1258(data: bytes) -> str:
    """Windows-1258: letters and tone marks as separate characters; NFC joins them (the cleaning
    stage normalises every text to NFC)."""
    return unicodedata.normalize("NFC", data.decode("cp1258"))


LEGACY_DECODERS = (("windows-1258", decode_cp1258), ("tcvn3", decode_tcvn3), ("vni-windows", decode_vni))
_LEGACY_NAMES = "Windows-1258, TCVN3 (ABC) or VNI-Windows"


def _checked_legacy(data: bytes, offset: int) -> Decoded:
    """Bytes that are not UTF-8: a legacy Vietnamese encoding if exactly one reads as Vietnamese."""
    damaged = data.decode("utf-8", errors="replace")
    n_bad = damaged.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    n_multi = sum(1 for c in damaged if c >= "\x80" and c != "\ufffd")
    if n_multi >= 3 * n_bad:  # mostly good UTF-8 with a few broken bytes: a damaged or cut copy
        tolerated = _damaged_utf8(data, offset, damaged, n_bad)
        if tolerated is not None:
            return tolerated
        raise DecodeError("undecodable", f"UTF-8 with {n_bad} invalid byte sequence(s), the first at byte {offset} "
                          f"of {len(data)} (a damaged or cut copy?), {n_bad / len(data):.2%} of the bytes: more "
                          f"than the {MAX_DAMAGED_SHARE:.1%} a run replaces; fetch or save the article again as UTF-8")
    scored = []
    for name, decode in LEGACY_DECODERS:
        try:
            text = decode(data)
        except UnicodeDecodeError:
            continue
        scored.append((vietnamese_score(text), name, text))
    # Only readings that read as Vietnamese compete. When two do (VNI and Windows-1258 share the
    # Latin-1 letters, so a short text can pass in both), the one with more known syllables wins;
    # a tie is left undecided.
    # Readings that give the same text are one reading, not a tie: a text whose marked letters all
    # are Latin-1 ones ("nay là cháu gái") is the same bytes in Windows-1258 and VNI-Windows (the
    # first of LEGACY_DECODERS names it; the sort keeps that order among equals).
    passing = []
    for s in sorted((s for s in scored if s[0].vietnamese), key=lambda s: (s[0].n_known, s[0].known), reverse=True):
        if all(s[2] != kept[2] for kept in passing):
            passing.append(s)
    if passing and (len(passing) == 1 or (passing[0][0].n_known > passing[1][0].n_known
                                          and passing[0][0].known > passing[1][0].known)):
        return _checked(passing[0][2], passing[0][1])
    if _looks_like_8bit_text(data):
        raise DecodeError("unknown_encoding", f"not UTF-8 (first bad byte at {offset} of {len(data)}) and not "
                          f"Vietnamese in {_LEGACY_NAMES}: find the encoding it was saved in and convert it to UTF-8 "
                          "(iconv -f ENCODING -t UTF-8, or UniKey's converter for Vietnamese font encodings)")
    raise DecodeError("undecodable", f"not valid UTF-8 at byte {offset} of {len(data)}, and not text in "
                      f"UTF-16 or {_LEGACY_NAMES} either; check what the file is and {_SAVE_AS_UTF8}")


def _damaged_utf8(data: bytes, offset: int, damaged: str | None = None, n_bad: int | None = None) -> Decoded | None:
    """UTF-8 with a few invalid byte sequences (a damaged copy): its text with U+FFFD in their
    place and a warning, when they are fewer than MAX_DAMAGED_SHARE of the bytes; else None."""
    if damaged is None:
        damaged = data.decode("utf-8", errors="replace")
        n_bad = damaged.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    if not n_bad or n_bad >= MAX_DAMAGED_SHARE * len(data):
        return None
    decoded = _checked(damaged, "utf-8")
    return Decoded(decoded.text, "utf-8", f"{n_bad} invalid UTF-8 byte sequence(s) in {len(data)} bytes, the first "
                   f"at byte {offset}, replaced by U+FFFD (under {MAX_DAMAGED_SHARE:.1%} of the bytes: loaded); "
                   "fetch or save the article again as UTF-8 to read them")


def _looks_like_8bit_text(data: bytes) -> bool:
    """Mostly printable ASCII, with bytes >= 0x80 standing inside words: text in some 8-bit code page."""
    sample = data[:65536]
    text = "".join(_CP1252[b] for b in sample)
    if _control_share(text) > 0.005:
        return False
    high = [i for i, b in enumerate(sample) if b >= 0x80]
    if not high or len(high) > 0.4 * len(sample):
        return False
    in_words = sum(1 for i in high if (i > 0 and chr(sample[i - 1]).isalpha())
                   or (i + 1 < len(sample) and chr(sample[i + 1]).isalpha()))
    return in_words >= 0.7 * len(high)


# --- UTF-8 read once as Windows-1252 (or Latin-1) and saved again ----------------------------

_MOJIBAKE_CHARS = "".join(sorted(set(_CP1252[0x80:]) | {chr(b) for b in range(0x80, 0xA0)}))
_MOJIBAKE_RUN = re.compile("[" + re.escape(_MOJIBAKE_CHARS) + "]{2,}")
# "Đ" is C4 90 in UTF-8, and 0x90 has no character in Windows-1252: the mojibake shows "Ä" followed
# by nothing, '?' or U+FFFD. In Vietnamese text C4 followed by a lost byte can only be "Đ".
_CONTINUATION = "".join(sorted(set(_CP1252[0x80:0xC0]) | {chr(b) for b in range(0x80, 0xA0)}))
_LOST_D = re.compile("Ä(?![" + re.escape(_CONTINUATION) + "])[?\ufffd]?")
# Other lead bytes of Vietnamese letters (C3 E1) followed by a lost byte: "á»?" could be ề, ọ, ỏ, ờ.
_LOST_AFTER_LEAD = re.compile("(?:[ÃÅÆ]|á[º»])[?\ufffd]")


def _unmojibake(text: str) -> tuple[str, int, int]:
    """(repaired text, runs repaired, runs that looked like mojibake but did not decode)."""
    repaired = failed = 0

    def fix(m: re.Match) -> str:
        nonlocal repaired, failed
        run = m.group(0)
        raw = bytes(_CP1252_BYTE[c] for c in run)
        if not 0xC2 <= raw[0] <= 0xF4:  # not the lead byte of a UTF-8 sequence: leave it
            return run
        try:
            out = raw.decode("utf-8")
        except UnicodeDecodeError:
            failed += 1
            return run
        repaired += 1
        return out

    fixed = _MOJIBAKE_RUN.sub(fix, _LOST_D.sub("Ä\x90", text))
    if repaired:  # a lead byte left alone: the byte after it was replaced by '?' or U+FFFD
        failed += len(_LOST_AFTER_LEAD.findall(fixed))
    return fixed, repaired, failed


def _repair_mojibake(decoded: Decoded) -> Decoded:
    """UTF-8 text whose Vietnamese letters were read as Windows-1252 (or Latin-1) and saved
    again: turn them back into bytes and read those as UTF-8, when the result reads as much
    more Vietnamese. Twice garbled text is repaired twice."""
    if decoded.text.isascii() or not _MOJIBAKE_RUN.search(decoded.text):
        return decoded
    text, failed = decoded.text, 0
    for _ in range(3):
        fixed, repaired, lost = _unmojibake(text)
        if not repaired:  # nothing (more) to repair: the text as it stands
            break
        text, failed = fixed, lost
        if failed:
            break
    before, after = vietnamese_score(decoded.text), vietnamese_score(text)
    # A repair must read as more Vietnamese: more known syllables, or (garbled words split into
    # fragments that are syllables too, "thuáº­n" -> "á") Vietnamese with no foreign letter left.
    gained = (after.known >= before.known + MIN_REPAIR_GAIN
              or (after.vietnamese and after.foreign == 0 < before.foreign))
    if text == decoded.text or not gained or after.foreign > before.foreign:
        return decoded
    if failed:
        raise DecodeError("mojibake", f"UTF-8 text that was read as Windows-1252 and saved again ('Äáº£ng' "
                          f"for 'Đảng'), with bytes lost on the way ({failed} damaged letters): it cannot be "
                          "repaired exactly; save the original article again as UTF-8")
    return Decoded(text, "utf-8 (repaired from windows-1252 mojibake)")


# --- reading the files ------------------------------------------------------------------------

def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _open_file(path: Path) -> int:
    """Open for reading without blocking (a FIFO that replaced a file after listing must not hang
    the run) and without making a terminal ours."""
    return os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))


def _size(n: int) -> str:
    return f"{n} bytes" if n < 1 << 20 else f"{n / (1 << 20):.1f} MB ({n} bytes)"


def _read_fd(fd: int, size: int) -> bytes:
    chunks, left = [], size + 1  # one byte more than listed: tells a file that grew
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_batch(raw_dir: Path, files: pl.DataFrame, *, max_bytes: int | None = None,
               min_age: float | None = None) -> Batch:
    """Read and decode each file of the batch. Bad input goes to quarantine, never raises.

    A file is taken only if its size and mtime are those discover listed (and, with a minimum
    age, it has not changed for that many seconds); otherwise it is left for the next run
    (Batch.skipped, reason 'changing'), as is a file deleted since listing ('vanished').
    max_bytes / min_age default to $PARTY_WAREHOUSE_MAX_FILE_MB / $PARTY_WAREHOUSE_MIN_FILE_AGE."""
    limit = max_file_bytes() if max_bytes is None else max_bytes
    age_ns = int((min_file_age() if min_age is None else min_age) * 1e9)
    items: list[tuple] = []
    quarantined: list[tuple] = []
    read: list[tuple] = []
    skipped: list[tuple] = []
    warnings: list[tuple] = []
    segmented = set(FEED_SCHEMA) <= set(files.columns)
    for row in files.iter_rows(named=True):
        rel, size, mtime_ns, kind = row["file_path"], row["size"], row["mtime_ns"], row["kind"]
        path = Path(raw_dir, rel)
        try:
            fd = _open_file(path)
        except FileNotFoundError:
            skipped.append((rel, "vanished", "deleted since the folder was listed"))
            continue
        except OSError as exc:
            reason = "symlink_loop" if exc.errno == errno.ELOOP else "unreadable"
            quarantined.append((rel, rel, None, reason, f"{type(exc).__name__}: {exc.strerror or exc}; make it "
                                "readable, then touch it (a run re-reads a file when its size or mtime changes)"))
            read.append((rel, size, mtime_ns, None, "quarantined", 0))
            continue
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                skipped.append((rel, "changing", "no longer a regular file since the folder was listed"))
                continue
            if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
                skipped.append((rel, "changing", f"size or mtime changed since listing ({size} -> {st.st_size} "
                                "bytes): still being written? left for the next run"))
                continue
            if age_ns and time.time_ns() - st.st_mtime_ns < age_ns:
                skipped.append((rel, "changing", f"modified less than {age_ns / 1e9:g} s ago (the minimum age): "
                                "left for the next run"))
                continue
            if kind == "jsonl":  # a feed: the limit is per line; read in segments (split_feeds)
                seg = row if segmented and row["first_line"] is not None else {
                    "start": 0, "end": size, "first_line": 1, "prefix_sha256": None}
                marks = len(items), len(quarantined), len(warnings)
                try:
                    computed = _read_feed(fd, rel, seg["start"], seg["end"], seg["first_line"], limit,
                                          items, quarantined, warnings)
                    after = os.fstat(fd)
                except OSError as exc:
                    computed, after = None, None
                    del items[marks[0]:], quarantined[marks[1]:], warnings[marks[2]:]
                    quarantined.append((rel, rel, None, "unreadable", f"{type(exc).__name__}: "
                                        f"{exc.strerror or exc}; check the disk or the file, then touch it"))
                    read.append((rel, size, mtime_ns, None, "quarantined", 0))
                    continue
                if computed is None or (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                    del items[marks[0]:], quarantined[marks[1]:], warnings[marks[2]:]
                    skipped.append((rel, "changing", "changed while it was read: still being written? left for "
                                    "the next run"))
                    continue
                has_items, has_bad = len(items) > marks[0], len(quarantined) > marks[1]
                whole = seg["start"] == 0 and seg["end"] == st.st_size
                if not has_items and not has_bad and whole:
                    quarantined.append((rel, rel, computed, "empty", "the file holds no article"))
                    has_bad = True
                status = ("partial" if has_bad and (has_items or not whole) else
                          "loaded" if has_items or not whole else "quarantined")
                read.append((rel, seg["end"], st.st_mtime_ns, seg["prefix_sha256"] or computed, status,
                             seg["first_line"] - 1))
                continue
            if st.st_size > limit:
                quarantined.append((rel, rel, None, "too_large", f"{_size(st.st_size)}; the limit is {_size(limit)} "
                                    "(PARTY_WAREHOUSE_MAX_FILE_MB): split it, or raise the limit and touch the file"))
                read.append((rel, st.st_size, st.st_mtime_ns, None, "quarantined", 0))
                continue
            try:
                data = _read_fd(fd, st.st_size)
                after = os.fstat(fd)
            except OSError as exc:
                quarantined.append((rel, rel, None, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}; "
                                    "check the disk or the file, then touch it"))
                read.append((rel, size, mtime_ns, None, "quarantined", 0))
                continue
        finally:
            os.close(fd)
        if len(data) != st.st_size or (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
            skipped.append((rel, "changing", "changed while it was read: still being written? left for the next run"))
            continue
        file_sha = sha256_hex(data)
        n_items, n_quarantined = len(items), len(quarantined)
        try:
            if kind == "html" or looks_like_html(data):
                items.append((rel, rel, file_sha, *read_html(data)))
            else:
                decoded = decode_text(data)
                text = decoded.text
                if looks_like_html(text):  # a page saved as UTF-16 or in a legacy encoding
                    items.append((rel, rel, file_sha, *read_html(text)))
                else:
                    items.append((rel, rel, file_sha, text, None, None, None))
                if decoded.warning:
                    warnings.append((rel, rel, file_sha, "replaced_bytes", decoded.warning))
        except DecodeError as exc:
            quarantined.append((rel, rel, file_sha, exc.reason, exc.detail))
        has_items, has_bad = len(items) > n_items, len(quarantined) > n_quarantined
        if not has_items and not has_bad:
            quarantined.append((rel, rel, file_sha, "empty", "the file holds no article"))
            has_bad = True
        status = "partial" if has_items and has_bad else ("loaded" if has_items else "quarantined")
        read.append((rel, st.st_size, st.st_mtime_ns, file_sha, status, 0))
    for rel, reason, detail in skipped:
        log.warning("left for the next run (%s): %s: %s", reason, rel, detail)
    return Batch(
        items=pl.DataFrame(items, schema=ITEMS_SCHEMA, orient="row"),
        quarantine=pl.DataFrame(quarantined, schema=QUARANTINE_SCHEMA, orient="row"),
        files=pl.DataFrame(read, schema=READ_FILES_SCHEMA, orient="row"),
        skipped=pl.DataFrame(skipped, schema=SKIPPED_SCHEMA, orient="row"),
        warnings=pl.DataFrame(warnings, schema=WARNINGS_SCHEMA, orient="row"),
    )


_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>])", re.IGNORECASE)
_HTML_START_TEXT = re.compile(r"^\ufeff?\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>])", re.IGNORECASE)


def looks_like_html(data: bytes | str) -> bool:
    """A saved web page, whatever its name (an HTML page saved as .txt)."""
    if isinstance(data, str):
        return bool(_HTML_START_TEXT.match(data[:512]))
    return bool(_HTML_START.match(data[:512]))


def read_html(data: bytes | str) -> tuple[str, str | None, str | None, str | None]:
    """(text, url, title, published) of a saved news page: its main text, headline, canonical
    link and date, found by trafilatura (a library made for news pages; works offline). The
    page's own charset is honoured (or `data` is already decoded text). Raises DecodeError when the page holds no article text."""
    import trafilatura  # imported here: it is only needed when there is HTML to read

    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False,
                                      include_tables=True, favor_recall=True)
    text = (doc.text if doc is not None else None) or ""
    if not text.strip():
        raise DecodeError("no_text", "no article text found in the HTML page (a list of links, a "
                          "script-only page?); save the article text as .txt")
    title = page_headline(data) or (doc.title if _headline_ok(doc.title) else None)
    if title and not text.lstrip().startswith(title.strip()):
        text = f"{title}\n{text}"  # the headline opens the body, as in a .txt article
    return text, doc.url or None, title, doc.date or None


# A page's headline (docs/running.md, "Input formats"): og:title (or twitter:title), else the article's <h1>,
# else <title>; site names after the last " - ", " | ", " – ", " — " or " :: " are cut from the
# titles; a candidate of fewer than MIN_HEADLINE_WORDS words ("t", "Trang chủ") is junk.
_TITLE_SUFFIX = re.compile(r"^(?P<head>.+?)\s+(?:[-|–—»]|::)\s+(?P<site>[^-|–—»]+)$")
MIN_HEADLINE_WORDS = 3
SITE_NAME_MAX_WORDS = 6


def strip_site_suffix(title: str, site: str | None = None) -> str:
    """'Headline - Báo Nghệ An' -> 'Headline'; 'Headline | Site' -> 'Headline'. The part after
    the last separator is cut when it is the page's site name or a short name (at most
    SITE_NAME_MAX_WORDS words) after a longer headline."""
    title = " ".join(title.split())
    m = _TITLE_SUFFIX.match(title)
    if not m:
        return title
    head, tail = m["head"].strip(), m["site"].strip()
    if (site and tail.casefold() == " ".join(site.split()).casefold()) or (
            len(tail.split()) <= SITE_NAME_MAX_WORDS and len(head.split()) > len(tail.split())):
        return head
    return title


def _headline_ok(text: str | None) -> bool:
    return bool(text) and len(_WORD.findall(text)) >= MIN_HEADLINE_WORDS


def page_headline(data: bytes | str) -> str | None:
    """The headline of a saved news page, or None when the page names none that is not junk."""
    from trafilatura.utils import load_html

    tree = load_html(data)
    if tree is None:
        return None

    def meta(*names: str) -> str | None:
        for name in names:
            for el in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]'):
                if (el.get("content") or "").strip():
                    return el.get("content")
        return None

    def text_of(el) -> str:
        return " ".join(el.text_content().split())

    site = meta("og:site_name", "application-name")
    h1s = [text_of(h) for h in tree.xpath("//article//h1 | //main//h1")] or [text_of(h) for h in tree.xpath("//h1")]
    article_h1 = h1s[0] if len(h1s) == 1 or tree.xpath("//article//h1 | //main//h1") else None
    title_el = tree.find(".//title")
    candidates = (strip_site_suffix(meta("og:title", "twitter:title") or "", site), article_h1,
                  strip_site_suffix(text_of(title_el), site) if title_el is not None else None,
                  *h1s)
    return next((c for c in candidates if _headline_ok(c)), None)


def _first(record: dict, names: tuple[str, ...]) -> str | None:
    for n in names:
        v = record.get(n)
        if isinstance(v, str) and v.strip():
            return v
    return None


def _feed_lines(fd: int, start: int, end: int, limit: int, h) -> Iterator[tuple[bytes | None, int]]:
    """The lines of bytes [start, end) of a file, without their "\\n" (and a "\\r" before it),
    read in chunks: (line, length), or (None, length) for a line longer than `limit` bytes, which
    is never held in memory whole. Every byte read goes through the hash `h`."""
    pending, length, pos = bytearray(), 0, start
    while pos < end:
        chunk = os.pread(fd, min(_CHUNK, end - pos), pos)
        if not chunk:
            raise EOFError("the file shrank while it was read")
        h.update(chunk)
        pos += len(chunk)
        i = 0
        while (nl := chunk.find(b"\n", i)) >= 0:
            length += nl - i
            if length <= limit:
                pending += chunk[i:nl]
            yield (bytes(pending).removesuffix(b"\r") if length <= limit else None), length
            pending.clear()
            length, i = 0, nl + 1
        length += len(chunk) - i
        if length <= limit:
            pending += chunk[i:]
        else:
            pending.clear()
    if length:  # a last line without its "\n"
        yield (bytes(pending).removesuffix(b"\r") if length <= limit else None), length


def _read_feed(fd: int, rel: str, start: int, end: int, first_line: int, limit: int, items: list,
               quarantined: list, warnings: list) -> str | None:
    """Read the JSONL lines of bytes [start, end) of a feed, numbered from first_line: one
    article a line; a bad line (or one over `limit` bytes: too_large) is quarantined alone.
    Returns the SHA-256 of the bytes read, or None when the file shrank meanwhile."""
    h = hashlib.sha256()
    try:
        for lineno, (raw_line, length) in enumerate(_feed_lines(fd, start, end, limit, h), start=first_line):
            source = f"{rel}#{lineno}"
            if raw_line is None:
                quarantined.append((source, rel, None, "too_large", f"line {lineno}: {_size(length)}; the limit "
                                    f"of one article is {_size(limit)} (PARTY_WAREHOUSE_MAX_FILE_MB): split it, "
                                    "or raise the limit and touch the file"))
                continue
            if raw_line.strip():
                _read_jsonl_line(rel, source, lineno, raw_line, items, quarantined, warnings)
    except EOFError:
        return None
    return h.hexdigest()


def _read_jsonl_line(rel: str, source: str, lineno: int, raw_line: bytes, items: list, quarantined: list,
                     warnings: list) -> None:
    line_sha = sha256_hex(raw_line)
    try:
        decoded = decode_text(raw_line)
        record = json.loads(decoded.text)
    except DecodeError as exc:
        quarantined.append((source, rel, line_sha, exc.reason, exc.detail))
        return
    except json.JSONDecodeError as exc:
        quarantined.append((source, rel, line_sha, "bad_json", f"line {lineno}: {exc.msg} at column {exc.colno}"))
        return
    if not isinstance(record, dict):
        quarantined.append((source, rel, line_sha, "bad_json", f"line {lineno}: not a JSON object"))
        return
    text = _first(record, JSONL_TEXT_FIELDS)
    if text is None:
        quarantined.append((source, rel, line_sha, "no_text",
                            f"line {lineno}: none of the fields {', '.join(JSONL_TEXT_FIELDS)} holds text"))
        return
    items.append((source, rel, line_sha, text, _first(record, JSONL_URL_FIELDS),
                  _first(record, JSONL_TITLE_FIELDS), _first(record, JSONL_DATE_FIELDS)))
    if decoded.warning:
        warnings.append((source, rel, line_sha, "replaced_bytes", f"line {lineno}: {decoded.warning}"))
