"""A multi-province, multi-year warehouse for the HTML report, built by the real pipeline from
small synthetic Vietnamese articles, and the headless Chromium helpers the report tests use.

The provinces are real; the people and every figure are made up. Four provinces, 2017-2019:
per province and year a half-year review ("sơ kết 6 tháng đầu năm": H1 admissions and GRDP
growth) and a year-end review ("tổng kết năm": admissions of the year and of H2, members and
grassroots organizations on the day, collectives commended), with the provincial Party
secretary and head of organization named. Lạng Sơn has no 2018 half-year review (a gap); Đắk
Lắk changes secretary in 2019; a second Nghệ An year-end article disagrees on 2019 (a
conflict). Three runs: 2017-2018; then 2019 and three inputs that are quarantined (empty,
binary, a PDF whose name holds HTML); then nothing new.

    uv run --frozen python -m tests.report_fixture DIR [--screenshot docs/report.png]
"""
from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from flows.pipeline import RunSummary, run
from flows.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
PROVINCES = ("Nghệ An", "Lạng Sơn", "Đắk Lắk", "Thừa Thiên Huế")
YEARS = (2017, 2018, 2019)
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

# province -> year -> figures: admitted in H1 and in the year (H2 = year - H1), GRDP growth in
# H1 (%), members and grassroots organizations at the year-end review, collectives commended.
FIGURES: dict[str, dict[int, dict[str, float]]] = {
    "Nghệ An": {
        2017: {"h1": 1650, "y": 3500, "grdp": 7.1, "total": 186500, "orgs": 1102, "coll": 9},
        2018: {"h1": 1700, "y": 3550, "grdp": 7.3, "total": 189000, "orgs": 1098, "coll": 11},
        2019: {"h1": 1800, "y": 3700, "grdp": 7.9, "total": 190500, "orgs": 1090, "coll": 12},
    },
    "Lạng Sơn": {
        2017: {"h1": 1200, "y": 2600, "grdp": 6.2, "total": 54000, "orgs": 580, "coll": 6},
        2018: {"h1": None, "y": 2550, "grdp": None, "total": 54968, "orgs": 572, "coll": 7},
        2019: {"h1": 1100, "y": 2500, "grdp": 6.8, "total": 55800, "orgs": 567, "coll": 5},
    },
    "Đắk Lắk": {
        2017: {"h1": 900, "y": 2100, "grdp": 5.9, "total": 78000, "orgs": 720, "coll": 8},
        2018: {"h1": 1000, "y": 2300, "grdp": 6.4, "total": 79900, "orgs": 716, "coll": 8},
        2019: {"h1": 1250, "y": 2760, "grdp": 7.2, "total": 82100, "orgs": 712, "coll": 10},
    },
    "Thừa Thiên Huế": {
        2017: {"h1": 700, "y": 1500, "grdp": 7.4, "total": 49000, "orgs": 505, "coll": 4},
        2018: {"h1": 690, "y": 1450, "grdp": 7.2, "total": 50200, "orgs": 503, "coll": 6},
        2019: {"h1": 800, "y": 1520, "grdp": 6.9, "total": 51500, "orgs": 498, "coll": 3},
    },
}

# province -> year -> (Bí thư Tỉnh ủy, Trưởng Ban Tổ chức Tỉnh ủy); invented names
OFFICIALS: dict[str, dict[int, tuple[str, str]]] = {
    "Nghệ An": {y: ("Trần Quốc Hưng", "Lê Thị Thủy") for y in YEARS},
    "Lạng Sơn": {y: ("Hoàng Văn Đức", "Nông Thị Hà") for y in YEARS},
    "Đắk Lắk": {2017: ("Phạm Minh Khoa", "Đinh Văn Tâm"), 2018: ("Phạm Minh Khoa", "Đinh Văn Tâm"),
                2019: ("Nguyễn Thị Ánh", "Đinh Văn Tâm")},
    "Thừa Thiên Huế": {y: ("Võ Đình Quý", "Phan Ngọc Sơn") for y in YEARS},
}

# The 2019 Nghệ An admissions that a second, earlier article gives (the year-end review wins).
CONFLICTING_NGHE_AN_2019 = 3690

# Inputs that are quarantined in the second run: file name -> bytes (reason)
BAD_INPUTS: dict[str, bytes] = {
    "rong.txt": b"",                                             # empty
    "anh-chup.txt": bytes(range(256)),                           # binary
    "<img src=x onerror=alert(1)> ảnh & báo cáo.pdf": b"%PDF-1.4\n",  # unsupported_type; HTML in the name
}


def vn_number(value: float) -> str:
    """2035 -> '2.035', 7.09 -> '7,09' (Vietnamese separators)."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value}".replace(".", ",")


def stamp(day: dt.date) -> str:
    return f"Cập nhật lúc 15:34, {WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y} (GMT+7)"


def half_year_article(province: str, year: int, f: dict, secretary: str, day: int) -> str:
    d = dt.date(year, 7, day)
    return f"""{province}: Sơ kết công tác xây dựng Đảng 6 tháng đầu năm {year}

{stamp(d)}

Sáng {day}/7, Ban Tổ chức Tỉnh ủy {province} tổ chức hội nghị sơ kết công tác tổ chức xây dựng Đảng 6 tháng đầu năm {year}. Đồng chí {secretary}, Bí thư Tỉnh ủy chủ trì hội nghị. Trong 6 tháng đầu năm {year}, toàn tỉnh đã kết nạp {vn_number(f["h1"])} đảng viên mới. Tốc độ tăng trưởng GRDP 6 tháng đầu năm {year} ước đạt {vn_number(f["grdp"])}%.
"""


def year_article(province: str, year: int, f: dict, secretary: str, organizer: str, day: int,
                 admitted: float | None = None) -> str:
    d = dt.date(year, 12, day)
    admitted = f["y"] if admitted is None else admitted
    h2 = f"Riêng 6 tháng cuối năm {year}, toàn tỉnh kết nạp {vn_number(f['y'] - f['h1'])} đảng viên mới. " \
        if f["h1"] is not None else ""
    return f"""{province}: Tổng kết công tác xây dựng Đảng năm {year}

{stamp(d)}

Sáng {day}/12, Tỉnh ủy {province} tổ chức hội nghị tổng kết công tác xây dựng Đảng năm {year}. Đồng chí {secretary}, Bí thư Tỉnh ủy và đồng chí {organizer}, Trưởng Ban Tổ chức Tỉnh ủy dự hội nghị. Trong năm {year}, toàn Đảng bộ tỉnh đã kết nạp {vn_number(admitted)} đảng viên mới. {h2}Đến nay, Đảng bộ tỉnh hiện có {vn_number(f["total"])} đảng viên. Đảng bộ tỉnh hiện có {vn_number(f["orgs"])} tổ chức cơ sở đảng. Dịp này, Ban Thường vụ Tỉnh ủy đã khen thưởng {f["coll"]} tập thể có thành tích xuất sắc.
"""


def conflicting_article() -> str:
    """An earlier Nghệ An article whose 2019 admissions differ from the year-end review's (the
    later review wins the tie: the value stays FIGURES' 3.700, with has_conflict)."""
    d = dt.date(2019, 12, 12)
    return f"""Nghệ An: Tổng kết công tác tổ chức xây dựng Đảng năm 2019

{stamp(d)}

Sáng 12/12, Ban Tổ chức Tỉnh ủy Nghệ An tổ chức hội nghị tổng kết công tác tổ chức xây dựng Đảng năm 2019. Trong năm 2019, toàn tỉnh đã kết nạp {vn_number(CONFLICTING_NGHE_AN_2019)} đảng viên mới.
"""


def articles_of(year: int) -> dict[str, str]:
    """File name -> text of every article of one year."""
    out = {}
    for i, province in enumerate(PROVINCES):
        f = FIGURES[province][year]
        secretary, organizer = OFFICIALS[province][year]
        slug = f"{i}-{year}"
        if f["h1"] is not None:
            out[f"{slug}-6-thang.txt"] = half_year_article(province, year, f, secretary, 3 + i)
        out[f"{slug}-tong-ket.txt"] = year_article(province, year, f, secretary, organizer, 20 + i)
    if year == 2019:  # an earlier article that disagrees with the year-end review
        out["0-2019-giao-ban.txt"] = conflicting_article()
    return out


def write_files(raw: Path, files: dict[str, str | bytes]) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (raw / name).write_bytes(data)


def build_warehouse(base: Path) -> tuple[Path, list[RunSummary]]:
    """Build the fixture under base (base/raw, base/warehouse/warehouse.duckdb) in three runs;
    returns the warehouse and the run summaries."""
    raw, wh = base / "raw", base / "warehouse" / "warehouse.duckdb"
    summaries = []
    write_files(raw, {**articles_of(2017), **articles_of(2018)})
    summaries.append(run(Settings.resolve(raw, wh)))
    write_files(raw, {**articles_of(2019), **BAD_INPUTS})
    summaries.append(run(Settings.resolve(raw, wh)))
    summaries.append(run(Settings.resolve(raw, wh)))
    return wh, summaries


# --- headless Chromium ---------------------------------------------------------------------------

def chromium_command(profile: Path, *args: str) -> list[str]:
    """Debian's Chromium, headless, with no network at all (every host name fails to resolve),
    no first-run or background work, and an empty profile; --virtual-time-budget lets the
    page's scripts run before the DOM is dumped or the screenshot taken."""
    return [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
            "--virtual-time-budget=10000", *args]


def run_chromium(profile: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    profile.mkdir(parents=True, exist_ok=True)
    return subprocess.run(chromium_command(profile, *args), capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "HOME": str(profile)})


def dump_dom(page: Path, profile: Path) -> str:
    """The page's DOM after its scripts ran."""
    p = run_chromium(profile, "--dump-dom", page.resolve().as_uri())
    if p.returncode != 0:
        raise RuntimeError(f"chromium --dump-dom failed ({p.returncode}): {p.stderr[-2000:]}")
    return p.stdout


def screenshot(page: Path, png: Path, profile: Path, size: tuple[int, int] = (1400, 2400)) -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    p = run_chromium(profile, f"--screenshot={png.resolve()}", f"--window-size={size[0]},{size[1]}",
                     "--hide-scrollbars", page.resolve().as_uri())
    if p.returncode != 0 or not png.is_file():
        raise RuntimeError(f"chromium --screenshot failed ({p.returncode}): {p.stderr[-2000:]}")
    return png


def main(argv: list[str]) -> int:
    import argparse
    import shutil

    from flows.report import write_report

    parser = argparse.ArgumentParser(prog="python -m tests.report_fixture",
                                     description="Build the report fixture warehouse in DIR (emptied first) "
                                                 "and write DIR/report.html from it.")
    parser.add_argument("dir", type=Path)
    parser.add_argument("--screenshot", metavar="PNG", type=Path,
                        help="also save a 1400x2400 screenshot of the report taken by headless Chromium "
                             "(docs/report.png is made this way)")
    args = parser.parse_args(argv)
    shutil.rmtree(args.dir, ignore_errors=True)
    wh, summaries = build_warehouse(args.dir)
    for s in summaries:
        print(s.text())
    page = write_report(wh, args.dir / "report.html")
    print(page)
    if args.screenshot:
        print(screenshot(page, args.screenshot, args.dir / "chromium-profile"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
