"""Article cleaning (flows/text/clean.py)."""
from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path


import pytest

from .conftest import gold_articles, need
from hypothesis import HealthCheck, given, settings, strategies as st

from flows.text.clean import clean_article, cut_caption, is_segmented, unsegment
from flows.text.numbers import read_tsv

SHARED = Path(__file__).resolve().parents[2] / "shared"
TITLE = "Ban Tổ chức Tỉnh ủy sơ kết công tác 6 tháng đầu năm"
LEAD = "Sáng 2-8, Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh tổ chức Hội nghị sơ kết công tác xây dựng Đảng."
PARA = ("Năm 2014, toàn đảng bộ tỉnh đã kết nạp được 2.658 đảng viên mới, đạt 123,9% kế hoạch, nâng tổng số "
        "đảng viên mới trong toàn tỉnh lên 54.968 đảng viên.")


def _art(*lines: str) -> str:
    return "\n".join(lines)


# ------------------------------------------------------------------ data-file integrity

@pytest.mark.parametrize("row", [r for r in read_tsv("clean_lines.tsv") if r["role"] != "datelabel"],
                         ids=lambda r: r["example"][:25])
def test_line_rows(row):
    c = clean_article(_art(TITLE, LEAD, row["example"], PARA))
    if row["expected"] == "cut_rest":
        assert c.body == _art(TITLE, LEAD)
    else:
        assert c.body == _art(TITLE, LEAD, PARA)


@pytest.mark.parametrize("row", [r for r in read_tsv("clean_lines.tsv") if r["role"] == "datelabel"])
def test_datelabel_rows(row):
    c = clean_article(_art(TITLE, row["example"], LEAD, PARA))
    assert c.published_text == row["example"] and c.published_at is not None


@pytest.mark.parametrize("row", read_tsv("clean_outlets.tsv"), ids=lambda r: r["tag"])
def test_outlet_rows(row):
    c = clean_article(_art(TITLE, row["example"], PARA))
    assert c.outlet_tag == row["expected"]
    assert c.body.split("\n")[1] == row["example"].split(row["expected"], 1)[1].lstrip(") -–:")


@pytest.mark.parametrize("row", read_tsv("clean_byline.tsv"), ids=lambda r: r["phrase"])
def test_byline_rows(row):
    c = clean_article(_art(TITLE, LEAD, PARA, row["example"]))
    if row["expected"] == "-":
        assert c.byline is None
    else:
        assert c.byline == row["expected"] and c.body == _art(TITLE, LEAD, PARA)


@pytest.mark.parametrize("row", read_tsv("clean_lead_starters.tsv"), ids=lambda r: r["example"][:25])
def test_lead_starter_rows(row):
    assert clean_article(_art(row["example"], PARA)).title is None
    long_first = TITLE + " của tỉnh " + row["example"] + " " + PARA
    c = clean_article(_art(long_first, "Hội nghị đã thảo luận nhiều vấn đề quan trọng."))
    assert c.title == TITLE + " của tỉnh"


# ------------------------------------------------------------------ real phrasings

PUBLISHED = [
    ("11:13, 26/06/2019", datetime(2019, 6, 26, 11, 13)),
    ("Cập nhật lúc 15:34, Thứ Sáu, 02/08/2019 (GMT+7)", datetime(2019, 8, 2, 15, 34)),
    ("Cập nhật ngày: 25/07/2020 13:05:15", datetime(2020, 7, 25, 13, 5, 15)),
    ("Thứ sáu,  14/05/2021", datetime(2021, 5, 14)),
    ("28/05/13 06:23 GMT+7", datetime(2013, 5, 28, 6, 23)),
    ("31/05/13 11:37 GMT+7", datetime(2013, 5, 31, 11, 37)),
]


@pytest.mark.parametrize("line, dt", PUBLISHED)
def test_published_line_after_title(line, dt):
    c = clean_article(_art(TITLE, line, LEAD, PARA))
    assert (c.published_at, c.published_text, c.title) == (dt, " ".join(line.split()) if "  " in line else line, TITLE)
    assert line not in c.body


@pytest.mark.parametrize("line, dt", PUBLISHED[:4])
def test_published_line_first(line, dt):
    c = clean_article(_art(line, TITLE, LEAD, PARA))
    assert c.published_at == dt and c.title == TITLE


BYLINES = [
    ("Bùi Thọ - Cảnh Hồng", "Bùi Thọ - Cảnh Hồng"), ("P.L", "P.L"), ("M.V.H", "M.V.H"), ("Duy Tiến", "Duy Tiến"),
    ("Khánh Ly", "Khánh Ly"), ("Bài và ảnh: ĐẶNG LÊ NAM HẢI", "ĐẶNG LÊ NAM HẢI"),
    ("Quỳnh Hoa (TTXVN)", "Quỳnh Hoa (TTXVN)"), ("Theo VFF", "Theo VFF"), ("Minh Thà/KD&PL", "Minh Thà/KD&PL"),
    ("Xuân Hoa tổng hợp", "Xuân Hoa"), ("Văn Sơn  (TTXVN)", "Văn Sơn (TTXVN)"), ("PHƯỚC LỘC", "PHƯỚC LỘC"),
]


@pytest.mark.parametrize("line, by", BYLINES)
def test_byline_line(line, by):
    c = clean_article(_art(TITLE, LEAD, PARA, line, " ", ","))
    assert c.byline == by and c.body == _art(TITLE, LEAD, PARA)


GLUED = [
    ("thực hiện tốt Chỉ thị 03 của Bộ Chính trị...PHƯỚC LỘC", "thực hiện tốt Chỉ thị 03 của Bộ Chính trị...", "PHƯỚC LỘC"),
    ("xứng đáng với sự tin tưởng của Đảng ủy Tổng công ty.Hà Thanh", "xứng đáng với sự tin tưởng của Đảng ủy Tổng công ty.",
     "Hà Thanh"),
    ("kiểm tra, giám sát việc thực hiện Nghị quyết tại Đảng bộ.Bài và ảnh: ĐẶNG LÊ NAM HẢI",
     "kiểm tra, giám sát việc thực hiện Nghị quyết tại Đảng bộ.", "ĐẶNG LÊ NAM HẢI"),
    ("hiện thực hóa nghị quyết của Đảng vào cuộc sống. Quốc Bình ", "hiện thực hóa nghị quyết của Đảng vào cuộc sống.",
     "Quốc Bình"),
    ("đầu tư dự án. N.Mạnh", "đầu tư dự án.", "N.Mạnh"),
]


@pytest.mark.parametrize("last, kept, by", GLUED)
def test_byline_glued(last, kept, by):
    c = clean_article(_art(TITLE, LEAD, last))
    assert c.byline == by and c.body.split("\n")[-1] == kept


def test_source_line_inside_is_not_byline():
    c = clean_article(_art(TITLE, "Theo TTXVN, trong 5 năm qua, Đảng ủy Quân sự Trung ương đã làm tốt.", PARA))
    assert c.byline is None


def test_photo_credit_is_not_byline():
    assert clean_article(_art(TITLE, LEAD, PARA, "Ảnh: H. Thúy")).byline is None


TAGS = [
    ("(Baonghean.vn) - Sáng 6/6, tại Nghi Lộc, Ban tổ chức Tỉnh ủy", "Baonghean.vn"),
    ("ĐTO - Sáng ngày 25/7, Ban Tổ chức (BTC) Tỉnh ủy", "ĐTO"),
    ("LSO-Ngày 10/2/2015, Ban Tổ chức Tỉnh ủy tổ chức hội nghị", "LSO"),
    ("(NLĐ)- Sáng 14-2, tại Hội trường TPHCM", "NLĐ"),
    ("(HNM) - Thời gian qua, Đảng bộ quận Cầu Giấy", "HNM"),
    ("QĐND - Ngày 28-5, đoàn công tác của Quân ủy Trung ương", "QĐND"),
    ("(VTC News) - Đảng bộ Tổng công ty truyền thông đa phương tiện", "VTC News"),
    ("(Chinhphu.vn) - Thủ tướng Chính phủ vừa ký quyết định", "Chinhphu.vn"),
]


@pytest.mark.parametrize("lead, tag", TAGS)
def test_outlet_tag(lead, tag):
    c = clean_article(_art(TITLE, lead, PARA))
    assert c.outlet_tag == tag
    assert not c.body.split("\n")[1].startswith(("(", tag))


@pytest.mark.parametrize("first, title", [
    (" Tiếp tục xây dựng quân đội chính quy, tinh nhuệ (NLĐ) - Sáng qua, 27-12, tại Hà Nội, Đảng ủy Quân sự Trung "
     "ương đã khai mạc Đại hội.", "Tiếp tục xây dựng quân đội chính quy, tinh nhuệ"),
    (" Nâng cao năng lực lãnh đạo của Đảng tại công ty cổ phần Đó là nội dung cuộc tọa đàm do Đảng ủy Khối cơ sở Bộ "
     "Công nghiệp tại TPHCM tổ chức ngày 9-6. Cuộc tọa đàm nhằm tìm câu trả lời cho những vấn đề nội dung.",
     "Nâng cao năng lực lãnh đạo của Đảng tại công ty cổ phần"),
    (" Vĩnh Phúc: Tăng cường phát triển Đảng ở DN có vốn đầu tư nước ngoài Vĩnh Phúc hiện đang thu hút 66 dự án đầu "
     "tư nước ngoài. Các doanh nghiệp đã đóng góp hàng ngàn tỷ đồng vào ngân sách nhà nước.",
     "Vĩnh Phúc: Tăng cường phát triển Đảng ở DN có vốn đầu tư nước ngoài"),
    (" Phấn đấu vì sự phát triển của báo chí cách mạng 9h sáng nay, 21-4, tại Thái Nguyên, Hội Nhà báo Việt Nam kết "
     "hợp với Thành ủy tỉnh Thái Nguyên long trọng tổ chức lễ kỷ niệm.", "Phấn đấu vì sự phát triển của báo chí cách mạng"),
    ("Sáng nay 18/4, sau các nghi thức khai mạc và diễn văn khai mạc Đại hội đại biểu toàn quốc lần thứ X.", None),
    ("&gt;&gt; Danh sách ủy viên chính thức và ủy viên dự khuyết BCH T.Ư Đảng khóa X", None),
    ("'Công tác cán bộ quyết định sự thành bại'", "'Công tác cán bộ quyết định sự thành bại'"),
])
def test_title(first, title):
    c = clean_article(_art(first, PARA))
    assert c.title == title
    if title:
        assert c.body.split("\n")[0] == title


def test_normalisation():
    raw = "\ufeffTiêu đề Tỉnh uỷ\r\nDòng\u00a0một   có  khoảng\ttrắng &amp; thực thể\rDòng hai\ufeff."
    c = clean_article(raw)
    assert c.body == "Tiêu đề Tỉnh ủy\nDòng một có khoảng trắng & thực thể\nDòng hai."


def test_repeated_caption_and_punct():
    c = clean_article(_art(TITLE, LEAD, "Các đại biểu tham dự hội nghị.", "Các đại biểu tham dự hội nghị.", ".", PARA))
    assert c.body == _art(TITLE, LEAD, "Các đại biểu tham dự hội nghị.", PARA)


def test_trailing_page_metadata():
    c = clean_article(_art(TITLE, "QĐND - " + LEAD, PARA + "PHƯỚC LỘC", "28/05/13 22:59 GMT+7", "Xã hội",
                           "Lương Cường,Tự phê bình,Sư đoàn,Đảng ủy", "QĐND"))
    assert c.published_at == datetime(2013, 5, 28, 22, 59)
    assert c.byline == "PHƯỚC LỘC" and c.outlet_tag == "QĐND"
    assert c.body == _art(TITLE, LEAD, PARA)


SEG = ("Quy_hoạch cán_bộ không để sót người có năng_lực\n\nTrưởng_ban Tổ_chức : Không có chuyện ' chạy chức ' "
       "ở cấp Trung_ương .\nNăm 2018 , toàn Đảng_bộ TP. HCM đã kết_nạp được hơn 9.160 đảng_viên mới , đạt 7 % "
       "( theo báo_cáo ) ngày 19 / 1 . Ông nói : \" đây là kết_quả tốt \" .")


def test_segmented():
    assert is_segmented(SEG)
    c = clean_article(SEG)
    assert c.segmented
    assert c.title == "Quy hoạch cán bộ không để sót người có năng lực"
    assert "Trưởng ban Tổ chức: Không có chuyện 'chạy chức' ở cấp Trung ương." in c.body
    assert "kết nạp được hơn 9.160 đảng viên mới, đạt 7% (theo báo cáo) ngày 19/1." in c.body
    assert 'Ông nói: "đây là kết quả tốt".' in c.body
    assert not is_segmented(unsegment(SEG))


def test_not_segmented():
    assert not is_segmented(_art(TITLE, LEAD, PARA, "Email: ban_to_chuc@example.vn"))


# ------------------------------------------------------------------ gold articles



@pytest.mark.parametrize("path, art", gold_articles(), ids=lambda x: x.name if isinstance(x, Path) else "")
def test_gold_article_fields(path, art):
    if not path.exists():
        pytest.skip("shared data absent")
    raw = path.read_text(encoding="utf-8")
    c = clean_article(raw)
    assert c.title == art["title"]
    assert (c.published_at.isoformat() if c.published_at else None) == art["published_at"]
    assert c.byline == art["byline"]
    if c.title:
        assert c.body.split("\n")[0] == c.title
    assert clean_article(c.body).body == c.body
    nfd = unicodedata.normalize("NFD", raw)
    assert clean_article(nfd) == c


def test_seed_outlets_and_bodies():
    seeds = SHARED / "seeds"
    if not seeds.exists():
        pytest.skip("seeds absent")
    got = {p.name[:3]: clean_article(p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))}
    assert [got[k].outlet_tag for k in sorted(got)] == [None, None, "ĐTO", "LSO", "Baonghean.vn"]
    b0 = got["000"].body
    assert "Mới nhất" not in b0 and "Sự kiện liên quan" not in b0 and "Xem thêm" not in b0 and "11:13" not in b0
    assert "Gửi bình luận" not in got["002"].body
    assert got["001"].body.count("Các đại biểu tham dự hội nghị.") == 1
    assert not got["001"].body.endswith(",")


# ------------------------------------------------------------------ properties

_WORDS = ["Đảng", "bộ", "tỉnh", "kết nạp", "2.658", "đảng viên", "Sáng 2-8,", "(NLĐ) -", "Bùi Thọ", "P.L", "hội nghị",
          "Tỉnh uỷ", "&gt;&gt;", "\ufeff", "\u00a0", ".", ",", "Xem thêm", "11:13, 26/06/2019", "Theo", "TTXVN",
          "sơ_kết", "Hà_Nội", " , ", "ĐTO -", "Quỳnh Hoa (TTXVN)", "Gửi bình luận của bạn", "  "]
_line = st.lists(st.sampled_from(_WORDS), min_size=0, max_size=12).map(" ".join)
_doc = st.tuples(st.lists(_line, min_size=1, max_size=8), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda t: t[1].join(t[0]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_doc)
def test_idempotent_generated(doc):
    once = clean_article(doc).body
    assert clean_article(once).body == once


@settings(max_examples=150, deadline=None)
@given(_doc)
def test_nfc_twin_generated(doc):
    assert clean_article(unicodedata.normalize("NFD", doc)) == clean_article(unicodedata.normalize("NFC", doc))


def test_idempotent_seeds_and_genre():
    root = SHARED / "corpus" / "genre"
    paths = sorted((SHARED / "seeds").glob("*.txt")) + sorted(root.glob("*.txt"))
    if not paths:
        pytest.skip("shared data absent")
    for p in paths:
        once = clean_article(p.read_text(encoding="utf-8")).body
        assert clean_article(once).body == once, p.name


@pytest.mark.slow
def test_whole_corpus_cleans():
    """Every corpus article keeps a body with its words (cleaning removes lines, never the text
    of the article), NFC, one kind of line end, no word-segmenting underscores, its title as its
    first line, the same when cleaned again."""
    paths = sorted(need(SHARED / "corpus").glob("*/*.txt"))
    assert len(paths) > 3000
    for p in paths:
        raw = p.read_text(encoding="utf-8")
        c = clean_article(raw)
        assert c.body.strip() and len(c.body) >= 0.3 * len(raw.strip()), p.name
        assert unicodedata.is_normalized("NFC", c.body)
        assert "\r" not in c.body and "\ufeff" not in c.body and c.body == c.body.strip(), p.name
        assert not c.segmented or not re.search(r"[^\W\d_]_[^\W\d_]", c.body), p.name  # "đảng_viên" undone
        assert c.title is None or " ".join(c.body.split("\n")).startswith(c.title), p.name  # may span lines
        assert clean_article(c.body).body == c.body, p.name


@pytest.mark.parametrize("row", read_tsv("clean_caption_starters.tsv"), ids=lambda r: r["word"])
def test_caption_run_into_the_headline_is_cut(row):
    c = clean_article(row["example"])
    assert c.title == row["expected"]
    assert not c.body.startswith(row["expected"] + " " + row["word"])


def test_headline_without_credit_keeps_its_capitals():
    assert cut_caption("Đồng chí Lê Văn Nam làm Bí thư Huyện ủy") == "Đồng chí Lê Văn Nam làm Bí thư Huyện ủy"


@pytest.mark.parametrize("last,want", [
    ("Ông Dân nhấn mạnh./. Ngọc Hân/VOV-ĐBSCL", "Ngọc Hân/VOV-ĐBSCL"),
    ("Dự án hoàn thành trong năm nay. Minh Khoa/VOV-Tây Bắc", "Minh Khoa/VOV-Tây Bắc"),
    ("Công ty có ba nhà máy. Trần Văn Hùng/Viêng Chăn (Vietnam+)", "Trần Văn Hùng/Viêng Chăn (Vietnam+)"),
    ("Ông làm ăn với nhiều công ty. Trung Trực (theo Al Jazeera)", "Trung Trực (theo Al Jazeera)"),
    ("Thành phố phải chủ động huy động vốn. Theo Báo Chính phủ", "Theo Báo Chính phủ"),
    ("Hội nghị thống nhất các giải pháp. Theo Cổng thông tin điện tử tỉnh", "Theo Cổng thông tin điện tử tỉnh"),
])
def test_byline_with_an_agency_or_source(last, want):
    c = clean_article("Tỉnh ủy tổng kết công tác năm 2019\nSáng 5/1, Tỉnh ủy tổ chức hội nghị tổng kết.\n" + last)
    assert c.byline == want
    assert want not in c.body
