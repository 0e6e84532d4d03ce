"""Places: provinces, districts, outlets, article province and meeting location."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from flows.text.normalize import normalize_text
from flows.text.places import (
    PROVINCES, article_province, central_meeting, canonical_province, find_places, foreign_places, lead_sentences_of, load_tsv,
    meeting_location, outlet_info, province_2025,
)
from flows.text.sentences import sentences

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _provinces(text: str) -> set:
    return {p.province for p in find_places(text)}


# ---------------------------------------------------------------- data integrity: every row's example gives its expected

@pytest.mark.parametrize("row", load_tsv("places_provinces.tsv"), ids=lambda r: r["province"])
def test_provinces_rows(row):
    assert canonical_province(row["example"]) == row["expected"]
    assert row["expected"] in _provinces(row["example"])


@pytest.mark.parametrize("row", load_tsv("places_foreign.tsv"), ids=lambda r: r["name"])
def test_foreign_rows(row):
    assert row["name"] in [m.group(0) for m in foreign_places(row["example"])]


@pytest.mark.parametrize("text,want", [
    ("Nguyễn Thị Nga phát biểu tại hội nghị", []),
    ("thị xã Long Mỹ và thành phố Mỹ Tho", []),
    ("xã Minh Đức có 300 hộ", []),
    ("kinh tế Nga và Mỹ tăng trưởng chậm", ["Nga", "Mỹ"]),
    ("Thủ tướng thăm Trung Quốc và Thái Lan", ["Trung Quốc", "Thái Lan"]),
])
def test_foreign_places_guard(text, want):
    assert [m.group(0) for m in foreign_places(text)] == want


def test_the_pacific_is_not_thai_binh():
    assert find_places("kinh tế châu Á - Thái Bình Dương tăng trưởng 5,5%") == []
    assert [p.province for p in find_places("Đảng bộ tỉnh Thái Bình có 1.040 tổ chức cơ sở đảng")] == ["Thái Bình"]


def test_63_provinces():
    assert len(PROVINCES) == 63 and len(set(PROVINCES)) == 63


@pytest.mark.parametrize("row", load_tsv("places_aliases.tsv"), ids=lambda r: r["alias"])
def test_aliases_rows(row):
    assert canonical_province(row["alias"]) == row["expected"]
    if row["scan"] != "no":
        assert row["expected"] in _provinces(row["example"])


def test_districts_rows():
    bad = []
    for row in load_tsv("places_districts.tsv"):
        got = find_places(row["example"])
        want = row["expected"] or None
        if not got or got[0].province != want or got[0].kind not in ("district", "city"):
            bad.append((row["example"], want, got))
    assert not bad, bad[:10]


@pytest.mark.parametrize("row", load_tsv("places_merger_2025.tsv"), ids=lambda r: r["province"])
def test_merger_rows(row):
    assert province_2025(row["example"]) == row["expected"]


def test_merger_34_units():
    assert len({r["province_2025"] for r in load_tsv("places_merger_2025.tsv")}) == 34


@pytest.mark.parametrize("row", load_tsv("outlets.tsv"), ids=lambda r: r["tag"])
def test_outlets_rows(row):
    info = outlet_info(row["example"].split(" - ")[0])
    assert info is not None and info[0] == row["expected"]
    assert info[1] == (row["province"] or None)


@pytest.mark.parametrize("row", load_tsv("places_words.tsv"), ids=lambda r: f"{r['role']}:{r['word']}")
def test_words_rows(row):
    role, ex, want = row["role"], row["example"], row["expected"] or None
    if role in ("province_marker", "city_marker", "district_marker", "prefix_ok"):
        assert want in _provinces(ex)
    elif role == "commune_marker":
        assert any(p.kind == "commune" for p in find_places(ex))
    elif role == "not_bare":
        assert not [p for p in find_places(ex) if p.province]
    elif role in ("location_stop", "location_venue"):
        assert meeting_location(ex) == want
    elif role in ("location_not", "location_event"):
        assert meeting_location(ex) is None
    elif role == "central_venue":
        assert article_province(None, ex, None) is None and meeting_location(ex) == row["word"]
    elif role in ("central_body", "takes_up", "leaves", "office_word", "parent_marker", "local_body"):
        # the article's province as facts.py reads it: a central body's meeting has none
        province = article_province(None, ex, None)
        assert (None if central_meeting(None, ex) else province) == want


# ---------------------------------------------------------------- real phrasings (seeds and corpus)

CANON = [
    ("TP.HCM", "Hồ Chí Minh"), ("TPHCM", "Hồ Chí Minh"), ("TP HCM", "Hồ Chí Minh"), ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"), ("Thừa Thiên - Huế", "Thừa Thiên Huế"), ("Thừa Thiên Huế", "Thừa Thiên Huế"),
    ("BR-VT", "Bà Rịa - Vũng Tàu"), ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Hà Nội", "Hà Nội"), ("Hà Tây", "Hà Tây"),
    ("tỉnh Nghệ An", "Nghệ An"), ("Tỉnh Đồng Tháp", "Đồng Tháp"), ("Thanh Hoá", "Thanh Hóa"), ("TP Cần Thơ", "Cần Thơ"),
    ("Lạng Sơn", "Lạng Sơn"), ("Đắc Lắc", "Đắk Lắk"), ("Sài Gòn", "Hồ Chí Minh"), ("Diễn Châu", None), ("", None),
]


@pytest.mark.parametrize("name,want", CANON)
def test_canonical_province(name, want):
    assert canonical_province(name) == want


FIND = [  # (text, [(name, province, kind)])
    ("Về phía lãnh đạo tỉnh Nghệ An có các đồng chí", [("Nghệ An", "Nghệ An", "province")]),
    ("Đảng bộ Nghệ An hiện có 28 đảng bộ trực thuộc", [("Nghệ An", "Nghệ An", "province")]),
    ("Vĩnh Phúc: Tăng cường phát triển Đảng ở DN có vốn đầu tư nước ngoài", [("Vĩnh Phúc", "Vĩnh Phúc", "province")]),
    ("Thành lập Ban Nội chính Thành ủy TP Cần Thơ", [("Cần Thơ", "Cần Thơ", "province")]),
    ("Sáng nay (26/6), tại Diễn Châu, Cụm thi đua số 2", [("Diễn Châu", "Nghệ An", "district")]),
    ("Sáng 6/6, tại Nghi Lộc, Ban tổ chức Tỉnh ủy", [("Nghi Lộc", "Nghệ An", "district")]),
    ("gồm 7 huyện, thành, thị ủy: Quỳnh Lưu, Diễn Châu, Yên Thành, Nghi Lộc, TP Vinh",
     [("Quỳnh Lưu", "Nghệ An", "district"), ("Diễn Châu", "Nghệ An", "district"), ("Yên Thành", "Nghệ An", "district"),
      ("Nghi Lộc", "Nghệ An", "district"), ("Vinh", "Nghệ An", "city")]),
    ("Đảng bộ huyện Thuận Thành (Bắc Ninh) được tiến hành chặt chẽ",
     [("Thuận Thành", "Bắc Ninh", "district"), ("Bắc Ninh", "Bắc Ninh", "province")]),
    ("Quận Cầu Giấy: Nhiều việc thiết thực làm theo gương Bác", [("Cầu Giấy", "Hà Nội", "district")]),
    ("Đảng bộ quận Nam Từ Liêm: Đổi mới tư duy", [("Nam Từ Liêm", "Hà Nội", "district")]),
    ("quận Gò Vấp", [("Gò Vấp", "Hồ Chí Minh", "district")]),
    ("Ông Lê Văn Tâm, Bí thư Quận ủy Cái Răng", [("Cái Răng", "Cần Thơ", "district")]),
    ("nguyên Phó Chủ tịch UBND huyện Cờ Đỏ", [("Cờ Đỏ", "Cần Thơ", "district")]),
    ("huyện Châu Thành", [("Châu Thành", None, "district")]),
    ("Khai mạc Đại hội Đảng bộ TP HCM", [("TP HCM", "Hồ Chí Minh", "province")]),
    ("Đảng ủy Khối cơ sở Bộ Công nghiệp tại TPHCM tổ chức ngày 9-6", [("TPHCM", "Hồ Chí Minh", "province")]),
    ("Bí thư Thành ủy TP. HCM Nguyễn Thiện Nhân", [("TP. HCM", "Hồ Chí Minh", "province")]),
    ("Bí_thư Thành_uỷ TP. HCM Nguyễn_Thiện_Nhân", [("TP. HCM", "Hồ Chí Minh", "province")]),
    ("tạo thuận lợi cơ bản để TP Đà Nẵng tiếp tục", [("Đà Nẵng", "Đà Nẵng", "province")]),
    ("Ủy viên Bộ Chính trị, Bí thư Thành ủy Hà Nội Hoàng Trung Hải", [("Hà Nội", "Hà Nội", "province")]),
    ("các Phó Thủ tướng: Trương Hòa Bình, Phạm Bình Minh", []),
    ("(Ảnh: Thống Nhất/TTXVN)", []),
    ("học tập và làm theo tấm gương đạo đức Hồ Chí Minh", []),
    ("trên địa bàn tỉnh Vĩnh Phúc", [("Vĩnh Phúc", "Vĩnh Phúc", "province")]),
    ("Chi bộ Công ty ở huyện Tam Dương", [("Tam Dương", "Vĩnh Phúc", "district")]),
    ("quận 1 và Quận 12", [("1", "Hồ Chí Minh", "district"), ("12", "Hồ Chí Minh", "district")]),
]


@pytest.mark.parametrize("text,want", FIND)
def test_find_places(text, want):
    got = [(p.name, p.province, p.kind) for p in find_places(normalize_text(text)) if p.kind != "commune"]
    assert got == want


def test_find_places_spans():
    text = "Đảng bộ huyện Thuận Thành (Bắc Ninh)"
    for p in find_places(text):
        assert text[p.start:p.end] == p.text


OUTLETS = [
    ("Baonghean.vn", ("Báo Nghệ An", "Nghệ An")), ("(Baonghean.vn) -", ("Báo Nghệ An", "Nghệ An")),
    ("ĐTO", ("Báo Đồng Tháp", "Đồng Tháp")), ("LSO", ("Báo Lạng Sơn", "Lạng Sơn")), ("HNM", ("Báo Hà Nội Mới", "Hà Nội")),
    ("NLĐ", ("Báo Người Lao Động", None)), ("NLĐO", ("Báo Người Lao Động", None)), ("QĐND", ("Báo Quân đội nhân dân", None)),
    ("TTXVN", ("Thông tấn xã Việt Nam", None)), ("VTC News", ("VTC News", None)), ("Nhân Dân", ("Báo Nhân Dân", None)),
    ("Hà Nội Mới", ("Báo Hà Nội Mới", "Hà Nội")), ("SGGP", ("Báo Sài Gòn Giải Phóng", "Hồ Chí Minh")), ("xyz", None),
]


@pytest.mark.parametrize("tag,want", OUTLETS)
def test_outlet_info(tag, want):
    assert outlet_info(tag) == want


@pytest.mark.parametrize("old,new", [("Nghệ An", "Nghệ An"), ("Lạng Sơn", "Lạng Sơn"), ("Tiền Giang", "Đồng Tháp"),
                                     ("Đồng Tháp", "Đồng Tháp"), ("Hà Tây", "Hà Nội"), ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
                                     ("Thừa Thiên Huế", "Huế"), ("TP.HCM", "Hồ Chí Minh"), ("Hà Giang", "Tuyên Quang"), ("x", None)])
def test_province_2025(old, new):
    assert province_2025(old) == new


LOCATION = [
    ("Sáng nay (26/6), tại Diễn Châu, Cụm thi đua số 2, ngành Tổ chức", "Diễn Châu"),
    ("(Baonghean.vn) - Sáng 6/6, tại Nghi Lộc, Ban tổ chức Tỉnh ủy tổ chức giao ban", "Nghi Lộc"),
    ("Sáng qua, 27-12, tại Hà Nội, Đảng ủy Quân sự Trung ương đã khai mạc", "Hà Nội"),
    ("đã tham dự lễ khai mạc trọng thể Đại hội Đảng lần thứ 8 tại Hội trường thành phố.", "Hội trường thành phố"),
    ("Chiều 20/6, tại Trụ sở Chính phủ, Đảng ủy Văn phòng Chính phủ đã trang trọng tổ chức", "Trụ sở Chính phủ"),
    ("Sáng 31/5, tại Tổng công ty VTC đã diễn ra lễ công bố quyết định", "Tổng công ty VTC"),
    ("Sáng 21/4, Đại hội X tiếp tục làm việc tại Hội trường, thảo luận và biểu quyết", "Hội trường"),
    ("Đại hội Đại biểu Đảng bộ cơ quan Bộ Ngoại giao lần thứ 25 đã khai mạc ngày 10-11 tại Hà Nội với sự tham dự", "Hà Nội"),
    ("Đó là nội dung cuộc tọa đàm do Đảng ủy Khối cơ sở Bộ Công nghiệp tại TPHCM tổ chức ngày 9-6.", None),
    ("Sáng 2-8, Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh tổ chức Hội nghị sơ kết", None),
    ("Người dân làm thủ tục hành chính tại bộ phận “một cửa” UBND quận", None),
    # the stop of a unit's abbreviation does not end the place; a long venue name is kept whole
    ("Sáng 5/6, tại TP.HCM, Chủ tịch Quốc hội dự hội nghị", "TP.HCM"),
    ("Chiều 2/7, hội nghị diễn ra tại TP. Hải Phòng.", "TP. Hải Phòng"),
    ("Sáng 7/2, tại Q.2, Bí thư Thành ủy làm việc với quận", "Q.2"),
    ("Đại hội diễn ra tại Trung tâm Hội nghị tỉnh Sơn La.", "Trung tâm Hội nghị tỉnh Sơn La"),
]


@pytest.mark.parametrize("body,want", LOCATION)
def test_meeting_location(body, want):
    assert meeting_location(body) == want


PROVINCE = [
    ("Giao ban công tác tổ chức xây dựng đảng Cụm 1", "Sáng 6/6, tại Nghi Lộc, Ban tổ chức Tỉnh ủy tổ chức giao ban: Diễn Châu", "Baonghean.vn", "Nghệ An"),
    ("Đảng ủy Khối các cơ quan tỉnh triển khai nhiệm vụ", "Sáng 2-8, Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh tổ chức", None, None),
    ("Tập trung tham mưu", "Sáng ngày 25/7, Ban Tổ chức (BTC) Tỉnh ủy tổ chức hội nghị", "ĐTO", "Đồng Tháp"),
    ("Tiếp tục xây dựng quân đội", "Sáng qua, 27-12, tại Hà Nội, Đảng ủy Quân sự Trung ương đã khai mạc", "NLĐ", None),
    ("100% tổ chức Đảng đạt trong sạch", "Ngày 28-5, đoàn công tác của Quân ủy Trung ương kiểm tra Đảng ủy Sư đoàn 330 (Quân khu 9)", "QĐND", None),
    ("Quận Cầu Giấy: Nhiều việc", "Triển khai Chỉ thị số 03 của Bộ Chính trị", "HNM", "Hà Nội"),
    ("Hai tỉnh", "Đoàn công tác tỉnh Nghệ An làm việc với tỉnh Hà Tĩnh", None, None),
]


@pytest.mark.parametrize("title,body,tag,want", PROVINCE)
def test_article_province(title, body, tag, want):
    assert article_province(title, body, tag) == want


# ---------------------------------------------------------------- gold files (skip if the shared folder is absent)

def _gold():
    out = []
    for gpath, folder in (("gold/seeds.json", "seeds"), ("gold/corpus_dev.json", "corpus/genre")):
        p = SHARED / gpath
        if p.exists():
            for g in json.loads(p.read_text(encoding="utf-8"))["articles"]:
                out.append((folder, g))
    return out


def _load(folder, name):
    t = (SHARED / folder / name).read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    lines = normalize_text(t).split("\n")
    if lines[0].startswith("Mới nhất"):
        lines = lines[1:]
    while lines and not lines[0].strip():
        lines = lines[1:]
    body = "\n".join(lines)
    m = re.search(r"^\s*\(?(Baonghean\.vn|ĐTO|LSO|QĐND|HNM|NLĐO|NLĐ|VTC News)\)?\s*-", body, re.M) or \
        re.search(r"\((NLĐ|HNM)\)", body)
    return lines[0].strip(), body, (m.group(1) if m else None)


GOLD = _gold()


@pytest.mark.skipif(not GOLD, reason="shared gold absent")
@pytest.mark.parametrize("folder,g", GOLD, ids=[g["file"] for _f, g in GOLD] if GOLD else None)
def test_gold_province_and_location(folder, g):
    title, body, tag = _load(folder, g["file"])
    want = g["article"]
    assert article_province(title, body, tag) == want["province"]
    assert meeting_location(body) == want["location"]


# ---------------------------------------------------------------- the lead's sentences, from the body's own

_LEAD_PIECES = ["Ab", "cd", "Đảng", "tại", "Hà Nội", "TP", "Q", "3", "x", ".", "..", "!", "?", "…", "\"", "“", "”",
                "’", "‘", ")", "(", " ", "  ", "\t", "\n", "_"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_LEAD_PIECES), max_size=40), st.integers(0, 7), st.integers(0, 120))
def test_lead_sentences_from_the_bodys_sentences_are_those_of_the_cut_lead(pieces, n, limit):
    """meeting_location reads the first sentences of body[:3000]; taken from sentences(body) when
    lead_sentences_of says they are the same, they must be (here with small limits)."""
    body = "".join(pieces)
    want = sentences(body[:limit].replace("_", " "))[:n]
    assert lead_sentences_of(body, n, sentences(body), limit) == want
    assert lead_sentences_of(body, n, None, limit) == want


def test_meeting_location_with_the_bodys_sentences():
    body = "Hội nghị sơ kết. " * 10 + "Sáng 2/8, hội nghị diễn ra tại Hội trường tỉnh. " + "Đảng viên mới. " * 300
    assert meeting_location(body) is None  # the place is in the 11th sentence: not the lead
    lead = "Sáng 2/8, hội nghị diễn ra tại Hội trường tỉnh. " + body
    assert meeting_location(lead, spans=sentences(lead)) == meeting_location(lead) == "Hội trường tỉnh"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["quận", "Quận", "xã", "phường", "thị trấn", "Tân", "Lập", "hội", "5", "12", "123",
                                 " ", "  ", "\n", "\x1c", ",", "_", "x", "Hà Nội"]), max_size=20), st.integers(0, 300))
def test_a_long_text_finds_the_districts_and_communes_a_short_one_does(pieces, pad):
    """find_places skips the numbered-district and commune searches of a long text when one
    Hyperscan scan says neither can match: padded past that length, a text names the same places."""
    from flows.text import places

    text = " ".join(pieces)
    for k, rx in ((0, places._NUM_DISTRICT), (1, places._COMMUNE_FAST)):
        if next(rx.finditer(text), None) is not None:
            assert k in places._MARKED_PRESENT.present(text), text
    padded = text + " ." * pad
    assert [p for p in find_places(padded) if p.start < len(text)] == [p for p in find_places(text)]
