"""The data tests of sql/checks that gate a publish (flows/checks.py).

A clean warehouse passes every check; for each check, one seeded violation makes exactly that
check fail, naming the violating row among its examples.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from flows.checks import (
    CHECKS_DIR,
    CheckFailure,
    DataCheckError,
    assert_checks,
    read_vocabulary,
    run_checks,
)
from flows.schema import apply_schema, numbered_files

BODY = "Sáng nay (26/6), Ban Tổ chức Tỉnh ủy Nghệ An sơ kết công tác xây dựng Đảng. " * 4

ARTICLES = [
    # doc_id, source_path, published_at, event_date, province, meeting_kind, period_label, kind, start, end
    ("a1", "000.txt", "2019-06-26 11:13:00", "2019-06-26", "Nghệ An", "so_ket", "2019-H1", "H1", "2019-01-01", "2019-06-30"),
    ("a2", "003.txt", "2021-05-14 00:00:00", "2015-02-10", "Lạng Sơn", "tong_ket", "2014", "Y", "2014-01-01", "2014-12-31"),
    ("a3", "004.txt", None, "2013-06-06", "Nghệ An", "giao_ban", "2013-H1", None, None, None),
    ("a4", "feed.jsonl#3", "2020-07-25 13:05:15", None, None, None, None, None, None, None),
]
METRICS = [
    # doc_id, fact_no, metric, value, unit, qualifier, pct_of_plan, denominator, kind, start, end, label, province, scope
    ("a1", 1, "grdp_growth_pct", 7.09, "percent", "estimate", None, None, "H1", "2019-01-01", "2019-06-30", "2019-H1", "Nghệ An", None),
    ("a1", 2, "budget_revenue_vnd", 7.2e12, "VND", "nearly", None, None, "H1", "2019-01-01", "2019-06-30", "2019-H1", "Nghệ An", None),
    ("a1", 3, "party_members_total", 190000, "person", "over", None, None, "asof", "2019-06-26", "2019-06-26", "2019-06-26", "Nghệ An", None),
    ("a1", 4, None, 46.2, "percent", None, None, None, None, None, None, None, "Nghệ An", None),
    ("a1", 5, None, 9, "nhiệm vụ trọng tâm", None, None, None, None, None, None, None, "Nghệ An", None),
    ("a2", 1, "party_members_admitted", 2658, "person", None, 123.9, None, "Y", "2014-01-01", "2014-12-31", "2014", "Lạng Sơn", None),
    ("a2", 2, "commendations_collective", 9, "collective", None, None, None, "Y", "2014-01-01", "2014-12-31", "2014", "Lạng Sơn", None),
    ("a2", 3, "grdp_growth_pct", -1.5, "percent", None, None, None, "Y", "2014-01-01", "2014-12-31", "2014", "Lạng Sơn", None),
    ("a3", 1, "party_members_admitted", 746, "person", None, 39, None, "nM", "2013-01-01", "2013-05-31", "2013-5M", "Nghệ An", "Cụm 1"),
    ("a3", 2, "party_members_admitted", 90000, "person", None, None, None, "range", "2005-01-01", "2010-12-31", "2005-2010", None, "national"),
    ("a4", 1, "grassroots_congresses_held", 497, "organization", None, None, 567, "asof", "2020-06-25", "2020-06-25", "2020-06-25", "Đồng Tháp", None),
    ("a4", 2, "party_members_admitted", 150, "person", None, None, None, "Q3", "2020-07-01", "2020-09-30", "2020-Q3", "Đồng Tháp", None),
]
PEOPLE = [
    ("a1", "Nguyễn Văn Thông", "Phó Bí thư Thường trực Tỉnh ủy", "Nghệ An"),
    ("a1", "Lê Văn A", None, None),
    ("a2", "Trần Thị B", "Trưởng Ban Tổ chức Tỉnh ủy", "Lạng Sơn"),
]
DOCUMENTS = [
    ("a1", "nghi_quyet", None, "Trung ương 6", "XII", None, "Nghị quyết Trung ương 6 khóa XII"),
    ("a3", "nghi_quyet", "09-NQ/TU", None, None, "2011-05-15", "Nghị quyết 09-NQ/TU"),
]
RUNS = [
    ("r1", "2024-01-01 10:00:00", "2024-01-01 10:05:00", "succeeded", 5, 5, 0, 4, 12),
]


def clean_warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    load_clean_rows(con)
    return con


def load_clean_rows(con: duckdb.DuckDBPyConnection) -> None:
    con.executemany(
        "insert into articles (doc_id, source_path, published_at, event_date, province, meeting_kind,"
        " period_label, period_kind, period_start, period_end, on_topic, body, extractor_version)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, 1)",
        [list(a) + [BODY] for a in ARTICLES],
    )
    con.executemany(
        "insert into metrics (doc_id, fact_no, metric, value, unit, qualifier, pct_of_plan, denominator,"
        " period_kind, period_start, period_end, period_label, province, scope, sentence, char_start, char_end)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'câu', 0, 40)",
        METRICS,
    )
    con.executemany(
        "insert into people (doc_id, name, title, province, sentence, char_start, char_end)"
        " values (?, ?, ?, ?, 'câu', 10, 60)",
        PEOPLE,
    )
    con.executemany(
        "insert into documents_cited (doc_id, kind, code, session, term, issued_on, text, sentence,"
        " char_start, char_end) values (?, ?, ?, ?, ?, ?, ?, 'câu', 80, 120)",
        DOCUMENTS,
    )
    con.executemany(
        "insert into runs (run_id, started_at, finished_at, status, files_seen, files_new,"
        " files_quarantined, articles_loaded, metrics_loaded) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        RUNS,
    )


@pytest.fixture(scope="module")
def shared_warehouse():
    con = clean_warehouse()
    yield con
    con.close()


@pytest.fixture
def warehouse(shared_warehouse):
    """The clean warehouse, inside a transaction rolled back after the test (DDL included),
    so every test starts clean without rebuilding it."""
    shared_warehouse.execute("begin transaction")
    yield shared_warehouse
    shared_warehouse.execute("rollback")


def without_constraints(con, table: str) -> None:
    """Replace a table by an unconstrained copy, to seed what its own keys would refuse
    (a warehouse built another way, e.g. CREATE TABLE AS, has no such guard)."""
    con.execute(f"create or replace table {table} as select * from {table}")


def insert(con, table: str, row: dict) -> None:
    columns = list(row)
    con.execute(
        f"insert into {table} ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
        list(row.values()),
    )


def metric_row(**overrides) -> dict:
    row = dict(doc_id="a2", fact_no=99, metric="commendations_individual", value=18, unit="person",
               period_kind="Y", period_start="2014-01-01", period_end="2014-12-31",
               period_label="2014", province="Lạng Sơn", sentence="câu", char_start=0, char_end=40)
    row.update(overrides)
    return row


def future(days: int = 30) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


# check name -> (seed the violation, a (key, value) the example row must show)
def seed_001(con):
    without_constraints(con, "articles")
    con.execute("insert into articles select * from articles where doc_id = 'a2'")


def seed_002(con):
    without_constraints(con, "metrics")
    insert(con, "metrics", metric_row(fact_no=1, metric="party_members_admitted", value=2600))


def seed_003(con):
    without_constraints(con, "runs")
    insert(con, "runs", {"run_id": "r1", "started_at": "2024-02-01 10:00:00", "status": "failed"})


def seed_004(con):
    without_constraints(con, "articles")
    insert(con, "articles", {"doc_id": "a9", "source_path": "009.txt", "on_topic": True,
                             "body": None, "extractor_version": 1})


def seed_005(con):
    without_constraints(con, "metrics")
    insert(con, "metrics", metric_row(metric=None, unit=None, period_kind=None, period_start=None,
                                      period_end=None, period_label=None))


def seed_006(con):
    without_constraints(con, "people")
    insert(con, "people", {"doc_id": "a2", "name": None, "title": "Bí thư Tỉnh ủy",
                           "sentence": "câu", "char_start": 0, "char_end": 5})


def seed_007(con):
    without_constraints(con, "documents_cited")
    insert(con, "documents_cited", {"doc_id": "a2", "kind": "chi_thi", "code": "05-CT/TW", "text": None,
                                    "sentence": "câu", "char_start": 0, "char_end": 5})


SEEDS = {
    "001_articles_doc_id_unique": (seed_001, ("doc_id", "a2")),
    "002_metrics_key_unique": (seed_002, ("doc_id", "a2")),
    "003_runs_run_id_unique": (seed_003, ("run_id", "r1")),
    "004_articles_not_null": (seed_004, ("null_columns", "body")),
    "005_metrics_not_null": (seed_005, ("null_columns", "unit")),
    "006_people_not_null": (seed_006, ("null_columns", "name")),
    "007_documents_cited_not_null": (seed_007, ("null_columns", "text")),
    "008_articles_meeting_kind_accepted": (
        lambda con: con.execute("update articles set meeting_kind = 'hop_bao' where doc_id = 'a3'"),
        ("meeting_kind", "hop_bao")),
    "009_period_kind_accepted": (
        lambda con: con.execute("update articles set period_kind = 'S1' where doc_id = 'a3'"),
        ("period_kind", "S1")),
    "010_metrics_qualifier_accepted": (
        lambda con: insert(con, "metrics", metric_row(qualifier="hơn")), ("qualifier", "hơn")),
    "011_metrics_metric_in_vocabulary": (
        lambda con: insert(con, "metrics", metric_row(metric="party_cells_total")),
        ("metric", "party_cells_total")),
    "012_metrics_unit_matches_vocabulary": (
        lambda con: insert(con, "metrics", metric_row(unit="collective")), ("unit", "collective")),
    "013_documents_cited_kind_accepted": (
        lambda con: insert(con, "documents_cited", {
            "doc_id": "a2", "kind": "nghi_dinh", "text": "Nghị định 34", "sentence": "câu",
            "char_start": 0, "char_end": 5}),
        ("kind", "nghi_dinh")),
    "014_metrics_article_exists": (
        lambda con: insert(con, "metrics", metric_row(doc_id="ghost", fact_no=1)), ("doc_id", "ghost")),
    "015_people_article_exists": (
        lambda con: insert(con, "people", {"doc_id": "ghost", "name": "Hồ Văn D", "sentence": "câu",
                                           "char_start": 0, "char_end": 5}),
        ("doc_id", "ghost")),
    "016_documents_cited_article_exists": (
        lambda con: insert(con, "documents_cited", {"doc_id": "ghost", "kind": "chi_thi", "text": "x",
                                                    "sentence": "câu", "char_start": 0, "char_end": 5}),
        ("doc_id", "ghost")),
    "017_metrics_pct_of_plan_range": (
        lambda con: insert(con, "metrics", metric_row(pct_of_plan=1239.0)), ("pct_of_plan", 1239.0)),
    "018_metrics_percent_range": (
        lambda con: insert(con, "metrics", metric_row(metric="grdp_growth_pct", unit="percent", value=709.0)),
        ("value", 709.0)),
    "019_metrics_count_range": (
        lambda con: insert(con, "metrics", metric_row(value=-18)), ("problem", "negative count or amount")),
    "020_dates_not_in_future": (
        lambda con: con.execute("update articles set published_at = ? where doc_id = 'a4'", [future()]),
        ("column_name", "published_at")),
    "021_period_start_before_end": (
        lambda con: con.execute(
            "update articles set period_start = '2013-07-01', period_end = '2013-06-30' where doc_id = 'a3'"),
        ("doc_id", "a3")),
    "022_period_label_consistent": (
        lambda con: insert(con, "metrics", metric_row(period_kind="H1", period_label="2014-H2",
                                                      period_start="2014-07-01", period_end="2014-12-31")),
        ("problem", "period_label does not have the form of its period_kind")),
    "023_char_span_valid": (
        lambda con: con.execute("update people set char_end = 5000 where name = 'Trần Thị B'"),
        ("name", "Trần Thị B")),
    "024_metrics_national_scope_without_province": (
        lambda con: con.execute("update metrics set province = 'Nghệ An' where scope = 'national'"),
        ("scope", "national")),
}


def test_every_check_has_a_seeded_violation():
    assert {p.stem for _, _, p in numbered_files(CHECKS_DIR)} == set(SEEDS)


def test_every_check_has_a_header_comment():
    for _, _, path in numbered_files(CHECKS_DIR):
        assert path.read_text(encoding="utf-8").startswith("-- "), path


def test_clean_warehouse_passes():
    con = clean_warehouse()  # a fresh one, outside any transaction
    assert run_checks(con) == []
    assert_checks(con)  # does not raise


def test_vocabulary_is_facts_md_canonical_list():
    names = {row[0] for row in read_vocabulary()}
    assert {"party_members_admitted", "party_members_total", "party_committees_direct",
            "grassroots_orgs_total", "grassroots_congresses_held", "grdp_growth_pct",
            "budget_revenue_vnd", "commendations_collective", "commendations_individual"} <= names


@pytest.mark.parametrize("check", sorted(SEEDS))
def test_seeded_violation_fails_exactly_that_check(warehouse, check):
    seed, (key, value) = SEEDS[check]
    con = warehouse
    seed(con)
    failures = run_checks(con)
    assert [f.name for f in failures] == [check], "\n".join(str(f) for f in failures)
    failure = failures[0]
    assert failure.n_rows >= 1 and failure.description
    assert any(row.get(key) == value for row in failure.examples), failure.examples
    with pytest.raises(DataCheckError) as raised:
        assert_checks(con)
    assert check in str(raised.value) and repr(value) in str(raised.value)


@pytest.mark.parametrize("row, fails", [
    (dict(metric="grdp_growth_pct", unit="percent", value=-7.5), False),   # a shrinking economy
    (dict(metric="grdp_growth_pct", unit="percent", value=-150.0), True),
    (dict(metric=None, unit="percent", value=100.0), False),
    (dict(metric=None, unit="percent", value=146.2), False),               # "tăng 146,2%": a change
    (dict(metric=None, unit="percent", value=-3.0), False),                # "giảm 3%"
    (dict(metric=None, unit="percent", value=-103.0), True),               # below -100%: impossible
])
def test_percent_ranges(warehouse, row, fails):
    con = warehouse
    insert(con, "metrics", metric_row(**row))
    assert [f.name for f in run_checks(con)] == (["018_metrics_percent_range"] if fails else [])


@pytest.mark.parametrize("row, fails", [
    (dict(metric="grassroots_congresses_held", unit="organization", value=497, denominator=567), False),
    (dict(metric="grassroots_congresses_held", unit="organization", value=600, denominator=567), True),
    (dict(metric=None, unit="chi bộ", value=3, denominator=0), True),
])
def test_denominator_range(warehouse, row, fails):
    con = warehouse
    insert(con, "metrics", metric_row(**row))
    assert [f.name for f in run_checks(con)] == (["019_metrics_count_range"] if fails else [])


def test_tomorrow_is_tolerated_but_not_later(warehouse):
    con = warehouse
    con.execute("update articles set event_date = ? where doc_id = 'a4'", [future(1)])
    assert run_checks(con) == []
    con.execute("update articles set event_date = ? where doc_id = 'a4'", [future(2)])
    assert [f.name for f in run_checks(con)] == ["020_dates_not_in_future"]


def test_examples_are_limited_and_counted(warehouse):
    con = warehouse
    for n in range(12):
        insert(con, "metrics", metric_row(fact_no=100 + n, qualifier="chừng"))
    (failure,) = run_checks(con)
    assert isinstance(failure, CheckFailure)
    assert failure.n_rows == 12 and len(failure.examples) == 5
    assert failure.examples[0] == {"doc_id": "a2", "fact_no": 100, "metric": "commendations_individual",
                                   "value": 18.0, "qualifier": "chừng"}
    message = str(DataCheckError([failure]))
    assert "010_metrics_qualifier_accepted: 12 violating row(s)" in message
    assert "... and 7 more" in message
