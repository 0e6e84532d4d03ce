"""Integrity of the extraction rules kept as data (flows/data): every row's example does what
the row says."""
from __future__ import annotations

import pytest

from flows.datafiles import read_tsv
from flows.extract.meeting import meeting_kind_of
from flows.extract.metrics import RULES, classify
from flows.extract.scope import scope_of
from flows.extract.topic import _PATTERN as TOPIC_PATTERN, on_topic

from .conftest import RAW

METRIC_ROWS = [r for r in read_tsv("metrics_phrases.tsv")]


@pytest.mark.parametrize("row", METRIC_ROWS, ids=[f"{r['metric']}:{r['expected_value']}" for r in METRIC_ROWS])
def test_metric_phrase_example(row):
    hits = [(h.metric, h.value) for h in classify(row["example"])]
    assert (row["metric"], float(row["expected_value"])) in hits, hits


NOT_CANONICAL_ROWS = read_tsv("metrics_not_canonical.tsv")


@pytest.mark.parametrize("row,column", [(r, c) for r in NOT_CANONICAL_ROWS for c in ("example", "example2")],
                         ids=lambda v: v["name"] if isinstance(v, dict) else v)
def test_not_canonical_example(row, column):
    """Each row keeps a figure of its own example a plain quantity: a rule of metrics_phrases.tsv
    reads it as one of the row's metrics, and this row (the first that fires) blocks it."""
    hits = classify(row[column])
    assert not [h for h in hits if h.metric], hits
    blocked = [(h.blocked_metric, h.blocked_by) for h in hits if h.blocked_by]
    assert any(name == row["name"] for _m, name in blocked), blocked
    wanted = None if row["metrics"] == "*" else set(row["metrics"].split(","))
    assert all(wanted is None or m in wanted for m, name in blocked if name == row["name"])


def test_every_not_canonical_row_names_vocabulary_metrics():
    vocab = {r["metric"] for r in read_tsv("metrics_vocabulary.tsv")}
    for row in NOT_CANONICAL_ROWS:
        assert row["metrics"] == "*" or set(row["metrics"].split(",")) <= vocab, row["name"]
        assert set(row["where"].split(",")) <= {"clause", "before", "after"}, row["name"]


def test_off_topic_articles_keep_numbers_as_quantities():
    sentence = "Năm 2014, toàn đảng bộ tỉnh đã kết nạp được 2.658 đảng viên mới, đạt 123,9% kế hoạch"
    assert [(h.metric, h.value) for h in classify(sentence)] == [("party_members_admitted", 2658.0)]
    off = classify(sentence, on_topic=False)
    assert [(h.metric, h.value, h.unit, h.blocked_metric, h.blocked_by) for h in off] == [
        (None, 2658.0, "đảng viên mới", "party_members_admitted", "off_topic")]


@pytest.mark.parametrize("row", read_tsv("metrics_subjects.tsv"), ids=lambda r: r["word"])
def test_subject_example(row):
    """In an off-topic article the word lets its example's figure through; without any subject
    the same kind of figure stays a quantity."""
    hits = classify(row["example"], on_topic=False)
    assert [h.metric for h in hits if h.metric] and not [h for h in hits if h.blocked_by == "no_subject"], hits


@pytest.mark.parametrize("sentence", ["Nền kinh tế tăng trưởng 4,2% trong quý từ tháng 4 đến tháng 6.",
                                      "Mức tăng trưởng kinh tế 1,2% mỗi năm vẫn chưa đủ bù đắp nhu cầu."])
def test_off_topic_economic_figure_without_subject_is_a_quantity(sentence):
    assert [(h.metric, h.blocked_by) for h in classify(sentence, on_topic=False)] == [
        (None, "no_subject")]
    assert [h.metric for h in classify(sentence)] == ["grdp_growth_pct"]


def test_metric_rules_name_vocabulary_metrics():
    vocab = {r["metric"]: r["unit"] for r in read_tsv("metrics_vocabulary.tsv")}
    for rule in RULES:
        assert vocab.get(rule.metric) == rule.unit, rule.metric


@pytest.mark.parametrize("row", read_tsv("scope_not_names.tsv"), ids=lambda r: r["word"])
def test_scope_not_name_example(row):
    hits = [h for h in classify(row["example"]) if h.metric]
    assert hits, row["example"]
    for h in hits:
        assert scope_of(row["example"], h.mention.start, h.mention.end, None, "") == (None, False)


@pytest.mark.parametrize("row", read_tsv("meeting_kinds.tsv"), ids=lambda r: r["kind"])
def test_meeting_kind_example(row):
    assert meeting_kind_of(row["example"]) == row["kind"]


@pytest.mark.parametrize("text", [
    "Xây dựng đội ngũ cán bộ là công việc hệ trọng, đã được đề cập tại Nghị quyết Hội nghị Trung ương 7 khóa XII.",
    "Quán triệt Nghị quyết Hội nghị Trung ương 4 khóa XII, các chi bộ đã rà soát quy hoạch cán bộ.",
])
def test_a_document_named_after_a_plenum_is_no_gathering(text):
    assert meeting_kind_of(text) is None


@pytest.mark.parametrize("row", read_tsv("topic_terms.tsv"), ids=lambda r: r["term"])
def test_topic_term_example(row):
    assert row["term"] in [m.group(0).lower() for m in TOPIC_PATTERN.finditer(row["example"])]


@pytest.mark.parametrize("row", read_tsv("scope_units.tsv"), ids=lambda r: r["phrase"])
def test_scope_unit_example(row):
    import re
    figure = list(re.finditer(r"\d[\d.]*", row["example"]))[-1]  # the figure is the last number
    scope, national = scope_of(row["example"], figure.start(), figure.end(), "Giao ban Cụm 1", "")
    want = row["kind"]
    if want == "national":
        assert national and scope is None
    elif want == "cluster":
        assert scope == "Cụm 1"  # the cluster the article names
    elif want == "province":
        assert not national and scope is None
    else:
        assert not national and scope and row["phrase"] in scope.lower(), scope


@pytest.mark.parametrize("sentence,expected", [
    ("Tính đến ngày 25/6/2020, toàn tỉnh có 497/567 tổ chức cơ sở đảng đã tổ chức đại hội (đạt 87,65%).",
     [("grassroots_congresses_held", 497.0)]),
    ("Năm 2018 toàn Đảng bộ TP đã kết nạp được hơn 9.160 đảng viên mới.", [("party_members_admitted", 9160.0)]),
    ("Đến hết năm 2017, toàn Đảng có gần 5 triệu đảng viên.", [("party_members_total", 5e6)]),
    # growth read from "GRDP/GDP/tổng sản phẩm ... tăng N%" and "GRDP 9 tháng ước đạt N%" (no "tăng trưởng")
    ("Tổng sản phẩm trên địa bàn tỉnh ước tăng 8,2% so với cùng kỳ.", [("grdp_growth_pct", 8.2)]),
    ("GRDP 9 tháng ước đạt 7,1%, cao hơn cùng kỳ.", [("grdp_growth_pct", 7.1)]),
    ("Quý III, GDP cả nước tăng 6,9% so với cùng kỳ năm trước.", [("grdp_growth_pct", 6.9)]),
    # items of one list share the words before the first ("hiện có A, B và C")
    ("Đảng bộ huyện hiện có 12 đảng bộ trực thuộc, 85 tổ chức cơ sở đảng, 6.400 đảng viên.",
     [("party_committees_direct", 12.0), ("grassroots_orgs_total", 85.0), ("party_members_total", 6400.0)]),
    ("Toàn tỉnh hiện có 640 tổ chức cơ sở đảng; 41.200 đảng viên.",
     [("grassroots_orgs_total", 640.0), ("party_members_total", 41200.0)]),
    ("Thành phố có 37 chi bộ và 1.950 đảng viên.", [("party_members_total", 1950.0)]),
    # admissions and totals told by their noun phrase first ("số đảng viên mới được kết nạp là N")
    ("Số đảng viên mới được kết nạp là 450 đồng chí.", [("party_members_admitted", 450.0)]),
    ("Các chi bộ đã kết nạp 2.658 quần chúng ưu tú vào Đảng.", [("party_members_admitted", 2658.0)]),
    ("Tổng số đảng viên toàn Đảng bộ là 45.210 đồng chí.", [("party_members_total", 45210.0)]),
    # a subgroup's admissions are quantities (FACTS.md)
    ("Kết nạp 85 đảng viên là người dân tộc thiểu số.", []),
    # a total counted in "đồng chí"
    ("Năm 2019 kết nạp 312 đảng viên, nâng tổng số đảng viên của huyện lên 9.870 đồng chí.",
     [("party_members_admitted", 312.0), ("party_members_total", 9870.0)]),
    # "NSNN" is "ngân sách nhà nước"
    ("Tổng thu NSNN trên địa bàn năm 2019 đạt 12.500 tỷ đồng.", [("budget_revenue_vnd", 1.25e13)]),
    ("Thu NSNN 6 tháng ước đạt 3.200 tỷ đồng, bằng 55% dự toán.", [("budget_revenue_vnd", 3.2e12)]),
    ("Đảng bộ Liksin có 68 đảng viên; trong đó, 79,41% có trình độ đại học trở lên.", [("party_members_total", 68.0)]),
    ("gần 400 đại biểu đại diện cho trên 126.000 đảng viên TP HCM", [("party_members_total", 126000.0)]),
    # not metrics: targets, attendance, discipline, a past size, surveys, shares
    ("Năm 2015 phấn đấu kết nạp 20 đảng viên mới.", []),
    ("Tham dự hội nghị có 182 đảng viên.", []),
    ("có 32 đảng viên phải kiểm điểm, xem xét xử lý kỷ luật", []),
    ("từ khi chỉ có 3 đảng viên, đến nay chi bộ đã phát triển được 23 đảng viên",
     [("party_members_admitted", 23.0)]),
    ("Ban đã khảo sát tại 10 Đảng bộ trực thuộc Trung ương.", []),
    ("Với tốc độ tăng trưởng doanh thu đạt 33,49%/năm, công ty phát triển mạnh.", []),
])
def test_canonical_metrics_in_real_phrasings(sentence, expected):
    assert [(h.metric, h.value) for h in classify(sentence) if h.metric] == expected


def test_bundled_samples_are_on_topic():
    for path in sorted(RAW.glob("*.txt")):
        from flows.text.clean import clean_article
        assert on_topic(clean_article(path.read_text(encoding="utf-8")).body), path.name


# --- encodings (flows/ingest.py decodes legacy Vietnamese files with these) ---------------------

def test_encoding_syllable_examples():
    import re
    bad = [r["syllable"] for r in read_tsv("encoding_syllables.tsv")
           if r["syllable"] not in re.findall(r"[^\W\d_]+", r["example"].lower())
           or r["syllable"].isascii() or int(r["count"]) < 10]
    assert bad == []


@pytest.mark.parametrize("row", read_tsv("encoding_tcvn3.tsv"), ids=lambda r: r["byte"])
def test_encoding_tcvn3_row(row):
    from flows.ingest import decode_tcvn3
    from .bad_input import encode_tcvn3
    assert decode_tcvn3(bytes.fromhex(row["byte"])) == row["char"]
    assert row["char"] in row["example"]
    encoded = encode_tcvn3(row["example"])
    assert bytes.fromhex(row["byte"]) in encoded and decode_tcvn3(encoded) == row["example"]


def test_encoding_tcvn3_agrees_with_iconv():
    """glibc's iconv knows TCVN 5712 (VN1, a superset of the VN3 bytes in the table)."""
    import shutil
    import subprocess
    import unicodedata
    if not shutil.which("iconv"):
        pytest.skip("no iconv here")
    rows = read_tsv("encoding_tcvn3.tsv")
    out = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=bytes(int(r["byte"], 16) for r in rows),
                         capture_output=True, check=True).stdout.decode("utf-8")
    assert list(unicodedata.normalize("NFC", out)) == [r["char"] for r in rows]


@pytest.mark.parametrize("row", read_tsv("encoding_vni.tsv"), ids=lambda r: r["bytes"])
def test_encoding_vni_row(row):
    from flows.ingest import decode_vni
    from .bad_input import encode_vni
    data = bytes.fromhex(row["bytes"])
    assert data.decode("cp1252") == row["vni"]  # the glyphs an ordinary font shows
    assert decode_vni(data) == row["char"] and row["char"] in row["example"]
    encoded = encode_vni(row["example"])
    assert data in encoded and decode_vni(encoded) == row["example"]


def test_encoding_vni_has_every_vietnamese_letter():
    import unicodedata
    letters = {r["char"] for r in read_tsv("encoding_vni.tsv")}
    base = "aăâeêioôơuưy"
    want = {unicodedata.normalize("NFC", v + t) for v in base for t in ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")}
    want = (want - set(base) | set("ăâêôơư") | {"đ"}) - set("aeiouy")
    assert letters == want | {c.upper() for c in want}


@pytest.mark.parametrize("sentence,title,body,want", [
    # a bare unit noun is the unit the article names (its headline first, else the only one in its body)
    ("Tốc độ tăng trưởng kinh tế của huyện đạt 11,5%.", "Anh Sơn: kinh tế tăng trưởng khá",
     "Huyện Anh Sơn tổng kết năm. Tốc độ tăng trưởng kinh tế của huyện đạt 11,5%.", "huyện Anh Sơn"),
    ("Toàn quận đã kết nạp 85 đảng viên mới.", "Quận Ba Đình tổng kết công tác xây dựng Đảng",
     "Toàn quận đã kết nạp 85 đảng viên mới.", "quận Ba Đình"),
    ("Năm qua, xã đã kết nạp 12 đảng viên.", None, "Đảng bộ xã Nghi Phong tổng kết. Năm qua, xã đã kết nạp 12 đảng viên.",
     "xã Nghi Phong"),
    # two units named: the bare noun stays as written; a plural is not the article's unit
    ("Toàn huyện đã kết nạp 120 đảng viên.", None, "Huyện Diễn Châu và huyện Yên Thành. Toàn huyện đã kết nạp 120 đảng viên.",
     "huyện"),
    ("Các huyện đã kết nạp 120 đảng viên.", None, "Huyện Diễn Châu tổng kết. Các huyện đã kết nạp 120 đảng viên.", "huyện"),
])
def test_bare_unit_noun_is_the_articles_unit(sentence, title, body, want):
    hit = next(h for h in classify(sentence) if h.metric)
    assert scope_of(sentence, hit.mention.start, hit.mention.end, title, body) == (want, False)


@pytest.mark.parametrize("text,kind", [
    ("Ngày 31.5, tại Hà Nội, Đại hội Công đoàn Báo Lao Động diễn ra với sự tham dự của 100 đại biểu", "dai_hoi"),
    ("Đại hội Hội Nông dân huyện lần thứ X đã khai mạc sáng nay", "dai_hoi"),
    ("Đại hội Đảng bộ tỉnh sẽ diễn ra vào tháng 10, Tỉnh ủy họp bàn công tác chuẩn bị", None),
])
def test_congress_told_with_the_verb_after(text, kind):
    assert meeting_kind_of(text) == kind
