"""Extraction as an ordered tuple of passes over frames (flows/extract/facts.py)."""
from __future__ import annotations

import polars as pl
from hypothesis import given, settings, strategies as st

from flows.extract import facts
from flows.extract.facts import PASSES, extract_article, extract_items
from flows.ingest import ITEMS_SCHEMA
from flows.text.numbers import NUMBER_WORDS, QUANTITY_GATE, find_numbers

ARTICLE = ("Sáng 26/6, Tỉnh ủy Bắc Giang tổ chức hội nghị sơ kết 6 tháng đầu năm 2019. Đồng chí Nguyễn "
           "Văn Linh, Bí thư Tỉnh ủy dự. Trong 6 tháng, toàn tỉnh kết nạp 2.658 đảng viên mới, đạt "
           "123,9% kế hoạch. Các cấp ủy thực hiện Nghị quyết số 09-NQ/TU.\nHội nghị kết thúc lúc 11 giờ.")
OTHER = ("Chiều 2/8, huyện Lục Nam tổng kết công tác năm. Huyện đã kết nạp 35 đảng viên mới. Ông Trần Văn Bình, "
         "Chủ tịch UBND huyện phát biểu.")


def items(*texts: str) -> pl.DataFrame:
    rows = [(f"a{i}.txt", f"/raw/a{i}.txt", f"doc{i}", t, None, None, None) for i, t in enumerate(texts)]
    return pl.DataFrame(rows, schema=ITEMS_SCHEMA, orient="row")


def test_the_passes_in_order():
    assert [p.__name__ for p in PASSES] == ["unique_docs", "article_fields", "split_sentences", "mark_candidates",
                                            "find_metrics", "find_people", "find_documents"]


def test_a_batch_gives_each_article_what_it_gives_alone():
    out = extract_items(items(ARTICLE, OTHER, ARTICLE))  # the third: same text, another doc_id
    assert out["articles"]["doc_id"].to_list() == ["doc0", "doc1", "doc2"]
    for i, text in enumerate((ARTICLE, OTHER)):
        article, metrics, people, documents = extract_article(f"doc{i}", f"a{i}.txt", text)
        assert out["articles"].filter(pl.col("doc_id") == f"doc{i}").row(0)[2:] == article[2:]
        assert out["metrics"].filter(pl.col("doc_id") == f"doc{i}").rows() == metrics
        assert out["people"].filter(pl.col("doc_id") == f"doc{i}").rows() == people
        assert out["documents"].filter(pl.col("doc_id") == f"doc{i}").rows() == documents
    one = extract_article("doc0", "a0.txt", ARTICLE)
    assert [(m[3], m[6], m[11]) for m in one[1]] == [(2658.0, 123.9, "2019-H1")]
    assert [p[1] for p in one[2]] == ["Nguyễn Văn Linh"]
    assert [d[2] for d in one[3]] == ["09-NQ/TU"]


def test_one_doc_id_twice_is_extracted_once():
    batch = items(ARTICLE, OTHER).with_columns(pl.lit("same").alias("doc_id"))
    out = extract_items(batch)
    assert out["articles"].height == 1 and out["articles"]["source_path"][0] == "a0.txt"


def test_an_article_failing_in_a_late_pass_goes_to_quarantine_with_none_of_its_rows(monkeypatch):
    alone = extract_items(items(OTHER))
    assert alone["metrics"].height and alone["people"].height  # the failing article has rows of its own
    real = facts.extract_people

    def fails_on_other(body, sents=None):
        if "Lục Nam" in body:
            raise RuntimeError("boom")
        return real(body, sents)
    monkeypatch.setattr(facts, "extract_people", fails_on_other)
    out = extract_items(items(ARTICLE, OTHER))
    assert out["articles"]["doc_id"].to_list() == ["doc0"]
    assert out["quarantine"].rows() == [("a1.txt", "doc1", "extract_error", "RuntimeError: boom")]
    for name in ("metrics", "people", "documents"):
        assert set(out[name]["doc_id"]) <= {"doc0"}
    assert out["metrics"].height and out["people"].height  # the other article keeps its rows


def test_the_sentence_frame_marks_the_sentences_that_can_hold_a_quantity():
    work = facts.Work(items(ARTICLE))
    for p in PASSES[:4]:
        work = p(work)
    marked = dict(work.sentences.select("sentence", "has_quantity").iter_rows())
    assert marked["Đồng chí Nguyễn Văn Linh, Bí thư Tỉnh ủy dự."] is False
    assert marked["Các cấp ủy thực hiện Nghị quyết số 09-NQ/TU."] is True
    assert all(marked[s] for s in marked if "2.658" in s)


# Words and pieces a quantity is made of, and words that are not numbers.
_PIECES = list(NUMBER_WORDS) + [w.capitalize() for w in NUMBER_WORDS] + [
    "12", "2.658", "7,09", "%", "đảng viên", "người", "tỷ đồng", "Năm", "năm", "tháng", "đạt", "XII", "khóa",
    "Ba Đình", "Đỗ Mười", " ", ", ", ". ", "/", "-", "hơn", "gần", "\x1c", "\u200c", "linh", "Linh"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_the_quantity_gate_keeps_every_sentence_that_holds_a_quantity(pieces):
    """numbers.QUANTITY_GATE, run by Polars, is true wherever find_numbers reads a quantity."""
    text = " ".join(pieces)
    gate = pl.Series([text]).str.contains(QUANTITY_GATE)[0]
    if any(m.is_quantity for m in find_numbers(text)):
        assert gate, text


def test_the_quantity_gate_on_plain_text():
    texts = ["Hội nghị diễn ra trang trọng.", "Tỉnh có 12 xã.", "Hai đồng chí được khen.", "Khóa XII.",
             "Bí thư Nguyễn Văn Linh dự.", "Năm nay tỉnh tăng trưởng khá.", "năm trăm đảng viên", "hai\u200cngười"]
    assert pl.Series(texts).str.contains(QUANTITY_GATE).to_list() == [False, True, True, False,
                                                                       False, False, True, True]
    assert [any(m.is_quantity for m in find_numbers(t)) for t in texts] == [False, True, True, False,
                                                                             False, False, True, True]
