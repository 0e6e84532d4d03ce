"""The HTML report (flows/report.py, sql/report/), built from a warehouse that the real pipeline
loaded from synthetic articles of four provinces over three years (tests/report_fixture.py),
and opened in headless Chromium."""
from __future__ import annotations

import json
import os
import re
import shutil
import struct
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from flows.cli import ENV_REPORT, main
from flows.pipeline import run
from flows.report import FONT_STACK, latest_changes, read_report_data, write_report
from flows.schema import SQL_DIR, apply_schema, create_views, numbered_files
from flows.settings import Settings

from . import report_fixture as fx

SECTIONS = ("scorecard", "metrics", "officials", "quality", "coverage", "facts-per-article", "quarantine",
            "load-warnings", "corrections", "runs")
METRIC_CHARTS = [  # (metric, kind of period) in page order
    ("party_members_admitted", "half-years"), ("party_members_admitted", "years"),
    ("party_members_total", "stock on a day"), ("grassroots_orgs_total", "stock on a day"),
    ("grdp_growth_pct", "half-years"), ("commendations_collective", "years"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    wh, summaries = fx.build_warehouse(base)
    assert [s.status for s in summaries] == ["success"] * 3
    page = write_report(wh, base / "out" / "report.html")
    return wh, page, page.read_text(encoding="utf-8")


def plotly_payloads(page: str) -> dict[str, tuple[list, dict]]:
    """chart div id -> (traces, layout), read back from the Plotly.newPlot calls of the page."""
    out = {}
    decoder = json.JSONDecoder()
    for m in re.finditer(r'Plotly\.newPlot\(\s*"(chart-\d+)",\s*', page):
        data, end = decoder.raw_decode(page, m.end())
        layout, _ = decoder.raw_decode(page, re.compile(r",\s*").match(page, end).end())
        out[m.group(1)] = (data, layout)
    return out


def section(page: str, ident: str) -> str:
    """The HTML from the element with id=ident to the next section, metric or sub-section."""
    start = page.index(f'id="{ident}"')
    nxt = re.compile(r'id="(?:%s|metric-[\w-]+)"' % "|".join(SECTIONS)).search(page, start + 1)
    return page[start:nxt.start() if nxt else len(page)]


# --- content -------------------------------------------------------------------------------------

def test_every_section_is_there_with_one_chart_per_metric_and_kind_of_period(built):
    _, _, page = built
    for ident in SECTIONS:
        assert f'id="{ident}"' in page, ident
    charts = plotly_payloads(page)
    titles = [layout["title"]["text"] for _, layout in charts.values()]
    assert titles == [f"{m} · {g}" for m, g in METRIC_CHARTS] + [
        "officials by title: first and last day an article saw them in it",
        "articles per province and period (the article's own period)",
        "articles by number of facts"]
    # one line per province on every metric chart
    for data, _ in list(charts.values())[:len(METRIC_CHARTS)]:
        assert sorted(t["name"] for t in data) == sorted(fx.PROVINCES)


def test_half_years_and_years_never_share_an_axis_and_gaps_stay_gaps(built):
    _, _, page = built
    charts = list(plotly_payloads(page).values())
    for (metric, group), (data, layout) in zip(METRIC_CHARTS, charts):
        xs = {x for t in data for x in t["x"]}
        pattern = {"half-years": r"\d{4}-H[12]", "years": r"\d{4}", "stock on a day": r"\d{4}-12-2\d"}[group]
        assert all(re.fullmatch(pattern, x) for x in xs), (metric, group, xs)
    admitted_h, admitted_y = charts[0][0], charts[1][0]
    lang_son = next(t for t in admitted_h if t["name"] == "Lạng Sơn")
    assert lang_son["x"] == ["2017-H1", "2017-H2", "2018-H1", "2018-H2", "2019-H1", "2019-H2"]
    assert lang_son["y"] == [1200, 1400, None, None, 1100, 1400]  # no 2018 half-year review: a gap
    assert lang_son["connectgaps"] is False
    nghe_an = next(t for t in admitted_y if t["name"] == "Nghệ An")
    assert (nghe_an["x"], nghe_an["y"]) == (["2017", "2018", "2019"], [3500, 3550, 3700])
    assert charts[0][1]["xaxis"]["categoryarray"] == lang_son["x"]


def test_latest_changes_come_from_the_period_over_period_view_largest_move_first(built):
    wh, _, page = built
    changes = latest_changes(read_report_data(wh).metric_periods, "party_members_admitted")
    rows = [(r["province"], r["period_label"], r["yoy_period_label"], r["yoy_change"], r["prev_period_label"],
             r["prev_change"], round(r["move"], 1)) for r in changes.iter_rows(named=True)]
    assert rows == [
        ("Lạng Sơn", "2019-H2", None, None, "2019-H1", 300, 27.3),       # no 2018-H2 to compare with
        ("Đắk Lắk", "2019-H2", "2018-H2", 210, "2019-H1", 260, 20.8),
        ("Đắk Lắk", "2019", "2018", 460, "2018", 460, 20.0),
        ("Thừa Thiên Huế", "2019-H2", "2018-H2", -40, "2019-H1", -80, 10.0),
        ("Nghệ An", "2019-H2", "2018-H2", 50, "2019-H1", 100, 5.6),
        ("Thừa Thiên Huế", "2019", "2018", 70, "2018", 70, 4.8),
        ("Nghệ An", "2019", "2018", 150, "2018", 150, 4.2),
        ("Lạng Sơn", "2019", "2018", -50, "2018", -50, 2.0),
    ]
    table = section(page, "metric-party_members_admitted")
    firsts = re.findall(r'<tr><td class="text">([^<]+)</td><td class="text">([^<]+)</td><td class="text">([^<]+)',
                        table)
    assert firsts[:3] == [("Lạng Sơn", "half-years", "2019-H2"), ("Đắk Lắk", "half-years", "2019-H2"),
                          ("Đắk Lắk", "years", "2019")]
    # the disagreeing Nghệ An article: the year-end review's value, marked as a conflict
    assert re.search(r"<td class=\"text\">2019 <span class=\"conflict\"[^>]*>≠</span></td><td class=\"num\">"
                     "3\u00a0700</td>", table)


def test_scorecard_and_officials_over_time(built):
    _, _, page = built
    scorecard = section(page, "scorecard")
    for province in fx.PROVINCES:
        assert f'<span class="province">{province}</span>' in scorecard
    assert "<b>2\u00a0760</b><br><small>2019 · <span class=\"up\">+20.0\u00a0% vs 2018</span>" in scorecard
    officials = section(page, "officials")
    rows = re.findall(r"<tr>((?:<td[^>]*>[^<]*</td>){6})</tr>", officials)
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in rows]
    assert ["Bí thư Tỉnh ủy", "Đắk Lắk", "Phạm Minh Khoa", "2017-07-05", "2018-12-22", "4"] in cells
    assert ["Bí thư Tỉnh ủy", "Đắk Lắk", "Nguyễn Thị Ánh", "2019-07-05", "2019-12-22", "2"] in cells
    assert ["Trưởng Ban Tổ chức Tỉnh ủy", "Thừa Thiên Huế", "Phan Ngọc Sơn", "2017-12-23", "2019-12-23",
            "3"] in cells
    assert len(cells) == 9


def test_data_quality_coverage_facts_quarantine_and_runs(built):
    _, _, page = built
    assert re.search(r'<td class="text">Nghệ An</td><td class="text">2019</td><td class="num">2</td>',
                     section(page, "coverage"))
    assert "24 articles; 0 without any fact." in section(page, "facts-per-article")
    quarantine = section(page, "quarantine")
    reasons = re.findall(r'<tr><td class="text">(\w+)</td><td class="num">(\d+)</td></tr>', quarantine)
    assert sorted(reasons) == [("binary", "1"), ("empty", "1"), ("unsupported_type", "1")]
    # a file name from the data is text, never markup
    assert "<code>&lt;img src=x onerror=alert(1)&gt; ảnh &amp; báo cáo.pdf</code>" in quarantine
    assert "<img" not in page
    runs = section(page, "runs")
    assert runs.count('<span class="status-success">success</span>') == 3
    assert "<code>" in runs


def test_vietnamese_text_is_utf8_with_a_font_that_has_its_letters(built):
    _, path, page = built
    raw = path.read_bytes()
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page[:300]
    for text in ("Thừa Thiên Huế", "Đắk Lắk", "Nguyễn Thị Ánh", "Trưởng Ban Tổ chức Tỉnh ủy"):
        assert text.encode("utf-8") in raw
    assert f"font-family: {FONT_STACK}" in page
    assert all(layout["font"]["family"] == FONT_STACK for _, layout in plotly_payloads(page).values())


def test_the_page_needs_no_network(built):
    _, _, page = built
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page, re.I)
    assert page.count("* plotly.js v") == 1          # Plotly's JavaScript inlined once
    assert page.count("Plotly.newPlot(") == len(METRIC_CHARTS) + 3


def test_an_empty_warehouse_gives_none_lines_not_broken_charts(tmp_path):
    raw, wh = tmp_path / "raw", tmp_path / "wh" / "warehouse.duckdb"
    raw.mkdir()
    assert run(Settings.resolve(raw, wh)).status == "success"
    page = write_report(wh, tmp_path / "report.html").read_text(encoding="utf-8")
    for ident in ("scorecard", "metrics", "officials", "coverage", "facts-per-article", "quarantine", "corrections"):
        assert '<p class="none">none</p>' in section(page, ident), ident
    assert '<p class="none">none</p>' not in section(page, "runs")
    assert "Plotly.newPlot(" not in page and "plotly.js v" not in page


def _warehouse_of(tmp_path: Path, metrics: list[dict]) -> Path:
    """A warehouse holding only the given metric facts (rows completed as the view cases are)."""
    from .sql.test_views import load_given

    wh = tmp_path / "given.duckdb"
    con = duckdb.connect(str(wh))
    try:
        apply_schema(con)
        load_given(con, {"metrics": metrics})
    finally:
        con.close()
    return wh


def test_a_one_point_series_on_a_day_axis_shows_dates_not_times(tmp_path):
    """One count on one day: Plotly's own ticks were hours around it ("23:59:59.999")."""
    wh = _warehouse_of(tmp_path, [{"doc_id": "a", "metric": "party_members_total", "value": 54968,
                                   "period_label": "2018-06-30", "province": "Lạng Sơn"}])
    page = write_report(wh, tmp_path / "report.html").read_text(encoding="utf-8")
    data, layout = next(iter(plotly_payloads(page).values()))  # the metric chart comes first
    assert layout["title"]["text"] == "party_members_total · stock on a day"
    assert [t["x"] for t in data] == [["2018-06-30"]]
    assert layout["xaxis"] == {"title": {"text": "day of the count"}, "type": "date", "tickformat": "%Y-%m-%d",
                               "hoverformat": "%Y-%m-%d", "range": ["2018-05-31", "2018-07-30"]}


def test_an_implausible_change_is_drawn_apart_and_marked_not_charted_as_a_fact(tmp_path):
    """Budget revenue 100 bn, then 11,823 bn (+11,723 %, a misread unit), then 120 bn: the two
    tenfold moves are flagged by metric_period_over_period.implausible; their values leave the
    province's line for a grey marker, and the changes table says "implausible"."""
    revenue = {"2017": 100e9, "2018": 11823e9, "2019": 120e9, "2020": 132e9}
    wh = _warehouse_of(tmp_path, [{"doc_id": f"d{y}", "metric": "budget_revenue_vnd", "value": v,
                                   "period_label": y, "province": "Nghệ An"} for y, v in revenue.items()])
    page = write_report(wh, tmp_path / "report.html").read_text(encoding="utf-8")
    data, layout = next(iter(plotly_payloads(page).values()))  # the metric chart comes first
    line, apart = data
    assert (line["name"], line["x"], line["y"]) == ("Nghệ An", list(revenue), [100e9, None, None, 132e9])
    assert (apart["name"], apart["mode"], apart["x"], apart["y"]) == (
        "implausible change (check the articles)", "markers", ["2018", "2019"], [11823e9, 120e9])
    changes = section(page, "metric-budget_revenue_vnd")
    assert changes.count(">implausible</span>") == 0  # the latest change (2020 against 2019) is plausible
    con = duckdb.connect(str(wh), read_only=True)
    flags = con.execute("select period_label, implausible from metric_period_over_period order by 1").fetchall()
    con.close()
    assert flags == [("2017", False), ("2018", True), ("2019", True), ("2020", False)]


def test_an_implausible_latest_change_is_marked_in_the_table_and_ranked_last(tmp_path):
    wh = _warehouse_of(tmp_path, [
        {"doc_id": "a1", "metric": "budget_revenue_vnd", "value": 100e9, "period_label": "2018", "province": "Nghệ An"},
        {"doc_id": "a2", "metric": "budget_revenue_vnd", "value": 11823e9, "period_label": "2019", "province": "Nghệ An"},
        {"doc_id": "b1", "metric": "budget_revenue_vnd", "value": 100e9, "period_label": "2018", "province": "Hà Tĩnh"},
        {"doc_id": "b2", "metric": "budget_revenue_vnd", "value": 150e9, "period_label": "2019", "province": "Hà Tĩnh"}])
    page = write_report(wh, tmp_path / "report.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>(.*?)</tr>", section(page, "metric-budget_revenue_vnd").split("Latest changes")[1])
    assert [re.findall(r"<td[^>]*>(.*?)</td>", r)[0] for r in rows[1:]] == ["Hà Tĩnh", "Nghệ An"]
    assert "implausible" not in rows[1] and ">implausible</span>" in rows[2] and '"up"' not in rows[2]


def test_report_queries_are_loaded_by_name_and_never_taken_for_views(tmp_path):
    names = sorted(p.stem for p in (SQL_DIR / "report").glob("*.sql"))
    assert names == ["corrections", "coverage", "facts_per_article", "load_warnings", "metric_periods", "officials", "quarantine",
                     "quarantine_reasons", "runs", "scorecard", "summary"]
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    apply_schema(con)
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert views == {name for _, name, _ in numbered_files(SQL_DIR / "views")}
    assert create_views(con) == [name for _, name, _ in numbered_files(SQL_DIR / "macros")
                                 + numbered_files(SQL_DIR / "views")]
    con.close()


# --- command line --------------------------------------------------------------------------------

def test_cli_report_prints_the_path_and_exits_2_without_a_warehouse(built, tmp_path, capsys):
    wh, _, _ = built
    out = tmp_path / "r" / "mine.html"
    assert main(["report", "--warehouse", str(wh), "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert "Thừa Thiên Huế" in out.read_text(encoding="utf-8")
    assert main(["report", "--warehouse", str(tmp_path / "missing.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "no warehouse at" in err and "missing.duckdb" in err


def test_cli_report_defaults_to_report_html_beside_the_warehouse(built, tmp_path, capsys, monkeypatch):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    wh.parent.mkdir()
    shutil.copy(built[0], wh)
    monkeypatch.setenv("PARTY_WAREHOUSE_FILE", str(wh))
    assert main(["report"]) == 0
    assert capsys.readouterr().out.strip() == str(wh.parent / "report.html")
    assert (wh.parent / "report.html").is_file()


def test_run_writes_the_report_when_asked(raw_copy, tmp_path, capsys, monkeypatch):
    wh, out = tmp_path / "wh" / "warehouse.duckdb", tmp_path / "run-report.html"
    monkeypatch.delenv(ENV_REPORT, raising=False)
    assert main(["run", "--no-prefect", "--raw-dir", str(raw_copy), "--warehouse", str(wh)]) == 0
    assert not out.exists()  # off by default
    capsys.readouterr()
    assert main(["run", "--no-prefect", "--raw-dir", str(raw_copy), "--warehouse", str(wh),
                 "--report", str(out)]) == 0
    assert f"report: {out}" in capsys.readouterr().out
    assert "Nghệ An" in out.read_text(encoding="utf-8")
    env_out = tmp_path / "env-report.html"
    monkeypatch.setenv(ENV_REPORT, str(env_out))
    assert main(["run", "--no-prefect", "--json", "--raw-dir", str(raw_copy), "--warehouse", str(wh)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["status"] == "success"  # stdout stays JSON; the path goes to stderr
    assert f"report: {env_out}" in captured.err and env_out.is_file()


# --- in a browser --------------------------------------------------------------------------------

class RenderedCharts(HTMLParser):
    """Per chart div (id chart-N) of a DOM dump: how many <svg class="main-svg">, and the marks
    (paths with a shape, heat-map images) drawn inside each trace group."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, int | None]] = []  # (tag, chart id, trace index)
        self.main_svg: Counter = Counter()
        self.traces: dict[str, list[int]] = {}
        self.legend: dict[str, list[str]] = {}
        self._in_legend_text: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        chart, trace = self.stack[-1][1:] if self.stack else (None, None)
        if tag == "div" and (a.get("id") or "").startswith("chart-"):
            chart, trace = a["id"], None
            self.traces[chart], self.legend[chart] = [], []
        if chart:
            if tag == "svg" and "main-svg" in classes:
                self.main_svg[chart] += 1
            if tag == "g" and ("trace" in classes or "hm" in classes):
                self.traces[chart].append(0)
                trace = len(self.traces[chart]) - 1
            if trace is not None and ((tag == "path" and (a.get("d") or "").strip())
                                      or (tag == "image" and (a.get("xlink:href") or a.get("href") or "")
                                          .startswith("data:image/png"))):
                self.traces[chart][trace] += 1
            if tag == "text" and "legendtext" in classes:
                self._in_legend_text = chart
        if tag not in self.VOID:
            self.stack.append((tag, chart, trace))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_data(self, data):
        if self._in_legend_text:
            self.legend[self._in_legend_text].append(data)

    def handle_endtag(self, tag):
        if tag == "text":
            self._in_legend_text = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break


def need_chromium() -> None:
    if fx.CHROMIUM.exists():
        return
    message = (f"{fx.CHROMIUM} is not installed (Debian: apt-get install chromium); the browser test of the "
               "HTML report needs it")
    if os.environ.get("PARTY_REQUIRE_CHROMIUM") == "1":
        pytest.fail(message + " and PARTY_REQUIRE_CHROMIUM=1 requires it")
    pytest.skip(message)


def png_size_and_pixels(png: Path) -> tuple[int, int, bytes]:
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.mark.slow
def test_charts_render_in_headless_chromium_and_a_screenshot_is_saved(built, tmp_path):
    need_chromium()
    _, path, page = built
    expected = {cid: len(data) for cid, (data, _) in plotly_payloads(page).items()}
    assert len(expected) == len(METRIC_CHARTS) + 3

    dom = fx.dump_dom(path, tmp_path / "profile-dom")
    rendered = RenderedCharts()
    rendered.feed(dom)
    assert set(rendered.traces) == set(expected)
    for cid, n_traces in expected.items():
        assert rendered.main_svg[cid] >= 1, f"{cid}: no <svg class=main-svg>: Plotly did not draw it"
        assert len(rendered.traces[cid]) == n_traces, (cid, rendered.traces[cid])
        assert all(marks > 0 for marks in rendered.traces[cid]), f"{cid}: an empty trace {rendered.traces[cid]}"
    # the first chart's legend, drawn as SVG text, spells the provinces right
    assert sorted(rendered.legend["chart-1"]) == sorted(fx.PROVINCES)

    png = fx.screenshot(path, tmp_path / "report.png", tmp_path / "profile-shot")
    width, height, pixels = png_size_and_pixels(png)
    assert (width, height) == (1400, 2400)
    assert len(set(pixels[::7])) > 64, "the screenshot is (nearly) blank"
