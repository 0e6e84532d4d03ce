"""Fact assembly per article (flows/extract/facts.py), on the bundled samples."""
from __future__ import annotations

import unicodedata

import pytest

from flows.extract.facts import extract_article

from .conftest import RAW

SAMPLES = sorted(RAW.glob("*.txt"))


def facts(text: str):
    article, metrics, people, documents = extract_article("doc", "a.txt", text)
    return article, metrics, people, documents


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("form", ["NFD", "NFKD"])
def test_non_nfc_copy_yields_the_facts_of_its_nfc_twin(path, form):
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    twin = unicodedata.normalize(form, text) if form == "NFD" else _old_tone_style(text)
    assert twin != text
    assert facts(twin) == facts(text)


def _old_tone_style(text: str) -> str:
    """The same text written with the old tone-mark style ("ủy" -> "uỷ", "hòa" -> "hoà")."""
    for new, old in (("ủy", "uỷ"), ("Ủy", "Uỷ"), ("hòa", "hoà"), ("thúy", "thuý"), ("khỏe", "khoẻ")):
        text = text.replace(new, old)
    return text


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_fact_points_at_its_sentence_in_the_body(path):
    article, metrics, people, documents = facts(path.read_text(encoding="utf-8"))
    body = article[13]
    for row in metrics:
        sentence, start, end = row[-3:]
        assert body[start:end] == sentence
    for row in people + documents:
        sentence, start, end = row[-3:]
        assert body[start:end] == sentence


def test_a_far_future_printed_date_is_dropped_not_loaded():
    text = ("Hội nghị sơ kết công tác xây dựng Đảng 6 tháng đầu năm\n"
            "Cập nhật lúc 15:34, Thứ Sáu, 02/08/2099 (GMT+7)\n"
            "Sáng 2-8, Ban Thường vụ Đảng ủy tổ chức Hội nghị sơ kết công tác xây dựng Đảng.")
    article, *_ = facts(text)
    assert article[5] is None and article[6] is None  # published_at, event_date
