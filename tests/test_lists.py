"""Numbered lists whose line breaks were lost (flows/text/lists.py)."""
from __future__ import annotations

from hypothesis import given, strategies as st

from flows.extract.people import extract_people
from flows.text.clean import clean_article
from flows.text.lists import split_numbered_items


def test_a_run_together_list_is_put_back_one_item_a_line():
    line = ("1. Hoàng Văn An, Giám đốc Sở Tài chính2. Lê Thị Bình, Bí thư Tỉnh ủy Quảng Trị"
            "3 Trần Văn Cường, Chính ủy Quân khu 74. Đỗ Minh Châu, Thiếu tướng")
    assert split_numbered_items(line).split("\n") == [
        "1. Hoàng Văn An, Giám đốc Sở Tài chính",
        "2. Lê Thị Bình, Bí thư Tỉnh ủy Quảng Trị",
        "3 Trần Văn Cường, Chính ủy Quân khu 7",   # a dot lost in print, and "7" + "4." read by the sequence
        "4. Đỗ Minh Châu, Thiếu tướng",
    ]


def test_a_list_that_starts_mid_way_goes_on_from_its_first_number():
    line = "17. Phạm Văn Hải, Bí thư Huyện ủy Yên Lạc18. Ngô Thị Lan, Phó Chủ tịch UBND tỉnh19. Vũ Đức Long, Thứ trưởng"
    assert split_numbered_items(line).split("\n")[1:] == ["18. Ngô Thị Lan, Phó Chủ tịch UBND tỉnh", "19. Vũ Đức Long, Thứ trưởng"]


def test_prose_and_spaced_lists_are_left_as_they_are():
    for line in [
        "1. Tăng cường công tác xây dựng Đảng 2. Đổi mới phương thức lãnh đạo 3. Kiện toàn tổ chức",  # spaced
        "1. Năm 2019, tỉnh kết nạp 2.658 đảng viên mới, đạt 123,9% kế hoạch.",
        "1. Hoàng Văn An, Giám đốc Sở Tài chính2. Lê Thị Bình, Bí thư",  # two items only
        "Ngày 2. Tháng 3 năm 2019 có 4. Người",
    ]:
        assert split_numbered_items(line) == line


@given(st.lists(st.tuples(st.sampled_from(["Hoàng Văn An", "Lê Thị Bình", "Trần Quốc Vượng", "Y Vêng"]),
                          st.sampled_from(["Bí thư Tỉnh ủy Tây Ninh", "Chính ủy Quân khu 7", "Thứ trưởng Bộ Công an",
                                           "Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương khóa IX", "Đại tướng"])),
                min_size=3, max_size=40),
       st.integers(min_value=1, max_value=150))
def test_any_glued_list_is_split_back_into_its_items(items, first):
    lines = [f"{first + i}. {name}, {title}" for i, (name, title) in enumerate(items)]
    assert split_numbered_items("".join(lines)) == "\n".join(lines)


def test_the_people_of_a_glued_list_keep_their_titles_whole():
    body = clean_article("Danh sách Ban Chấp hành\n1. Hoàng Văn An, Bí thư Tỉnh ủy Tây Ninh2. Lê Thị Bình, Chính ủy "
                         "Quân khu 73. Trần Quốc Vượng, Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương khóa IX4. Ngô Văn Dụ, "
                         "Chánh Văn phòng Trung ương Đảng\n").body
    got = {(p.name, p.title) for p in extract_people(body)}
    assert got == {("Hoàng Văn An", "Bí thư Tỉnh ủy Tây Ninh"), ("Lê Thị Bình", "Chính ủy Quân khu 7"),
                   ("Trần Quốc Vượng", "Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương khóa IX"),
                   ("Ngô Văn Dụ", "Chánh Văn phòng Trung ương Đảng")}
