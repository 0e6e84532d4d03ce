"""Applies the SQL in sql/ to a DuckDB connection, in the declared order.

- sql/migrations/NNNN_name.sql: tables, applied once each, in number order, recorded in
  schema_version. A later change to a table is a new migration file (ALTER TABLE ...), so an
  existing warehouse is migrated, never rebuilt.
- sql/macros/NNN_name.sql: SQL macros (one rule in one place, e.g. what a period label looks
  like), recreated on every run before the views.
- sql/views/NNN_name.sql: one view a file, recreated in number order (a view may read the
  views numbered before it) whenever a file of sql/macros or sql/views changed since they were
  last created (the digest kept in the table views_version) or a view is missing.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_NUMBERED = re.compile(r"^(\d+)_([\w]+)\.sql$")


def numbered_files(folder: Path) -> list[tuple[int, str, Path]]:
    """(number, name, path) of every NNN_name.sql file in folder, in number order."""
    found = []
    for p in folder.glob("*.sql"):
        m = _NUMBERED.match(p.name)
        if not m:
            raise ValueError(f"{p}: SQL files are named NNN_name.sql")
        found.append((int(m.group(1)), m.group(2), p))
    found.sort()
    numbers = [n for n, _, _ in found]
    if len(numbers) != len(set(numbers)):
        raise ValueError(f"{folder}: two SQL files share a number")
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    """Apply the migrations not yet applied; returns their names."""
    current = schema_version(con)
    applied = []
    for number, name, path in numbered_files(sql_dir / "migrations"):
        if number <= current:
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_version (version, name) values (?, ?)", [number, name])
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
        applied.append(name)
    return applied


def create_views(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> list[str]:
    """(Re)create every macro of sql/macros, then every view of sql/views, in order; returns
    their names."""
    names = []
    macros = numbered_files(sql_dir / "macros") if (sql_dir / "macros").is_dir() else []
    for _, name, path in macros + numbered_files(sql_dir / "views"):
        con.execute(path.read_text(encoding="utf-8"))
        names.append(name)
    return names


def views_digest(sql_dir: Path = SQL_DIR) -> str:
    """A digest of every file of sql/macros and sql/views."""
    digest = hashlib.sha256()
    for folder in ("macros", "views"):
        for _, name, path in numbered_files(sql_dir / folder) if (sql_dir / folder).is_dir() else []:
            digest.update(f"{folder}/{name}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def views_current(con: duckdb.DuckDBPyConnection, digest: str, sql_dir: Path = SQL_DIR) -> bool:
    """The macros and views were created from these very files, and every view is there."""
    stored = con.execute("select digest from views_version").fetchall()
    if stored != [(digest,)]:
        return False
    names = [name for _, name, _ in numbered_files(sql_dir / "views")]
    found = con.execute("select count(*) from duckdb_views() where not internal and view_name in "
                        "(select unnest($names))", {"names": names}).fetchall()[0][0]
    return found == len(names)


def apply_schema(con: duckdb.DuckDBPyConnection, sql_dir: Path = SQL_DIR) -> None:
    """Migrate, then (re)create the macros and views unless no migration ran and they are current."""
    migrated = migrate(con, sql_dir)
    digest = views_digest(sql_dir)
    if not migrated and views_current(con, digest, sql_dir):
        return
    con.execute("begin transaction")
    try:
        create_views(con, sql_dir)
        con.execute("delete from views_version")
        con.execute("insert into views_version (digest) values ($digest)", {"digest": digest})
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def statement(name: str, sql_dir: Path = SQL_DIR) -> str:
    """The text of sql/<name>.sql (a parameterised statement the pipeline runs)."""
    return _read(str(sql_dir / f"{name}.sql"))


def load_steps(sql_dir: Path = SQL_DIR) -> list[tuple[str, str]]:
    """(name, sql) of the batch-load steps in sql/load, in number order."""
    return [(name, _read(str(path))) for _, name, path in numbered_files(sql_dir / "load")]


_cache: dict[str, str] = {}


def _read(path: str) -> str:
    if path not in _cache:
        _cache[path] = Path(path).read_text(encoding="utf-8")
    return _cache[path]
