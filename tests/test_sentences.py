"""Sentence spans (flows/text/sentences.py)."""
from __future__ import annotations

import pytest

from flows.text.sentences import sentences


@pytest.mark.parametrize("text,want", [
    ("Tỉnh đã kết nạp 200 đảng viên. Năm 2019 có 300.", ["Tỉnh đã kết nạp 200 đảng viên.", "Năm 2019 có 300."]),
    # a stop glued to the next sentence, after a word or a bracket
    ("ảnh hưởng đến thu ngân sách nhà nước (NSNN).Tuy nhiên, thành phố vẫn thu đạt.",
     ["ảnh hưởng đến thu ngân sách nhà nước (NSNN).", "Tuy nhiên, thành phố vẫn thu đạt."]),
    ("Hội nghị bế mạc.Sau đó, đoàn đi thăm xã.", ["Hội nghị bế mạc.", "Sau đó, đoàn đi thăm xã."]),
    # abbreviations and initials glued to a name stay in the sentence
    ("TP.Hồ Chí Minh có 24 quận, huyện.", ["TP.Hồ Chí Minh có 24 quận, huyện."]),
    ("ThS.Nguyễn Văn An phát biểu.", ["ThS.Nguyễn Văn An phát biểu."]),
    ("Bài: Th.Dương", ["Bài: Th.Dương"]),
    ("Truy cập Baonghean.vn để đọc.", ["Truy cập Baonghean.vn để đọc."]),
])
def test_sentences(text, want):
    got = sentences(text)
    assert [s for s, _, _ in got] == want
    assert all(text[a:b] == s for s, a, b in got)
