"""A few bad bytes do not lose an article (issue 14, item 4): UTF-8 with fewer invalid byte
sequences than 0.1 % of its bytes (flows/ingest.py MAX_DAMAGED_SHARE) is loaded with U+FFFD in
their place and a row in load_warnings, which the report shows; more damage, and files that are
not text at all, stay quarantined."""
from __future__ import annotations

import json

import duckdb
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from flows.ingest import MAX_DAMAGED_SHARE, DecodeError, decode_text, sha256_hex
from flows.pipeline import run
from flows.report import write_report
from flows.settings import Settings

from .conftest import RAW

SEED = "000_31de0f0f34ce37d1.txt"  # 3,531 bytes


def damage(text: str, every: int, n: int) -> bytes:
    """The UTF-8 of text with a 0xFF byte (never valid UTF-8) put between two characters at n
    places, `every` characters apart."""
    out, places = [], set(range(every, every * (n + 1), every))
    for i, ch in enumerate(text):
        if i in places:
            out.append(b"\xff")
        out.append(ch.encode("utf-8"))
    return b"".join(out)


def q(wh, sql):
    con = duckdb.connect(str(wh), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_two_bad_bytes_in_3000_load_with_replacement_characters_and_a_warning():
    text = (RAW / SEED).read_text(encoding="utf-8")
    data = damage(text, 1000, 2)
    decoded, first = decode_text(data), data.index(b"\xff")
    assert decoded.text.count("\ufffd") == 2 and decoded.text.replace("\ufffd", "") == text
    assert decoded.warning == (f"2 invalid UTF-8 byte sequence(s) in {len(data)} bytes, the first at byte "
                               f"{first}, replaced by U+FFFD (under 0.1% of the bytes: loaded); "
                               "fetch or save the article again as UTF-8 to read them")
    assert decode_text(text.encode("utf-8")).warning is None  # intact text: no warning


def test_damage_of_0_1_percent_or_more_stays_quarantined():
    text = (RAW / SEED).read_text(encoding="utf-8")
    n = -(-len(text.encode("utf-8")) // 1000) + 1  # enough bad bytes for 0.1 % of the file
    with pytest.raises(DecodeError) as err:
        decode_text(damage(text, 300, n))
    assert err.value.reason == "undecodable" and "more than the 0.1% a run replaces" in err.value.detail
    with pytest.raises(DecodeError) as err:  # not text at all: as before
        decode_text(bytes(range(0x80, 0x100)) * 40)
    assert err.value.reason == "undecodable"


@hsettings(max_examples=60, deadline=None)
@given(text=st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợ"
                    "ùủũúụừửữứựỳỷỹýỵ ,.\n", min_size=200, max_size=4000),
       n=st.integers(min_value=1, max_value=8), data=st.data())
def test_property_damage_under_the_threshold_loads_and_over_it_is_quarantined(text, n, data):
    text = "Đảng ủy " + text
    every = data.draw(st.integers(min_value=1, max_value=max(1, len(text) // (n + 1))))
    damaged = damage(text, every, n)
    bad = damaged.count(b"\xff")
    if bad < MAX_DAMAGED_SHARE * len(damaged):
        decoded = decode_text(damaged)
        assert decoded.text.replace("\ufffd", "") == text and decoded.text.count("\ufffd") == bad
        assert decoded.warning.startswith(f"{bad} invalid UTF-8 byte sequence(s) in {len(damaged)} bytes")
    else:
        with pytest.raises(DecodeError):
            decode_text(damaged)


def test_a_run_loads_damaged_articles_records_warnings_and_the_report_shows_them(raw_copy, tmp_path):
    text = (RAW / SEED).read_text(encoding="utf-8")
    (raw_copy / SEED).write_bytes(damage(text, 1000, 2))
    line = damage(json.dumps({"title": "Bài trong feed", "text": text}, ensure_ascii=False), 1000, 2)
    (raw_copy / "feed.jsonl").write_bytes(b'{"text": "' + "Một bài khác của feed. " .encode() * 5 + b'"}\n' + line + b"\n")
    (raw_copy / "broken.txt").write_bytes(damage(text, 200, 17))  # 0.5 %: quarantined
    wh = tmp_path / "w.duckdb"
    s = run(Settings.resolve(raw_copy, wh))
    assert (s.status, s.load_warnings) == ("success", 2)
    assert "warnings: 2 articles loaded with a few damaged bytes replaced" in s.text()
    warned = q(wh, "select source_path, doc_id, kind, detail from load_warnings order by source_path")
    assert [(p, d, k) for p, d, k, _ in warned] == [
        (SEED, sha256_hex((raw_copy / SEED).read_bytes()), "replaced_bytes"),
        ("feed.jsonl#2", sha256_hex(line), "replaced_bytes")]
    assert warned[1][3].startswith(f"line 2: 2 invalid UTF-8 byte sequence(s) in {len(line)} bytes")
    bodies = q(wh, "select s.source_path, a.title, strpos(a.body, chr(65533)) > 0 from articles a join sources s on s.doc_id = a.doc_id "
                   f"where s.source_path in ('{SEED}', 'feed.jsonl#2') order by 1")
    assert [(p, has) for p, _, has in bodies] == [(SEED, True), ("feed.jsonl#2", True)]
    assert q(wh, "select source_path, reason from quarantine") == [("broken.txt", "undecodable")]
    # running again changes nothing; the file repaired: its warning goes
    assert run(Settings.resolve(raw_copy, wh)).load_warnings == 0
    assert len(q(wh, "select * from load_warnings")) == 2
    page = write_report(wh, tmp_path / "r.html").read_text(encoding="utf-8")
    shown = page[page.index('id="load-warnings"'):page.index('id="runs"')]
    assert f"<code>{SEED}</code>" in shown and "<code>feed.jsonl#2</code>" in shown and "replaced_bytes" in shown
    (raw_copy / SEED).write_text(text, encoding="utf-8")
    run(Settings.resolve(raw_copy, wh))
    assert q(wh, "select source_path from load_warnings") == [("feed.jsonl#2",)]
