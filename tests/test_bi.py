"""The warehouse as analysts and BI tools use it: SQLAlchemy + duckdb_engine read-only (what
Superset and other Python BI tools use), a run publishing while such a connection is open, and
the example queries of docs/analysts-and-bi.md ("For analysts: querying and BI tools") and the
README's first query."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.pipeline import run
from flows.settings import Settings

from .conftest import PROJECT, RAW

sqlalchemy = pytest.importorskip("sqlalchemy")
pytest.importorskip("duckdb_engine")
from sqlalchemy import create_engine, inspect, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

README = PROJECT / "README.md"
ANALYSTS = PROJECT / "docs" / "analysts-and-bi.md"
ANALYSTS_SECTION = "For analysts: querying and BI tools"
README_SECTION = "A first query"

# Two half-year reviews of one province a year apart: with them the warehouse has a
# year-over-year comparison (the five bundled articles have none).
NEW_ARTICLES = {
    "nghe_an_2018_h1.txt": """\
        Nghệ An: Sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2018

        Cập nhật lúc 15:34, Thứ Năm, 05/07/2018 (GMT+7)

        Sáng 5/7, Ban Tổ chức Tỉnh ủy Nghệ An tổ chức hội nghị sơ kết công tác tổ chức xây dựng Đảng 6 tháng đầu năm 2018. Trong 6 tháng đầu năm 2018, toàn tỉnh đã kết nạp 1.850 đảng viên mới.
        """,
    "nghe_an_2019_h1.txt": """\
        Nghệ An: Sơ kết công tác xây dựng Đảng 6 tháng đầu năm 2019

        Cập nhật lúc 15:34, Thứ Năm, 04/07/2019 (GMT+7)

        Sáng 4/7, Ban Tổ chức Tỉnh ủy Nghệ An tổ chức hội nghị sơ kết công tác tổ chức xây dựng Đảng 6 tháng đầu năm 2019. Trong 6 tháng đầu năm 2019, toàn tỉnh đã kết nạp 2.035 đảng viên mới.
        """,
}

# The example queries of docs/analysts-and-bi.md (keep the two in step: test_readme_examples_run runs
# the page's).
EXAMPLES = {
    "admissions_by_half_year": """
        select province, period_label, value as admitted,
               yoy_period_label, yoy_value, yoy_change, round(yoy_pct_change, 1) as yoy_pct
        from metric_period_over_period
        where metric = 'party_members_admitted'
          and period_kind in ('H1', 'H2')
          and scope is null
        order by province, period_label
    """,
    "scorecard": """
        select province, metric, period_label, value, yoy_pct_change, n_articles, has_conflict
        from province_scorecard
        order by province, metric
    """,
    "officials": """
        select title, name, province, first_seen, last_seen, n_articles
        from officials_by_title
        where title in ('Bí thư Tỉnh ủy', 'Trưởng Ban Tổ chức Tỉnh ủy')
        order by title, province, last_seen desc
    """,
    "coverage": """
        select province, period_label, n_articles, n_on_topic, n_canonical_metrics, n_people, n_documents
        from coverage
        order by province nulls last, period_label
    """,
    "sources_of_a_figure": """
        select m.province, m.period_label, m.value, a.title, a.published_at, m.sentence
        from metrics as m
        join articles as a using (doc_id)
        where m.metric = 'party_members_admitted'
        order by m.province, m.period_label
    """,
    "freshness": """
        select run_id, finished_at, status, articles_loaded
        from runs
        order by started_at desc
        limit 1
    """,
}


def add_new_articles(raw: Path) -> None:
    for name, body in NEW_ARTICLES.items():
        (raw / name).write_text(textwrap.dedent(body), encoding="utf-8")


def build(base: Path, with_new: bool = False) -> tuple[Path, Path]:
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    if with_new:
        add_new_articles(raw)
    wh = base / "warehouse" / "warehouse.duckdb"
    assert run(Settings.resolve(raw, wh)).status == "success"
    return raw, wh


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("bi"))[1]


@pytest.fixture(scope="module")
def warehouse_with_yoy(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("bi_yoy"), with_new=True)[1]


def read_only_engine(wh: Path, **kw):
    return create_engine(f"duckdb:///{wh}", connect_args={"read_only": True}, **kw)


def query(wh: Path, sql: str) -> tuple[list[str], list[tuple]]:
    con = duckdb.connect(str(wh), read_only=True)
    try:
        cur = con.execute(sql)
        rows = cur.fetchall()
        return [d[0] for d in cur.description], rows
    finally:
        con.close()


# --- SQLAlchemy + duckdb_engine, read-only ------------------------------------------------------

def test_sqlalchemy_read_only_reads_tables_and_views(warehouse):
    engine = read_only_engine(warehouse)
    try:
        with engine.connect() as con:
            pop = con.execute(text("select metric, province, period_label, value, yoy_pct_change "
                                   "from metric_period_over_period order by metric, province, period_label"
                                   )).fetchall()
            assert ("party_members_admitted", "Lạng Sơn", "2014", 2658.0, None) in [tuple(r) for r in pop]
            n = con.execute(text("select count(*) from articles where province = :p"), {"p": "Nghệ An"}).scalar()
            assert n == 2
            insp = inspect(con)  # what a BI tool lists in its dataset picker
            assert {"articles", "metrics", "people", "documents_cited", "runs"} <= set(insp.get_table_names())
            assert {"metric_period_over_period", "province_scorecard", "officials_by_title",
                    "coverage"} <= set(insp.get_view_names())
            with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
                con.execute(text("create table scratch (i integer)"))
    finally:
        engine.dispose()


HOLDER = r"""
import json, sys
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

url = "duckdb:///" + sys.argv[1]
ro = {"read_only": True}
pooled = create_engine(url, connect_args=ro)           # SQLAlchemy's default pool (QueuePool)
unpooled = create_engine(url, connect_args=ro, poolclass=NullPool)
count = "select count(*) from articles"

def n(con):
    return con.execute(text(count)).scalar()

held = pooled.connect()
with unpooled.connect() as c:
    before_unpooled = n(c)
print(json.dumps({"held": n(held), "unpooled": before_unpooled}), flush=True)
sys.stdin.readline()                                   # the test runs the ETL meanwhile
after = {"held": n(held)}
held.close()
with pooled.connect() as c:                            # the pool hands back the same DuckDB connection
    after["pooled_again"] = n(c)
pooled.dispose()                                       # closes the pooled DuckDB connection
with unpooled.connect() as c:                          # NullPool: a new DuckDB connection each time
    after["unpooled"] = n(c)
with pooled.connect() as c:
    after["pooled_after_dispose"] = n(c)
print(json.dumps(after), flush=True)
"""


def test_a_run_publishes_while_a_bi_connection_is_open(tmp_path):
    raw, wh = build(tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(wh)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = json.loads(holder.stdout.readline() or "null")
        assert first == {"held": 5, "unpooled": 5}, holder.stderr.read() if first is None else first
        add_new_articles(raw)
        summary = run(Settings.resolve(raw, wh))  # while the other process holds its connection
        assert summary.status == "success" and summary.articles_loaded == 2
        out, err = holder.communicate("go\n", timeout=60)
    finally:
        if holder.poll() is None:
            holder.kill()
    assert holder.returncode == 0, err
    after = json.loads(out.strip().splitlines()[-1])
    # An open connection keeps its snapshot; so does a pooled one handed out again. A new DuckDB
    # connection (NullPool, or after engine.dispose()) sees the new file, once no connection of
    # that process to the file is left open (see the next test).
    assert after == {"held": 5, "pooled_again": 5, "unpooled": 7, "pooled_after_dispose": 7}
    engine = read_only_engine(wh)
    try:
        with engine.connect() as con:
            assert con.execute(text("select count(*) from articles")).scalar() == 7
            yoy = con.execute(text(
                "select yoy_period_label, yoy_value, yoy_change from metric_period_over_period "
                "where metric = 'party_members_admitted' and province = 'Nghệ An' "
                "and period_label = '2019-H1' and scope is null")).fetchall()
            assert [tuple(r) for r in yoy] == [("2018-H1", 1850.0, 185.0)]
    finally:
        engine.dispose()


def test_a_new_connection_in_a_process_that_still_holds_one_sees_the_old_file(tmp_path):
    """DuckDB shares one database instance per file and process: while any connection to the
    file is open in a process, a new one there gets the same (old) snapshot. Close them all."""
    raw, wh = build(tmp_path)
    old = duckdb.connect(str(wh), read_only=True)
    try:
        add_new_articles(raw)
        p = subprocess.run([sys.executable, "-m", "flows", "run", "--no-prefect", "--raw-dir", str(raw),
                            "--warehouse", str(wh)], cwd=PROJECT, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        again = duckdb.connect(str(wh), read_only=True)
        assert again.execute("select count(*) from articles").fetchall() == [(5,)]
        again.close()
    finally:
        old.close()
    assert query(wh, "select count(*) from articles")[1] == [(7,)]


# --- the documented example queries -------------------------------------------------------------

# What each example answers on the five bundled articles (the seed gold facts of ../shared/gold),
# the columns it names and its rows in order ("freshness": the columns that do not change a run).
ANSWERS = {
    "admissions_by_half_year": (
        ["province", "period_label", "admitted", "yoy_period_label", "yoy_value", "yoy_change", "yoy_pct"], []),
    "scorecard": (
        ["province", "metric", "period_label", "value", "yoy_pct_change", "n_articles", "has_conflict"],
        [("Lạng Sơn", "commendations_collective", "2014", 9.0, None, 1, False),
         ("Lạng Sơn", "commendations_individual", "2014", 18.0, None, 1, False),
         ("Lạng Sơn", "party_members_admitted", "2014", 2658.0, None, 1, False),
         ("Lạng Sơn", "party_members_total", "2014-12-31", 54968.0, None, 1, False),
         ("Nghệ An", "budget_revenue_vnd", "2019-H1", 7.2e12, None, 1, False),
         ("Nghệ An", "grdp_growth_pct", "2019-H1", 7.09, None, 1, False),
         ("Nghệ An", "party_committees_direct", "2019-06-26", 28.0, None, 1, False),
         ("Nghệ An", "party_members_total", "2019-06-26", 190000.0, None, 1, False),
         ("Đồng Tháp", "grassroots_congresses_held", "2020-06-25", 497.0, None, 1, False)]),
    "officials": (
        ["title", "name", "province", "first_seen", "last_seen", "n_articles"],
        [("Bí thư Tỉnh ủy", "Phùng Thanh Kiểm", "Lạng Sơn", date(2015, 2, 10), date(2015, 2, 10), 1),
         ("Trưởng Ban Tổ chức Tỉnh ủy", "Hồ Phúc Hợp", "Nghệ An", date(2019, 6, 26), date(2019, 6, 26), 1),
         ("Trưởng Ban Tổ chức Tỉnh ủy", "Nguyễn Hữu Lậm", "Nghệ An", date(2013, 6, 6), date(2013, 6, 6), 1),
         ("Trưởng Ban Tổ chức Tỉnh ủy", "Phan Văn Thắng", "Đồng Tháp", date(2020, 7, 25), date(2020, 7, 25), 1)]),
    "coverage": (
        ["province", "period_label", "n_articles", "n_on_topic", "n_canonical_metrics", "n_people", "n_documents"],
        [("Lạng Sơn", "2014", 1, 1, 4, 3, 0), ("Nghệ An", "2013-H1", 1, 1, 1, 2, 2),
         ("Nghệ An", "2019-H1", 1, 1, 4, 3, 1), ("Đồng Tháp", "2020-H1", 1, 1, 1, 3, 0),
         (None, "2019-H1", 1, 1, 0, 1, 3)]),
    "sources_of_a_figure": (
        ["province", "period_label", "value", "title", "published_at", "sentence"],
        [("Lạng Sơn", "2014", 2658.0, "Ban Tổ chức Tỉnh ủy triển khai nhiệm vụ công tác tổ chức xây dựng Đảng năm 2015",
          datetime(2021, 5, 14), "Năm 2014, toàn đảng bộ tỉnh đã kết nạp được 2.658 đảng viên mới, đạt 123,9% kế "
          "hoạch, nâng tổng số đảng viên mới trong toàn tỉnh lên 54.968 đảng viên."),
         ("Nghệ An", "2013-5M", 746.0, "Giao ban công tác tổ chức xây dựng đảng Cụm 1", None,
          "Tính đến hết tháng 5 năm 2013, toàn cụm đã kết nạp được 746 đảng viên mới (đạt 39% kế hoạch)…")]),
    "freshness": (["run_id", "finished_at", "status", "articles_loaded"], [("success", 5)]),
}


def test_every_example_has_its_answer():
    assert set(ANSWERS) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_run_on_the_bundled_articles(warehouse, name):
    columns, rows = query(warehouse, EXAMPLES[name])
    if name == "freshness":
        rows = [(status, loaded) for _run_id, _finished, status, loaded in rows]
    assert (columns, rows) == ANSWERS[name]


def test_examples_give_the_expected_answers(warehouse, warehouse_with_yoy):
    _, rows = query(warehouse, EXAMPLES["admissions_by_half_year"])
    assert rows == []  # the bundled articles report no half-year admissions of a whole province
    _, rows = query(warehouse_with_yoy, EXAMPLES["admissions_by_half_year"])
    assert rows == [("Nghệ An", "2018-H1", 1850.0, None, None, None, None),
                    ("Nghệ An", "2019-H1", 2035.0, "2018-H1", 1850.0, 185.0, 10.0)]
    _, rows = query(warehouse, EXAMPLES["scorecard"])
    assert ("Lạng Sơn", "party_members_admitted", "2014", 2658.0, None, 1, False) in rows
    _, rows = query(warehouse, EXAMPLES["officials"])
    assert [r[:3] for r in rows if r[0] == "Bí thư Tỉnh ủy"] == [("Bí thư Tỉnh ủy", "Phùng Thanh Kiểm", "Lạng Sơn")]
    _, rows = query(warehouse, EXAMPLES["coverage"])
    assert sum(r[2] for r in rows) == 5
    _, rows = query(warehouse, EXAMPLES["sources_of_a_figure"])
    assert any(r[2] == 2658.0 and "2.658" in r[5] for r in rows)
    _, rows = query(warehouse, EXAMPLES["freshness"])
    assert len(rows) == 1 and rows[0][2] == "success"


def section_blocks(page: Path, title: str, lang: str = "sql") -> list[str]:
    """The ```lang blocks of a page's section `title` (up to the next heading of its level)."""
    lines, level, fenced, section = page.read_text(encoding="utf-8").splitlines(), None, False, []
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        heading = None if fenced else re.match(r"(#+) ", line)
        if level is None:
            if heading and title in line:
                level = len(heading.group(1))
            continue
        if heading and len(heading.group(1)) <= level:
            break
        section.append(line)
    return re.findall(rf"```{lang}\n(.*?)```", "\n".join(section) + "\n", re.S)


def statements(block: str) -> list[str]:
    return [s for s in block.split(";")
            if any(line.strip() and not line.strip().startswith("--") for line in s.splitlines())]


def run_blocks(warehouse: Path, blocks: list[str]) -> list[list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [con.execute(stmt).fetchall() for block in blocks for stmt in statements(block)]
    finally:
        con.close()


def one_line(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().rstrip(";").strip()


def test_readme_examples_run(warehouse_with_yoy):
    """docs/analysts-and-bi.md's queries are, statement for statement, the EXAMPLES whose answers
    the tests above check; each runs and answers on the warehouse with a year-over-year comparison."""
    blocks = section_blocks(ANALYSTS, ANALYSTS_SECTION)
    page = [one_line(stmt) for block in blocks for stmt in statements(block)]
    assert sorted(page) == sorted(one_line(sql) for sql in EXAMPLES.values())
    for rows, stmt in zip(run_blocks(warehouse_with_yoy, blocks), page):
        assert rows, stmt


def test_readme_first_query_runs(warehouse_with_yoy, tmp_path):
    """The README's "A first query": its one-line Python command, run from a project folder (a
    copy of the warehouse in warehouse/), prints the scorecard; its SQL gives the answers."""
    (command,) = [line for block in section_blocks(README, README_SECTION, "sh") for line in block.splitlines()
                  if line.startswith(".venv/bin/python -c ")]
    (tmp_path / "warehouse").mkdir()
    shutil.copy(warehouse_with_yoy, tmp_path / "warehouse" / "warehouse.duckdb")
    code = shlex.split(command)[2]
    p = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "province_scorecard" not in p.stderr and "Nghệ An" in p.stdout and "party_members_admitted" in p.stdout
    scorecard, period_over_period = run_blocks(warehouse_with_yoy, section_blocks(README, README_SECTION))
    assert ("Nghệ An", "party_members_admitted", "2019-H1", 2035.0, 10.0, 1, False) in scorecard
    assert ("party_members_admitted", "Nghệ An", "2019-H1", 2035.0, 1850.0, 10.0, None, False) in period_over_period
