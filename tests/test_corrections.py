"""The analysts' corrections (docs/corrections.md, flows/corrections.py, sql/macros/070_corrections.sql)
on warehouses the real pipeline builds from the bundled raw/ articles: each action, survival across a
re-run, a rules change and a changed article (orphans), every kind of bad file, the settings, and
the review list."""
from __future__ import annotations

import csv
import hashlib
import shutil

import duckdb
import pytest

from flows.cli import main
from flows.corrections import COLUMNS, CorrectionsError, read_corrections, review_rows, write_review
from flows.report import write_report
from flows.schema import apply_schema
from flows.settings import ENV_CORRECTIONS_DIR, Settings

from .conftest import RAW
from .crash_runner import digests
from .sql.test_views import load_given
from .test_idempotence import go
from .test_idempotence import rows as q

LS = "003_0b702cc1b90c7b1a.txt"  # Lạng Sơn, 2014: 2658 admitted, 9 collectives, 18 individuals commended
NA = "000_31de0f0f34ce37d1.txt"  # Nghệ An, 2019-H1: Hồ Phúc Hợp with two titles
NO_PROVINCE = "001_0dc449bf4ae97b1a.txt"  # no province; Trần Đình Quế
HEADER = ("action", "fact", "doc_id", "metric", "value", "period_label", "scope", "name", "title", "column",
          "new_value", "why", "who")
PUBLIC_VIEWS = ("metric_series", "metric_period_over_period", "province_scorecard", "officials_by_title",
                "corrections_applied")


def doc(wh, source_path: str) -> str:
    return q(wh, "select doc_id from sources where source_path = ?", [source_path])[0][0]


def write_csv(folder, name: str, rows: list[dict], header=HEADER):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        w.writerows(rows)
    return path


def row(action, fact, doc_id, **kw) -> dict:
    return {"action": action, "fact": fact, "doc_id": doc_id, "why": kw.pop("why", "checked the article"),
            "who": kw.pop("who", "lan")} | kw


def file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def loaded(raw_copy, tmp_path):
    """raw/ loaded once without corrections; corrections go to `corrections` beside raw (the default)."""
    wh = tmp_path / "wh" / "warehouse.duckdb"
    assert go(raw_copy, wh).status == "success"
    return raw_copy, wh, raw_copy.parent / "corrections"


def the_corrections(wh) -> list[dict]:
    ls, na, nop = doc(wh, LS), doc(wh, NA), doc(wh, NO_PROVINCE)
    return [
        row("reject", "metric", ls, metric="commendations_individual", value="18", period_label="2014",
            why="a district's figure"),
        row("set", "metric", ls, metric="party_members_admitted", value="2658", period_label="2014",
            column="value", new_value="2700", why="the report says 2.700"),
        row("add", "metric", na, metric="party_members_admitted", value="1850", period_label="2019-H1",
            why="missed: 'kết nạp mới 1.850 đảng viên'"),
        row("set", "person", na, name="Hồ Phúc Hợp", title="Trưởng Ban Tổ chức Tỉnh ủy", column="title",
            new_value="Phó Trưởng Ban Tổ chức Tỉnh ủy"),
        row("add", "person", na, name="Lê Văn Hòa", title="Phó Bí thư Tỉnh ủy"),
        row("set", "article", nop, column="province", new_value="Hà Tĩnh"),
    ]


# --- each action ---------------------------------------------------------------------------------

def test_no_corrections_folder_changes_nothing(loaded):
    raw, wh, folder = loaded
    assert not folder.exists()
    s = go(raw, wh)
    assert (s.corrections_applied, s.corrections_orphaned) == (0, 0) and "  corrections:" not in s.text()
    assert q(wh, "select count(*) from corrections") == [(0,)]
    for view in PUBLIC_VIEWS[:4]:
        assert q(wh, f"select count(*) filter (where corrected) from {view}") == [(0,)], view
    assert q(wh, "select corrections_applied, corrections_orphaned, orphaned_corrections from runs "
                 "order by started_at") == [(0, 0, None), (0, 0, None)]


def test_each_action_changes_the_views_and_never_the_tables(loaded):
    raw, wh, folder = loaded
    tables_before = {k: v for k, v in digests(wh).items() if k in ("articles", "metrics", "people")}
    write_csv(folder, "2024-lan.csv", the_corrections(wh))
    s = go(raw, wh)
    assert (s.status, s.corrections_applied, s.corrections_orphaned) == ("success", 6, 0)
    assert "corrections: 6 applied, 0 orphaned" in s.text()
    # the tables keep what was extracted
    assert {k: v for k, v in digests(wh).items() if k in tables_before} == tables_before
    assert q(wh, "select value from metrics where doc_id = ? and metric = 'party_members_admitted'",
             [doc(wh, LS)]) == [(2658.0,)]
    # the views use the corrected facts
    assert q(wh, "select metric, province, period_label, value, n_articles, corrected from metric_series "
                 "where province in ('Lạng Sơn', 'Nghệ An') and metric in ('party_members_admitted', "
                 "'commendations_individual') order by metric, province, period_label") == [
        ("party_members_admitted", "Lạng Sơn", "2014", 2700.0, 1, True),
        ("party_members_admitted", "Nghệ An", "2013-5M", 746.0, 1, False),
        ("party_members_admitted", "Nghệ An", "2019-H1", 1850.0, 1, True),
    ]
    assert q(wh, "select province, metric, value, corrected from province_scorecard "
                 "where province = 'Lạng Sơn' order by metric") == [
        ("Lạng Sơn", "commendations_collective", 9.0, False),
        ("Lạng Sơn", "party_members_admitted", 2700.0, True),
        ("Lạng Sơn", "party_members_total", 54968.0, False),
    ]
    assert q(wh, "select name, title, province, n_articles, corrected from officials_by_title "
                 "where corrected order by name, title") == [
        ("Hồ Phúc Hợp", "Phó Trưởng Ban Tổ chức Tỉnh ủy", "Nghệ An", 1, True),
        ("Lê Văn Hòa", "Phó Bí thư Tỉnh ủy", "Nghệ An", 1, True),
        ("Trần Đình Quế", "Bí thư Đảng ủy Khối các cơ quan tỉnh", "Hà Tĩnh", 1, True),
    ]
    assert q(wh, "select line, action, fact, target, column_name, old_value, new_value, status "
                 "from corrections_applied order by line") == [
        (2, "reject", "metric", "metrics fact_no 3", None, None, None, "applied"),
        (3, "set", "metric", "metrics fact_no 0", "value", "2658.0", "2700.0", "applied"),
        (4, "add", "metric", "added", None, None, None, "applied"),
        (5, "set", "person", "people: Hồ Phúc Hợp, Trưởng Ban Tổ chức Tỉnh ủy", "title",
         "Trưởng Ban Tổ chức Tỉnh ủy", "Phó Trưởng Ban Tổ chức Tỉnh ủy", "applied"),
        (6, "add", "person", "added", None, None, None, "applied"),
        (7, "set", "article", "articles", "province", None, "Hà Tĩnh", "applied"),
    ]
    assert q(wh, "select corrections_applied, corrections_orphaned from runs order by started_at desc limit 1") \
        == [(6, 0)]


def test_removing_a_correction_restores_the_extracted_fact(loaded):
    raw, wh, folder = loaded
    before = {k: v for k, v in digests(wh).items() if k != "runs"}
    path = write_csv(folder, "fix.csv", the_corrections(wh))
    go(raw, wh)
    path.unlink()
    s = go(raw, wh)
    assert (s.corrections_applied, s.corrections_orphaned) == (0, 0)
    assert {k: v for k, v in digests(wh).items() if k != "runs"} == before


# --- survival ------------------------------------------------------------------------------------

def test_corrections_survive_a_rerun_and_a_rules_change(loaded, monkeypatch):
    raw, wh, folder = loaded
    write_csv(folder, "fix.csv", the_corrections(wh))
    go(raw, wh)
    views = {k: v for k, v in digests(wh).items() if k in PUBLIC_VIEWS + ("corrections",)}
    s = go(raw, wh)  # a re-run: nothing new, the same corrections
    assert (s.articles_loaded, s.corrections_applied, s.corrections_orphaned) == (0, 6, 0)
    assert {k: v for k, v in digests(wh).items() if k in views} == views
    import flows.pipeline as pipeline
    monkeypatch.setattr(pipeline, "EXTRACTOR_VERSION", "rules-of-tomorrow")
    s = go(raw, wh)  # new rules: every article extracted again, its facts loaded afresh
    assert (s.files_changed, s.articles_loaded, s.corrections_applied, s.corrections_orphaned) == (5, 5, 6, 0)
    assert q(wh, "select distinct extractor_version from articles") == [("rules-of-tomorrow",)]
    assert {k: v for k, v in digests(wh).items() if k in views} == views


def test_a_changed_article_keeps_its_corrections_and_a_fact_gone_orphans_one(loaded, tmp_path):
    raw, wh, folder = loaded
    write_csv(folder, "fix.csv", the_corrections(wh))
    go(raw, wh)
    views = {k: v for k, v in digests(wh).items() if k in PUBLIC_VIEWS[:4]}
    old_ls = doc(wh, LS)
    # a caption added to the file: a new article (doc_id), the same facts: the corrections follow it
    (raw / LS).write_bytes((raw / LS).read_bytes() + "\nẢnh: Báo Lạng Sơn\n".encode())
    s = go(raw, wh)
    new_ls = doc(wh, LS)
    assert s.status == "success" and new_ls != old_ls
    assert (s.files_changed, s.corrections_applied, s.corrections_orphaned) == (1, 6, 0)
    assert {k: v for k, v in digests(wh).items() if k in views} == views
    assert q(wh, "select distinct doc_id, target_doc_id from corrections_applied where line in (2, 3)") == [
        (old_ls, new_ls)]
    # the article now reads 19 individuals: the rejection of 18 has nothing left to reject
    text = (raw / LS).read_text(encoding="utf-8")
    assert text.count("18 cá nhân") == 1
    (raw / LS).write_text(text.replace("18 cá nhân", "19 cá nhân"), encoding="utf-8")
    s = go(raw, wh)
    assert (s.status, s.files_changed, s.corrections_applied, s.corrections_orphaned) == ("success", 1, 5, 1)
    assert s.orphaned_corrections == "fix.csv:2"
    assert "1 orphaned (their fact no longer exists: fix.csv:2)" in s.text()
    assert q(wh, "select corrections_applied, corrections_orphaned, orphaned_corrections from runs "
                 "order by started_at desc limit 1") == [(5, 1, "fix.csv:2")]
    assert q(wh, "select line, status, target from corrections_applied where status = 'orphaned'") == [
        (2, "orphaned", None)]
    assert q(wh, "select metric, value, corrected from metric_series where province = 'Lạng Sơn' "
                 "and period_label = '2014' order by metric") == [
        ("commendations_collective", 9.0, False), ("commendations_individual", 19.0, False),
        ("party_members_admitted", 2700.0, True)]
    page = write_report(wh, tmp_path / "report.html").read_text(encoding="utf-8")
    part = page[page.index('id="corrections"'):page.index('id="runs"')]
    assert "5 applied, 1 orphaned" in part
    assert part.count('<span class="status-failed">orphaned</span>') == 1
    assert "<code>fix.csv:2</code>" in part
    assert page.count('class="corrected"') >= 3  # scorecard, changes and officials marks
    # the next run, with the orphan still in the file, still succeeds and still reports it
    s = go(raw, wh)
    assert (s.status, s.corrections_orphaned) == ("success", 1)


def test_an_article_gone_for_good_orphans_its_corrections(loaded):
    raw, wh, folder = loaded
    write_csv(folder, "fix.csv", the_corrections(wh))
    go(raw, wh)
    (raw / LS).unlink()
    s = go(raw, wh, prune=True)
    assert (s.articles_pruned, s.corrections_applied, s.corrections_orphaned) == (1, 4, 2)
    assert s.orphaned_corrections == "fix.csv:2, fix.csv:3"
    assert q(wh, "select line, target_doc_id from corrections_applied where status = 'orphaned'") == [
        (2, None), (3, None)]


# --- bad files -----------------------------------------------------------------------------------

def _good(wh) -> dict:
    return row("reject", "metric", doc(wh, LS), metric="commendations_individual", value="18", period_label="2014")


BAD_ROWS = [  # (what is wrong in line 2, the row's changes, what the message says)
    ("unknown doc_id", {"doc_id": "ab" * 32}, "fix.csv:2: unknown doc_id " + "ab" * 32),
    ("doc_id not an id", {"doc_id": "003_0b702cc1b90c7b1a.txt"}, "fix.csv:2: doc_id '003_0b702cc1b90c7b1a.txt' is not"),
    ("unknown action", {"action": "delete"}, "fix.csv:2: unknown action 'delete'"),
    ("unknown fact", {"fact": "sentence"}, "fix.csv:2: fact 'sentence'"),
    ("bad column name", {"action": "set", "column": "colour", "new_value": "red"},
     "fix.csv:2: set: column 'colour' cannot be set on a metric"),
    ("bad number", {"action": "set", "column": "value", "new_value": "2.658,5"},
     "fix.csv:2: set value: new_value '2.658,5' is not a number"),
    ("not in the vocabulary", {"metric": "members"}, "fix.csv:2: metric 'members' is not in the vocabulary"),
    ("bad period label", {"action": "set", "column": "period_label", "new_value": "2019-H3"},
     "fix.csv:2: set period_label: new_value '2019-H3' is not a period label"),
    ("bad province", {"action": "set", "column": "province", "new_value": "Nghe An"},
     "fix.csv:2: set province: new_value 'Nghe An' is not a province name"),
    ("empty required", {"action": "set", "column": "value", "new_value": ""},
     "fix.csv:2: set value: new_value is empty, but value cannot be empty"),
    ("no who", {"who": ""}, "fix.csv:2: who is empty"),
    ("key of another fact", {"name": "Phùng Thanh Kiểm"}, "fix.csv:2: name 'Phùng Thanh Kiểm' does not name a metric"),
]
BAD_FILES = [  # (what is wrong, the file's bytes, what the message says)
    ("unknown header", b"action,fact,doc_id,colour,why,who\n", "fix.csv:1: header: unknown column(s) 'colour'"),
    ("missing header column", b"action,fact,why,who\n", "fix.csv:1: header: missing column(s) doc_id"),
    ("no header", b"", "fix.csv:1: no header row"),
    ("unterminated quote", b'action,fact,doc_id,why,who\nreject,article,"abc,why,who\n', "fix.csv:2: malformed CSV"),
    ("wrong width", b"action,fact,doc_id,why,who\nreject,article,x,why,who,extra\n",
     "fix.csv:2: 6 cells, but the header names 5 columns"),
    ("not UTF-8", "action,fact,doc_id,why,who\nreject,article,x,sai sót,Lân\n".encode("latin-1"),
     "fix.csv:2: not UTF-8 (byte 49 cannot be read)"),
]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """raw/ loaded once for the bad-file cases; each case works on copies."""
    base = tmp_path_factory.mktemp("bad")
    raw = base / "raw"
    shutil.copytree(RAW, raw)
    wh = base / "wh" / "warehouse.duckdb"
    assert go(raw, wh).status == "success"
    return raw, wh


@pytest.fixture
def copied(built_once, tmp_path):
    raw, wh = built_once
    shutil.copytree(raw, tmp_path / "raw")
    (tmp_path / "wh").mkdir()
    shutil.copyfile(wh, tmp_path / "wh" / "warehouse.duckdb")
    return tmp_path / "raw", tmp_path / "wh" / "warehouse.duckdb", tmp_path / "corrections"


def _fails_and_publishes_nothing(raw, wh, folder, expected: str) -> None:
    published = file_hash(wh)
    with pytest.raises(CorrectionsError) as caught:
        go(raw, wh)
    assert f"{folder / expected}" in str(caught.value)
    assert file_hash(wh) == published  # the published warehouse stays as it was


@pytest.mark.parametrize("what, change, expected", BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_a_bad_correction_fails_the_run_before_publishing(copied, what, change, expected):
    raw, wh, folder = copied
    write_csv(folder, "fix.csv", [_good(wh) | change, _good(wh)])
    _fails_and_publishes_nothing(raw, wh, folder, expected)


@pytest.mark.parametrize("what, content, expected", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_malformed_file_fails_the_run_before_publishing(copied, what, content, expected):
    raw, wh, folder = copied
    folder.mkdir()
    (folder / "fix.csv").write_bytes(content)
    _fails_and_publishes_nothing(raw, wh, folder, expected)


def test_the_command_line_says_where_and_exits_2_and_runs_notes_the_failure(copied, capsys):
    raw, wh, folder = copied
    write_csv(folder, "fix.csv", [_good(wh), _good(wh) | {"column": "value"}])
    published = file_hash(wh)
    assert main(["run", "--no-prefect", "--raw-dir", str(raw), "--warehouse", str(wh)]) == 2
    assert capsys.readouterr().err == (
        "error: the corrections cannot be applied; nothing was published:\n"
        f"  {folder / 'fix.csv'}:3: reject: column is for set only (leave it empty)\n")
    assert file_hash(wh) == published
    shutil.rmtree(folder)  # fixed: the next run publishes, with the failed run noted in `runs`
    assert go(raw, wh).status == "success"
    assert q(wh, "select status, count(*) from runs group by status order by status") == [
        ("failed", 1), ("success", 2)]


def test_every_problem_is_named_at_once(tmp_path):
    folder = tmp_path / "corrections"
    write_csv(folder, "a.csv", [row("delete", "metric", "ab" * 32), row("reject", "metric", "ab" * 32)])
    (folder / "b.csv").write_text("action,fact\n", encoding="utf-8")
    with pytest.raises(CorrectionsError) as caught:
        read_corrections(folder)
    assert [p.split(": ", 1)[0] for p in caught.value.problems] == [
        f"{folder / 'a.csv'}:2", f"{folder / 'a.csv'}:3", f"{folder / 'b.csv'}:1"]
    assert caught.value.problems[1].endswith("value is empty: a metric is named by its metric, value, "
                                             "period_label and scope")


# --- settings ------------------------------------------------------------------------------------

def test_the_corrections_folder_is_a_setting(tmp_path, monkeypatch):
    raw = tmp_path / "data" / "raw"
    monkeypatch.delenv(ENV_CORRECTIONS_DIR, raising=False)
    assert Settings.resolve(raw, tmp_path / "w.duckdb").corrections == tmp_path / "data" / "corrections"
    monkeypatch.setenv(ENV_CORRECTIONS_DIR, str(tmp_path / "env"))
    assert Settings.resolve(raw, tmp_path / "w.duckdb").corrections == tmp_path / "env"
    assert Settings.resolve(raw, tmp_path / "w.duckdb", corrections_dir=tmp_path / "opt").corrections \
        == tmp_path / "opt"


def test_the_option_and_the_variable_reach_the_run(loaded, tmp_path, monkeypatch, capsys):
    raw, wh, _ = loaded
    elsewhere = tmp_path / "elsewhere"
    write_csv(elsewhere, "fix.csv", the_corrections(wh))
    assert main(["run", "--no-prefect", "--raw-dir", str(raw), "--warehouse", str(wh), "--corrections",
                 str(elsewhere)]) == 0
    assert "corrections: 6 applied, 0 orphaned" in capsys.readouterr().out
    monkeypatch.setenv(ENV_CORRECTIONS_DIR, str(tmp_path / "empty"))
    assert main(["run", "--no-prefect", "--raw-dir", str(raw), "--warehouse", str(wh), "--json"]) == 0
    assert '"corrections_applied": 0' in capsys.readouterr().out


# --- the review list -----------------------------------------------------------------------------

REVIEW_GIVEN = {
    "articles": [
        {"doc_id": "a" * 64, "province": "Nghệ An", "published_at": "2019-12-20 08:00:00"},
        {"doc_id": "b" * 64, "province": "Nghệ An", "published_at": "2019-12-10 08:00:00"},
        {"doc_id": "c" * 64, "province": "Nghệ An", "published_at": "2018-12-20 08:00:00"},
        {"doc_id": "d" * 64, "province": "Lạng Sơn", "on_topic": False},
        {"doc_id": "e" * 64, "province": "Lạng Sơn"},
    ],
    "metrics": [
        # a conflict: 3700 against 3690 for Nghệ An 2019
        {"doc_id": "a" * 64, "metric": "party_members_admitted", "value": 3700, "period_label": "2019",
         "sentence": "Năm 2019 kết nạp 3.700 đảng viên."},
        {"doc_id": "b" * 64, "metric": "party_members_admitted", "value": 3690, "period_label": "2019",
         "sentence": "Năm 2019 kết nạp 3.690 đảng viên."},
        # a jump: 2018 had 1200; 2019 (3700 by the majority rule's latest article) is +208 %
        {"doc_id": "c" * 64, "metric": "party_members_admitted", "value": 1200, "period_label": "2018",
         "sentence": "Năm 2018 kết nạp 1.200 đảng viên."},
        # off topic
        {"doc_id": "d" * 64, "metric": "grdp_growth_pct", "value": 6.5, "period_label": "2019",
         "sentence": "GRDP tăng 6,5%."},
        # a target word
        {"doc_id": "e" * 64, "metric": "party_members_admitted", "value": 500, "period_label": "2020",
         "sentence": "Phấn đấu kết nạp 500 đảng viên."},
        # nothing to see: a quantity, and a plain fact
        {"doc_id": "e" * 64, "metric": None, "value": 12, "unit": "chi bộ", "period_label": "2020",
         "sentence": "Phấn đấu thành lập 12 chi bộ."},
        {"doc_id": "e" * 64, "metric": "commendations_collective", "value": 7, "period_label": "2019",
         "sentence": "Khen thưởng 7 tập thể."},
        # already corrected: not listed again
        {"doc_id": "e" * 64, "metric": "commendations_individual", "value": 9, "period_label": "2019",
         "sentence": "Khen thưởng 9 cá nhân, chỉ tiêu đề ra."},
    ],
    "corrections": [
        {"action": "reject", "fact": "metric", "doc_id": "e" * 64, "metric": "commendations_individual",
         "value": 9, "period_label": "2019"},
    ],
}


def test_the_review_list_on_a_fixture_and_back_as_corrections(tmp_path):
    wh = tmp_path / "review.duckdb"
    con = duckdb.connect(str(wh))
    apply_schema(con)
    load_given(con, REVIEW_GIVEN)
    got = [(r["doc_id"][0], r["metric"], r["value"], r["period_label"], r["why"]) for r in review_rows(con)]
    con.close()
    assert got == [
        ("d", "grdp_growth_pct", "6.5", "2019",
         "off topic: a canonical metric from an article not about Party organization-building"),
        ("e", "party_members_admitted", "500", "2020",
         'target word: the sentence says "phấn đấu" (a target or a plan is not a result)'),
        ("c", "party_members_admitted", "1200", "2018",
         "jump: 3700 in 2019 against 1200 in 2018, a year earlier (+208.3 %)"),
        ("a", "party_members_admitted", "3700", "2019",
         "conflict: the articles of this series give different values (3690, 3700); "
         "jump: 3700 in 2019 against 1200 in 2018, a year earlier (+208.3 %)"),
        ("b", "party_members_admitted", "3690", "2019",
         "conflict: the articles of this series give different values (3690, 3700); "
         "jump: 3700 in 2019 against 1200 in 2018, a year earlier (+208.3 %)"),
    ]
    out = tmp_path / "corrections" / "review.csv"
    assert write_review(wh, out) == 5
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["action"], r["fact"], r["who"], r["context"]) for r in rows[:2]] == [
        ("", "metric", "", "Lạng Sơn: GRDP tăng 6,5%."), ("", "metric", "", "Lạng Sơn: Phấn đấu kết nạp 500 đảng viên.")]
    # the analyst marks one row and keeps the file in the corrections folder: the rest are ignored
    rows[1] |= {"action": "reject", "who": "lan"}
    write_csv(out.parent, "review.csv", rows, header=COLUMNS)
    read = read_corrections(out.parent)
    assert read.select("line", "action", "doc_id", "metric", "value", "period_label").rows() == [
        (3, "reject", "e" * 64, "party_members_admitted", 500.0, "2020")]


def test_cli_review_writes_beside_the_warehouse(loaded, capsys):
    _, wh, _ = loaded
    assert main(["review", "--warehouse", str(wh)]) == 0
    out = wh.parent / "review.csv"
    n = sum(1 for _ in csv.DictReader(out.open(encoding="utf-8")))
    assert capsys.readouterr().out == f"{out}: {n} facts to review\n"
    assert main(["review", "--warehouse", str(wh.parent / "none.duckdb")]) == 2
