"""The samples score 1.0 on every figure of ../shared/tools/score_extraction.py."""
from __future__ import annotations

import importlib.util

import pytest

from flows.pipeline import run
from flows.settings import Settings

from .conftest import GOLD, RAW, SHARED, need


def load_scorer():
    path = need(SHARED / "tools" / "score_extraction.py")
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def seed_score(tmp_path_factory):
    wh = tmp_path_factory.mktemp("score") / "warehouse.duckdb"
    run(Settings.resolve(RAW, wh))
    return load_scorer().score(str(wh), str(need(GOLD / "seeds.json")))


def test_no_misses(seed_score):
    assert seed_score["misses"] == []


def test_every_field_is_right(seed_score):
    assert seed_score["fields"] == {f: 1.0 for f in seed_score["fields"]}


@pytest.mark.parametrize("figure", ["metrics_strict", "metrics_loose", "people", "titles", "documents"])
def test_f1_is_one(seed_score, figure):
    assert seed_score[figure]["f1"] == 1.0, seed_score[figure]


def test_quantities_recall_is_one(seed_score):
    assert seed_score["quantities_recall"] == 1.0
