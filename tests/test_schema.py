"""Schema: migrations applied once each, in order, recorded; an old warehouse is migrated."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.schema import SQL_DIR, apply_schema, migrate, numbered_files, schema_version, views_digest
from flows.warehouse import split_statements


# The warehouse's tables and views: FACTS.md's contract (articles, metrics, people, documents_cited,
# quarantine, runs) and the project's own (schema_version, views_version, manifest, sources,
# load_warnings, the analysts' corrections; the views of docs/analysts-and-bi.md and corrections_applied).
TABLES = {"articles", "corrections", "documents_cited", "load_warnings", "manifest", "metrics", "people",
          "quarantine", "runs", "schema_version", "sources", "views_version"}
VIEWS = {"corrections_applied", "coverage", "dim_period", "metric_period_over_period", "metric_series",
         "officials_by_title", "province_scorecard"}


def test_fresh_database_gets_every_migration_and_view():
    con = duckdb.connect()
    apply_schema(con)
    # every file of sql/migrations, by the number in its name, recorded once
    migrations = sorted((int(p.name[:4]), p.stem[5:]) for p in (SQL_DIR / "migrations").glob("*.sql"))
    assert migrations[0] == (1, "schema_version") and len(migrations) >= 11
    assert con.execute("select version, name from schema_version order by version").fetchall() == migrations
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables() where not internal").fetchall()}
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert (tables, views) == (TABLES, VIEWS)
    for view in VIEWS:  # each view compiles against the tables and answers (empty)
        assert con.execute(f"select count(*) from {view}").fetchall() == [(0,)]
    apply_schema(con)  # twice: nothing new, no error
    assert con.execute("select version, name from schema_version order by version").fetchall() == migrations


def test_an_old_warehouse_is_migrated_not_rebuilt(tmp_path):
    old_sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, old_sql)
    later = numbered_files(old_sql / "migrations")[-2:]
    for _, _, path in later:
        path.unlink()
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    migrate(con, old_sql)
    old_version = schema_version(con)
    con.execute("insert into runs (run_id, started_at, status) values ('r1', now(), 'success')")
    con.close()
    con = duckdb.connect(str(db))
    applied = migrate(con)
    assert applied == [name for _, name, _ in later]
    assert schema_version(con) > old_version
    assert con.execute("select run_id from runs").fetchall() == [("r1",)]  # data kept


def test_views_are_recreated_only_when_their_files_changed_or_one_is_missing(tmp_path):
    """Binding the macros and views takes about a second: a run recreates them only when a file of
    sql/macros or sql/views changed (the digest in views_version), a migration ran, or a view is
    missing; otherwise it leaves them as they are."""
    sql = tmp_path / "sql"
    shutil.copytree(SQL_DIR, sql)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    apply_schema(con, sql)
    assert con.execute("select digest from views_version").fetchall() == [(views_digest(sql),)]

    def created() -> list:
        return con.execute("select view_name, sql from duckdb_views() where view_name = 'coverage'").fetchall()
    before = created()
    (sql / "views" / "060_coverage.sql").write_text("create or replace view coverage as select 1 as x;")
    con.execute("create or replace view coverage as select 2 as x")  # by hand: left alone ...
    apply_schema(con, sql)  # ... unless the files changed, as here
    assert con.execute("select x from coverage").fetchall() == [(1,)]
    con.execute("create or replace view coverage as select 2 as x")
    apply_schema(con, sql)  # same files, every view there: nothing recreated
    assert con.execute("select x from coverage").fetchall() == [(2,)]
    con.execute("drop view coverage")
    apply_schema(con, sql)  # a view missing: all recreated
    assert con.execute("select x from coverage").fetchall() == [(1,)]
    shutil.copy(SQL_DIR / "views" / "060_coverage.sql", sql / "views" / "060_coverage.sql")
    apply_schema(con, sql)
    assert created() == before
    assert views_digest(sql) == views_digest()


def test_sql_files_are_numbered_uniquely(tmp_path):
    (tmp_path / "001_a.sql").write_text("select 1;")
    (tmp_path / "001_b.sql").write_text("select 1;")
    with pytest.raises(ValueError, match="share a number"):
        numbered_files(tmp_path)
    (tmp_path / "001_b.sql").unlink()
    (tmp_path / "bad name.sql").write_text("select 1;")
    with pytest.raises(ValueError, match="NNN_name"):
        numbered_files(tmp_path)


def test_split_statements_keeps_each_statement_and_drops_comments():
    sql = "-- header\nDELETE FROM a WHERE x = 1;\n-- note\nINSERT INTO a\nSELECT 1;\n"
    assert split_statements(sql) == ["-- header\nDELETE FROM a WHERE x = 1", "-- note\nINSERT INTO a\nSELECT 1"]
