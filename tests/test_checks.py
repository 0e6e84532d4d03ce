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
    FULL,
    INCREMENTAL,
    VOCABULARY_PATH,
    CheckFailure,
    DataCheckError,
    assert_checks,
    checks_version,
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


# --- every condition of every check: its own violating row (issue 17) ---------------------------
# A check whose condition is deleted or weakened must let one of these through. Each seeds one
# violation of one condition and must fail exactly its check, naming the row.

def set_null(table: str, column: str, where: str):
    def seed(con):
        without_constraints(con, table)
        con.execute(f"update {table} set {column} = null where {where}")
    return seed


def new_article_without(column: str):
    def seed(con):
        without_constraints(con, "articles")
        row = {"doc_id": "a9", "source_path": "009.txt", "on_topic": True, "body": BODY, "extractor_version": 1}
        insert(con, "articles", row | {column: None})
    return seed


# A fact whose doc_id is NULL has no article either: 014-016 report it too.
ALSO = {("005_metrics_not_null", "doc_id NULL"): ["014_metrics_article_exists"],
        ("006_people_not_null", "doc_id NULL"): ["015_people_article_exists"],
        ("007_documents_cited_not_null", "doc_id NULL"): ["016_documents_cited_article_exists"]}


def update(sql: str, *params):
    return lambda con: con.execute(sql, list(params))


def add_metric(**overrides):
    return lambda con: insert(con, "metrics", metric_row(**overrides))


def add_span(table: str, start: int, end: int):
    rows = {
        "metrics": metric_row(char_start=start, char_end=end),
        "people": {"doc_id": "a2", "name": "Hồ Văn D", "sentence": "câu", "char_start": start, "char_end": end},
        "documents_cited": {"doc_id": "a2", "kind": "chi_thi", "text": "Chỉ thị 05", "sentence": "câu",
                            "char_start": start, "char_end": end},
    }
    return lambda con: insert(con, table, rows[table])


LEN = len(BODY)
Y14 = dict(period_kind="Y", period_label="2014", period_start="2014-01-01", period_end="2014-12-31")

CONDITIONS = [
    # 004-007: each NOT NULL column of each table
    *[("004_articles_not_null", f"{c} NULL", new_article_without(c), ("null_columns", c))
      for c in ("doc_id", "source_path", "on_topic", "body", "extractor_version")],
    *[("005_metrics_not_null", f"{c} NULL", set_null("metrics", c, "doc_id = 'a1' and fact_no = 4"),
       ("null_columns", c)) for c in ("doc_id", "fact_no", "value", "unit", "sentence", "char_start", "char_end")],
    *[("006_people_not_null", f"{c} NULL", set_null("people", c, "name = 'Trần Thị B'"), ("null_columns", c))
      for c in ("doc_id", "name", "sentence", "char_start", "char_end")],
    *[("007_documents_cited_not_null", f"{c} NULL", set_null("documents_cited", c, "code = '09-NQ/TU'"),
       ("null_columns", c)) for c in ("doc_id", "kind", "text", "sentence", "char_start", "char_end")],
    # 009: in metrics as well as in articles
    ("009_period_kind_accepted", "metrics", add_metric(period_kind="S1"), ("period_kind", "S1")),
    # 017: both ends
    ("017_metrics_pct_of_plan_range", "below 0", add_metric(pct_of_plan=-0.5), ("pct_of_plan", -0.5)),
    ("017_metrics_pct_of_plan_range", "above 1000", add_metric(pct_of_plan=1000.5), ("pct_of_plan", 1000.5)),
    # 018: each range of each kind of percent
    ("018_metrics_percent_range", "growth above 100",
     add_metric(metric="grdp_growth_pct", unit="percent", value=100.5), ("value", 100.5)),
    ("018_metrics_percent_range", "growth below -100",
     add_metric(metric="grdp_growth_pct", unit="percent", value=-100.5), ("value", -100.5)),
    ("018_metrics_percent_range", "quantity below -100", add_metric(metric=None, unit="percent", value=-100.5),
     ("value", -100.5)),
    # 019: each rule
    ("019_metrics_count_range", "canonical count below 0", add_metric(value=-1), ("problem", "negative count or amount")),
    ("019_metrics_count_range", "value above its denominator", add_metric(metric=None, unit="chi bộ", value=6,
                                                                          denominator=5),
     ("problem", "value not within 0..denominator")),
    ("019_metrics_count_range", "negative value with a denominator",
     add_metric(metric=None, unit="chi bộ", value=-1, denominator=5), ("problem", "value not within 0..denominator")),
    ("019_metrics_count_range", "denominator 0", add_metric(metric=None, unit="chi bộ", value=0, denominator=0),
     ("denominator", 0.0)),
    ("019_metrics_count_range", "negative denominator", add_metric(metric=None, unit="chi bộ", value=0,
                                                                   denominator=-5), ("denominator", -5.0)),
    # 020: each date column
    ("020_dates_not_in_future", "event_date", lambda con: update(
        "update articles set event_date = ? where doc_id = 'a4'", future())(con), ("column_name", "event_date")),
    ("020_dates_not_in_future", "period_start", lambda con: add_metric(
        period_kind="asof", period_label=future(), period_start=future(), period_end=future())(con),
     ("column_name", "period_start")),
    ("020_dates_not_in_future", "issued_on", lambda con: update(
        "update documents_cited set issued_on = ? where code = '09-NQ/TU'", future())(con),
     ("column_name", "issued_on")),
    # 021: in metrics as well as in articles
    ("021_period_start_before_end", "metrics", add_metric(  # no kind, so 022 has nothing to compare
        period_kind=None, period_label=None, period_start="2014-12-31", period_end="2014-01-01"),
     ("table_name", "metrics")),
    # 022: the pairing rule, both ways
    ("022_period_label_consistent", "kind without label",
     add_metric(period_kind="Y", period_label=None, period_start="2014-01-01", period_end="2014-12-31"),
     ("problem", "period_kind and period_label must be both set or both NULL")),
    ("022_period_label_consistent", "label without kind",
     add_metric(period_kind=None, period_label="2014", period_start=None, period_end=None),
     ("problem", "period_kind and period_label must be both set or both NULL")),
    # 022: the label form of each kind
    *[("022_period_label_consistent", f"{kind} label {label!r}",
       add_metric(period_kind=kind, period_label=label, period_start=start, period_end=end),
       ("problem", "period_label does not have the form of its period_kind"))
      for kind, label, start, end in [
          ("Y", "14", "2014-01-01", "2014-12-31"),
          ("Y", "2014-H1", "2014-01-01", "2014-06-30"),
          ("H1", "2014", "2014-01-01", "2014-06-30"),
          ("H2", "2014-H1", "2014-07-01", "2014-12-31"),
          ("Q2", "2014-Q3", "2014-04-01", "2014-06-30"),
          ("nM", "2014-13M", "2014-01-01", "2014-12-31"),
          ("nM", "2014-0M", "2014-01-01", "2014-01-31"),
          ("nM", "2014-5", "2014-01-01", "2014-05-31"),
          ("range", "2014-2014", "2014-01-01", "2014-12-31"),   # issue 17: "nhiệm kỳ 2020 - 2020"
          ("range", "2015-2014", "2015-01-01", "2015-12-31"),
          ("range", "2014-20145", "2014-01-01", "2014-12-31"),
          ("asof", "2014-02-30", "2014-02-28", "2014-02-28"),   # no such day
          ("asof", "2014-2-3", "2014-02-03", "2014-02-03"),
      ]],
    # 022: the start and end of each kind
    *[("022_period_label_consistent", f"{kind} {label} {start}..{end}",
       add_metric(period_kind=kind, period_label=label, period_start=start, period_end=end),
       ("problem", "period_start/period_end are not the first/last day of period_label"))
      for kind, label, start, end in [
          ("Y", "2014", "2014-01-02", "2014-12-31"),
          ("Y", "2014", "2014-01-01", "2014-12-30"),
          ("H1", "2014-H1", "2014-01-01", "2014-07-31"),
          ("H2", "2014-H2", "2014-06-01", "2014-12-31"),
          ("Q1", "2014-Q1", "2014-01-01", "2014-04-30"),
          ("Q4", "2014-Q4", "2014-09-01", "2014-12-31"),
          ("nM", "2013-5M", "2013-01-01", "2013-05-30"),
          ("nM", "2016-2M", "2016-01-01", "2016-02-28"),      # a leap year: 29 Feb
          ("range", "2005-2010", "2005-01-01", "2009-12-31"),
          ("range", "2005-2010", "2006-01-01", "2010-12-31"),
          ("asof", "2014-06-26", "2014-06-26", "2014-06-27"),
          ("asof", "2014-06-26", "2014-06-25", "2014-06-26"),
          ("Y", "2014", None, "2014-12-31"),                  # NULL dates do not agree
          ("Y", "2014", "2014-01-01", None),
      ]],
    # 022: articles as well as metrics
    ("022_period_label_consistent", "article H1 ending in July", update(
        "update articles set period_end = '2019-07-31' where doc_id = 'a1'"), ("table_name", "articles")),
    ("022_period_label_consistent", "article label of another kind", update(
        "update articles set period_label = '2014-H1' where doc_id = 'a2'"), ("table_name", "articles")),
    # 023: each bound, in each table
    *[("023_char_span_valid", f"{table} {start}..{end}", add_span(table, start, end), ("table_name", table))
      for table in ("metrics", "people", "documents_cited")
      for start, end in [(-1, 10), (30, 20), (0, LEN + 1)]],
]


@pytest.mark.parametrize("check, condition, seed, shown", CONDITIONS,
                         ids=[f"{c[:3]}-{cond}" for c, cond, _, _ in CONDITIONS])
def test_each_condition_of_each_check_has_its_violation(warehouse, check, condition, seed, shown):
    seed(warehouse)
    failures = run_checks(warehouse)
    assert [f.name for f in failures] == [check] + ALSO.get((check, condition), []), \
        "\n".join(str(f) for f in failures)
    key, value = shown
    assert any(row.get(key) == value for row in failures[0].examples), failures[0].examples


# Rows on the edge of each condition that must pass: a check that is too strict fails them.
ALLOWED = [
    ("every meeting kind", lambda con: [
        con.execute("update articles set meeting_kind = ? where doc_id = ?", [k, d])
        for k, d in [("dai_hoi", "a1"), ("hoi_nghi", "a2"), ("tong_ket", "a3"), ("so_ket", "a4")]]),
    ("every qualifier", lambda con: [insert(con, "metrics", metric_row(fact_no=200 + i, qualifier=q))
                                     for i, q in enumerate(["over", "nearly", "about", "under", "estimate"])]),
    ("every document kind", lambda con: [insert(con, "documents_cited", {
        "doc_id": "a2", "kind": k, "text": k, "sentence": "câu", "char_start": 0, "char_end": 5})
        for k in ("nghi_quyet", "chi_thi", "quy_dinh", "ket_luan", "ke_hoach", "de_an", "huong_dan")]),
    ("pct_of_plan 0 and 1000", lambda con: [insert(con, "metrics", metric_row(fact_no=200 + i, pct_of_plan=v))
                                            for i, v in enumerate([0.0, 1000.0])]),
    ("growth -100 and 100", lambda con: [insert(con, "metrics", metric_row(
        fact_no=200 + i, metric="grdp_growth_pct", unit="percent", value=v)) for i, v in enumerate([-100.0, 100.0])]),
    ("a quantity percent of -100 and 1000", lambda con: [
        insert(con, "metrics", metric_row(fact_no=200 + i, metric=None, unit="percent", value=v))
        for i, v in enumerate([-100.0, 1000.0])]),
    ("a count of 0, N/N and 0/N", lambda con: [insert(con, "metrics", metric_row(fact_no=200 + i, **kw)) for i, kw in
                                               enumerate([dict(value=0), dict(value=5, denominator=5),
                                                          dict(value=0, denominator=5)])]),
    ("a future period end (an estimate for the year)", lambda con: insert(con, "metrics", metric_row(
        period_kind="range", period_label=f"2020-{dt.date.today().year + 5}", period_start="2020-01-01",
        period_end=f"{dt.date.today().year + 5}-12-31"))),
    ("a one-day period", lambda con: insert(con, "metrics", metric_row(
        period_kind="asof", period_label="2016-02-29", period_start="2016-02-29", period_end="2016-02-29"))),
    ("every kind with its label and bounds", lambda con: [insert(con, "metrics", metric_row(
        fact_no=200 + i, period_kind=k, period_label=lab, period_start=s, period_end=e)) for i, (k, lab, s, e) in
        enumerate([("Y", "2016", "2016-01-01", "2016-12-31"), ("H1", "2016-H1", "2016-01-01", "2016-06-30"),
                   ("H2", "2016-H2", "2016-07-01", "2016-12-31"), ("Q1", "2016-Q1", "2016-01-01", "2016-03-31"),
                   ("Q2", "2016-Q2", "2016-04-01", "2016-06-30"), ("Q3", "2016-Q3", "2016-07-01", "2016-09-30"),
                   ("Q4", "2016-Q4", "2016-10-01", "2016-12-31"), ("nM", "2016-2M", "2016-01-01", "2016-02-29"),
                   ("nM", "2016-1M", "2016-01-01", "2016-01-31"), ("nM", "2016-11M", "2016-01-01", "2016-11-30"),
                   ("range", "2016-2017", "2016-01-01", "2017-12-31"),
                   ("asof", "2016-12-31", "2016-12-31", "2016-12-31")])]),
    ("an article period label without a kind", lambda con: con.execute(
        "update articles set period_label = '2019-H1', period_kind = null, period_start = null,"
        " period_end = null where doc_id = 'a1'")),
    ("spans on the bounds of the body", lambda con: [
        insert(con, "metrics", metric_row(fact_no=200, char_start=0, char_end=LEN)),
        insert(con, "metrics", metric_row(fact_no=201, char_start=LEN, char_end=LEN))]),
    ("a province figure with a national article elsewhere", lambda con: insert(con, "metrics", metric_row(
        scope="national", province=None))),
]


@pytest.mark.parametrize("what, seed", ALLOWED, ids=[a[0] for a in ALLOWED])
def test_rows_on_the_edge_of_each_condition_pass(warehouse, what, seed):
    seed(warehouse)
    assert run_checks(warehouse) == []


@pytest.mark.parametrize("value, failed", [
    (-0.5, ["018_metrics_percent_range", "019_metrics_count_range"]),  # 019: a negative canonical figure
    (0.0, []), (100.0, []), (100.5, ["018_metrics_percent_range"])])
def test_a_canonical_share_lies_between_0_and_100(warehouse, tmp_path, value, failed):
    """018's rule for a canonical percent that is no growth rate (a share): the vocabulary has
    none today, so this test adds one through run_checks' vocabulary file."""
    vocabulary = tmp_path / "metrics_vocabulary.tsv"
    vocabulary.write_text(VOCABULARY_PATH.read_text(encoding="utf-8").rstrip("\n")
                          + "\ncongresses_held_share_pct\tpercent\ta share\t87,65%\n", encoding="utf-8")
    insert(warehouse, "metrics", metric_row(metric="congresses_held_share_pct", unit="percent", value=value))
    failures = run_checks(warehouse, vocabulary_path=vocabulary)
    assert [f.name for f in failures] == failed
    if failed:
        assert failures[0].examples[0]["min_allowed"] == 0 and failures[0].examples[0]["max_allowed"] == 100


# --- incremental checks: the rows of the articles a run changed (sql/check_scope/) ---------------
# A run's loader records in the temporary table changed_docs the doc_id of every row it writes or
# deletes (sql/load/090_changed_docs.sql, sql/runs/prune.sql). Here the seeds play the loader: the
# doc_ids of the rows a seed added, changed or removed are what it changed.

FACT_TABLES = ("articles", "metrics", "people", "documents_cited")


def seeded(con, seed) -> list[str]:
    """Apply `seed` and record, as a loader does, the doc_ids of the rows it wrote or deleted."""
    for table in FACT_TABLES:
        con.execute(f"create or replace temp table before_{table} as select * from {table}")
    seed(con)
    changed = " union ".join(f"(select doc_id from (select * from {t} except all select * from before_{t})"
                             f" union select doc_id from (select * from before_{t} except all select * from {t}))"
                             for t in FACT_TABLES)
    con.execute(f"create or replace temp table changed_docs as {changed}")
    return [r[0] for r in con.execute("select doc_id from changed_docs order by all").fetchall()]


def same_failures(a: list[CheckFailure], b: list[CheckFailure]) -> bool:
    return [(f.name, f.n_rows, f.examples) for f in a] == [(f.name, f.n_rows, f.examples) for f in b]


SEEDS_AND_CONDITIONS = ([(check, seed) for check, (seed, _) in sorted(SEEDS.items())]
                        + [(check, seed) for check, _, seed, _ in CONDITIONS])


@pytest.mark.parametrize("check, seed", SEEDS_AND_CONDITIONS,
                         ids=[f"{c[:3]}-{i}" for i, (c, _) in enumerate(SEEDS_AND_CONDITIONS)])
def test_a_violation_loaded_this_run_fails_the_incremental_checks_as_the_full_ones(warehouse, check, seed):
    """Every seeded violation of every condition, made by the rows of the run: the incremental
    checks (only the changed articles' rows read) fail exactly as the full checks do."""
    changed = seeded(warehouse, seed)
    assert changed or check == "003_runs_run_id_unique"  # runs is read whole, by 003 only
    incremental = run_checks(warehouse, scope=INCREMENTAL)
    assert check in [f.name for f in incremental]
    assert same_failures(incremental, run_checks(warehouse, scope=FULL))


def test_an_old_row_is_not_read_again_by_the_incremental_checks(warehouse):
    """A row the run did not change is not read: a violation in an old article (one a past run
    checked; here put there by hand) escapes the incremental checks, not the full ones, and a
    violation in the article the run loaded is caught with only that article's rows."""
    con = warehouse
    con.execute("update metrics set pct_of_plan = 5000 where doc_id = 'a1' and fact_no = 1")  # old, by hand
    assert seeded(con, lambda c: insert(c, "metrics", metric_row(qualifier="hơn"))) == ["a2"]
    incremental = run_checks(con, scope=INCREMENTAL)
    assert [f.name for f in incremental] == ["010_metrics_qualifier_accepted"]
    assert [f.name for f in run_checks(con, scope=FULL)] == ["010_metrics_qualifier_accepted",
                                                            "017_metrics_pct_of_plan_range"]
    read = {r[0] for t in FACT_TABLES for r in con.execute(f"select distinct doc_id from checked_{t}").fetchall()}
    assert read == {"a1", "a2", "a3", "a4"}  # the full run's scope; the incremental one was:
    run_checks(con, scope=INCREMENTAL)
    read = {r[0] for t in FACT_TABLES for r in con.execute(f"select distinct doc_id from checked_{t}").fetchall()}
    assert read == {"a2"}


def test_the_incremental_checks_read_nothing_when_no_article_changed(warehouse):
    con = warehouse
    con.execute("update metrics set pct_of_plan = 5000 where doc_id = 'a1' and fact_no = 1")  # old, by hand
    con.execute("create or replace temp table changed_docs (doc_id varchar)")
    assert run_checks(con, scope=INCREMENTAL) == []
    assert [f.name for f in run_checks(con, scope=FULL)] == ["017_metrics_pct_of_plan_range"]


def test_the_checks_version_changes_with_the_checks_macros_migrations_and_vocabulary(tmp_path):
    """The digest that decides whether the last run's checks still hold (flows/checks.py): any
    change to a check, the checks' scope, a macro, a migration or the metric vocabulary makes the
    next run check the whole warehouse."""
    import shutil

    from flows.schema import SQL_DIR
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    vocabulary = tmp_path / "metrics_vocabulary.tsv"
    shutil.copy(VOCABULARY_PATH, vocabulary)
    base = checks_version(sql, vocabulary)
    assert base == checks_version() and base == checks_version(sql, vocabulary)
    seen = {base}
    for change in (lambda: (sql / "checks" / "017_metrics_pct_of_plan_range.sql").write_text("select 1"),
                   lambda: (sql / "check_scope" / "views.sql").write_text("-- other"),
                   lambda: (sql / "macros" / "010_period_label_fits.sql").write_text("-- other"),
                   lambda: (sql / "migrations" / "9999_new.sql").write_text("-- a new table"),
                   lambda: vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "x\tperson\tx\tx\n",
                                                 encoding="utf-8")):
        change()
        version = checks_version(sql, vocabulary)
        assert version not in seen
        seen.add(version)
    (sql / "views" / "010_dim_period.sql").write_text("-- a view: not read by any check")
    (sql / "report" / "runs.sql").write_text("-- neither")
    assert checks_version(sql, vocabulary) in seen
