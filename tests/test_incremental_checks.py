"""The data checks of a run read only what it changed (flows/checks.py, sql/check_scope/): the
whole warehouse on the first run, after a change to the checks or with --full-checks; the rows of
the articles loaded, replaced or pruned otherwise; nothing at all when the run changed no article.
Runs without Prefect, on copies of raw/ and on generated articles (bench/generate.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from flows import checks, schema
from flows.checks import FULL, INCREMENTAL, SKIPPED, DataCheckError
from flows.cli import main as cli
from flows.pipeline import run
from flows.settings import Settings

from .test_pipeline import q


def go(raw: Path, wh: Path, stage=None, **kw):
    settings = Settings.resolve(raw, wh, **kw)
    return run(settings, stage=stage) if stage else run(settings)


class Stages:
    """A `stage` wrapper for flows.pipeline.run that records the stages called."""

    def __init__(self):
        self.names: list[str] = []

    def __call__(self, name, fn):
        self.names.append(name)
        return fn


def count_check_runs(monkeypatch) -> list:
    """Count the calls of flows.checks.run_checks (the only code that runs a check's SQL)."""
    calls = []
    real = checks.run_checks

    def counted(*args, **kwargs):
        calls.append(kwargs.get("scope", FULL))
        return real(*args, **kwargs)
    monkeypatch.setattr(checks, "run_checks", counted)
    return calls


def test_a_no_op_rerun_runs_no_check_query(raw_copy, tmp_path, monkeypatch):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    calls = count_check_runs(monkeypatch)
    first = go(raw_copy, wh, stage=(stages := Stages()))
    assert (first.checks, calls) == (FULL, [FULL]) and "data-checks" in stages.names
    again = go(raw_copy, wh, stage=(stages := Stages()))
    assert (again.files_unchanged, again.articles_loaded) == (5, 0)
    assert again.checks == SKIPPED and calls == [FULL]  # not one more check query
    assert "data-checks" not in stages.names  # not even the stage (a Prefect task)
    assert "checks: skipped: this run changed no article" in again.text()
    assert q(wh, "select checks from runs order by started_at") == [(FULL,), (SKIPPED,)]


def test_a_run_that_loads_checks_only_what_it_loaded(raw_copy, tmp_path, monkeypatch):
    wh = tmp_path / "wh" / "warehouse.duckdb"
    go(raw_copy, wh)
    calls = count_check_runs(monkeypatch)
    (raw_copy / "new.txt").write_text("Hội nghị sơ kết công tác xây dựng Đảng\n\nSáng 2-8-2019, huyện Diễn Châu "
                                      "kết nạp 12 đảng viên mới, đạt 80% kế hoạch.", encoding="utf-8")
    s = go(raw_copy, wh)
    assert (s.articles_loaded, s.checks, calls) == (1, INCREMENTAL, [INCREMENTAL])
    assert "incremental, on the rows of the 1 articles this run changed" in s.text()


def test_the_checks_run_in_full_when_asked_or_when_they_changed(raw_copy, tmp_path, monkeypatch):
    """The first run, a run after a change to the checks (here: their version) and --full-checks
    (or PARTY_WAREHOUSE_FULL_CHECKS=1) check the whole warehouse, each saying why."""
    wh = tmp_path / "wh" / "warehouse.duckdb"
    first = go(raw_copy, wh)
    assert (first.checks, first.checks_note) == (
        FULL, "full, on the whole warehouse (no earlier run recorded passing these checks)")
    assert go(raw_copy, wh).checks == SKIPPED
    version = checks.checks_version()
    monkeypatch.setattr(checks, "checks_version", lambda: "a-new-check")
    changed = go(raw_copy, wh)
    assert changed.checks == FULL and "the checks, macros, migrations or vocabulary changed" in changed.checks_note
    assert go(raw_copy, wh).checks == SKIPPED  # that run recorded the new version
    assert go(raw_copy, wh, full_checks=True).checks_note == "full, on the whole warehouse (asked for)"
    assert q(wh, "select checks_version from runs order by started_at") == (
        [(version,)] * 2 + [("a-new-check",)] * 3)
    monkeypatch.setenv("PARTY_WAREHOUSE_FULL_CHECKS", "1")
    assert Settings.resolve(raw_copy, wh).full_checks and not Settings.resolve(raw_copy, wh, full_checks=False).full_checks


def test_a_warehouse_of_an_earlier_version_is_checked_in_full_once(raw_copy, tmp_path):
    """Runs recorded before runs.checks_version existed (a warehouse of an earlier version of the
    project, migrated by this run) name no checks version: the next run checks everything."""
    wh = tmp_path / "wh" / "warehouse.duckdb"
    go(raw_copy, wh)
    con = duckdb.connect(str(wh))
    con.execute("update runs set checks = null, checks_version = null")
    con.close()
    assert go(raw_copy, wh).checks == FULL
    assert go(raw_copy, wh).checks == SKIPPED


def without_line(monkeypatch, name: str, line: str) -> None:
    """Run the pipeline with one line of the SQL file sql/<name>.sql left out (a bug)."""
    path = str(schema.SQL_DIR / f"{name}.sql")
    text = Path(path).read_text(encoding="utf-8")
    assert line in text
    monkeypatch.setitem(schema._cache, path, text.replace(line, ""))


def test_a_pruned_article_is_checked_a_fact_left_behind_fails_the_run(raw_copy, tmp_path, monkeypatch):
    """--prune deletes articles: the checks read the pruned articles' doc_ids, so a prune that
    left their facts behind (a bug put into sql/runs/prune.sql) fails the run."""
    wh = tmp_path / "wh" / "warehouse.duckdb"
    go(raw_copy, wh)
    without_line(monkeypatch, "runs/prune", "DELETE FROM metrics WHERE doc_id IN (SELECT doc_id FROM pruned_docs);\n")
    (raw_copy / "000_31de0f0f34ce37d1.txt").unlink()
    with pytest.raises(DataCheckError, match="014_metrics_article_exists"):
        go(raw_copy, wh, prune=True)
    monkeypatch.undo()
    s = go(raw_copy, wh, prune=True)
    assert (s.status, s.articles_pruned, s.checks) == ("success", 1, INCREMENTAL)
    assert q(wh, "select status, checks from runs order by started_at") == [
        ("success", FULL), ("failed", INCREMENTAL), ("success", INCREMENTAL)]


def test_a_replaced_article_is_checked_its_old_facts_left_behind_fail_the_run(raw_copy, tmp_path, monkeypatch):
    """A changed file replaces its article: the checks read the old article's doc_id too, so a
    load that left the old facts behind (a bug put into sql/load/060_orphans.sql) fails the run."""
    wh = tmp_path / "wh" / "warehouse.duckdb"
    go(raw_copy, wh)
    without_line(monkeypatch, "load/060_orphans", "DELETE FROM metrics WHERE doc_id IN (SELECT doc_id FROM orphan_docs);\n")
    f = raw_copy / "003_0b702cc1b90c7b1a.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\nMột câu thêm.", encoding="utf-8")
    with pytest.raises(DataCheckError, match="014_metrics_article_exists"):
        go(raw_copy, wh)
    monkeypatch.undo()
    s = go(raw_copy, wh)
    assert (s.status, s.files_changed, s.checks) == ("success", 1, INCREMENTAL)


def test_python_m_flows_check_reads_the_whole_published_warehouse(raw_copy, tmp_path, capsys):
    """A row changed by hand in the published warehouse is no article a run changed: the next run's
    incremental checks do not read it; `python -m flows check` (every row) and --full-checks do."""
    wh = tmp_path / "wh" / "warehouse.duckdb"
    go(raw_copy, wh)
    assert cli(["check", "--warehouse", str(wh)]) == 0
    assert capsys.readouterr().out.startswith("all 24 data checks passed on the whole warehouse: ")
    con = duckdb.connect(str(wh))
    con.execute("update metrics set pct_of_plan = 5000 where fact_no = 1")
    con.close()
    (raw_copy / "new.txt").write_text("Hội nghị sơ kết công tác xây dựng Đảng ở huyện Diễn Châu.", encoding="utf-8")
    assert go(raw_copy, wh).checks == INCREMENTAL  # passes: the row edited by hand is not read
    assert cli(["check", "--warehouse", str(wh)]) == 1
    assert "017_metrics_pct_of_plan_range" in capsys.readouterr().out
    with pytest.raises(DataCheckError, match="017_metrics_pct_of_plan_range"):
        go(raw_copy, wh, full_checks=True)
    assert cli(["check", "--warehouse", str(tmp_path / "none.duckdb")]) == 2


# --- incremental = full on a realistic warehouse ---------------------------------------------------

def corrupt(out: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Extractor bugs, each on a share of the rows: a % of plan no text gives, a span past the
    body, an unknown meeting kind, a future date, a person without a name."""
    m = out["metrics"].with_row_index("i")
    out["metrics"] = m.with_columns(
        pct_of_plan=pl.when(pl.col("i") % 7 == 0).then(pl.lit(5000.0)).otherwise(pl.col("pct_of_plan")),
        char_end=pl.when(pl.col("i") % 11 == 3).then(pl.lit(10**7)).otherwise(pl.col("char_end")),
    ).drop("i")
    a = out["articles"].with_row_index("i")
    out["articles"] = a.with_columns(
        meeting_kind=pl.when(pl.col("i") % 5 == 1).then(pl.lit("hop_bao")).otherwise(pl.col("meeting_kind")),
        event_date=pl.when(pl.col("i") % 9 == 2).then(pl.date(2999, 1, 1)).otherwise(pl.col("event_date")),
    ).drop("i")
    return out


def test_incremental_checks_equal_full_checks_on_a_realistic_warehouse(tmp_path, monkeypatch):
    """300 generated articles in the style of the corpus (bench/generate.py) loaded, then a run that
    adds 60 new ones, changes 10 and prunes 10 with extractor bugs in the new rows: at that run's
    data-checks stage, the incremental checks fail exactly as the full checks do (the same checks,
    the same counts and examples); without the bugs both pass."""
    from bench.generate import generate
    import flows.pipeline as pipeline

    pool = tmp_path / "pool"
    generate(pool, 360, seed=7, jobs=1)
    raw = tmp_path / "raw"
    files = sorted(p for p in pool.rglob("*.txt"))
    for p in files[:300]:
        (raw / p.relative_to(pool)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p, raw / p.relative_to(pool))
    wh = tmp_path / "wh" / "warehouse.duckdb"
    assert go(raw, wh, batch_size=100).articles_loaded == 300

    for p in files[300:]:
        (raw / p.relative_to(pool)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(p, raw / p.relative_to(pool))
    for p in files[:10]:
        target = raw / p.relative_to(pool)
        target.write_text(target.read_text(encoding="utf-8") + "\nTin cập nhật.", encoding="utf-8")
    for p in files[10:20]:
        (raw / p.relative_to(pool)).unlink()

    seen = {}

    def compare(name, fn):
        if name != "data-checks":
            return fn

        def both(con, scope):
            seen["scope"] = scope
            seen["incremental"] = checks.run_checks(con, scope=INCREMENTAL)
            seen["articles"] = con.execute("select count(*) from checked_docs").fetchall()[0][0]
            seen["full"] = checks.run_checks(con, scope=FULL)
            return fn(con, scope=scope)
        return both

    real = pipeline.extract_items
    monkeypatch.setattr(pipeline, "extract_items", lambda items: corrupt(real(items)))
    with pytest.raises(DataCheckError):
        go(raw, wh, stage=compare, batch_size=25, prune=True)
    assert seen["scope"] == INCREMENTAL and 80 <= seen["articles"] < 360
    failed = [f.name for f in seen["full"]]
    assert {"008_articles_meeting_kind_accepted", "017_metrics_pct_of_plan_range",
            "020_dates_not_in_future", "023_char_span_valid"} <= set(failed)
    assert [(f.name, f.n_rows, f.examples) for f in seen["incremental"]] == [
        (f.name, f.n_rows, f.examples) for f in seen["full"]]

    monkeypatch.setattr(pipeline, "extract_items", real)
    s = go(raw, wh, stage=compare, batch_size=25, prune=True)
    assert (s.status, s.checks, s.files_new, s.files_changed, s.files_pruned) == (
        "success", INCREMENTAL, 60, 10, 10)
    assert seen["incremental"] == seen["full"] == []
