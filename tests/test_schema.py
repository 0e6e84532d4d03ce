"""Schema: migrations applied once each, in order, recorded; an old warehouse is migrated."""
from __future__ import annotations

import shutil

import duckdb
import pytest

from flows.schema import SQL_DIR, apply_schema, migrate, numbered_files, schema_version
from flows.warehouse import split_statements


def test_fresh_database_gets_every_migration_and_view():
    con = duckdb.connect()
    apply_schema(con)
    files = numbered_files(SQL_DIR / "migrations")
    assert schema_version(con) == files[-1][0]
    assert [r[0] for r in con.execute("select name from schema_version order by version").fetchall()] == \
        [name for _, name, _ in files]
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert views == {name for _, name, _ in numbered_files(SQL_DIR / "views")}
    apply_schema(con)  # twice: nothing new, no error
    assert con.execute("select count(*) from schema_version").fetchall() == [(len(files),)]


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
