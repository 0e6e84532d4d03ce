"""The HTML report: one self-contained page an analyst opens first (`python -m flows report`).

It reads the published warehouse read-only, through the queries of sql/report/ (each a plain
SELECT over the views: metric_period_over_period, province_scorecard, officials_by_title,
coverage, and the quarantine and runs tables), and writes one HTML file with Plotly's
JavaScript inlined once, so the page opens with no network.

Sections:
- the province scorecard (the latest value of each metric per province);
- per canonical metric with data: one chart per kind of period (half-years, years, quarters,
  first N months, stocks on a day, terms; never two lengths on one axis) with a line per
  province, and the latest period-over-period changes, the largest moves first;
- officials by title over time;
- data quality: articles per province and period, facts per article, quarantined inputs
  with their reasons, the analysts' corrections (those orphaned first), the last runs.

A value an analyst's correction touched (the views' `corrected` flag) is marked ✎.

Every text that comes from the data is escaped (html.escape) in tables and in chart labels
(Plotly reads &lt; &gt; &amp; in labels back as the characters, and no tag in the data is
ever interpreted). Logic here is only layout: what is compared with what comes from the views.
"""
from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import plotly.io as pio
import polars as pl

from . import schema
from .datafiles import read_tsv

FONT_STACK = 'system-ui, "Noto Sans", "DejaVu Sans", Arial, sans-serif'
QUARANTINE_ROWS = 500      # quarantined inputs listed (the report says how many more there are)
RUNS_ROWS = 10             # last runs listed
OFFICIALS_CHART_ROWS = 60  # people drawn on the officials chart (the most reported); all in the table
LONG_TABLE = 25            # tables with more rows are folded (<details>)
NONE = '<p class="none">none</p>'
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}
NBSP = "\u00a0"
CORRECTED = ' <span class="corrected" title="corrected by an analyst (see Corrections)">✎</span>'


@dataclass(frozen=True)
class ReportData:
    """The result of every sql/report query (Polars frames; summary is the one row)."""
    summary: dict
    metric_periods: pl.DataFrame
    scorecard: pl.DataFrame
    officials: pl.DataFrame
    coverage: pl.DataFrame
    facts_per_article: pl.DataFrame
    quarantine_reasons: pl.DataFrame
    quarantine: pl.DataFrame
    runs: pl.DataFrame
    load_warnings: pl.DataFrame
    corrections: pl.DataFrame


def write_report(warehouse: Path, out: Path) -> Path:
    """Write the HTML report of the published `warehouse` to `out` (folders created, the file
    replaced whole); returns out. FileNotFoundError if there is no warehouse file, ValueError if
    it lacks a view (built by an older version: run the ETL once to update it)."""
    warehouse, out = Path(warehouse), Path(out)
    data = read_report_data(warehouse)
    page = render_report(data, source=str(warehouse), written_at=dt.datetime.now().replace(microsecond=0))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return out


def read_report_data(warehouse: Path) -> ReportData:
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"no warehouse at {warehouse}: run `python -m flows run` first, "
                                "or pass --warehouse FILE")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        def q(name: str, params: dict | None = None) -> pl.DataFrame:
            try:
                return pl.from_arrow(con.sql(schema.statement(f"report/{name}"), params=params).to_arrow_table())
            except duckdb.CatalogException as exc:
                raise ValueError(f"{warehouse} lacks a table or view the report reads ({exc}); it was built "
                                 "by an older version: run `python -m flows run` once to update it") from exc

        summary = q("summary").to_dicts()[0]
        return ReportData(
            summary=summary,
            metric_periods=q("metric_periods"),
            scorecard=q("scorecard"),
            officials=q("officials"),
            coverage=q("coverage"),
            facts_per_article=q("facts_per_article"),
            quarantine_reasons=q("quarantine_reasons"),
            quarantine=q("quarantine", {"limit": QUARANTINE_ROWS}),
            runs=q("runs", {"limit": RUNS_ROWS}),
            load_warnings=q("load_warnings", {"limit": QUARANTINE_ROWS}),
            corrections=q("corrections"),
        )
    finally:
        con.close()


# --- formatting ----------------------------------------------------------------------------------

def esc(value) -> str:
    """Text from the data, escaped for HTML (and for Plotly labels); None -> ''."""
    return "" if value is None else html.escape(str(value), quote=True)


def lbl(value) -> str:
    """Text from the data for a Plotly label: Plotly reads a little HTML in labels (<b>, <br>, <a>),
    and reads &amp; &lt; &gt; back as the characters; None -> ''."""
    return "" if value is None else html.escape(str(value), quote=False)


def fmt_num(value) -> str:
    """2035.0 -> '2 035' (no-break space between thousands), 7.09 -> '7.09'; None -> '–'."""
    if value is None:
        return "–"
    v = float(value)
    if v.is_integer():
        return f"{int(v):,}".replace(",", NBSP)
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", NBSP)


def fmt_signed(value) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + fmt_num(value).replace("-", "−")


def fmt_pct(value) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + f"{value:.1f}".replace("-", "−") + NBSP + "%"


def fmt_cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return fmt_num(value)
    if isinstance(value, dt.datetime):
        return esc(value.replace(microsecond=0).isoformat(sep=" "))
    return esc(value)


def metric_vocabulary() -> dict[str, dict[str, str]]:
    return {row["metric"]: row for row in read_tsv("metrics_vocabulary.tsv")}


def metric_order(metrics) -> list[str]:
    """Metrics in the vocabulary's order (admissions first), any other after, by name."""
    rank = {m: i for i, m in enumerate(metric_vocabulary())}
    return sorted(set(metrics), key=lambda m: (rank.get(m, len(rank)), m))


def table(headers: list[str], rows: list[list[str]], classes: list[str] | None = None,
          fold_label: str | None = None) -> str:
    """An HTML table of already escaped cells; folded into <details> when long."""
    if not rows:
        return NONE
    classes = classes or [""] * len(headers)
    head = "".join(f'<th class="{c}">{h}</th>' for h, c in zip(headers, classes))
    body = "".join("<tr>" + "".join(f'<td class="{c}">{cell}</td>' for cell, c in zip(row, classes)) + "</tr>"
                   for row in rows)
    out = f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    if len(rows) > LONG_TABLE:
        label = fold_label or "rows"
        out = f"<details><summary>{fmt_num(len(rows))} {label}</summary>{out}</details>"
    return out


# --- charts --------------------------------------------------------------------------------------

# A figure is Plotly's own JSON form, {"data": [traces], "layout": {...}}, written as plain dicts:
# building graph_objects would validate and deep-copy the template for every chart (about 0.1 s a
# chart), for figures whose few keys are all written here.
Figure = dict


@lru_cache(maxsize=1)
def base_layout() -> dict:
    return {"template": pio.templates["plotly_white"].to_plotly_json(),
            "font": {"family": FONT_STACK, "size": 13}, "hoverlabel": {"font": {"family": FONT_STACK}},
            "separators": "." + NBSP, "margin": {"l": 60, "r": 20, "t": 50, "b": 50}}


class Charts:
    """Turns figures into <div>s; the first one carries Plotly's JavaScript (inlined), the
    others only their data."""

    def __init__(self) -> None:
        self.count = 0

    def html(self, fig: Figure, height: int = 380) -> str:
        self.count += 1
        layout = {**base_layout(), **fig["layout"], "height": height}
        div = pio.to_html({"data": fig["data"], "layout": layout}, validate=False, full_html=False,
                          include_plotlyjs=self.count == 1, div_id=f"chart-{self.count}",
                          config=PLOTLY_CONFIG, default_width="100%", default_height=f"{height}px")
        return f'<div class="chart">{div}</div>'


def metric_figures(points: pl.DataFrame) -> list[tuple[str, str, Figure]]:
    """(metric, chart_group, figure) for every chart of metric_periods, in its order: one line per
    province; periods in time order (by period_start); stocks on a day on a date axis."""
    out = []
    if points.is_empty():
        return out
    keys = points.select("metric", "group_order", "chart_group").unique(maintain_order=True)
    for metric, _, group in keys.iter_rows():
        rows = points.filter((pl.col("metric") == metric) & (pl.col("chart_group") == group))
        traces = []
        on_a_day = group == "stock on a day"
        order = [lbl(p) for p in rows.sort("period_start", "period_label", nulls_last=True)["period_label"]
                 .unique(maintain_order=True).to_list()]
        doubtful = []  # (province, x, y, custom) of the values whose change is implausible
        for province in rows["province"].unique(maintain_order=True).to_list():
            s = rows.filter(pl.col("province") == province).sort("period_start", "period_label", nulls_last=True)
            x = s["period_end"].to_list() if on_a_day else [lbl(p) for p in s["period_label"].to_list()]
            flagged = s["implausible"].to_list()
            y = [None if f else v for v, f in zip(s["value"].to_list(), flagged)]  # never joined into the line
            doubtful += [(province, xi, v, lbl(p)) for xi, v, p, f in
                         zip(x, s["value"].to_list(), s["period_label"].to_list(), flagged) if f]
            custom = [(lbl(p), n, "yes: the articles disagree" if c else "no")
                      for p, n, c in zip(s["period_label"].to_list(), s["n_articles"].to_list(),
                                         s["has_conflict"].to_list())]
            if not on_a_day:  # every period of the chart, None where this province has no value: a gap
                by_period = dict(zip(x, zip(y, custom)))
                x = order
                y = [by_period[p][0] if p in by_period else None for p in order]
                custom = [by_period[p][1] if p in by_period else (p, 0, "") for p in order]
            traces.append(dict(
                type="scatter",
                x=x,
                y=y,
                name=lbl(province),
                mode="lines+markers",
                connectgaps=False,
                customdata=custom,
                hovertemplate=(f"<b>{lbl(province)}</b><br>%{{customdata[0]}}: %{{y:,~f}}<br>"
                               "articles: %{customdata[1]}<br>conflict: %{customdata[2]}<extra></extra>"),
            ))
        if doubtful:
            traces.append(dict(
                type="scatter", mode="markers", name=IMPLAUSIBLE_NAME,
                x=[d[1] for d in doubtful], y=[d[2] for d in doubtful],
                marker={"symbol": "x-open", "size": 11, "color": "#888"},
                customdata=[(lbl(d[0]), d[3]) for d in doubtful],
                hovertemplate=("<b>%{customdata[0]}</b><br>%{customdata[1]}: %{y:,~f}<br>"
                               "a tenfold change from its neighbour: not a fact until checked<extra></extra>"),
            ))
        xaxis = day_axis(rows["period_end"].to_list(), "day of the count") if on_a_day else {
            "title": {"text": "period"}, "type": "category", "categoryorder": "array",
            "categoryarray": order}
        layout = dict(title={"text": f"{lbl(metric)} · {lbl(group)}"}, xaxis=xaxis,
                      yaxis={"title": {"text": lbl(metric_vocabulary().get(metric, {}).get("unit", ""))},
                             "tickformat": ",~f", "rangemode": "tozero"},
                      legend={"title": {"text": "province"}})
        out.append((metric, group, {"data": traces, "layout": layout}))
    return out


IMPLAUSIBLE_NAME = "implausible change (check the articles)"
IMPLAUSIBLE_TITLE = ("a tenfold jump or fall from the year-ago or previous value: one of the two is probably "
                     "misread; not a fact until the articles are checked")


def day_axis(days: list, title: str) -> dict:
    """A date axis whose ticks are days ("2019-06-30"), never times: Plotly's automatic ticks
    on one day (or a few close days) fall at hours, labelled "23:59:59.999"."""
    axis = {"title": {"text": title}, "type": "date", "tickformat": "%Y-%m-%d", "hoverformat": "%Y-%m-%d"}
    known = [d for d in days if d is not None]
    if known and (max(known) - min(known)).days < 14:  # a day or two: a month either side
        pad = dt.timedelta(days=30)
        axis |= {"range": [(min(known) - pad).isoformat(), (max(known) + pad).isoformat()]}
    return axis


def latest_changes(points: pl.DataFrame, metric: str) -> pl.DataFrame:
    """The latest-change rows of one metric (flagged and ranked by the query), largest move first."""
    return (points.filter((pl.col("metric") == metric) & pl.col("is_latest_change"))
            .sort("change_rank"))


def officials_figure(officials: pl.DataFrame) -> tuple[Figure, int] | None:
    """A timeline: one row per (person, title, province) from first to last seen, grouped by
    title (a colour each); at most OFFICIALS_CHART_ROWS rows, the most reported. Returns (figure,
    rows drawn)."""
    dated = officials.filter(pl.col("first_seen").is_not_null())
    if dated.is_empty():
        return None
    shown = (dated.with_row_index("order")
             .sort(["n_articles", "order"], descending=[True, False]).head(OFFICIALS_CHART_ROWS)
             .sort("order"))
    traces = []
    labels = []
    for title in shown["title"].unique(maintain_order=True).to_list():
        rows = shown.filter(pl.col("title") == title)
        xs, ys, custom = [], [], []
        for r in rows.iter_rows(named=True):
            label = f"{lbl(r['name'])} · {lbl(title)}" + (f" · {lbl(r['province'])}" if r["province"] else "")
            labels.append(label)
            for day in (r["first_seen"], r["last_seen"]):
                xs.append(day)
                ys.append(label)
                custom.append((fmt_num(r["n_articles"]), str(r["first_seen"]), str(r["last_seen"])))
            xs.append(None)
            ys.append(None)
            custom.append(("", "", ""))
        traces.append(dict(
            type="scatter", x=xs, y=ys, name=lbl(title), mode="lines+markers", line={"width": 6}, connectgaps=False,
            customdata=custom,
            hovertemplate=(f"<b>%{{y}}</b><br>{lbl(title)}<br>seen %{{customdata[1]}} to %{{customdata[2]}}"
                           "<br>articles: %{customdata[0]}<extra></extra>")))
    layout = dict(
        title={"text": "officials by title: first and last day an article saw them in it"},
        xaxis={"type": "date", "title": {"text": "day"}},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": labels[::-1], "automargin": True},
        showlegend=False)  # each row names its title
    return {"data": traces, "layout": layout}, shown.height


def coverage_figure(coverage: pl.DataFrame) -> Figure | None:
    if coverage.is_empty():
        return None
    cov = coverage.with_columns(pl.col("province").fill_null("(unknown)"),
                                pl.col("period_label").fill_null("(unknown)"))
    provinces = cov["province"].unique(maintain_order=True).to_list()
    periods = sorted(cov["period_label"].unique().to_list())
    counts = {(r["province"], r["period_label"]): r["n_articles"] for r in cov.iter_rows(named=True)}
    z = [[counts.get((p, t)) for t in periods] for p in provinces]
    heatmap = dict(
        type="heatmap", x=[lbl(t) for t in periods], y=[lbl(p) for p in provinces], z=z, zmin=0,
        colorscale="Blues", xgap=2, ygap=2,
        colorbar={"title": {"text": "articles"}},
        hovertemplate="%{y}, %{x}: %{z} articles<extra></extra>")
    layout = dict(title={"text": "articles per province and period (the article's own period)"},
                  xaxis={"type": "category", "title": {"text": "period"}},
                  yaxis={"type": "category", "autorange": "reversed", "automargin": True})
    return {"data": [heatmap], "layout": layout}


def facts_figure(facts: pl.DataFrame) -> Figure | None:
    if facts.is_empty():
        return None
    n = facts["n_facts"].to_list()
    on = facts["n_on_topic"].to_list()
    off = [a - b for a, b in zip(facts["n_articles"].to_list(), on)]
    bars = [
        dict(type="bar", x=n, y=on, name="on topic",
             hovertemplate="%{x} facts: %{y} articles on topic<extra></extra>"),
        dict(type="bar", x=n, y=off, name="off topic",
             hovertemplate="%{x} facts: %{y} articles off topic<extra></extra>"),
    ]
    layout = dict(barmode="stack", title={"text": "articles by number of facts"},
                  xaxis={"title": {"text": "facts in the article (metrics + people + documents cited)"}},
                  yaxis={"title": {"text": "articles"}})
    return {"data": bars, "layout": layout}


# --- sections ------------------------------------------------------------------------------------

def header_section(data: ReportData, source: str, written_at: dt.datetime) -> str:
    s = data.summary
    if s.get("last_run_id"):
        run = (f'data of run <code>{esc(s["last_run_id"])}</code>, finished '
               f'{fmt_cell(s["last_run_finished_at"])}')
    else:
        run = "no successful run yet"
    facts = (s["n_metrics"] or 0) + (s["n_people"] or 0) + (s["n_documents"] or 0)
    figures = [
        (fmt_num(s["n_articles"]), "articles"),
        (fmt_num(s["n_provinces"]), "provinces"),
        (fmt_num(facts), "facts"),
        (fmt_num(s["n_canonical"]), "canonical metric values"),
        (fmt_num(s["n_people"]), "officials' titles"),
        (fmt_num(s["n_quarantined"]), "quarantined inputs"),
    ]
    tiles = "".join(f'<div class="tile"><b>{v}</b><span>{k}</span></div>' for v, k in figures)
    return (f'<header><h1>Party organization-building warehouse: report</h1>'
            f'<p class="meta">{esc(source)} · {run} · report written {esc(written_at.isoformat(sep=" "))}</p>'
            f'<div class="tiles">{tiles}</div></header>')


def scorecard_section(data: ReportData) -> str:
    sc = data.scorecard
    out = ['<section id="scorecard"><h2>Province scorecard</h2>',
           '<p class="note">The latest value of each metric in each province (whole-province figures), '
           'its period, and its change from a year earlier. ≠: the articles give different values; '
           'the value most of them give is shown. ✎: an analyst\'s correction changed it.</p>']
    if sc.is_empty():
        out.append(NONE)
    else:
        metrics = metric_order(sc["metric"].to_list())
        cells = {(r["province"], r["metric"]): r for r in sc.iter_rows(named=True)}
        rows = []
        for province in sc["province"].unique(maintain_order=True).to_list():
            row = [f'<span class="province">{esc(province)}</span>']
            for m in metrics:
                r = cells.get((province, m))
                if r is None:
                    row.append("")
                    continue
                mark = ' <span class="conflict" title="the articles disagree">≠</span>' if r["has_conflict"] else ""
                yoy = ""
                if r["yoy_change"] is not None:
                    pct = (fmt_pct(r["yoy_pct_change"]) if r["yoy_pct_change"] is not None
                           else fmt_signed(r["yoy_change"]))
                    cls = "up" if r["yoy_change"] > 0 else "down" if r["yoy_change"] < 0 else ""
                    yoy = f' · <span class="{cls}">{pct} vs {esc(r["yoy_period_label"])}</span>'
                mark += CORRECTED if r["corrected"] else ""
                row.append(f'<b>{fmt_num(r["value"])}</b>{mark}<br><small>{esc(r["period_label"])}{yoy}</small>')
            rows.append(row)
        out.append(table(["province"] + [esc(m) for m in metrics], rows,
                         ["text"] + ["num"] * len(metrics), "provinces"))
    out.append("</section>")
    return "".join(out)


def metrics_section(data: ReportData, charts: Charts) -> str:
    points = data.metric_periods
    out = ['<section id="metrics"><h2>Metrics by period</h2>',
           '<p class="note">One line per province (whole-province figures). Half-years, years, quarters, '
           '"first N months", counts on a day and multi-year terms have charts of their own: periods of '
           'different lengths never share an axis. A gap in a line is a period no article reported '
           '(see "Articles per province and period"). A value that jumps or falls tenfold from its '
           'year-ago or previous value is implausible: it is drawn apart (a grey ×), not on its line, and '
           'marked in the table, until the articles are checked.</p>']
    if points.is_empty():
        out.append(NONE)
        out.append("</section>")
        return "".join(out)
    vocabulary = metric_vocabulary()
    figures = metric_figures(points)
    for metric in metric_order(points["metric"].to_list()):
        about = vocabulary.get(metric, {})
        out.append(f'<article class="metric" id="metric-{esc(metric)}"><h3>{esc(metric)}</h3>')
        if about:
            out.append(f'<p class="note">{esc(about.get("description"))} (unit: {esc(about.get("unit"))})</p>')
        mine = [fig for m, _, fig in figures if m == metric]
        # the columns are fixed before the charts are drawn: each chart sizes itself to its cell
        out.append('<div class="charts two">' if len(mine) > 1 else '<div class="charts">')
        out += [charts.html(fig) for fig in mine]
        out.append("</div>")
        out.append("<h4>Latest changes, largest first</h4>")
        out.append(changes_table(latest_changes(points, metric)))
        out.append("</article>")
    out.append("</section>")
    return "".join(out)


def changes_table(changes: pl.DataFrame) -> str:
    """Each province's latest period that has an earlier value to compare with, per chart group."""
    rows = []
    for r in changes.iter_rows(named=True):
        rows.append([
            esc(r["province"]), esc(r["chart_group"]),
            esc(r["period_label"]) + (' <span class="conflict" title="the articles disagree">≠</span>'
                                      if r["has_conflict"] else "")
            + (f' <span class="implausible" title="{IMPLAUSIBLE_TITLE}">implausible</span>' if r["implausible"] else "")
            + (CORRECTED if r["corrected"] else ""),
            fmt_num(r["value"]),
            esc(r["yoy_period_label"]) or "–", fmt_num(r["yoy_value"]),
            change_cell(r["yoy_change"], r["yoy_pct_change"], r["implausible"]),
            esc(r["prev_period_label"]) or "–", fmt_num(r["prev_value"]),
            change_cell(r["prev_change"], r["prev_pct_change"], r["implausible"]),
        ])
    return table(["province", "kind of period", "period", "value", "a year earlier", "value", "change",
                  "previous period", "value", "change"], rows,
                 ["text", "text", "text", "num", "text", "num", "num", "text", "num", "num"], "changes")


def change_cell(change, pct, implausible: bool = False) -> str:
    if change is None:
        return "–"
    if implausible:  # a tenfold jump or fall (metric_period_over_period.implausible): grey, not a move
        return f'<span class="implausible">{fmt_signed(change)}<br><small>{fmt_pct(pct)}</small></span>'

    cls = "up" if change > 0 else "down" if change < 0 else ""
    return f'<span class="{cls}">{fmt_signed(change)}<br><small>{fmt_pct(pct)}</small></span>'


def officials_section(data: ReportData, charts: Charts) -> str:
    off = data.officials
    out = ['<section id="officials"><h2>Officials by title over time</h2>',
           '<p class="note">Each line runs from the first to the last day an article saw the person with '
           'the title (the article\'s event day, else its publication day).</p>']
    if off.is_empty():
        out.append(NONE)
    else:
        made = officials_figure(off)
        if made is not None:
            fig, drawn = made
            if drawn < off.height:
                out.append(f'<p class="note">The chart shows the {drawn} most reported of {fmt_num(off.height)} '
                           'officials with a title; the table lists them all.</p>')
            out.append(charts.html(fig, height=max(320, 120 + 24 * drawn)))
        rows = [[esc(r["title"]), esc(r["province"]) or "–", esc(r["name"]) + (CORRECTED if r["corrected"] else ""),
                 fmt_cell(r["first_seen"]),
                 fmt_cell(r["last_seen"]), fmt_num(r["n_articles"])] for r in off.iter_rows(named=True)]
        out.append(table(["title", "province", "name", "first seen", "last seen", "articles"], rows,
                         ["text", "text", "text", "text", "text", "num"], "officials"))
    out.append("</section>")
    return "".join(out)


def quality_section(data: ReportData, charts: Charts) -> str:
    out = ['<section id="quality"><h2>Data quality</h2>']

    out.append('<h3 id="coverage">Articles per province and period</h3>')
    fig = coverage_figure(data.coverage)
    if fig is None:
        out.append(NONE)
    else:
        n_rows = data.coverage["province"].n_unique()
        out.append(charts.html(fig, height=max(300, 140 + 26 * n_rows)))
        rows = [[esc(r["province"]) or "(unknown)", esc(r["period_label"]) or "(unknown)"]
                + [fmt_num(r[c]) for c in ("n_articles", "n_on_topic", "n_metrics", "n_canonical_metrics",
                                           "n_people", "n_documents")]
                for r in data.coverage.iter_rows(named=True)]
        out.append(table(["province", "period", "articles", "on topic", "numeric facts", "canonical metrics",
                          "people", "documents cited"], rows, ["text", "text"] + ["num"] * 6,
                         "province and period rows"))

    out.append('<h3 id="facts-per-article">Facts per article</h3>')
    fig = facts_figure(data.facts_per_article)
    if fig is None:
        out.append(NONE)
    else:
        fa = data.facts_per_article
        without = fa.filter(pl.col("n_facts") == 0)["n_articles"].sum()
        out.append(f'<p class="note">{fmt_num(fa["n_articles"].sum())} articles; '
                   f'{fmt_num(without)} without any fact.</p>')
        out.append(charts.html(fig, height=340))

    out.append('<h3 id="quarantine">Quarantined inputs</h3>')
    if data.quarantine_reasons.is_empty():
        out.append(NONE)
    else:
        total = int(data.quarantine_reasons["n_inputs"].sum())
        out.append(table(["reason", "inputs"], [[esc(r), fmt_num(n)] for r, n in
                                                 data.quarantine_reasons.iter_rows()], ["text", "num"]))
        if total > data.quarantine.height:
            out.append(f'<p class="note">The latest {data.quarantine.height} of {fmt_num(total)} are listed.</p>')
        rows = [[f"<code>{esc(r['source_path'])}</code>", esc(r["reason"]), esc(r["detail"]),
                 fmt_cell(r["seen_at"]), f"<code>{esc(r['run_id'])}</code>"]
                for r in data.quarantine.iter_rows(named=True)]
        out.append(table(["input", "reason", "what to do", "first seen", "run"], rows,
                         ["text"] * 5, "quarantined inputs"))

    out.append('<h3 id="load-warnings">Loaded with warnings</h3>')
    out.append('<p class="note">Articles loaded although a few of their bytes were damaged (under 0.1 %: '
               'each shows as � in the text). Save them again as UTF-8 to read those letters.</p>')
    if data.load_warnings.is_empty():
        out.append(NONE)
    else:
        total = int(data.load_warnings["n_total"][0])
        if total > data.load_warnings.height:
            out.append(f'<p class="note">The latest {data.load_warnings.height} of {fmt_num(total)} are listed.</p>')
        rows = [[f"<code>{esc(r['source_path'])}</code>", esc(r["kind"]), esc(r["detail"]),
                 fmt_cell(r["seen_at"]), f"<code>{esc(r['run_id'])}</code>"]
                for r in data.load_warnings.iter_rows(named=True)]
        out.append(table(["input", "warning", "detail", "first seen", "run"], rows, ["text"] * 5, "load warnings"))
    out.append(corrections_part(data.corrections))

    out.append('<h3 id="runs">Last runs</h3>')
    if data.runs.is_empty():
        out.append(NONE)
    else:
        cols = ["run_id", "started_at", "finished_at", "status", "files_seen", "files_new", "files_changed",
                "files_unchanged", "files_quarantined", "articles_loaded", "metrics_loaded", "people_loaded",
                "documents_loaded", "seconds"]
        heads = ["run", "started", "finished", "status", "files seen", "new", "changed", "unchanged",
                 "quarantined", "articles", "metrics", "people", "documents", "seconds"]
        rows = []
        for r in data.runs.iter_rows(named=True):
            cells = [fmt_cell(r[c]) for c in cols]
            cells[0] = f"<code>{cells[0]}</code>"
            cells[3] = f'<span class="status-{esc(r["status"])}">{cells[3]}</span>'
            cells[-1] = "–" if r["seconds"] is None else f"{r['seconds']:.2f}"
            rows.append(cells)
        out.append(table(heads, rows, ["text"] * 4 + ["num"] * 10, "runs"))
    out.append("</section>")
    return "".join(out)


def corrections_part(corrections: pl.DataFrame) -> str:
    """The analysts' corrections: how many apply, and every orphaned one (its fact no longer
    exists), then the applied ones."""
    out = ['<h3 id="corrections">Corrections</h3>']
    if corrections.is_empty():
        out.append(NONE)
        return "".join(out)
    orphaned = corrections.filter(pl.col("status") == "orphaned")
    out.append(f'<p class="note">{fmt_num(corrections.height - orphaned.height)} applied, '
               f'{fmt_num(orphaned.height)} orphaned (their fact no longer exists: the article changed, or '
               'the rules now read it otherwise; edit or remove them). See docs/corrections.md.</p>')
    rows = [[f'<span class="status-{"failed" if r["status"] == "orphaned" else "success"}">{esc(r["status"])}</span>',
             f"<code>{esc(r['file'])}:{r['line']}</code>", esc(r["action"]), esc(r["fact"]),
             f"<code>{esc(r['doc_id'][:12])}…</code>", esc(r["names"]),
             esc(r["column_name"]) + (f" = {esc(r['new_value'])}" if r["action"] == "set" else ""),
             esc(r["why"]), esc(r["who"])] for r in corrections.iter_rows(named=True)]
    out.append(table(["status", "where", "action", "fact", "article", "fact named", "set", "why", "who"], rows,
                     ["text"] * 9, "corrections"))
    return "".join(out)


CSS = f"""
:root {{ color-scheme: light; }}
body {{ font-family: {FONT_STACK}; margin: 0 auto; max-width: 1320px; padding: 0 24px 48px;
       color: #1d2733; background: #fff; line-height: 1.45; }}
h1 {{ font-size: 1.6rem; margin: 24px 0 4px; }}
h2 {{ font-size: 1.3rem; border-bottom: 2px solid #d5dde6; padding-bottom: 4px; margin-top: 36px; }}
h3 {{ font-size: 1.1rem; margin: 24px 0 4px; }}
h4 {{ font-size: .95rem; margin: 12px 0 4px; }}
nav a {{ margin-right: 14px; }}
.meta, .note {{ color: #52606d; font-size: .9rem; margin: 4px 0 8px; }}
.none {{ color: #52606d; font-style: italic; }}
.tiles {{ display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }}
.tile {{ border: 1px solid #d5dde6; border-radius: 6px; padding: 8px 14px; min-width: 120px; }}
.tile b {{ display: block; font-size: 1.3rem; }}
.tile span {{ color: #52606d; font-size: .85rem; }}
.charts {{ display: grid; grid-template-columns: 1fr; gap: 12px; }}
.charts.two {{ grid-template-columns: 1fr 1fr; }}
@media (max-width: 1100px) {{ .charts.two {{ grid-template-columns: 1fr; }} }}
.chart {{ border: 1px solid #e4e9ef; border-radius: 6px; padding: 4px; min-width: 0; }}
.table-wrap {{ overflow-x: auto; }}
table {{ border-collapse: collapse; font-size: .88rem; margin: 6px 0 12px; }}
th, td {{ border-bottom: 1px solid #e4e9ef; padding: 4px 8px; vertical-align: top; }}
th {{ background: #f3f6f9; text-align: left; }}
td.num, th.num {{ text-align: right; white-space: nowrap; }}
small {{ color: #52606d; }}
.up {{ color: #1a7f37; }} .down {{ color: #c0392b; }}
.conflict {{ color: #b35900; font-weight: bold; cursor: help; }}
.implausible {{ color: #888; font-style: italic; cursor: help; }}
.corrected {{ color: #6a3fb5; font-weight: bold; cursor: help; }}
.province {{ font-weight: 600; }}
.status-success {{ color: #1a7f37; }} .status-failed {{ color: #c0392b; }}
details summary {{ cursor: pointer; color: #1f5fa8; margin: 6px 0; }}
code {{ font-size: .85em; }}
"""


def render_report(data: ReportData, source: str, written_at: dt.datetime) -> str:
    charts = Charts()
    body = [
        header_section(data, source, written_at),
        '<nav><a href="#scorecard">Scorecard</a><a href="#metrics">Metrics by period</a>'
        '<a href="#officials">Officials</a><a href="#coverage">Articles per province and period</a>'
        '<a href="#facts-per-article">Facts per article</a><a href="#quarantine">Quarantined inputs</a>'
        '<a href="#corrections">Corrections</a>'
        '<a href="#runs">Last runs</a></nav>',
        scorecard_section(data),
        metrics_section(data, charts),
        officials_section(data, charts),
        quality_section(data, charts),
    ]
    return ("<!DOCTYPE html>\n"
            '<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Party organization-building warehouse: report</title>"
            f"<style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n")
