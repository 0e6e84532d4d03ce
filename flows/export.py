"""Export the published warehouse as Parquet, one file per public table and view, for tools
that cannot open a DuckDB file (spreadsheets, Power BI, Spark, pandas without duckdb, ...).

The published file is opened read-only, so an export may run while a run is publishing: a run
never writes the published file, it renames a new one over it, and this connection keeps the
snapshot it opened. Every file of one export therefore comes from the same snapshot.

Each file is written beside its final name and renamed over it when complete, so a reader of
the export folder never sees half a file. No SQL here: DuckDB's relation API writes the files.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from . import schema

# The public tables of the contract (FACTS.md) and its extensions; `manifest` and
# `schema_version` are internal bookkeeping and are not exported.
PUBLIC_TABLES = ("articles", "metrics", "people", "documents_cited", "quarantine", "runs", "sources",
                 "load_warnings")


def public_views(sql_dir: Path = schema.SQL_DIR) -> tuple[str, ...]:
    """Every view of sql/views, in number order (a new view file is exported without a change here)."""
    return tuple(name for _, name, _ in schema.numbered_files(sql_dir / "views"))


@dataclass(frozen=True)
class Exported:
    name: str
    kind: str  # "table" or "view"
    rows: int
    columns: tuple[str, ...]
    path: Path


def export_parquet(warehouse: str | os.PathLike, out_dir: str | os.PathLike) -> list[Exported]:
    """Write every public table and view of `warehouse` to `out_dir/<name>.parquet`.

    Raises FileNotFoundError if the warehouse file is missing, ValueError if it lacks one of
    the objects (a warehouse built by an older version: run the ETL once to update it)."""
    warehouse, out_dir = Path(warehouse), Path(out_dir)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `python -m flows run` first, "
                                "or pass --warehouse FILE")
    objects = [(name, "table") for name in PUBLIC_TABLES] + [(name, "view") for name in public_views()]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        relations, missing = {}, []
        for name, kind in objects:
            try:
                relations[name] = con.table(name) if kind == "table" else con.view(name)
            except duckdb.CatalogException:
                missing.append(name)
        if missing:
            raise ValueError(f"{warehouse} has no {', '.join(missing)}: it was built by an older "
                             "version; run `python -m flows run` once to bring it up to date")
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for name, kind in objects:
            path = out_dir / f"{name}.parquet"
            partial = out_dir / f".{name}.parquet.partial"
            try:
                relations[name].write_parquet(str(partial))
                os.replace(partial, path)
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            written.append(Exported(name=name, kind=kind, rows=pq.read_metadata(path).num_rows,
                                    columns=tuple(relations[name].columns), path=path))
        return written
    finally:
        con.close()
