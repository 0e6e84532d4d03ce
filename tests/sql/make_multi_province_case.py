"""Writes cases/metric_period_over_period/multi_province_multi_year.json.

    uv run python tests/sql/make_multi_province_case.py

The given rows are a hand-made picture of 2013-2020 in four provinces, one district cluster
and the whole country, with gaps, conflicts and every period kind. The expected rows come
from the small oracle below: an implementation of FACTS.md's metric_series and
metric_period_over_period rules in plain Python, written apart from the SQL, so the fixture
checks the SQL against a second reading of the rules (and every expected row can be read and
checked by hand in the JSON). Re-run after changing the given rows; not run by pytest.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).parent / "cases" / "metric_period_over_period" / "multi_province_multi_year.json"

ADM, TOT, GRDP, CONG, COMM = (
    "party_members_admitted", "party_members_total", "grdp_growth_pct",
    "grassroots_congresses_held", "commendations_collective",
)

# --- the given picture ---------------------------------------------------------------------
# (doc_id, province, published_at, [(metric, label, value, scope-or-None, province-override)])
ARTICLES: list[tuple[str, str | None, str | None, list[tuple]]] = []


def article(doc_id, province, published_at, facts):
    ARTICLES.append((doc_id, province, published_at, facts))


# Nghệ An: yearly admissions 2013-2020 (no gap), half-years with 2016-H2 missing, 9M in
# 2019 and 2020, totals at year end with 2015 missing, GRDP growth, a conflict on 2019.
na_years = {2013: 3100, 2014: 3300, 2015: 3250, 2016: 3400, 2017: 3500, 2018: 3550, 2019: 3700, 2020: 3650}
na_h1 = {2013: 1400, 2014: 1500, 2015: 1450, 2016: 1600, 2017: 1650, 2018: 1700, 2019: 1800, 2020: 1750}
na_h2 = {2013: 1700, 2014: 1800, 2015: 1800, 2017: 1850, 2018: 1850, 2019: 1900}
na_total = {2013: 180000, 2014: 183000, 2016: 186500, 2017: 188000, 2018: 189000, 2019: 190500, 2020: 192000}
na_grdp = {2013: 6.1, 2014: 7.2, 2015: 7.9, 2016: 7.3, 2017: 8.3, 2018: 8.1, 2019: 7.9, 2020: 2.3}
for y in range(2013, 2021):
    facts = [(ADM, f"{y}-H1", na_h1[y])]
    if y in (2019, 2020):
        facts.append((ADM, f"{y}-9M", {2019: 2600, 2020: 2500}[y]))
    article(f"na-{y}-h1", "Nghệ An", f"{y}-07-0{y % 9 + 1} 09:00:00", facts)
    facts = [(ADM, str(y), na_years[y]), (GRDP, str(y), na_grdp[y])]
    if y in na_h2:
        facts.append((ADM, f"{y}-H2", na_h2[y]))
    if y in na_total:
        facts.append((TOT, f"{y}-12-31", na_total[y]))
    article(f"na-{y}-y", "Nghệ An", f"{y + 1}-01-1{y % 9} 10:00:00", facts)
# mid-year stock counts on the day of the H1 meeting (asof the event date)
article("na-2018-06-26", "Nghệ An", "2018-06-26 11:00:00", [(TOT, "2018-06-26", 188500)])
article("na-2019-06-26", "Nghệ An", "2019-06-26 11:13:00", [(TOT, "2019-06-26", 190000)])
# 2019 conflict: two later articles, one agrees (3700), one disagrees (3690) -> 3700, 3 articles
article("na-2019-y-b", "Nghệ An", "2020-02-01 08:00:00", [(ADM, "2019", 3700)])
article("na-2019-y-c", "Nghệ An", "2020-03-01 08:00:00", [(ADM, "2019", 3690)])
# the district cluster Cụm 1 of Nghệ An (its own series), 5M and H1 in 2013-2014
article("na-cum1-2013", "Nghệ An", "2013-06-07 08:00:00",
        [(ADM, "2013-5M", 746, "Cụm 1"), (ADM, "2013-H1", 800, "Cụm 1")])
article("na-cum1-2014", "Nghệ An", "2014-06-10 08:00:00",
        [(ADM, "2014-5M", 760, "Cụm 1"), (ADM, "2014-H1", 790, "Cụm 1")])
article("na-cum1-2015", "Nghệ An", "2015-07-10 08:00:00", [(ADM, "2015-H1", 810, "Cụm 1")])

# Lạng Sơn: yearly 2013-2020 with 2016 missing; terms 2010-2015 and 2004-2009; a tie
# (1 vs 1) on 2018 won by the later article; totals at year end.
ls_years = {2013: 2400, 2014: 2658, 2015: 2700, 2017: 2600, 2018: 2550, 2019: 2500, 2020: 2450}
for y, v in ls_years.items():
    facts = [(ADM, str(y), v), (TOT, f"{y}-12-31", 50000 + 1000 * (y - 2013))]
    if y == 2014:
        facts.append((COMM, "2014", 9))
    if y == 2015:
        facts += [(COMM, "2010-2015", 120), (COMM, "2015", 0)]
    article(f"ls-{y}", "Lạng Sơn", f"{y + 1}-02-10 08:00:00", facts)
article("ls-2009-term", "Lạng Sơn", "2010-09-01 08:00:00", [(COMM, "2004-2009", 100)])
article("ls-2016-comm", "Lạng Sơn", "2017-02-01 08:00:00", [(COMM, "2016", 12)])
article("ls-2018-late", "Lạng Sơn", "2019-05-01 08:00:00", [(ADM, "2018", 2555)])

# Đồng Tháp: quarters 2019-Q1 .. 2020-Q4 with 2020-Q2 missing; yearly 2013-2015 and
# 2018-2020; grassroots congresses held, counted on three days of 2020; H1 in 2020 only.
dt_q = {"2019-Q1": 200, "2019-Q2": 260, "2019-Q3": 240, "2019-Q4": 300,
        "2020-Q1": 210, "2020-Q3": 250, "2020-Q4": 330}
for label, v in dt_q.items():
    q = int(label[-1])
    published = f"{label[:4]}-{3 * q + 1:02d}-05 08:00:00" if q < 4 else f"{label[:4]}-12-28 08:00:00"
    article(f"dt-{label}", "Đồng Tháp", published, [(ADM, label, v)])
for y, v in {2013: 900, 2014: 950, 2015: 980, 2018: 1000, 2019: 1000, 2020: 1050}.items():
    article(f"dt-{y}", "Đồng Tháp", f"{y + 1}-01-20 08:00:00", [(ADM, str(y), v), (GRDP, str(y), {2020: -1.5}.get(y, 6.5))])
article("dt-2020-h1", "Đồng Tháp", "2020-07-25 13:05:15",
        [(ADM, "2020-H1", 460), (CONG, "2020-06-25", 497), (CONG, "2020-05-20", 300)])
article("dt-2020-08", "Đồng Tháp", "2020-08-20 08:00:00", [(CONG, "2020-08-15", 567)])

# Hà Tĩnh: yearly 2017-2020 only, H1 2019 and 2020, 9M 2020 (no 2019-9M), province given
# on the fact of an article about two provinces (article province NULL).
for y, v in {2017: 1500, 2018: 1550, 2019: 1500, 2020: 1600}.items():
    article(f"ht-{y}", "Hà Tĩnh", f"{y + 1}-01-15 08:00:00", [(ADM, str(y), v)])
article("ht-2019-h1", "Hà Tĩnh", "2019-07-15 08:00:00", [(ADM, "2019-H1", 700)])
article("ht-2020-h1", None, "2020-07-15 08:00:00",
        [(ADM, "2020-H1", 760, None, "Hà Tĩnh"), (ADM, "2020-9M", 1100, None, "Hà Tĩnh")])

# The whole country (scope national, province NULL) and a figure of an unknown province.
for y, v in {2013: 150000, 2014: 160000, 2015: 165000, 2017: 170000, 2018: 175000}.items():
    article(f"vn-{y}", None, f"{y + 1}-01-05 08:00:00", [(ADM, str(y), v, "national")])
article("unknown-2019", None, "2019-07-30 08:00:00", [(ADM, "2019-H1", 42), (ADM, "2018-H2", 40)])


# --- the oracle ----------------------------------------------------------------------------

def given_rows() -> dict:
    articles, metrics = [], []
    for doc_id, province, published_at, facts in ARTICLES:
        articles.append({"doc_id": doc_id, "province": province, "published_at": published_at})
        for fact in facts:
            metric, label, value = fact[:3]
            scope = fact[3] if len(fact) > 3 else None
            row = {"doc_id": doc_id, "metric": metric, "value": value, "period_label": label}
            if scope:
                row["scope"] = scope
            if len(fact) > 4:
                row["province"] = fact[4]
            metrics.append(row)
    return {"articles": articles, "metrics": metrics}


def kind_of(label: str) -> str:
    if re.fullmatch(r"\d{4}", label):
        return "Y"
    if m := re.fullmatch(r"\d{4}-(H[12]|Q[1-4])", label):
        return m[1]
    if re.fullmatch(r"\d{4}-\d{1,2}M", label):
        return "nM"
    if re.fullmatch(r"\d{4}-\d{4}", label):
        return "range"
    return "asof"


def previous(label: str, kind: str) -> str | None:
    y = int(label[:4])
    if kind == "Y":
        return str(y - 1)
    if kind == "H1":
        return f"{y - 1}-H2"
    if kind == "H2":
        return f"{y}-H1"
    if kind == "Q1":
        return f"{y - 1}-Q4"
    if kind in ("Q2", "Q3", "Q4"):
        return f"{y}-Q{int(kind[1]) - 1}"
    if kind == "nM":
        return f"{y - 1}{label[4:]}"
    if kind == "range":
        a, b = int(label[:4]), int(label[5:])
        return f"{a - 1 - (b - a)}-{a - 1}"
    return None  # asof: previous observation, found below


def year_ago(label: str, kind: str) -> str | None:
    if kind == "range":
        return None
    if kind == "asof":
        d = dt.date.fromisoformat(label)
        return None if (d.month, d.day) == (2, 29) else d.replace(year=d.year - 1).isoformat()
    return f"{int(label[:4]) - 1}{label[4:]}"


def expected_rows(given: dict) -> list[list]:
    published = {a["doc_id"]: a["published_at"] or "" for a in given["articles"]}
    art_province = {a["doc_id"]: a["province"] for a in given["articles"]}
    votes = defaultdict(dict)  # series key -> {doc_id: value of its first fact}
    for m in given["metrics"]:
        province = m["province"] if "province" in m else art_province[m["doc_id"]]
        key = (m["metric"], province, m.get("scope"), kind_of(m["period_label"]), m["period_label"])
        votes[key].setdefault(m["doc_id"], m["value"])  # first fact in order = lowest fact_no
    series = {}
    for key, by_doc in votes.items():
        counts = defaultdict(int)
        for v in by_doc.values():
            counts[v] += 1
        latest_first = sorted(by_doc, key=lambda d: (published[d], d), reverse=True)
        top = max(counts.values())
        value = next(by_doc[d] for d in latest_first if counts[by_doc[d]] == top)
        series[key] = (value, len(by_doc), len(counts) > 1)

    def change(v, earlier_label, key):
        if earlier_label is None or earlier_label not in {k[4] for k in series if k[:3] == key[:3]}:
            return [None, None, None, None]
        ek = (key[0], key[1], key[2], kind_of(earlier_label), earlier_label)
        e = series[ek][0]
        return [earlier_label, e, v - e, None if e == 0 else 100 * (v - e) / e]

    rows = []
    for key, (value, n, conflict) in series.items():
        metric, province, scope, kind, label = key
        if kind == "asof":
            days = sorted(k[4] for k in series if k[:4] == key[:4] and k[4] < label)
            prev = days[-1] if days else None
        else:
            prev = previous(label, kind)
        rows.append([metric, province, scope, kind, label, value, n, conflict]
                    + change(value, year_ago(label, kind), key) + change(value, prev, key))
    rows.sort(key=lambda r: (r[0], r[1] is None, r[1] or "", r[2] is not None, r[2] or "", r[3], r[4]))
    return rows


COLUMNS = ["metric", "province", "scope", "period_kind", "period_label", "value", "n_articles",
           "has_conflict", "yoy_period_label", "yoy_value", "yoy_change", "yoy_pct_change",
           "prev_period_label", "prev_value", "prev_change", "prev_pct_change"]
ORDER_BY = "metric, province nulls last, scope nulls first, period_kind, period_label"


def main() -> None:
    given = given_rows()
    rows = expected_rows(given)
    lines = ["{",
             '  "description": ' + json.dumps(
                 "Four provinces, a district cluster, the whole country and an unknown province, "
                 "2013-2020, with gaps (Lạng Sơn 2016, Nghệ An 2016-H2 and its 2015 total, Đồng Tháp "
                 "2016-2017 and 2020-Q2, national 2016), conflicts (Nghệ An 2019: 3700, 3700, 3690; "
                 "Lạng Sơn 2018: a 1 vs 1 tie won by the later article) and every period kind. "
                 "Expected rows from tests/sql/make_multi_province_case.py's oracle; every row checked.",
                 ensure_ascii=False) + ",",
             '  "given": {']
    for i, table in enumerate(("articles", "metrics")):
        lines.append(f'    "{table}": [')
        lines += ["      " + json.dumps(r, ensure_ascii=False) + ("," if j < len(given[table]) - 1 else "")
                  for j, r in enumerate(given[table])]
        lines.append("    ]" + ("," if i == 0 else ""))
    lines += ["  },", '  "expect": {', '    "view": "metric_period_over_period",',
              f'    "columns": {json.dumps(COLUMNS)},', f'    "order_by": {json.dumps(ORDER_BY)},',
              '    "rows": [']
    lines += ["      " + json.dumps(r, ensure_ascii=False) + ("," if j < len(rows) - 1 else "")
              for j, r in enumerate(rows)]
    lines += ["    ]", "  }", "}"]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(given['metrics'])} facts, {len(rows)} expected rows")


if __name__ == "__main__":
    main()
