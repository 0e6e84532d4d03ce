"""Bad input for tests/test_bad_input.py: the files committed in tests/fixtures/bad_input/, how
they were made, what each must become, and the kinds git cannot hold (built at test time).

Regenerate the committed fixtures with `uv run --frozen python -m tests.bad_input` (it rewrites
tests/fixtures/bad_input/ from scratch; the test checks that the committed files are exactly
what this module makes).
"""
from __future__ import annotations

import os
import shutil
import struct
import sys
import unicodedata
import zlib
from pathlib import Path

from flows.datafiles import read_tsv

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "bad_input"

# A short half-year review: one fact, `party_members_admitted` = n (Nghệ An, 2019-H1).
TITLE = "Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2019"
ARTICLE = (TITLE + "\n\n"
           "Sáng 2-8-2019, Huyện ủy Diễn Châu tổ chức hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm. "
           "Trong 6 tháng đầu năm, Đảng bộ huyện đã kết nạp {n} đảng viên mới, đạt 60% kế hoạch năm. "
           "Các cấp ủy tiếp tục quan tâm công tác phát triển đảng viên ở các chi bộ thôn, xóm.\n")
NO_FACTS_TITLE = "Hội nghị bàn về công tác dân vận năm 2019"
NO_FACTS = (NO_FACTS_TITLE + "\n\nSáng 2-8-2019, Huyện ủy Diễn Châu tổ chức hội nghị bàn về công tác dân vận. "
            "Các đại biểu thảo luận về cách làm mới trong vận động nhân dân.\n")
FRENCH = "Le comité a décidé que la réunion aura lieu à Hanoï l'été prochain, après la fête.\n" * 3

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>{title} - Báo Nghệ An</title>
<link rel="canonical" href="https://baonghean.vn/{slug}.html">
<meta property="article:published_time" content="2019-08-02T10:20:00+07:00"></head>
<body><nav>Mới nhất Tin nóng Media</nav><article><h1>{title}</h1>
<p>Sáng 2-8-2019, Huyện ủy Diễn Châu tổ chức hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm.</p>
<p>Trong 6 tháng đầu năm, Đảng bộ huyện đã kết nạp {n} đảng viên mới, đạt 60% kế hoạch năm.</p>
</article><footer>Gửi bình luận của bạn</footer></body></html>"""
NO_ARTICLE_PAGE = ('<!DOCTYPE html><html><head><title>Báo Nghệ An</title></head><body>'
                   '<script>window.location = "/";</script></body></html>')


def article(n: int) -> str:
    return ARTICLE.format(n=n)


# --- encoders (the decoders under test live in flows/ingest.py) --------------------------------

_TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: a letter it has (ê, ơ, ă...) plus a separate tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in nfd if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def encode_tcvn3(text: str) -> bytes:
    """TCVN3 by flows/data/encoding_tcvn3.tsv (an upper-case letter with a tone mark has no byte:
    written as its lower-case one, as with the ABC upper-case fonts)."""
    table = {r["char"]: int(r["byte"], 16) for r in read_tsv("encoding_tcvn3.tsv")}
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch < "\x80":
            out.append(ord(ch))
        elif ch in table:
            out.append(table[ch])
        elif ch.lower() in table:
            out.append(table[ch.lower()])
        else:  # punctuation such as “ ” – …: the fonts keep Windows-1252's
            out += ch.encode("cp1252")
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """VNI-Windows by flows/data/encoding_vni.tsv."""
    table = {r["char"]: bytes.fromhex(r["bytes"]) for r in read_tsv("encoding_vni.tsv")}
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        out += ch.encode("ascii") if ch < "\x80" else table.get(ch) or ch.encode("cp1252")
    return bytes(out)


def _cp1252_sloppy(data: bytes) -> str:
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))  # Windows maps its five unassigned bytes to the C1 controls
    return "".join(out)


def mojibake(text: str, lossy: bool = False) -> bytes:
    """UTF-8 read as Windows-1252 and saved again as UTF-8 ("Äáº£ng" for "Đảng"). lossy: the
    tool that did it replaced Windows-1252's unassigned bytes with '?', so those letters are lost."""
    garbled = _cp1252_sloppy(text.encode("utf-8"))
    if lossy:
        garbled = "".join("?" if "\x80" <= c < "\xa0" else c for c in garbled)
    return garbled.encode("utf-8")


def png_1x1() -> bytes:
    """A real 1x1 red PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def damaged_utf8(text: str) -> bytes:
    """UTF-8 with one byte of a letter cut out (a damaged copy)."""
    data = text.encode("utf-8")
    i = data.index("kết".encode("utf-8")) + 1  # the lead byte of "ế"
    return data[:i] + data[i + 1:]


# --- the committed fixtures ---------------------------------------------------------------------

def committed_files() -> dict[str, bytes]:
    """Relative path -> bytes of every regular file in tests/fixtures/bad_input/."""
    with_space = article(110).encode("utf-8")
    return {
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t\r\n   \n",
        "image.txt": png_1x1(),
        "utf16le_no_bom.txt": article(105).encode("utf-16-le"),
        "utf16be_no_bom.txt": article(106).encode("utf-16-be"),
        "cp1258.txt": encode_cp1258(article(101)),
        "tcvn3.txt": encode_tcvn3(article(102)),
        "vni.txt": encode_vni(article(103)),
        "mojibake.txt": mojibake(article(104)),
        "mojibake_lossy.txt": mojibake(NO_FACTS, lossy=True),  # "về": E1 BB 81, and 0x81 was lost
        "damaged_utf8.txt": damaged_utf8(article(118)),
        "french_latin1.txt": FRENCH.encode("latin-1"),
        "page.html": PAGE.format(title=TITLE, slug="so-ket-107", n=107).encode("utf-8"),
        "page_saved_as.txt": PAGE.format(title=TITLE, slug="so-ket-108", n=108).encode("utf-8"),
        "no_article.html": NO_ARTICLE_PAGE.encode("utf-8"),
        "folder.txt/article.txt": article(109).encode("utf-8"),
        "with space.txt": with_space,
        "copy of with space.txt": with_space,
        "Đảng bộ tỉnh.txt": article(111).encode("utf-8"),
        "-leading-dash.txt": article(112).encode("utf-8"),
        "new\nline.txt": article(113).encode("utf-8"),
        "no_newline.txt": article(114).replace("\n", " ").strip().encode("utf-8"),
        "no_facts.txt": NO_FACTS.encode("utf-8"),
        "notes.md": b"# not an article\n",
    }


# name -> link target (relative to the link's folder, or absolute)
COMMITTED_LINKS = {
    "broken_link.txt": "missing.txt",
    "outside_link.txt": "/etc/passwd",
    "loop_a.txt": "loop_b.txt",
    "loop_b.txt": "loop_a.txt",
    "inside_link.txt": "cp1258.txt",
    "linked_folder": "folder.txt",
}


def write_fixtures(folder: Path = FIXTURES) -> None:
    """(Re)write the committed fixtures."""
    if folder.exists():
        shutil.rmtree(folder)
    for rel, data in committed_files().items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    for name, target in COMMITTED_LINKS.items():
        os.symlink(target, folder / name)
    (folder / ".gitattributes").write_text(GITATTRIBUTES)  # hidden: a run skips it


# Git must keep these bytes as they are (no line-end conversion of "whitespace.txt"'s CR LF).
GITATTRIBUTES = "* -text\n"


# --- what each must become ----------------------------------------------------------------------

# Loaded: path -> the party_members_admitted value its article holds (None: no fact at all).
LOADED = {
    "utf16le_no_bom.txt": 105, "utf16be_no_bom.txt": 106, "cp1258.txt": 101, "tcvn3.txt": 102,
    "vni.txt": 103, "mojibake.txt": 104, "page.html": 107, "page_saved_as.txt": 108,
    "folder.txt/article.txt": 109, "with space.txt": 110, "copy of with space.txt": 110,
    "Đảng bộ tỉnh.txt": 111, "-leading-dash.txt": 112, "new\nline.txt": 113, "no_newline.txt": 114,
    "inside_link.txt": 101, "no_facts.txt": None,
}

# Quarantined: path -> reason.
QUARANTINED = {
    "empty.txt": "empty",
    "whitespace.txt": "empty",
    "image.txt": "binary",
    "mojibake_lossy.txt": "mojibake",
    "damaged_utf8.txt": "undecodable",
    "french_latin1.txt": "unknown_encoding",
    "no_article.html": "no_text",
    "notes.md": "unsupported_type",
    "broken_link.txt": "broken_symlink",
    "outside_link.txt": "symlink_outside_raw",
    "loop_a.txt": "symlink_loop",
    "loop_b.txt": "symlink_loop",
    "linked_folder": "symlink_folder",
    "folder.txt": "not_a_file",
    # built at test time (build_uncommittable):
    "pipe.txt": "not_a_file",
    "huge.txt": "too_large",
    "unreadable.txt": "unreadable",
}

HUGE_BYTES = 60 * 1024 * 1024


def build_uncommittable(raw: Path) -> None:
    """What git cannot hold: a named pipe, a 60 MB file (sparse: it takes no disk space), and the
    files the test makes unreadable, deletes, or grows during the run."""
    os.mkfifo(raw / "pipe.txt")
    with open(raw / "huge.txt", "wb") as fh:
        fh.write(article(199).encode("utf-8"))
        fh.truncate(HUGE_BYTES)
    (raw / "unreadable.txt").write_text(article(120), encoding="utf-8")
    (raw / "vanishing.txt").write_text(article(121), encoding="utf-8")
    (raw / "growing.txt").write_text(article(122), encoding="utf-8")
    (raw / "changed_content.txt").write_text(article(115), encoding="utf-8")


if __name__ == "__main__":
    write_fixtures()
    print(f"wrote {FIXTURES}", file=sys.stderr)
