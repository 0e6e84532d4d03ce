# Two commands on a fresh machine (Python, pip and make): `make run`, `make test`.
# uv is installed from the package registry when it is missing.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export UV_PYTHON_DOWNLOADS ?= never

.PHONY: help install run test test-slow test-all score score-dev clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

.venv/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 || \
		$(PYTHON) -m pip install --quiet --disable-pip-version-check uv || \
		$(PYTHON) -m pip install --quiet --disable-pip-version-check --user uv
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced  ## install uv (if missing) and the locked environment

run: install  ## run the ETL once on raw/ into warehouse/warehouse.duckdb
	$(UV) run --frozen python -m flows run

test: install  ## the test suite (fast tests and the end-to-end flow test)
	$(UV) run --frozen pytest -m "not slow" -q

test-slow: install  ## the slow tests: every file of ../shared/corpus, scale checks
	$(UV) run --frozen pytest -m slow -q

test-all: install  ## every test
	$(UV) run --frozen pytest -q

score: install  ## score a warehouse built from raw/ against the seed gold facts
	$(UV) run --frozen python -m flows run --no-prefect --warehouse /tmp/party-score/seeds.duckdb
	$(UV) run --frozen python ../shared/tools/score_extraction.py --warehouse /tmp/party-score/seeds.duckdb --gold ../shared/gold/seeds.json

score-dev: install  ## score on the 20 hand-checked articles of ../shared/corpus/genre
	$(UV) run --frozen python -m bench.score_dev

clean:  ## remove the environment and the local warehouse
	rm -rf .venv warehouse/*.duckdb warehouse/.*.duckdb*
