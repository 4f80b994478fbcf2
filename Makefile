# Skranke: `make run` starts a demo (`make dev` one that reloads), `make test` checks everything.
# Every target reuses what an earlier run installed (stamp files).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# The Pythons Skranke runs on (requires-python in pyproject.toml), newest
# first. .venv is made with the newest that starts here (Debian 12 has 3.11,
# Ubuntu 24.04 3.12, Debian 13 3.13), or with PYTHON=…; once made it is kept:
# `make clean` to switch. An interpreter counts if it starts, not if its name
# is on PATH: pyenv puts a shim there for every version it has.
PYTHON_VERSIONS := 3.13 3.12 3.11
runs = $(shell $(1) -c '' >/dev/null 2>&1 && echo $(1))
PYTHON ?= $(firstword $(foreach version,$(PYTHON_VERSIONS),$(call runs,python$(version))) python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MANAGE := $(PY) manage.py
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/skranke

.DEFAULT_GOAL := help
.PHONY: help run dev setup test lint typecheck test-sqlite test-postgres test-moved-clock bench lock messages clean

help:
	@echo "make run    set up and start Skranke (gunicorn and the worker) on http://127.0.0.1:$(PORT)"
	@echo "make dev    the same with Django's development server, which reloads on code changes"
	@echo "make test   lint, type-check and run every test suite"
	@echo "make lock   re-resolve requirements/*.txt from pyproject.toml"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(PY)
	$(PY) -m pip install -qq -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(PY)
	$(PY) -m pip install -qq -r requirements/dev.txt
	touch $(VENV)/.base-installed $@

# Locust and what it needs (gevent, Flask, ZeroMQ): only for `make bench`.
$(VENV)/.bench-installed: requirements/bench.txt $(VENV)/.dev-installed
	$(PY) -m pip install -qq -r requirements/bench.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po
	@command -v msgfmt >/dev/null || scripts/install-debian-packages gettext
	msgfmt --check -o $@ $<

messages: $(MO_FILES)

staticfiles/.collected: node_modules/.installed $(shell find skranke -path '*/static/*' -type f)
	$(MANAGE) collectstatic --noinput --verbosity 0
	touch $@

setup: $(VENV)/.base-installed node_modules/.installed messages
	scripts/ensure-pdf-tools
	$(MAKE) --no-print-directory staticfiles/.collected
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_demo
	$(MANAGE) load_history

# gunicorn sized by WEB_PROCESSES and WEB_THREADS (docs/scaling.md).
run: setup
	$(MANAGE) runsystem --port $(PORT)

dev: setup
	$(MANAGE) runsystem --dev --port $(PORT)

# The apps' layers are a contract in .importlinter (docs/architecture.md).
lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(VENV)/.dev-installed
	$(VENV)/bin/mypy skranke

test-sqlite: $(VENV)/.dev-installed node_modules/.installed messages
	scripts/ensure-chromium
	scripts/ensure-pdf-tools --tests
	DATABASE_URL= $(VENV)/bin/pytest

# PostgreSQL runs when DATABASE_URL points at it or under CI, where it must
# never be skipped. The browser suite already ran against SQLite.
test-postgres: $(VENV)/.dev-installed messages
	@url="$${DATABASE_URL:-}"; \
	if [[ "$$url" == postgres* || "$${CI:-}" == "true" ]]; then \
	  url="$${url:-$(TEST_POSTGRES_URL)}"; \
	  [[ "$$url" == postgres* ]] || url="$(TEST_POSTGRES_URL)"; \
	  scripts/ensure-postgres; \
	  scripts/ensure-pdf-tools --tests; \
	  echo "PostgreSQL suite ($${url%%@*}@…)"; \
	  DATABASE_URL="$$url" $(VENV)/bin/pytest -m "not browser"; \
	else \
	  echo "PostgreSQL suite not run: set DATABASE_URL=postgres://… or CI=true"; \
	fi

# The suite (without the browser) on SQLite again as if the machine's clock
# showed two awkward moments: the Sunday the clocks go back, and New Year's
# Eve late. Under CI always; elsewhere `make test-moved-clock`.
MOVED_CLOCK_MOMENTS := 2027-10-31T10:00 2027-12-31T23:30

test-moved-clock: $(VENV)/.dev-installed messages
	@for moment in $(MOVED_CLOCK_MOMENTS); do \
	  echo "SQLite suite at $$moment (Copenhagen time)"; \
	  DATABASE_URL= $(VENV)/bin/pytest -m "not browser" -q -p no:cacheprovider --at=$$moment; \
	done

test: lint typecheck test-sqlite test-postgres
	@if [[ "$${CI:-}" == "true" ]]; then \
	  $(MAKE) --no-print-directory test-moved-clock; \
	else \
	  echo "Suites at other moments not run: make test-moved-clock (CI runs them)"; \
	fi

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/skranke_bench

# Benchmarks run on PostgreSQL, in a database of their own (see docs/benchmarks.md);
# the call-record import on SQLite as well. They race up to 64 threads in one
# process, each holding a connection: a pool that size, not an app process's.
# The release-morning load test (Locust) starts `make run`'s server itself, on
# SQLite and on a PostgreSQL database of its own, with `make run`'s pool.
bench: export DATABASE_POOL_MAX_SIZE = 80
bench: $(VENV)/.bench-installed messages
	scripts/ensure-postgres
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.booking
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.display
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.call_import
	mkdir -p var && DATABASE_URL="sqlite:///$(CURDIR)/var/bench.sqlite3" $(PY) -m bench.call_import
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.contact_kpis
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.statistics
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.planning
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.rota
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.access_log
	$(PY) -m bench.release_morning

# One lock for Python 3.11 to 3.13 (--universal); tests run exactly what
# production runs (dev is resolved within base), benchmarks within dev.
lock: $(VENV)/.dev-installed
	$(VENV)/bin/uv pip compile pyproject.toml -o requirements/base.txt --universal --python-version 3.11 --no-header -q
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -c requirements/base.txt -o requirements/dev.txt --universal --python-version 3.11 --no-header -q
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra bench -c requirements/dev.txt -o requirements/bench.txt --universal --python-version 3.11 --no-header -q

clean:
	rm -rf $(VENV) node_modules staticfiles .mypy_cache .ruff_cache .pytest_cache
