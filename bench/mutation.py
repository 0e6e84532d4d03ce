"""The mutation check of the test suite: deliberate bugs, each put into a copy of the project and run
against the tests of what it breaks. A mutant the tests fail on is killed; one they pass survives,
and shows a gap in the suite. Score and results: docs/testing.md.

    uv run --frozen python -m bench.mutation [--only ID_PREFIX ...] [--json FILE]   # or: make mutation

The bugs are listed below (MUTANTS), one exact text replacement each, over flows/text/periods.py,
flows/text/numbers.py, sql/checks and sql/macros, the publish and the run lock
(flows/warehouse.py, flows/pipeline.py); among them the ones issue 17 found surviving. mutmut
was not used: it mutates Python only (not the SQL checks), and its mutants of data-driven regex
code are mostly equivalent. The copy is made once, outside the project (../shared beside it is a
link to the real one); each mutant is applied, its tests run with `pytest -x -m "not slow"`, and
the file restored. Before any mutant, each test set must pass on the unchanged copy.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"

PERIODS = ("tests/test_periods.py", "tests/test_period_properties.py")
NUMBERS = ("tests/test_numbers.py",)
CHECKS = ("tests/test_checks.py",)
SCOPE = ("tests/test_checks.py", "tests/test_incremental_checks.py")
PUBLISH = ("tests/test_concurrency.py", "tests/test_crash.py")
LOCK = ("tests/test_concurrency.py", "tests/test_crash.py")


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


def m(id: str, file: str, old: str, new: str, tests: tuple[str, ...]) -> Mutant:
    return Mutant(id, file, old, new, tests)


P, N = "flows/text/periods.py", "flows/text/numbers.py"
C, MACRO = "sql/checks/", "sql/macros/010_period_label_fits.sql"
W, PL = "flows/warehouse.py", "flows/pipeline.py"

MUTANTS = [
    # --- flows/text/periods.py ------------------------------------------------------------------
    m("periods-range-equal-years", P, "if not y1 < y2 <= y1 + 30:", "if not y1 <= y2 <= y1 + 30:", PERIODS),
    m("periods-range-31-years", P, "if not y1 < y2 <= y1 + 30:", "if not y1 < y2 <= y1 + 31:", PERIODS),
    m("periods-12-months-not-year", P, '    if n == 12:\n        return "Y", None\n', "", PERIODS),
    m("periods-3-months-not-q1", P, '    if n == 3:\n        return "Q1", None\n', "", PERIODS),
    m("periods-6-months-not-h1", P, '    if n == 6:\n        return "H1", None\n', "", PERIODS),
    m("periods-13-months", P, "if not 1 <= n <= 12:", "if not 1 <= n <= 13:", PERIODS),
    m("periods-day-month-swapped", P, 'day = date(y, int(g["m"]), int(g["d"]))',
      'day = date(y, int(g["d"]), int(g["m"]))', PERIODS),
    m("periods-year-end-30-dec", P, "                day = date(y, 12, 31)", "                day = date(y, 12, 30)",
      PERIODS),
    m("periods-h1-ends-29-jun", P, 'date(year, 1, 1), date(year, 6, 30))', 'date(year, 1, 1), date(year, 6, 29))',
      PERIODS),
    m("periods-h2-starts-jun", P, 'date(year, 7, 1), date(year, 12, 31))', 'date(year, 6, 1), date(year, 12, 31))',
      PERIODS),
    m("periods-quarter-two-months", P, "date(year, m0 + 2, calendar.monthrange(year, m0 + 2)[1])",
      "date(year, m0 + 1, calendar.monthrange(year, m0 + 1)[1])", PERIODS),
    m("periods-nm-ends-28th", P, "date(year, n, calendar.monthrange(year, n)[1])", "date(year, n, 28)", PERIODS),
    m("periods-range-starts-last-year", P, "date(mention.year, 1, 1), date(mention.year_end, 12, 31))",
      "date(mention.year_end, 1, 1), date(mention.year_end, 12, 31))", PERIODS),
    m("periods-default-year-wins", P, "    y = mention.year or default_year\n    if y is None:",
      "    y = default_year or mention.year\n    if y is None:", PERIODS),
    m("periods-total-at-1-dec", P, "return _asof(date(y, 12, 31)) if y else None",
      "return _asof(date(y, 12, 1)) if y else None", PERIODS),
    m("periods-plan-not-skipped", P, "            if _PLAN.search(text, r.end(), p.start):\n                break",
      "            if _PLAN.search(text, r.end(), p.start):\n                pass", PERIODS),
    m("periods-no-year-nearby", P, "        if q.year and q.kind in _REVIEWABLE:\n            return q.year",
      "        if q.year and q.kind in _REVIEWABLE:\n            return None", PERIODS),
    # --- flows/text/numbers.py ------------------------------------------------------------------
    m("numbers-comma-not-decimal", N, 'return float(s.replace(".", "").replace(",", "."))',
      'return float(s.replace(".", "").replace(",", ""))', NUMBERS),
    m("numbers-english-decimal-3-digits", N, r'_EN_DECIMAL = re.compile(r"\d+\.\d{1,2}")',
      r'_EN_DECIMAL = re.compile(r"\d+\.\d{1,3}")', NUMBERS),
    m("numbers-roman-no-subtraction", N, "total = total - v if v < prev else total + v", "total = total + v",
      NUMBERS + PERIODS),
    m("numbers-tens-times-100", N, "group = group - last + last * 10\n            last = 0\n        elif role == \"hundred\"",
      "group = group - last + last * 100\n            last = 0\n        elif role == \"hundred\"", NUMBERS),
    m("numbers-hundreds-times-10", N, "group = group - last + last * 100", "group = group - last + last * 10",
      NUMBERS),
    m("numbers-half-is-quarter", N, "group = 0.5", "group = 0.25", NUMBERS),
    m("numbers-two-digits-in-a-row", N, 'return None  # "hai năm" is two years', 'pass', NUMBERS),
    m("numbers-multiplier-replaces-total", N, "total += (group or 1) * _MULT[low]", "total = (group or 1) * _MULT[low]",
      NUMBERS),
    m("numbers-no-qualifier", N, "    return _QUALS.get(m.group(\"q\").casefold())", "    return None", NUMBERS),
    m("numbers-restate-test-negated", N, "if abs(100.0 * prev.value / prev.denominator - p.value) < 0.51:",
      "if abs(100.0 * prev.value / prev.denominator - p.value) > 0.51:", NUMBERS),
    m("numbers-plan-of-the-count", N, "out[i - 1] = replace(prev, pct_of_plan=p.value)",
      "out[i - 1] = replace(prev, pct_of_plan=prev.value)", NUMBERS),
    m("numbers-groups-of-four", N, "    while len(intpart) > 3:", "    while len(intpart) > 4:", NUMBERS),
    m("numbers-no-minus", N, 'return ("-" if neg else "") + out', "return out", NUMBERS),
    m("numbers-no-multiplier", N, "            if mm and g == \"num\":\n                value *=",
      "            if False:\n                value *=", NUMBERS),
    m("numbers-one-year-makes-a-pair", N, "if is_year(raw_a) and is_year(raw_b):", "if is_year(raw_a) or is_year(raw_b):",
      NUMBERS),
    # --- sql/checks and the period macro --------------------------------------------------------
    m("check-023-no-negative-start", C + "023_char_span_valid.sql", "where s.char_start < 0\n   or ", "where ",
      CHECKS),
    m("check-023-no-start-after-end", C + "023_char_span_valid.sql", "   or s.char_start > s.char_end\n", "", CHECKS),
    m("check-023-end-at-length-refused", C + "023_char_span_valid.sql", "s.char_end > b.body_length",
      "s.char_end >= b.body_length", CHECKS),
    m("check-022-no-pairing-rule", C + "022_period_label_consistent.sql",
      "            when table_name = 'metrics' and (period_kind is null) <> (period_label is null)\n"
      "                then 'period_kind and period_label must be both set or both NULL'\n", "", CHECKS),
    m("check-022-nm-ends-28th", C + "022_period_label_consistent.sql",
      "then last_day(make_date(y, cast(regexp_extract(period_label, '-(\\d{1,2})M$', 1) as integer), 1))",
      "then make_date(y, cast(regexp_extract(period_label, '-(\\d{1,2})M$', 1) as integer), 28)", CHECKS),
    m("check-022-no-date-check", C + "022_period_label_consistent.sql",
      "            when period_start is distinct from expected_start\n", "            when false and period_start is distinct from expected_start\n", CHECKS),
    m("macro-range-equal-years", MACRO, "cast(substr(label, 1, 4) as integer) < cast(substr(label, 6, 4) as integer)",
      "cast(substr(label, 1, 4) as integer) <= cast(substr(label, 6, 4) as integer)", CHECKS + ("tests/test_period_properties.py",)),
    m("macro-nm-0-months", MACRO, "between 1 and 12", "between 0 and 12", CHECKS),
    m("macro-asof-any-digits", MACRO, " and try_cast(label as date) is not null", "", CHECKS),
    m("check-017-no-lower-bound", C + "017_metrics_pct_of_plan_range.sql", "(pct_of_plan < 0 or pct_of_plan > 1000)",
      "(pct_of_plan > 1000)", CHECKS),
    m("check-017-bound-10000", C + "017_metrics_pct_of_plan_range.sql", "pct_of_plan > 1000)", "pct_of_plan > 10000)",
      CHECKS),
    m("check-018-growth-to-minus-1000", C + "018_metrics_percent_range.sql",
      "where value < case when is_growth or is_quantity then -100 else 0 end",
      "where value < case when is_growth or is_quantity then -1000 else 0 end", CHECKS),
    m("check-018-no-share-ceiling", C + "018_metrics_percent_range.sql", "or (value > 100 and not is_quantity)",
      "or (value > 100 and is_growth)", CHECKS),
    m("check-019-denominator-zero-ok", C + "019_metrics_count_range.sql", "(denominator <= 0 or", "(denominator < 0 or",
      CHECKS),
    m("check-019-negative-over-denominator-ok", C + "019_metrics_count_range.sql",
      "(denominator <= 0 or value < 0 or value > denominator)", "(denominator <= 0 or value > denominator)", CHECKS),
    m("check-020-two-days-tolerance", C + "020_dates_not_in_future.sql", "where day > current_date + 1",
      "where day > current_date + 2", CHECKS),
    m("check-020-no-issued-on", C + "020_dates_not_in_future.sql", "'issued_on', issued_on from checked_documents_cited",
      "'issued_on', null::date from checked_documents_cited", CHECKS),
    m("check-021-equal-days-refused", C + "021_period_start_before_end.sql", "where period_start > period_end",
      "where period_start >= period_end", CHECKS),
    m("check-004-on-topic-null-ok", C + "004_articles_not_null.sql", "   or on_topic is null\n", "", CHECKS),
    m("check-005-char-end-null-ok", C + "005_metrics_not_null.sql", "   or char_end is null\n", "", CHECKS),
    m("check-009-articles-only", C + "009_period_kind_accepted.sql",
      "where period_kind is not null\n", "where period_kind is not null and table_name = 'articles'\n", CHECKS),
    m("check-024-any-province-ok", C + "024_metrics_national_scope_without_province.sql", "  and province is not null",
      "  and province = 'x'", CHECKS),
    m("check-008-no-dai-hoi", C + "008_articles_meeting_kind_accepted.sql", "'giao_ban', 'dai_hoi', 'hoi_nghi'",
      "'giao_ban', 'hoi_nghi'", CHECKS),
    m("check-013-no-huong-dan", C + "013_documents_cited_kind_accepted.sql", "'de_an', 'huong_dan')", "'de_an')",
      CHECKS),
    # --- what the checks of a run read (sql/check_scope, the changed articles) -------------------
    m("scope-replaced-docs-not-recorded", "sql/load/090_changed_docs.sql", "\nUNION SELECT doc_id FROM replaced_docs;",
      ";", SCOPE),
    m("scope-pruned-docs-not-recorded", "sql/runs/prune.sql", "INSERT INTO changed_docs SELECT doc_id FROM pruned_docs;\n",
      "", SCOPE),
    m("scope-null-doc-id-not-read", "sql/check_scope/changed.sql",
      "SELECT * FROM metrics WHERE doc_id IN (SELECT doc_id FROM checked_docs) OR doc_id IS NULL;",
      "SELECT * FROM metrics WHERE doc_id IN (SELECT doc_id FROM checked_docs);", SCOPE),
    m("scope-skipped-with-changes", "flows/checks.py", "    if not n:\n", "    if n < 10:\n", SCOPE),
    m("scope-version-without-vocabulary", "flows/checks.py", " + [(\"vocabulary\", vocabulary_path)]", "", SCOPE),
    m("scope-old-version-trusted", "flows/checks.py", "    if last[0][0] != version:\n", "    if False:\n", SCOPE),
    # --- the publish ----------------------------------------------------------------------------
    m("publish-in-place", W, "        _copy_durable(paths.working, paths.publishing)\n        _keep_previous(paths)\n"
      "        os.replace(paths.publishing, paths.published)",
      "        _keep_previous(paths)\n        _copy_durable(paths.working, paths.published)", PUBLISH),
    # Not listed: dropping the publish's `checkpoint` before `con.close()` is an equivalent mutant
    # (DuckDB checkpoints the database when its last connection closes): it survived the run of
    # 3 December 2026, and no test can tell it apart.
    m("publish-temp-left-on-failure", W, "    except BaseException:\n        paths.publishing.unlink(missing_ok=True)\n",
      "    except BaseException:\n", PUBLISH),
    m("publish-no-previous", W, "        _keep_previous(paths)\n        os.replace(", "        os.replace(", PUBLISH),
    m("publish-not-marked-clean", W, "    _fsync_dir(paths.published.parent)\n    mark_clean(paths)",
      "    _fsync_dir(paths.published.parent)", PUBLISH),
    # --- the run lock ---------------------------------------------------------------------------
    m("lock-ignores-wait", W, "    deadline = time.monotonic() + timeout", "    deadline = time.monotonic()", LOCK),
    m("lock-wait-not-passed", PL, "with run_lock(paths, settings.lock_timeout,", "with run_lock(paths, 0,", LOCK),
    m("lock-never-taken", W, "                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n", "", LOCK),
    m("lock-note-not-written", W, '        os.pwrite(fd, f"{os.getpid()} {note}".strip().encode(), 0)\n', "", LOCK),
    m("lock-note-kept-on-release", W, "                os.ftruncate(fd, 0)  # a clean release", "                pass  # a clean release",
      LOCK),
]


def copy_project(dst: Path) -> Path:
    """The project's files (no .venv, .git, warehouse data) in dst/<name>, ../shared linked beside it."""
    project = dst / PROJECT.name
    shutil.copytree(PROJECT, project, symlinks=True, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", ".pytest_cache", ".hypothesis", "*.duckdb", "*.duckdb.*", ".prefect*"))
    if SHARED.exists():
        (dst / "shared").symlink_to(SHARED)
    return project


def pytest(project: Path, tests: tuple[str, ...], timeout: float) -> tuple[int, float]:
    t0 = time.monotonic()
    try:
        p = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-m", "not slow", "-p", "no:cacheprovider",
                            *tests], cwd=project, capture_output=True, text=True, timeout=timeout,
                           env=os.environ | {"PYTHONDONTWRITEBYTECODE": "1"})
        code = p.returncode
    except subprocess.TimeoutExpired:
        code = -1  # a mutant that hangs the tests is killed by the timeout
    return code, time.monotonic() - t0


def apply(project: Path, mutant: Mutant) -> str:
    path = project / mutant.file
    text = path.read_text(encoding="utf-8")
    if text.count(mutant.old) != 1:
        raise SystemExit(f"{mutant.id}: the text to replace is in {mutant.file} {text.count(mutant.old)} times, "
                         "not once (the code changed: update the mutant)")
    path.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=[], help="mutant ids starting with these")
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--timeout", type=float, default=600)
    args = ap.parse_args(argv)
    chosen = [x for x in MUTANTS if not args.only or x.id.startswith(tuple(args.only))]
    results = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        project = copy_project(Path(tmp))
        for tests in sorted({x.tests for x in chosen}):
            code, seconds = pytest(project, tests, args.timeout)
            if code != 0:
                raise SystemExit(f"the unchanged project fails {' '.join(tests)} (code {code}): fix that first")
            print(f"baseline {' '.join(tests)}: passes ({seconds:.0f} s)", flush=True)
        for mutant in chosen:
            original = apply(project, mutant)
            try:
                code, seconds = pytest(project, mutant.tests, args.timeout)
            finally:
                (project / mutant.file).write_text(original, encoding="utf-8")
            status = "survived" if code == 0 else "killed"
            results.append({"id": mutant.id, "file": mutant.file, "status": status, "seconds": round(seconds, 1)})
            print(f"{status:8} {mutant.id} ({mutant.file}, {seconds:.0f} s)", flush=True)
    killed = sum(r["status"] == "killed" for r in results)
    print(f"score: {killed}/{len(results)} mutants killed"
          + "".join(f"\nsurvived: {r['id']}" for r in results if r["status"] == "survived"))
    if args.json:
        Path(args.json).write_text(json.dumps({"killed": killed, "total": len(results), "results": results},
                                              indent=1), encoding="utf-8")
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
