# Two commands on a fresh machine (Python 3.11+ with its venv module, and make): `make run`, `make test`.
# uv: the one on PATH, else a private copy in .tools/ (a virtual environment of $(PYTHON) that
# holds only uv, installed from the package registry), so a distribution's "externally managed"
# Python (Debian, Ubuntu: PEP 668) is never installed into.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export UV_PYTHON_DOWNLOADS ?= never

.PHONY: help install run report server server-stop serve test test-slow test-all score score-dev gold-misses mutation bench bench-generated bench-news clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(TOOLS)/bin/uv:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "error: $(PYTHON) is missing or older than 3.11: install Python 3.11+ or run make PYTHON=/path/to/python3.11"; exit 2; }
	@$(PYTHON) -m venv $(TOOLS) 2>/dev/null || { rm -rf $(TOOLS); echo "error: $(PYTHON) cannot make a virtual \
	environment for uv: install its venv module (Debian, Ubuntu: apt-get install python3-venv) or uv itself"; exit 2; }
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode
	$(UV) run --frozen python -m compileall -q flows bench tests > /dev/null
	$(UV) run --frozen python -c "import flows.extract.facts"  # compiles the rules' Hyperscan databases once (flows/text/multiscan.py)
	$(UV) run --frozen python -m flows setup
	@touch $@

install: .venv/.synced  ## install uv (if missing: a private copy in .tools/) and the locked environment

run: install  ## run the ETL once on raw/ into warehouse/warehouse.duckdb
	$(UV) run --frozen python -m flows run

report: install  ## write the HTML report of the warehouse to warehouse/report.html
	$(UV) run --frozen python -m flows report

PREFECT_PORT ?= 4200
SERVER_LOG := .prefect-server.log
SERVER_PID := .prefect-server.pid
server: install  ## start a local Prefect server in the background (SQLite, 127.0.0.1:$(PREFECT_PORT), with its UI)
	@if [ -f $(SERVER_PID) ] && kill -0 $$(cat $(SERVER_PID)) 2>/dev/null; then \
		echo "a server started by make is already running (pid $$(cat $(SERVER_PID)))"; else \
		setsid nohup $(UV) run --frozen prefect server start --host 127.0.0.1 --port $(PREFECT_PORT) \
			--analytics-off > $(SERVER_LOG) 2>&1 < /dev/null & echo $$! > $(SERVER_PID); fi
	PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api $(UV) run --frozen prefect server status --wait --timeout 120
	@echo "Prefect UI and API: http://127.0.0.1:$(PREFECT_PORT)  (log: $(SERVER_LOG); stop it: make server-stop)"

server-stop:  ## stop the local Prefect server that `make server` started
	@if [ -f $(SERVER_PID) ]; then kill -- -$$(cat $(SERVER_PID)) 2>/dev/null || kill $$(cat $(SERVER_PID)) 2>/dev/null || true; \
		rm -f $(SERVER_PID); echo "stopped"; else echo "no server started by make is running"; fi

serve: install  ## serve the flow as a deployment on its schedule (needs `make server`); Ctrl-C stops
	$(UV) run --frozen python -m flows serve

test: install  ## the test suite (fast tests and the end-to-end flow test)
	$(UV) run --frozen pytest -m "not slow" -q

test-slow: install  ## the slow tests: every file of ../shared/corpus, scale checks
	$(UV) run --frozen pytest -m slow -q

test-all: install  ## every test
	$(UV) run --frozen pytest -q

score: install  ## score a warehouse built from raw/ against the seed gold facts
	$(UV) run --frozen python -m flows run --no-prefect --warehouse /tmp/party-score/seeds.duckdb
	$(UV) run --frozen python ../shared/tools/score_extraction.py --warehouse /tmp/party-score/seeds.duckdb --gold ../shared/gold/seeds.json

score-dev: install  ## score on the 60 hand-checked corpus articles (../shared/gold/corpus_dev.json, tests/gold/*.json), set by set and together
	$(UV) run --frozen python -m bench.score_dev

gold-misses: install  ## rewrite tests/fixtures/gold_known_misses.txt: the gold facts the extractor misses today (read its diff)
	$(UV) run --frozen python -m bench.gold_facts --write

mutation: install  ## the mutation check: listed bugs put into copies of the project, each run against its tests (docs/testing.md)
	$(UV) run --frozen python -m bench.mutation

BENCH_N ?= 20000
BENCH_WORKERS ?= 2
NEWS ?= ../shared/corpus/news
NEWS_WORKERS ?= 1,2
bench: bench-generated bench-news  ## both benchmarks below, each printing its table

bench-generated: install  ## speed and memory on BENCH_N generated articles (default 20000; README figures: BENCH_N=100000), BENCH_WORKERS extraction processes
	$(UV) run --frozen python -m bench.benchmark --n $(BENCH_N) --workers $(BENCH_WORKERS) --json /tmp/bench-$(BENCH_N)-s1/report.json

bench-news: install  ## speed and memory on the real news (NEWS, default ../shared/corpus/news: two JSONL feeds, 19,981 articles), in one process and with --workers 2
	$(UV) run --frozen python -m bench.benchmark --files $(NEWS) --workers $(NEWS_WORKERS) --naive-sample 0 --json /tmp/bench-files-news/report.json

clean:  ## remove the environment and the local warehouse
	rm -rf .venv $(TOOLS) warehouse/*.duckdb warehouse/.*.duckdb*
