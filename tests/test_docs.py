"""The README is a front door (issue 14, item 6): at most 150 lines, with the two commands, a
first query, the report's picture and links to docs/; every link leads somewhere, and every test
the README and docs/ name as a claim's proof exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import PROJECT

README = PROJECT / "README.md"
DOCS = PROJECT / "docs"
PAGES = ("running.md", "scheduling.md", "analysts-and-bi.md", "guarantees.md", "performance.md",
         "extraction-and-quality.md", "development.md")
DOCUMENTS = [README] + [DOCS / p for p in PAGES]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {slug(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}


def test_the_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    for must in ("make run", "make test", "## A first query", "read_only=True", "![", "docs/report.png"):
        assert must in text, must
    for page in PAGES:
        assert f"(docs/{page})" in text, page


def test_the_extraction_page_keeps_the_quality_figures():
    text = (DOCS / "extraction-and-quality.md").read_text(encoding="utf-8")
    figures = text[text.index("## Quality figures"):]
    assert "| dev (`gold/corpus_dev.json`, 20) |" in figures and "| samples (`gold/seeds.json`, 5) |" in figures


@pytest.mark.parametrize("page", DOCUMENTS, ids=lambda p: p.name)
def test_every_link_leads_somewhere(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+://", target):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if "shared/" in path and not dest.exists():
            continue  # ../shared sits beside the project (tests skip what is not there)
        assert dest.exists(), f"{page.name}: {target}"
        if anchor:
            assert anchor in anchors(dest), f"{page.name}: {target}"


def _test_names() -> dict[str, set[str]]:
    """tests/... file -> the test functions it defines."""
    return {str(p.relative_to(PROJECT)): set(re.findall(r"^def (test_\w+)", p.read_text(encoding="utf-8"), re.M))
            for p in (PROJECT / "tests").rglob("*.py")}


@pytest.mark.parametrize("page", DOCUMENTS, ids=lambda p: p.name)
def test_every_test_named_as_proof_exists(page):
    """`tests/x.py::test_a`, then `::test_b` (in the same file, the last one named) and plain
    `tests/...` paths: each must exist."""
    names, current, checked = _test_names(), None, 0
    text = page.read_text(encoding="utf-8")
    for m in re.finditer(r"(tests/[\w/.\-]+)(::(\w+))?|(?<![\w/])::(\w+)", text):
        if m.group(1):
            path = m.group(1).rstrip(".")
            assert (PROJECT / path).exists(), f"{page.name}: {path}"
            if path.endswith(".py"):
                current = path
            if m.group(3):
                assert m.group(3) in names[current], f"{page.name}: {path}::{m.group(3)}"
        else:
            assert current is not None, f"{page.name}: ::{m.group(4)} follows no test file"
            assert m.group(4) in names[current], f"{page.name}: {current}::{m.group(4)}"
        checked += 1
    if page.name in ("README.md", "guarantees.md", "running.md", "analysts-and-bi.md"):
        assert checked >= 3, f"{page.name} names no test"
