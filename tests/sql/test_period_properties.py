"""Property test: for any set of reported periods, metric_period_over_period matches the
Python oracle of make_multi_province_case.py (never a wrong neighbour, never another length)."""
from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.schema import apply_schema

_spec = importlib.util.spec_from_file_location(
    "make_multi_province_case", Path(__file__).parent / "make_multi_province_case.py"
)
oracle = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(oracle)

YEARS = range(2016, 2021)
LABEL_POOL = sorted(
    {str(y) for y in YEARS}
    | {f"{y}-{p}" for y in YEARS for p in ("H1", "H2", "Q1", "Q2", "Q3", "Q4", "9M", "5M")}
    | {f"{y}-{md}" for y in YEARS for md in ("06-30", "12-31")}
    | {"2020-02-29", "2019-02-28", "2010-2015", "2004-2009", "2015-2020", "2009-2014"}
)

CON = duckdb.connect()
apply_schema(CON)

facts_strategy = st.lists(
    st.tuples(
        st.sampled_from(LABEL_POOL),
        st.sampled_from([None, "Cụm 1"]),
        st.sampled_from(["Nghệ An", None]),
        st.integers(min_value=0, max_value=5),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts_strategy)
def test_period_over_period_matches_oracle(facts):
    given_rows = {"articles": [], "metrics": []}
    for i, (label, scope, province, value) in enumerate(facts):
        doc = f"d{i:02d}"
        given_rows["articles"].append({"doc_id": doc, "province": province,
                                       "published_at": f"2021-01-01 00:00:{i:02d}"})
        row = {"doc_id": doc, "metric": "party_members_admitted", "value": value, "period_label": label}
        if scope:
            row["scope"] = scope
        given_rows["metrics"].append(row)
    expected = oracle.expected_rows(given_rows)

    kind = {label: oracle.kind_of(label) for label, *_ in facts}
    CON.execute("begin transaction")
    try:
        CON.executemany(
            "insert into articles (doc_id, source_path, province, published_at, on_topic, body,"
            " extractor_version) values (?, ?, ?, ?, true, 'x', 1)",
            [[a["doc_id"], a["doc_id"], a["province"], a["published_at"]] for a in given_rows["articles"]],
        )
        CON.executemany(
            "insert into metrics (doc_id, fact_no, metric, value, unit, period_kind, period_label,"
            " province, scope, sentence, char_start, char_end) values (?, 1, ?, ?, 'person', ?, ?, ?, ?, 'x', 0, 1)",
            [[m["doc_id"], m["metric"], m["value"], kind[m["period_label"]], m["period_label"],
              given_rows["articles"][i]["province"], m.get("scope")]
             for i, m in enumerate(given_rows["metrics"])],
        )
        actual = CON.execute(
            f"select {', '.join(oracle.COLUMNS)} from metric_period_over_period order by {oracle.ORDER_BY}"
        ).fetchall()
    finally:
        CON.execute("rollback")

    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert len(a) == len(e)
        for x, y in zip(a, e):
            if isinstance(x, float) or isinstance(y, float):
                assert (x is None and y is None) or math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (a, e)
            else:
                assert x == y, (a, e)
