"""End to end: the real Prefect flow on raw/ into a temporary warehouse, then the scorer."""
from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pytest

from .conftest import GOLD, RAW, SHARED, need


@pytest.fixture(scope="module")
def harness():
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=180):
        yield


def test_flow_on_bundled_raw_fills_every_table_and_scores(harness, tmp_path):
    from flows.flow import etl

    wh = tmp_path / "warehouse.duckdb"
    summary = etl(raw_dir=str(RAW), warehouse=str(wh))
    assert summary["status"] == "success"
    assert summary["files_seen"] == summary["files_new"] == summary["articles_loaded"] == 5
    con = duckdb.connect(str(wh), read_only=True)
    try:
        for table in ("articles", "metrics", "people", "documents_cited", "metric_series",
                      "metric_period_over_period"):
            assert con.execute(f"select count(*) from {table}").fetchone()[0] > 0, table
        assert con.execute("select count(*) from quarantine").fetchone()[0] == 0
        assert con.execute("select status, articles_loaded from runs").fetchall() == [("success", 5)]
    finally:
        con.close()

    again = etl(raw_dir=str(RAW), warehouse=str(wh))
    assert (again["files_unchanged"], again["articles_loaded"]) == (5, 0)

    scorer = need(SHARED / "tools" / "score_extraction.py")
    out = subprocess.run([sys.executable, str(scorer), "--warehouse", str(wh), "--gold",
                          str(need(GOLD / "seeds.json")), "--json"], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    print("seed score:", json.dumps({k: v for k, v in result.items() if k != "misses"}, ensure_ascii=False))
    assert result["articles_missing"] == []
    assert result["misses"] == []
