"""Party documents cited."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from .conftest import gold_entries

from flows.extract.documents import extract_documents
from flows.text.normalize import normalize_text
from flows.text.places import load_tsv

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _one(text):
    return [(d.kind, d.code, d.session, d.term) for d in extract_documents(normalize_text(text))]


# ---------------------------------------------------------------- data integrity

@pytest.mark.parametrize("row", load_tsv("documents_kinds.tsv"), ids=lambda r: r["word"])
def test_kinds_rows(row):
    docs = extract_documents(row["example"])
    assert docs and docs[0].code == row["expected"] and docs[0].kind == row["kind"]


@pytest.mark.parametrize("file", ["documents_ordinals.tsv", "documents_central.tsv"])
def test_session_rows(file):
    for row in load_tsv(file):
        text = row["example"] if row["example"].lower().startswith("nghị quyết") else "Nghị quyết " + row["example"]
        docs = extract_documents(text)
        assert docs and docs[0].session == row["expected"], row


@pytest.mark.parametrize("row", load_tsv("documents_not_party.tsv"), ids=lambda r: r["issuer"])
def test_not_party_rows(row):
    assert extract_documents(row["example"]) == []


@pytest.mark.parametrize("row", load_tsv("documents_words.tsv"), ids=lambda r: f"{r['role']}:{r['word']}")
def test_words_rows(row):
    docs = extract_documents(row["example"])
    if row["role"] == "not_after_number":
        assert docs == []
    elif row["role"] == "term":
        assert docs[0].term == row["expected"]
    elif row["role"] == "issued":
        assert docs[0].issued_on.isoformat() == row["expected"]
    elif row["role"] == "other_kind":
        assert [d.code for d in docs] == []  # the decisions are no Party document of FACTS.md's kinds
    else:
        raise AssertionError(f"role {row['role']} has no test")


# ---------------------------------------------------------------- real phrasings

CASES = [
    ("theo tinh thần Nghị quyết Trung ương 6- khóa XII.", [("nghi_quyet", None, "Trung ương 6", "XII")]),
    ("Đồng thời đẩy mạnh và nâng cao chất lượng, hiệu quả thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị, gắn với",
     [("chi_thi", "05-CT/TW", None, None)]),
    ("Dự thảo sơ kết 2 năm thực hiện Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XII;",
     [("nghi_quyet", None, "Trung ương 4", "XII")]),
    ("Dự thảo tổng kết 10 năm thực hiện Nghị quyết số 01-NQ/ĐUK ngày 15-5-2009 của Ban Chấp hành Đảng ủy Khối",
     [("nghi_quyet", "01-NQ/ĐUK", None, None)]),
    ("các văn bản chỉ đạo về quán triệt, triển khai thực hiện Nghị quyết Trung ương 4. Sau hội nghị",
     [("nghi_quyet", None, "Trung ương 4", None)]),
    ("Bám sát các nội dung của Nghị quyết số 09- NQ/TU của BCH Đảng bộ tỉnh", [("nghi_quyet", "09-NQ/TU", None, None)]),
    ("cụ thể hóa Nghi quyết 09- NQ/TU của Ban chấp hành Đảng bộ tỉnh; Nghị quyết Trung ương 4, trọng tâm",
     [("nghi_quyet", "09-NQ/TU", None, None), ("nghi_quyet", None, "Trung ương 4", None)]),
    ("Nghị quyết TW4 khóa XI, khóa XII", [("nghi_quyet", None, "Trung ương 4", "XI"), ("nghi_quyet", None, "Trung ương 4", "XII")]),
    ("Quá trình triển khai thực hiện Nghị quyết T.Ư 4 (khóa XI) ở Đảng bộ huyện Thuận Thành",
     [("nghi_quyet", None, "Trung ương 4", "XI")]),
    ("Triển khai Chỉ thị số 03 của Bộ Chính trị (khóa XI), Đảng bộ quận Cầu Giấy", [("chi_thi", "03", None, "XI")]),
    ("Là một trong 3 đơn vị được chọn làm điểm triển khai Chỉ thị 03, Đảng ủy Quân sự quận", [("chi_thi", "03", None, None)]),
    ("tổ chức triển khai thực hiện Nghị quyết Trung ương 4 ( khóa XI), nhất là", [("nghi_quyet", None, "Trung ương 4", "XI")]),
    ("cần gắn chặt với việc thực hiện tốt Chỉ thị 03 của Bộ Chính trị...PHƯỚC LỘC", [("chi_thi", "03", None, None)]),
    ("các đại biểu (ĐB) đã nêu thắc mắc về thời gian Ban Bí thư ra Hướng dẫn (HD) 469 về việc ứng cử",
     [("huong_dan", "469", None, None)]),
    ("Nghị quyết Trung ương 4 (khóa XII) về xây dựng, chỉnh đốn Đảng và Chỉ thị 05- CT/TW của Bộ Chính trị",
     [("nghi_quyet", None, "Trung ương 4", "XII"), ("chi_thi", "05-CT/TW", None, None)]),
    ("gắn với Chỉ thị số 29- CT/TU của Ban Thường vụ Thành ủy.", [("chi_thi", "29-CT/TU", None, None)]),
    ("Ban Chỉ đạo thực hiện Kết luận 80-KL/TW của Ban Bí thư Trung ương về xây dựng", [("ket_luan", "80-KL/TW", None, None)]),
    ("Lãnh đạo Ban tổ chức Trung ương nói về nghị quyết Trung ương 4, khóa XII.", [("nghi_quyet", None, "Trung ương 4", "XII")]),
    ("Lãnh_đạo Ban tổ_chức nói về nghị_quyết Trung_ương 4 , khoá XII .", [("nghi_quyet", None, "Trung ương 4", "XII")]),
    ("thực hiện Quy định số 102-QĐ/TW của Bộ Chính trị", [("quy_dinh", "102-QĐ/TW", None, None)]),
    ("triển khai Kế hoạch số 10-KH/TU của Tỉnh ủy", [("ke_hoach", "10-KH/TU", None, None)]),
    ("Hướng dẫn số 12-HD/BTCTW của Ban Tổ chức Trung ương", [("huong_dan", "12-HD/BTCTW", None, None)]),
    # not Party documents / not cited
    ("kiểm điểm việc thực hiện nghị quyết Đại hội Đảng bộ thành phố lần thứ VII", []),
    ("tiếp tục triển khai thực hiện thắng lợi Nghị quyết Đại hội đại biểu toàn quốc lần thứ XII của Đảng", []),
    ("Bản dự thảo nghị quyết của Bộ Chính trị về quy hoạch cán bộ lãnh đạo", []),
    ("biểu quyết một số vấn đề trong Điều lệ Đảng; thông qua Quy chế bầu cử BCH T.Ư khóa X", []),
    ("Đề án vị trí việc làm cơ quan Đảng, Mặt trận và các đoàn thể", []),
    ("Nghị quyết số 35/2012/NQ-HĐND của HĐND tỉnh", []),
    ("thực hiện Nghị định 24/2010/NĐ-CP và Quyết định số 123/QĐ-UBND", []),
    ("Kế hoạch 5 năm 2016-2020 và Kế hoạch 2020", []),
    ("thực hiện các chỉ thị, nghị quyết, quy định, kết luận của Trung ương", []),
]


@pytest.mark.parametrize("text,want", CASES)
def test_documents(text, want):
    assert _one(text) == want


def test_issued_on_and_provenance():
    body = "Mở đầu.\nDự thảo tổng kết Nghị quyết số 01-NQ/ĐUK ngày 15-5-2009 của Ban Chấp hành."
    (d,) = extract_documents(body)
    assert d.issued_on == date(2009, 5, 15)
    assert body[d.char_start:d.char_end] == d.sentence and d.text == "Nghị quyết số 01-NQ/ĐUK"


def test_repeated_mentions_one_row():
    body = ("Nghị quyết Trung ương 4 (khóa XI) về xây dựng Đảng. Thực hiện Nghị quyết Trung ương 4 ( khóa XI). "
            "Triển khai có hiệu quả Nghị quyết Trung ương 4 trong thời gian tới.")
    assert _one(body) == [("nghi_quyet", None, "Trung ương 4", "XI")]


# ---------------------------------------------------------------- gold

GOLD = gold_entries()


@pytest.mark.skipif(not GOLD, reason="shared gold absent")
@pytest.mark.parametrize("path,g", GOLD, ids=[g["file"] for _p, g in GOLD] if GOLD else None)
def test_gold_documents(path, g):
    t = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    got = extract_documents(normalize_text(t))
    key = lambda d: (d["code"] or "", d["kind"], d["session"] or "", d["term"] or "")  # noqa: E731
    want = sorted(key(d) for d in g["documents"])
    have = sorted((d.code or "", d.kind, d.session or "", d.term or "") for d in got)
    assert have == want
