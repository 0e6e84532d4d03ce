"""A synthetic corpus for the benchmark: N article files in the style of ../shared/seeds and
../shared/corpus.

    python -m bench.generate --out DIR --n N [--seed S] [--general-share 0.5] [--jobs J]

Each article is one UTF-8 .txt file, as saved from a news page: an optional navigation line,
the headline, a date line, a lead paragraph (with an outlet tag such as "(Baonghean.vn) -" or
"LSO-"), body paragraphs, photo captions, a byline, and trailing noise ("Tin liên quan" with
link lines, "Gửi bình luận của bạn", keyword lines). Two kinds of article:

- genre articles (Party organization-building news): half-year, nine-month, quarter and year
  reviews ("sơ kết 6 tháng đầu năm", "tổng kết năm"), cluster briefings ("giao ban"),
  congresses, appointments and Party-badge ceremonies, with the sentences the extractor reads,
  in varied phrasings: "kết nạp được 2.658 đảng viên mới, đạt 123,9% kế hoạch", "hiện có 28
  đảng bộ trực thuộc với hơn 190.000 đảng viên", "497/567 tổ chức cơ sở đảng đã tổ chức đại
  hội (đạt 87,65%)", commendations, officials with their titles ("Đồng chí Phan Văn Thắng -
  Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Tổ chức Tỉnh ủy"), documents ("Nghị quyết số
  09-NQ/TU", "Chỉ thị số 05-CT/TW của Bộ Chính trị"), targets that are not facts ("phấn đấu
  kết nạp ...");
- general news (economy, farming, traffic, schools, health, government decisions), which the
  real corpus is mostly made of: counts, money and percentages, officials, decisions.

Places, outlets, surnames and district names come from flows/data (the project's own
knowledge), years from 2010 to 2025, numbers in Vietnamese notation (2.658; 123,9%). Lengths
follow the real corpus (median about 3.5 KB, 10% under 1.7 KB, 10% over 7.5 KB). Some files
have CRLF line endings or the old tone-mark style ("Tỉnh uỷ"), as real ones do.

Article i depends only on (seed, i): the same seed gives the same bytes, and a corpus of n
articles is the first n articles of a bigger one. Files go 1,000 to a folder
(DIR/0000/0000000.txt ...). A hidden `.bench-corpus.json` in DIR records n, seed and the
generator version, so a benchmark can reuse a corpus it finds complete.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DATA = PROJECT / "flows" / "data"
PER_FOLDER = 1000
MARKER = ".bench-corpus.json"
GENERAL_SHARE = 0.5


def _tsv(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"))) for ln in lines[1:]]


@dataclass(frozen=True)
class Place:
    name: str
    city: bool  # a centrally-run city: "Thành ủy", "thành phố"
    districts: tuple[str, ...]
    outlet_tags: tuple[str, ...]


@lru_cache(maxsize=1)
def places() -> tuple[Place, ...]:
    districts: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    for r in _tsv("places_districts.tsv"):
        seen[r["name"]] = seen.get(r["name"], 0) + 1
    for r in _tsv("places_districts.tsv"):
        if r.get("province") and seen[r["name"]] == 1 and r["type"] in ("huyện", "quận", "thị xã"):
            districts.setdefault(r["province"], []).append(f"{r['type']} {r['name']}")
    tags: dict[str, list[str]] = {}
    for r in _tsv("outlets.tsv"):
        if r.get("province"):
            tags.setdefault(r["province"], []).append(r["tag"])
    out = []
    for r in _tsv("places_provinces.tsv"):
        name = r["province"]
        out.append(Place(name, r["type"] == "thành phố", tuple(districts.get(name, ())) or ("huyện Trung Tâm",),
                         tuple(tags.get(name, ()))))
    return tuple(out)


@lru_cache(maxsize=1)
def surnames() -> tuple[str, ...]:
    return tuple(r["surname"] for r in _tsv("titles_surnames.tsv"))


NATIONAL_TAGS = ("(Chinhphu.vn)", "(Toquoc)", "(NLĐ)", "(Dân trí)", "(TTXVN)", "(VOV)", "(Nhân Dân)")
MIDDLE = ("Văn", "Thị", "Đình", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Xuân", "Đức", "Công", "Mạnh", "Kim",
          "Hồng", "Trọng", "Bá", "Thế", "Quang", "Tiến", "Phúc")
GIVEN = ("Thông", "Hợp", "Kiểm", "Lậm", "Quế", "Thắng", "Hùng", "Lan", "Hoa", "Nam", "Sơn", "Hải", "Bình", "Dũng",
         "Tuấn", "Hương", "Long", "Phong", "Thành", "Trung", "Khánh", "Vinh", "Hòa", "Tâm", "Cường", "Linh",
         "Quân", "Huy", "Đạt", "Hiếu", "Nga", "Thủy", "Việt", "Tùng", "Duy", "Lực", "Chiến", "Thịnh")
BYLINES = ("Duy Tiến", "P.L", "M.V.H", "Khánh Ly", "Bùi Thọ - Cảnh Hồng", "Bài và ảnh: Thu Hằng", "Tin, ảnh: Văn Long",
           "Minh Thu", "Hoàng Diên", "Xuân Hoa tổng hợp", "Theo TTXVN", "Ngọc Anh", "Thanh Tùng", "Bài, ảnh: Quốc Huy")
NAV = ("Mới nhất Tin nóng Media Magazine Infographic Tin ảnh", "Trang chủ | Tin mới | Đọc nhiều | Video")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
         "XVII", "XVIII", "XIX", "XX", "XXI", "XXII")
CATEGORIES = ("Xã hội", "Chính trị", "Kinh tế", "Thời sự", "Giáo dục", "Sức khỏe")

# Sentences with no figure: the bulk of a real article. {P} the province, {U} the organizing
# committee, {Y} the year.
GENRE_FILLER = (
    "Công tác tuyên truyền chủ nghĩa Mác - Lênin, tư tưởng Hồ Chí Minh, đường lối, chủ trương của Đảng, chính sách, pháp luật của Nhà nước được cấp ủy các cấp quan tâm thường xuyên.",
    "Việc học tập, quán triệt các chỉ thị, nghị quyết, quy định, kết luận của Trung ương, của {U} đến cán bộ, đảng viên và quần chúng được tổ chức kịp thời.",
    "Bên cạnh những kết quả đạt được, công tác xây dựng Đảng vẫn còn tồn tại, hạn chế như: chất lượng sinh hoạt của một số chi bộ có mặt còn hạn chế; công tác phát triển đảng viên ở một số nơi chưa được chú trọng.",
    "Tại hội nghị, các đại biểu đã tập trung thảo luận, chia sẻ kinh nghiệm, cách làm hay trong công tác tổ chức xây dựng Đảng thời gian qua.",
    "Công tác cán bộ được thực hiện kịp thời, đúng quy trình, bảo đảm dân chủ, khách quan.",
    "Các cấp ủy đã tập trung lãnh đạo, chỉ đạo nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng và chất lượng đội ngũ đảng viên.",
    "Công tác quy hoạch, đào tạo, bồi dưỡng, luân chuyển cán bộ được thực hiện chủ động, có chất lượng hơn.",
    "Việc sắp xếp tổ chức bộ máy, tinh giản biên chế gắn với cơ cấu lại và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức tiếp tục được triển khai.",
    "Công tác bảo vệ chính trị nội bộ được quan tâm; việc thẩm định, xác minh lịch sử chính trị được thực hiện chặt chẽ.",
    "Công tác kiểm tra, giám sát được tăng cường, góp phần giữ vững kỷ luật, kỷ cương trong Đảng.",
    "Bên cạnh đó, một số địa phương chưa có lộ trình, kế hoạch cụ thể trong việc thực hiện tinh giản biên chế.",
    "Công tác bồi dưỡng, phát triển đảng viên mới, nhất là ở những nơi chưa có chi bộ đảng, vùng nông thôn được các đơn vị quan tâm.",
    "Đồng chí đề nghị các cấp ủy tiếp tục đổi mới nội dung, phương thức sinh hoạt chi bộ, nâng cao chất lượng sinh hoạt chuyên đề.",
    "Hội nghị cũng chỉ rõ những khuyết điểm, hạn chế, yếu kém cần tiếp tục khắc phục trong thời gian tới.",
    "Nhiệm vụ trọng tâm thời gian tới là tiếp tục nâng cao chất lượng công tác tham mưu cho cấp ủy về công tác tổ chức, cán bộ.",
    "Các đơn vị đã đề ra nhiều giải pháp nhằm củng cố, kiện toàn tổ chức cơ sở đảng, xóa chi bộ yếu kém.",
    "Việc thực hiện quy chế dân chủ ở cơ sở được chú trọng, tạo sự đồng thuận trong Nhân dân.",
    "Đảng bộ {P} luôn coi trọng và tập trung chăm lo công tác xây dựng Đảng và hệ thống chính trị các cấp.",
    "Qua đó góp phần nâng cao chất lượng công tác xây dựng Đảng của địa phương, đơn vị mình.",
    "Công tác đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên được thực hiện thực chất hơn, khắc phục tình trạng nể nang, né tránh.",
    "Các cấp ủy đã chỉ đạo chuẩn bị chu đáo nội dung văn kiện và phương án nhân sự đại hội theo đúng hướng dẫn của cấp trên.",
    "Tiếp tục đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị.",
    "Công tác dân vận của các cấp ủy, chính quyền được tăng cường, phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội.",
    "Tình hình chính trị, trật tự an toàn xã hội trên địa bàn {P} cơ bản ổn định.",
    "Các đại biểu đề xuất, kiến nghị tỉnh, Trung ương tháo gỡ những khó khăn, vướng mắc trong quá trình thực hiện nhiệm vụ.",
    "Việc chuẩn bị nhân sự cấp ủy cơ sở ở đơn vị sự nghiệp, doanh nghiệp một số nơi chưa bảo đảm về số lượng, trình độ lý luận chính trị.",
    "Đồng thời, tăng cường tuyên truyền về đại hội đảng bộ các cấp, tạo không khí phấn khởi trong cán bộ, đảng viên và Nhân dân.",
    "Các tổ chức cơ sở đảng tiếp tục thực hiện tốt việc quản lý hồ sơ đảng viên, thu nộp đảng phí theo quy định.",
)
GENERAL_FILLER = {
    "economy": (
        "Theo các chuyên gia, lãi suất không còn là yếu tố chính gây khó khăn cho doanh nghiệp nhỏ và vừa.",
        "Gốc rễ chính là cơ cấu kinh tế chưa hợp lý, chi tiêu của người dân giảm, sức mua giảm.",
        "Nhiều doanh nghiệp cho biết thủ tục hành chính đã được cải thiện đáng kể so với trước.",
        "Các ngân hàng thương mại được yêu cầu tiếp tục cơ cấu lại nợ, hỗ trợ khách hàng gặp khó khăn.",
        "Thị trường bất động sản có dấu hiệu phục hồi ở một số phân khúc.",
        "Giá xăng dầu trong nước được điều chỉnh theo biến động của thị trường thế giới.",
    ),
    "farming": (
        "Nông dân trong vùng đang tất bật xuống giống vụ mới sau khi nước lũ rút.",
        "Ngành nông nghiệp khuyến cáo bà con không nên ồ ạt mở rộng diện tích khi chưa có đầu ra ổn định.",
        "Thời tiết nắng nóng kéo dài khiến nhiều diện tích lúa bị thiếu nước tưới.",
        "Thương lái thu mua tại ruộng với giá thấp hơn cùng kỳ năm trước.",
        "Dịch bệnh trên gia cầm đã được khống chế, không để lây lan ra diện rộng.",
    ),
    "traffic": (
        "Lực lượng cảnh sát giao thông đã tăng cường tuần tra, kiểm soát trên các tuyến quốc lộ trọng điểm.",
        "Nguyên nhân ban đầu được xác định là do tài xế chạy quá tốc độ, không làm chủ tay lái.",
        "Cơ quan chức năng đang tiếp tục điều tra làm rõ vụ việc.",
        "Nhiều tuyến đường nội thành thường xuyên ùn tắc vào giờ cao điểm.",
        "Người dân được khuyến cáo đội mũ bảo hiểm đạt chuẩn khi tham gia giao thông.",
    ),
    "school": (
        "Năm học mới, ngành giáo dục tập trung nâng cao chất lượng dạy và học, đổi mới phương pháp giảng dạy.",
        "Nhiều trường học ở vùng sâu, vùng xa vẫn còn thiếu phòng học, thiếu giáo viên.",
        "Phụ huynh lo lắng trước tình trạng lạm thu đầu năm học.",
        "Bộ Giáo dục và Đào tạo yêu cầu các địa phương bảo đảm an toàn cho học sinh trong mùa mưa lũ.",
        "Kỳ thi diễn ra an toàn, nghiêm túc, đúng quy chế.",
    ),
    "health": (
        "Ngành y tế khuyến cáo người dân chủ động phòng bệnh, giữ vệ sinh cá nhân và môi trường sống.",
        "Các bệnh viện tuyến tỉnh thường xuyên trong tình trạng quá tải.",
        "Cơ quan chức năng đã lấy mẫu kiểm nghiệm và tiến hành phun hóa chất xử lý ổ dịch.",
        "Bệnh nhân được chuyển lên tuyến trên điều trị và hiện sức khỏe đã ổn định.",
        "Chương trình tiêm chủng mở rộng được triển khai tại tất cả các xã, phường.",
    ),
    "culture": (
        "Theo ban tổ chức, liên hoan có nhiều hoạt động chính như ẩm thực, làng nghề và biểu diễn nghệ thuật dân gian.",
        "Mục tiêu chính của lễ hội là quảng bá hình ảnh, con người và văn hóa của địa phương.",
        "Du khách sẽ không phải mua vé vào cổng khi tham gia các hoạt động của chương trình.",
        "Nhiều nghệ nhân cao tuổi đã tham gia trình diễn các làn điệu dân ca truyền thống.",
        "Chương trình được truyền hình trực tiếp trên sóng của đài truyền hình địa phương.",
    ),
}
# Compositional filler: subject + predicate + object + tail gives thousands of distinct sentences,
# so a long article does not repeat itself.
GENRE_SUBJECTS = ("Các cấp ủy", "Ban Tổ chức các huyện, thị, thành ủy", "Cấp ủy các tổ chức cơ sở đảng",
                  "Các đảng ủy trực thuộc", "Ban Thường vụ {U}", "Các chi bộ", "Đảng ủy các xã, phường, thị trấn",
                  "Ủy ban Kiểm tra các cấp", "Ban Tuyên giáo các cấp", "Các cơ quan tham mưu, giúp việc {U}",
                  "Đội ngũ cán bộ làm công tác tổ chức", "Nhiều địa phương, đơn vị")
GENRE_PREDICATES = ("đã tập trung lãnh đạo, chỉ đạo", "tiếp tục quan tâm", "đã chủ động tham mưu về",
                    "đã triển khai đồng bộ", "cần tiếp tục đẩy mạnh", "đã làm tốt", "chưa thực sự chú trọng",
                    "đã phối hợp chặt chẽ trong", "thường xuyên kiểm tra, đôn đốc", "đã cụ thể hóa và thực hiện tốt",
                    "còn lúng túng trong")
GENRE_OBJECTS = ("công tác phát triển đảng viên", "việc nâng cao chất lượng sinh hoạt chi bộ",
                 "công tác quy hoạch, đào tạo cán bộ", "việc sắp xếp tổ chức bộ máy", "công tác bảo vệ chính trị nội bộ",
                 "việc kiểm tra, giám sát", "công tác tuyên truyền, giáo dục chính trị tư tưởng",
                 "việc thực hiện quy chế dân chủ ở cơ sở", "công tác quản lý đảng viên", "công tác thi đua, khen thưởng",
                 "công tác dân vận", "việc thu nộp đảng phí", "công tác chuẩn bị đại hội", "việc luân chuyển cán bộ")
GENRE_TAILS = ("", " theo đúng quy định", ", góp phần xây dựng Đảng bộ trong sạch, vững mạnh", " trong tình hình mới",
               ", bảo đảm chất lượng, hiệu quả", " ở cơ sở", ", nhất là ở vùng sâu, vùng xa",
               " gắn với nhiệm vụ chính trị của địa phương", ", tạo chuyển biến rõ rệt", " trên địa bàn {P}")
GENERAL_SUBJECTS = ("Chính quyền địa phương", "Các sở, ngành liên quan", "Người dân", "Nhiều doanh nghiệp",
                    "Cơ quan chức năng", "Ủy ban nhân dân các huyện", "Lãnh đạo {U}", "Các đơn vị", "Ngành chức năng")
GENERAL_PREDICATES = ("đã chủ động", "đang khẩn trương", "cần tăng cường", "được yêu cầu đẩy mạnh",
                      "kiến nghị tháo gỡ khó khăn trong", "đã phối hợp", "gặp nhiều khó khăn trong", "tập trung")
GENERAL_OBJECTS = {
    "economy": ("thu hút đầu tư", "giải ngân vốn đầu tư công", "hỗ trợ doanh nghiệp tiếp cận vốn", "cải cách thủ tục hành chính",
                "phát triển thị trường", "thu ngân sách"),
    "farming": ("chuyển đổi cơ cấu cây trồng", "phòng chống dịch bệnh gia súc, gia cầm", "tiêu thụ nông sản",
                "xây dựng nông thôn mới", "khắc phục hậu quả thiên tai"),
    "traffic": ("kiểm soát tải trọng xe", "xử lý vi phạm nồng độ cồn", "sửa chữa các điểm đen giao thông",
                "tuyên truyền an toàn giao thông", "giải tỏa hành lang an toàn đường bộ"),
    "school": ("sửa chữa trường lớp", "tuyển dụng giáo viên", "đổi mới chương trình, sách giáo khoa",
               "phòng chống đuối nước cho học sinh", "kiên cố hóa trường học"),
    "health": ("giám sát dịch bệnh", "khám chữa bệnh cho người nghèo", "kiểm tra an toàn thực phẩm",
               "nâng cao chất lượng y tế cơ sở", "tiêm chủng cho trẻ em"),
    "culture": ("bảo tồn di sản văn hóa", "phát triển du lịch cộng đồng", "tổ chức lễ hội", "quảng bá sản phẩm làng nghề",
                "xây dựng đời sống văn hóa ở khu dân cư"),
}
GENERAL_TAILS = ("", " trong thời gian tới", " theo chỉ đạo của Chính phủ", ", bảo đảm đúng tiến độ", " trên địa bàn {P}",
                 " ngay từ đầu năm", ", tránh gây bức xúc trong dư luận")
RELATED_HEADLINES = (
    "Nâng cao chất lượng sinh hoạt chi bộ", "Trao Huy hiệu Đảng cho đảng viên lão thành",
    "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15", "Giá lúa tăng nhẹ", "Khai mạc liên hoan ẩm thực",
    "Đổi mới công tác tuyên truyền", "Tăng cường phòng, chống dịch bệnh", "Bảo đảm an toàn giao thông dịp lễ",
)


def _dname(district: str) -> str:
    """'thị xã Phú Thọ' -> 'Phú Thọ'."""
    for kind in ("thị xã ", "huyện ", "quận "):
        if district.startswith(kind):
            return district[len(kind):]
    return district


def _dcommittee(district: str) -> str:
    return "Quận ủy" if district.startswith("quận") else ("Thị ủy" if district.startswith("thị xã") else "Huyện ủy")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def vn_int(n: int) -> str:
    """2658 -> '2.658' (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


def vn_dec(x: float, places: int = 1) -> str:
    """123.9 -> '123,9'."""
    return f"{x:.{places}f}".replace(".", ",")


class Writer:
    """One article from its own random stream."""

    def __init__(self, seed: int, i: int, general_share: float):
        self.r = random.Random(f"bench:{seed}:{i}")
        self.i = i
        self.general_share = general_share

    # -- small pieces -------------------------------------------------------------------------
    def name(self) -> str:
        r = self.r
        given = r.choice(GIVEN) if r.random() < 0.7 else f"{r.choice(MIDDLE)} {r.choice(GIVEN)}"
        return f"{r.choice(surnames())} {r.choice(MIDDLE)} {given}"

    def qualifier(self) -> str:
        return self.r.choice(("", "", "", "hơn ", "gần ", "trên ", "khoảng "))

    def date_line(self, d: date, r: random.Random) -> str:
        h, m = r.randint(6, 21), r.randint(0, 59)
        return r.choice((
            f"{h:02d}:{m:02d}, {d:%d/%m/%Y}",
            f"Cập nhật lúc {h:02d}:{m:02d}, {WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y} (GMT+7)",
            f"Cập nhật ngày: {d:%d/%m/%Y} {h:02d}:{m:02d}:{r.randint(0, 59):02d}",
            f"{WEEKDAYS[d.weekday()]}, {d:%d/%m/%Y} {h:02d}:{m:02d}",
            f"Ngày {d:%d/%m/%Y}",
        ))

    def target_length(self) -> int:
        # lognormal fitted to ../shared/corpus: median ~3.5 KB, p10 ~1.7 KB, p90 ~7.5 KB
        return int(min(30_000, max(900, math.exp(self.r.gauss(math.log(2900), 0.58)))))

    def filler(self, pool: tuple, fmt: dict) -> str:
        """One sentence without a figure: a written one, or a composed one (subject, predicate,
        object, tail), so that long articles rarely repeat a sentence."""
        x = self.r.getrandbits(64)  # one draw for every choice of the sentence (random.choice is slow)
        written, subjects, predicates, objects, tails = pool
        if x % 10 < 3:
            s = written[(x // 10) % len(written)]
        else:
            x //= 10
            x, a = divmod(x, len(subjects))
            x, b = divmod(x, len(predicates))
            x, c = divmod(x, len(objects))
            s = f"{subjects[a]} {predicates[b]} {objects[c]}{tails[x % len(tails)]}."
        return s.format(**fmt) if "{" in s else s

    def fill(self, paragraphs: list[str], pool: tuple, size: int, fmt: dict) -> list[str]:
        """Add paragraphs of filler sentences until the text reaches about `size` bytes."""
        r = self.r
        total = sum(len(p) for p in paragraphs) * 1.15  # ~1.15 UTF-8 bytes a character in Vietnamese
        while total < size:
            para = " ".join(self.filler(pool, fmt) for _ in range(r.randint(2, 5)))
            paragraphs.insert(r.randint(0, len(paragraphs)), para)
            total += len(para) * 1.15 + 2
        return paragraphs

    def trailer(self, d: date) -> list[str]:
        r = self.r
        out = []
        x = r.random()
        if x < 0.25:
            out += ["Tin liên quan"] + [r.choice(RELATED_HEADLINES) for _ in range(r.randint(2, 4))]
        elif x < 0.4:
            out += ["Sự kiện liên quan", "Xem thêm sự kiện"]
        elif x < 0.55:
            out.append("Gửi bình luận của bạn")
        elif x < 0.7:
            out += [f"{d:%d/%m/%y} {r.randint(6, 21):02d}:{r.randint(0, 59):02d} GMT+7", r.choice(CATEGORIES)]
        return out

    # -- the article ----------------------------------------------------------------------------
    def text(self) -> str:
        self.is_general = general = self.r.random() < self.general_share
        lines = self.general() if general else self.genre()
        text = "\n".join(lines) + "\n"
        if self.r.random() < 0.1:
            text = text.replace("ủy", "uỷ").replace("Ủy", "Uỷ")  # the old tone-mark style
        if self.r.random() < 0.2:
            text = text.replace("\n", "\r\n")
        return text

    def committee(self, place: Place) -> tuple[str, str, str]:
        """(the provincial committee, 'tỉnh'/'thành phố', the provincial Party body)."""
        if place.city:
            return "Thành ủy", "thành phố", "Đảng bộ thành phố"
        return "Tỉnh ủy", "tỉnh", "Đảng bộ tỉnh"

    def officials(self, place: Place, n: int) -> list[tuple[str, str]]:
        r = self.r
        cu, unit, _ = self.committee(place)
        district = r.choice(place.districts)
        titles = [f"Bí thư {cu}", f"Phó Bí thư {cu}", f"Phó Bí thư Thường trực {cu}",
                  f"Ủy viên Ban Thường vụ {cu}, Trưởng Ban Tổ chức {cu}", f"Phó Trưởng Ban Tổ chức {cu}",
                  f"Chủ tịch UBND {unit}", f"Phó Chủ tịch Ủy ban nhân dân {unit}", f"Chủ tịch HĐND {unit}",
                  f"Chủ nhiệm Ủy ban Kiểm tra {cu}", f"Trưởng Ban Tuyên giáo {cu}",
                  f"Bí thư {_dcommittee(district)} {_dname(district)}",
                  f"Bí thư Đảng ủy Khối các cơ quan {unit}", f"Ủy viên Trung ương Đảng, Bí thư {cu}",
                  f"UV BTV, trưởng ban tổ chức {cu}"]
        return [(self.name(), t) for t in r.sample(titles, n)]

    def genre(self) -> list[str]:
        r = self.r
        place = r.choice(places())
        cu, unit, body_name = self.committee(place)
        kind = r.choices(("review", "briefing", "congress", "personnel", "badge"), (45, 10, 15, 15, 15))[0]
        year = r.randint(2010, 2025)
        district = r.choice(place.districts)
        people = self.officials(place, r.randint(1, 4))
        facts: list[str] = []  # sentences with figures, people or documents, spread over the body
        organizer = r.choice((f"Ban Tổ chức {cu}", f"Ban Thường vụ {cu}", f"Đảng ủy Khối các cơ quan {unit}",
                              f"Ban Thường vụ {_dcommittee(district)} {_dname(district)}"))
        chair_name, chair_title = people[0]

        if kind == "review":
            pk = r.choices(("H1", "Y", "9M", "Q"), (45, 35, 10, 10))[0]
            year = min(year, 2024) if pk == "Y" else year
            if pk == "H1":
                period, plan = f"6 tháng đầu năm {year}", f"6 tháng cuối năm {year}"
                ev = date(year, r.choice((6, 7)), r.randint(1, 28))
                head_word, meeting = "sơ kết", r.choice(("sơ kết", "sơ kết"))
            elif pk == "9M":
                period, plan = f"9 tháng đầu năm {year}", f"3 tháng cuối năm {year}"
                ev = date(year, r.choice((9, 10)), r.randint(1, 28))
                head_word, meeting = "đánh giá kết quả", "sơ kết"
            elif pk == "Q":
                q = r.randint(1, 3)
                period, plan = f"quý {ROMAN[q - 1]} năm {year}", f"quý {ROMAN[q]} năm {year}"
                ev = date(year, 3 * q + 1 if q < 4 else 12, r.randint(1, 25))
                head_word, meeting = "báo cáo kết quả", "giao ban"
            else:
                period, plan = f"năm {year}", f"năm {year + 1}"
                ev = r.choice((date(year, 12, r.randint(10, 28)), date(year + 1, r.choice((1, 2)), r.randint(1, 28))))
                head_word, meeting = "tổng kết", "tổng kết"
            title = r.choice((
                f"{organizer} {meeting} công tác xây dựng Đảng {period}",
                f"{body_name.replace('Đảng bộ', 'Đảng bộ')} {place.name} {head_word} công tác tổ chức xây dựng Đảng {period}",
                f"Ngành Tổ chức xây dựng Đảng {place.name} triển khai nhiệm vụ {plan}",
                f"{meeting.capitalize()} công tác tổ chức xây dựng Đảng {period}",
            ))
            lead = (f"{ev:%d/%m}" if r.random() < 0.5 else f"{ev.day}-{ev.month}")
            lead = (f"{r.choice(('Sáng', 'Chiều', 'Ngày'))} {lead}, {organizer} tổ chức hội nghị {meeting} công tác "
                    f"{r.choice(('xây dựng Đảng', 'tổ chức xây dựng Đảng'))} {period}, triển khai nhiệm vụ {plan}. "
                    f"Đồng chí {chair_name} - {chair_title} chủ trì hội nghị.")
            facts += self.review_metrics(place, period, year, pk)
        elif kind == "briefing":
            year = r.randint(2010, 2025)
            ev = date(year, 6, r.randint(1, 28))
            cluster = r.randint(1, 5)
            title = f"Giao ban công tác tổ chức xây dựng đảng Cụm {cluster}"
            towns = ", ".join(_dname(d) for d in r.sample(place.districts, min(len(place.districts), r.randint(3, 7))))
            lead = (f"Sáng {ev.day}/{ev.month}, tại {_dname(district)}, Ban tổ chức {cu} tổ chức giao ban công tác xây dựng đảng "
                    f"Cụm {cluster}, gồm các huyện, thành, thị ủy: {towns}. Đồng chí {chair_name}- {chair_title} chủ trì hội nghị.")
            n = r.randint(150, 2500)
            facts.append(f"Tính đến hết tháng 5 năm {year}, toàn cụm đã kết nạp được {vn_int(n)} đảng viên mới "
                         f"(đạt {r.randint(30, 60)}% kế hoạch)…")
            facts.append(f"Sau hội nghị kiểm điểm, các đơn vị đã đề ra được {r.randint(20, 80)} việc cần làm ngay và phân công trách nhiệm thực hiện.")
        elif kind == "congress":
            y1 = r.choice((2010, 2015, 2020, 2025))
            year = y1
            ev = date(y1, r.randint(5, 10), r.randint(1, 28))
            nth = r.randint(8, 21)
            title = r.choice((f"Khai mạc Đại hội Đảng bộ {district} lần thứ {ROMAN[nth - 1]}, nhiệm kỳ {y1} - {y1 + 5}",
                              f"Đại hội đại biểu {body_name} {place.name} lần thứ {ROMAN[nth - 1]}",
                              f"Tập trung chuẩn bị tốt Đại hội Đảng bộ các cấp nhiệm kỳ {y1}-{y1 + 5}"))
            delegates = r.randint(150, 450)
            total = r.randint(3000, 250000) if "tỉnh" in title or "thành phố" in title else r.randint(2000, 15000)
            lead = (f"Sáng {ev.day}/{ev.month}, Đảng bộ {district} long trọng khai mạc Đại hội đại biểu lần thứ {ROMAN[nth - 1]}, "
                    f"nhiệm kỳ {y1} - {y1 + 5} với {delegates} đại biểu đại diện cho {self.qualifier()}{vn_int(total)} đảng viên "
                    f"trong toàn Đảng bộ. Dự đại hội có đồng chí {chair_name}, {chair_title}.")
            a = r.randint(100, 900)
            b = a + r.randint(0, 200)
            facts.append(f"Tính đến ngày {r.randint(1, 28)}/{ev.month}/{y1}, toàn {unit} có {a}/{b} tổ chức cơ sở đảng đã tổ chức "
                         f"đại hội (đạt {vn_dec(100 * a / b, 2)}%).")
            facts.append(f"Nhiệm kỳ qua, Đảng bộ đã kết nạp {vn_int(r.randint(300, 3000))} đảng viên mới, "
                         f"{r.choice(('vượt', 'đạt'))} {vn_dec(r.uniform(95, 130), 1)}% chỉ tiêu nghị quyết.")
            facts.append(f"Đại hội bầu Ban Chấp hành Đảng bộ khóa mới gồm {r.randint(35, 55)} đồng chí.")
        elif kind == "personnel":
            ev = date(year, r.randint(1, 12), r.randint(1, 28))
            new_name, new_title = people[-1]
            title = r.choice((f"{_cap(new_title.split(',')[-1].strip())} {place.name} có tân {r.choice(('Bí thư', 'Phó Bí thư'))}",
                              f"Công bố quyết định của Ban Bí thư về công tác cán bộ tại {place.name}",
                              f"Đồng chí {new_name} giữ chức {new_title}"))
            code = f"{r.randint(100, 999)}-QĐNS/TW"
            lead = (f"Ngày {ev.day}/{ev.month}, Ban Chấp hành {body_name} {place.name} tổ chức hội nghị công bố quyết định "
                    f"của Ban Bí thư Trung ương Đảng về công tác cán bộ. Theo Quyết định số {code} ngày "
                    f"{max(1, ev.day - 2)}/{ev.month}/{ev.year} của Ban Bí thư, đồng chí {new_name} được chỉ định giữ chức {new_title}.")
            born = r.randint(1960, 1980)
            facts.append(f"Đồng chí {new_name} sinh năm {born}, quê quán {r.choice(place.districts)}, tỉnh {place.name}, "
                         f"vào Đảng năm {born + r.randint(20, 28)}, trình độ chuyên môn thạc sỹ.")
        else:  # badge
            ev = date(year, r.choice((1, 2, 5, 9, 11)), r.randint(1, 28))
            yrs = r.choice((30, 40, 45, 50, 55, 60, 65, 70, 75))
            n = r.randint(8, 400)
            title = f"{place.name}: Trao Huy hiệu Đảng cho {n} đảng viên"
            lead = (f"Ngày {ev.day}/{ev.month}, {cu} {place.name} tổ chức lễ trao Huy hiệu {yrs} năm tuổi Đảng đợt "
                    f"{r.choice(('3/2', '19/5', '2/9', '7/11'))} cho {n} đảng viên. Đồng chí {chair_name}, {chair_title} dự và trao Huy hiệu.")
            facts.append(f"Đảng bộ {district} hiện có {r.randint(20, 90)} tổ chức cơ sở đảng với {self.qualifier()}"
                         f"{vn_int(r.randint(2000, 15000))} đảng viên.")
        # officials and documents, shared by every kind
        for name, t in people[1:]:
            facts.append(r.choice((
                f"Tới dự có đồng chí {name}- {t}.",
                f"Phát biểu tại hội nghị, đồng chí {name}, {t} đánh giá cao kết quả đạt được.",
                f"{_cap(t.split(',')[-1].strip())} {name} phát biểu chỉ đạo.",
            )))
        facts += self.documents(year, cu, unit)
        if r.random() < 0.3:
            facts.append(f"Năm {min(year + 1, 2026)}, {body_name} phấn đấu kết nạp {vn_int(r.randint(500, 3000))} đảng viên mới.")
        if kind in ("review", "briefing") and r.random() < 0.5:
            facts.append(f"Nhân dịp này, {organizer} đã tặng giấy khen cho {r.randint(3, 30)} tập thể và "
                         f"{r.randint(5, 60)} cá nhân có thành tích tiêu biểu.")
        published = ev + timedelta(days=r.choice((0, 0, 0, 1, 2)))
        captions = [r.choice(("Quang cảnh hội nghị", "Các đại biểu tham dự hội nghị.", "Toàn cảnh hội nghị,",
                              f"Đồng chí {chair_name} phát biểu kết luận hội nghị", "Đại biểu nêu ý kiến tại hội nghị",
                              f"{_cap(chair_title.split(',')[-1].strip())} {chair_name} phát biểu tại hội nghị."))
                    for _ in range(r.randint(0, 3))]
        tag = r.choice(place.outlet_tags) if place.outlet_tags and r.random() < 0.6 else None
        pool = (GENRE_FILLER, GENRE_SUBJECTS, GENRE_PREDICATES, GENRE_OBJECTS, GENRE_TAILS)
        return self.assemble(title, lead, facts, captions, pool, {"P": place.name, "U": cu, "Y": year},
                             published, tag)

    def review_metrics(self, place: Place, period: str, year: int, pk: str) -> list[str]:
        r = self.r
        cu, unit, body_name = self.committee(place)
        out = []
        adm = r.randint(40, 4000)
        pct = vn_dec(r.uniform(30 if pk != "Y" else 85, 135), 1)
        scope = r.choice((f"toàn Đảng bộ {unit}", f"toàn {unit}", f"{body_name}", "các tổ chức cơ sở đảng"))
        out.append(r.choice((
            f"{period[0].upper()}{period[1:]}, {scope} đã kết nạp được {vn_int(adm)} đảng viên mới, đạt {pct}% kế hoạch.",
            f"Công tác phát triển đảng viên được quan tâm, {period} kết nạp {vn_int(adm)} đảng viên mới (đạt {pct}% kế hoạch năm).",
            f"Trong {period}, {scope} kết nạp {vn_int(adm)} đảng viên mới, {r.choice(('đạt', 'bằng'))} {pct}% so với kế hoạch.",
            f"{period[0].upper()}{period[1:]}, toàn {unit} phát triển được {vn_int(adm)} đảng viên mới.",
        )))
        if r.random() < 0.7:
            total = r.randint(8000, 260000)
            direct = r.randint(12, 60)
            out.append(r.choice((
                f"{body_name} {place.name} hiện có {direct} đảng bộ trực thuộc với {self.qualifier()}{vn_int(total)} đảng viên.",
                f"Đến nay, {body_name} có {vn_int(total)} đảng viên, sinh hoạt tại {vn_int(r.randint(400, 1200))} tổ chức cơ sở đảng.",
                f"nâng tổng số đảng viên trong toàn {unit} lên {vn_int(total)} đảng viên.".capitalize(),
            )))
        if r.random() < 0.4:
            out.append(f"{body_name} hiện có {vn_int(r.randint(300, 1200))} tổ chức cơ sở đảng, trong đó có "
                       f"{r.randint(150, 700)} đảng bộ cơ sở và {r.randint(100, 600)} chi bộ cơ sở.")
        if r.random() < 0.3:
            out.append(f"Tốc độ tăng trưởng tổng sản phẩm (GRDP) {period} ước đạt {vn_dec(r.uniform(4, 11), 2)}%, "
                       f"thu ngân sách đạt {self.qualifier()}{vn_int(r.randint(800, 60000))} tỷ đồng.")
        if r.random() < 0.4:
            out.append(f"Thực hiện chế độ chính sách đối với {r.randint(10, 80)} cán bộ không đủ điều kiện tái cử; "
                       f"điều động, luân chuyển {r.randint(5, 60)} cán bộ.")
        if r.random() < 0.3:
            out.append(f"Có {vn_int(r.randint(100, 5000))} đảng viên được tặng Huy hiệu Đảng; "
                       f"{r.randint(2, 40)} đảng viên bị thi hành kỷ luật.")
        return out

    def documents(self, year: int, cu: str, unit: str) -> list[str]:
        r = self.r
        out = []
        term = "XI" if year < 2016 else ("XII" if year < 2021 else "XIII")
        if r.random() < 0.55:
            n = r.randint(1, 40)
            sep = "-" if r.random() < 0.85 else "- "
            d = date(max(2006, year - r.randint(1, 5)), r.randint(1, 12), r.randint(1, 28))
            out.append(r.choice((
                f"Bám sát các nội dung của Nghị quyết số {n:02d}{sep}NQ/TU của Ban Chấp hành Đảng bộ {unit} về “Nâng cao năng lực lãnh đạo, sức chiến đấu của tổ chức cơ sở đảng”, các đơn vị đã tham mưu nhiều giải pháp.",
                f"Tiếp tục thực hiện Nghị quyết Trung ương 4 (khóa {term}) về xây dựng, chỉnh đốn Đảng gắn với Chỉ thị số 05-CT/TW của Bộ Chính trị.",
                f"Dự thảo tổng kết {r.randint(5, 10)} năm thực hiện Nghị quyết số {n:02d}-NQ/ĐUK ngày {d.day}-{d.month}-{d.year} của Ban Chấp hành Đảng ủy Khối các cơ quan {unit} được trình bày tại hội nghị.",
                f"Các cấp ủy triển khai Kế hoạch số {r.randint(10, 200)}-KH/TU của {cu} và Hướng dẫn số {r.randint(1, 30)}-HD/BTCTW của Ban Tổ chức Trung ương.",
                f"Việc thực hiện Quy định số {r.choice((102, 105, 205, 37, 41, 8))}-QĐ/TW của Bộ Chính trị được quán triệt nghiêm túc.",
                f"Thực hiện Kết luận số {r.randint(10, 90)}-KL/TW của Bộ Chính trị, các đơn vị đã rà soát, sắp xếp tổ chức bộ máy.",
            )))
        return out

    def general(self) -> list[str]:
        r = self.r
        place = r.choice(places())
        topic = r.choice(tuple(GENERAL_FILLER))
        year = r.randint(2010, 2025)
        ev = date(year, r.randint(1, 12), r.randint(1, 28))
        unit = "thành phố" if place.city else "tỉnh"
        name, name2 = self.name(), self.name()
        pct = vn_dec(r.uniform(1, 40), 1)
        money = vn_int(r.randint(5, 9000))
        count = vn_int(r.randint(3, 30000))
        facts: list[str]
        if topic == "economy":
            title = r.choice((f"{place.name}: Thu hút đầu tư tăng mạnh", "Khơi thông nguồn vốn cho doanh nghiệp",
                              f"Kinh tế {place.name} tăng trưởng khá"))
            lead = (f"Năm {year}, kim ngạch xuất khẩu của {unit} {place.name} ước đạt {money} triệu USD, tăng {pct}% so với "
                    f"cùng kỳ năm trước.")
            facts = [f"Theo ông {name}, Giám đốc Sở Kế hoạch và Đầu tư {unit} {place.name}, trong {r.randint(2, 11)} tháng qua "
                     f"đã có {count} doanh nghiệp thành lập mới với tổng vốn đăng ký {vn_int(r.randint(100, 90000))} tỷ đồng.",
                     f"Dư nợ tín dụng toàn {unit} đạt {vn_int(r.randint(1000, 900000))} tỷ đồng, tăng {vn_dec(r.uniform(2, 20), 1)}%."]
        elif topic == "farming":
            title = r.choice((f"Nông dân {place.name} được mùa, được giá", "Gà cúm, trứng cũng lao đao", "Giá lúa giảm mạnh"))
            lead = (f"Vụ đông xuân {year - 1}-{year}, toàn {unit} gieo trồng {count} ha lúa, năng suất bình quân ước đạt "
                    f"{vn_dec(r.uniform(50, 75), 1)} tạ/ha.")
            facts = [f"Ông {name}, chủ trang trại ở {r.choice(place.districts)}, cho biết mỗi ngày trang trại cung cấp "
                     f"{vn_int(r.randint(1000, 50000))} trứng cho thương lái, giá {vn_int(r.randint(1, 40) * 100)} đồng/quả.",
                     f"Toàn {unit} có {vn_int(r.randint(50, 5000))} hộ chăn nuôi bị thiệt hại, với hơn {vn_int(r.randint(1000, 90000))} con gia cầm."]
        elif topic == "traffic":
            title = r.choice((f"Tai nạn giao thông nghiêm trọng tại {place.name}", "Giảm tai nạn giao thông trên cả ba tiêu chí"))
            lead = (f"{r.choice(('Tháng', 'Trong tháng'))} {ev.month}/{year}, trên địa bàn {unit} xảy ra {r.randint(5, 120)} vụ tai nạn "
                    f"giao thông, làm chết {r.randint(2, 60)} người, bị thương {r.randint(3, 90)} người.")
            facts = [f"Lực lượng chức năng đã xử lý {count} trường hợp vi phạm, phạt tiền {money} triệu đồng, tạm giữ "
                     f"{vn_int(r.randint(10, 3000))} phương tiện.",
                     f"Đại tá {name}, Giám đốc Công an {unit} {place.name}, cho biết sẽ tiếp tục mở đợt cao điểm."]
        elif topic == "school":
            title = r.choice((f"{place.name}: Hơn {count} học sinh bước vào năm học mới", "Kỳ thi tốt nghiệp diễn ra an toàn"))
            lead = (f"Năm học {year}-{year + 1}, toàn {unit} có {count} học sinh, {vn_int(r.randint(100, 900))} trường học; "
                    f"tỷ lệ tốt nghiệp đạt {vn_dec(r.uniform(90, 99.9), 2)}%.")
            facts = [f"Bà {name}, Giám đốc Sở Giáo dục và Đào tạo {unit} {place.name}, cho biết {unit} còn thiếu "
                     f"{vn_int(r.randint(50, 2000))} giáo viên.",
                     f"Đã có {r.randint(10, 300)} phòng học được xây mới với tổng kinh phí {money} tỷ đồng."]
        elif topic == "health":
            title = r.choice((f"{place.name} ghi nhận thêm ca mắc sốt xuất huyết", "Bệnh viện quá tải mùa nắng nóng"))
            lead = (f"Từ đầu năm {year} đến nay, toàn {unit} ghi nhận {count} ca mắc sốt xuất huyết, tăng {pct}% so với cùng kỳ.")
            facts = [f"Theo bác sĩ {name}, Giám đốc Bệnh viện Đa khoa {unit}, mỗi ngày bệnh viện tiếp nhận hơn "
                     f"{vn_int(r.randint(300, 4000))} lượt bệnh nhân.",
                     f"Ngành y tế đã tổ chức {r.randint(5, 80)} đợt phun hóa chất tại {r.randint(3, 40)} xã, phường."]
        else:
            title = r.choice(("Liên hoan ẩm thực và phố nghề, làng nghề", f"Lễ hội văn hóa {place.name} năm {year}"))
            lead = (f"Dự kiến sẽ có {r.randint(50, 500)} gian hàng tham gia liên hoan; trong đó {r.randint(10, 70)}% là các gian "
                    f"hàng ẩm thực, số còn lại dành cho các làng nghề.")
            facts = [f"Số tiền thuê mỗi gian hàng là {r.randint(1, 9)} triệu đồng.",
                     f"Ông {name}, Phó Giám đốc Sở Văn hóa, Thể thao và Du lịch {unit} {place.name}, cho biết lễ hội dự kiến "
                     f"đón {vn_int(r.randint(5, 500) * 1000)} lượt khách."]
        if r.random() < 0.1:
            facts.append(f"Thực hiện Nghị quyết số {r.choice(('35', '18', '19', '26'))}-NQ/TW của Bộ Chính trị, {unit} "
                         f"{place.name} đã ban hành nhiều chương trình, kế hoạch cụ thể.")
        if r.random() < 0.35:
            n = r.randint(100, 3000)
            facts.append(f"Tại Quyết định {n}/QĐ-{r.choice(('TTg', 'UBND'))}, Thủ tướng quyết định ông {name2}, "
                         f"{r.choice(('Phó Chủ tịch UBND', 'Chủ tịch UBND'))} {unit} {place.name}, nghỉ hưu theo chế độ từ ngày 1/{ev.month}/{year}.")
        elif r.random() < 0.4:
            facts.append(f"Phó Chủ tịch UBND {unit} {place.name} {name2} đề nghị các sở, ngành liên quan khẩn trương vào cuộc.")
        published = ev + timedelta(days=r.choice((0, 0, 1)))
        tag = r.choice(NATIONAL_TAGS) if r.random() < 0.4 else None
        captions = [f"Ảnh minh họa{r.choice(('', ': T.Tâm', ' (Ảnh: TTXVN)'))}"] if r.random() < 0.4 else []
        pool = (GENERAL_FILLER[topic], GENERAL_SUBJECTS, GENERAL_PREDICATES, GENERAL_OBJECTS[topic], GENERAL_TAILS)
        return self.assemble(title, lead, facts, captions, pool, {"P": place.name, "U": unit, "Y": year},
                             published, tag)

    def assemble(self, title: str, lead: str, facts: list[str], captions: list[str], pool, fmt: dict,
                 published: date, tag: str | None) -> list[str]:
        r = self.r
        if tag:
            lead = f"{tag}{r.choice((' - ', '-', ' – '))}{lead}"
        size = self.target_length()
        # facts go into body paragraphs, mixed with filler sentences
        paragraphs = [lead]
        for f in facts:
            if r.random() < 0.5 or len(paragraphs) == 1:
                filler = [self.filler(pool, fmt) for _ in range(r.randint(0, 2))]
                pos = r.randint(0, len(filler))
                paragraphs.append(" ".join(filler[:pos] + [f] + filler[pos:]))
            else:
                paragraphs[-1] += " " + f
        paragraphs = [paragraphs[0]] + self.fill(paragraphs[1:], pool, size - len(lead.encode()), fmt)
        for c in captions:
            at = r.randint(1, len(paragraphs))
            paragraphs.insert(at, c)
            if r.random() < 0.3:
                paragraphs.insert(at, c)  # a caption printed twice, as pages do
        lines: list[str] = []
        if r.random() < 0.15:
            lines += [r.choice(NAV), ""]
        lines += [title, self.date_line(published, r)]
        if r.random() < 0.5:
            lines.append("")
        sep = "\n" if r.random() < 0.5 else "\n\n"
        lines.append(sep.join(paragraphs))
        lines += ["", r.choice(BYLINES)]
        lines += self.trailer(published)
        return lines


def article_text(seed: int, i: int, general_share: float = GENERAL_SHARE) -> str:
    """The text of article i of the corpus of this seed."""
    return Writer(seed, i, general_share).text()


def relative_path(i: int) -> str:
    return f"{i // PER_FOLDER:04d}/{i:07d}.txt"


def _write_range(args: tuple[str, int, int, int, float]) -> int:
    out, start, stop, seed, share = args
    root = Path(out)
    written = 0
    folder = None
    for i in range(start, stop):
        rel = relative_path(i)
        d = root / rel.split("/")[0]
        if d != folder:
            d.mkdir(parents=True, exist_ok=True)
            folder = d
        with open(root / rel, "wb") as fh:
            fh.write(article_text(seed, i, share).encode("utf-8"))
        written += 1
    return written


def generator_version() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def marker(out: Path) -> dict | None:
    try:
        return json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def generate(out: Path, n: int, seed: int = 1, general_share: float = GENERAL_SHARE, jobs: int | None = None) -> float:
    """Write articles 0..n-1 under `out`; returns the seconds it took. Files of a previous
    corpus beyond n are removed, so that `out` holds exactly n articles."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).unlink(missing_ok=True)
    t = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    chunks = [(str(out), s, min(n, s + PER_FOLDER), seed, general_share) for s in range(0, n, PER_FOLDER)]
    if jobs == 1 or len(chunks) == 1:
        for c in chunks:
            _write_range(c)
    else:
        with get_context("fork").Pool(jobs) as pool:
            for _ in pool.imap_unordered(_write_range, chunks):
                pass
    _remove_beyond(out, n)
    (out / MARKER).write_text(json.dumps({"n": n, "seed": seed, "general_share": general_share,
                                          "generator": generator_version()}), encoding="utf-8")
    return time.perf_counter() - t


def _remove_beyond(out: Path, n: int) -> None:
    for folder in out.iterdir():
        if not folder.is_dir() or not folder.name.isdigit():
            continue
        if int(folder.name) * PER_FOLDER >= n:
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()
        elif (int(folder.name) + 1) * PER_FOLDER > n:
            for f in folder.iterdir():
                if f.suffix == ".txt" and f.stem.isdigit() and int(f.stem) >= n:
                    f.unlink()


def is_complete(out: Path, n: int, seed: int, general_share: float = GENERAL_SHARE) -> bool:
    m = marker(Path(out))
    return bool(m) and m == {"n": n, "seed": seed, "general_share": general_share, "generator": generator_version()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="folder to write (1,000 files a subfolder)")
    ap.add_argument("--n", type=int, required=True, help="number of articles")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--general-share", type=float, default=GENERAL_SHARE,
                    help=f"share of general (off-topic) news articles (default {GENERAL_SHARE})")
    ap.add_argument("--jobs", type=int, default=None, help="processes (default: one per core)")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("--n must be >= 0")
    seconds = generate(args.out, args.n, args.seed, args.general_share, args.jobs)
    print(f"wrote {args.n} articles to {args.out} in {seconds:.1f} s ({args.n / max(seconds, 1e-9):.0f} files/s)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
