# Skranke: `make run` starts a demo (`make dev` one that reloads), `make test` checks everything.
# Every target reuses what an earlier run installed (stamp files).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# The Pythons Skranke runs on (requires-python in pyproject.toml), newest first.
PYTHON_VERSIONS := 3.13 3.12 3.11
NEWEST_PYTHON := $(firstword $(PYTHON_VERSIONS))
OLDEST_PYTHON := $(lastword $(PYTHON_VERSIONS))
# An interpreter counts if it starts, not if its name is on PATH: pyenv puts
# a shim there for every version it has, which fails unless it is selected.
runs = $(shell $(1) -c '' >/dev/null 2>&1 && echo $(1))
python_version = $(shell $(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
# .venv is made with the newest of them found here (Debian 12 has 3.11,
# Ubuntu 24.04 3.12, Debian 13 3.13), or with PYTHON=python3.12 …; then it
# is kept as it was made, whatever PATH offers later: `make clean` to switch.
# (python3 as a last resort: make-venv says if it is not a supported one.)
PYTHON ?= $(firstword $(foreach version,$(PYTHON_VERSIONS),$(call runs,python$(version))) python3)
VENV := .venv
PY := $(VENV)/bin/python
# CI tests the oldest Python too, in a venv of its own (test-oldest-python).
OLDEST_VENV := .venv-$(OLDEST_PYTHON)
PORT ?= 8000
MANAGE := $(PY) manage.py
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/skranke

.DEFAULT_GOAL := help
.PHONY: help run dev setup screenshots test lint typecheck test-sqlite test-postgres test-moved-clock \
	test-oldest-python ci-python bench lock messages clean

help:
	@echo "make run    set up and start Skranke (gunicorn and the worker) on http://127.0.0.1:$(PORT)"
	@echo "make dev    the same with Django's development server, which reloads on code changes"
	@echo "make test   lint, type-check and run every test suite"
	@echo "make lock   re-resolve requirements/*.txt from pyproject.toml"

# Asked for by name, another Python than .venv's is not used silently.
ifneq ($(filter environment command line,$(origin PYTHON)),)
ifneq ($(wildcard $(PY)),)
ifneq ($(call python_version,$(PY)),$(call python_version,$(PYTHON)))
$(warning $(VENV) has Python $(call python_version,$(PY)) and is kept; to make it with $(PYTHON): make clean first)
endif
endif
endif

# $(call make-venv,INTERPRETER,FOLDER,NAMES TRIED): a venv with a current pip,
# on a supported Python. Debian and Ubuntu leave venv's pip out of their
# Pythons (python3.X-venv), so it is installed when missing. A venv that
# could not be finished is removed, or the next run would take it as made.
define make-venv
@[[ -n "$(1)" ]] || { echo "$(2): none of $(3) starts here (Skranke runs on Python $(PYTHON_VERSIONS))" >&2; exit 1; }
@$(1) -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] not in "$(PYTHON_VERSIONS)".split())' || { echo "$(1) is not Python $(PYTHON_VERSIONS)" >&2; exit 1; }
@$(1) -c 'import ensurepip' 2>/dev/null || scripts/install-debian-packages "python$(call python_version,$(1))-venv"
$(1) -m venv $(2) && $(2)/bin/python -m pip install --quiet --upgrade pip || { rm -rf $(2); exit 1; }
endef

$(PY):
	$(call make-venv,$(PYTHON),$(VENV),$(addprefix python,$(PYTHON_VERSIONS)))

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

# Most tests run on every core (pytest-xdist, a test database per process);
# those tests/conftest.py marks serial (the browser, the servers it starts,
# threads racing, anything timed) then run alone, as on a quiet machine.
TEST_WORKERS ?= $(shell nproc)

test-sqlite: $(VENV)/.dev-installed node_modules/.installed messages
	scripts/ensure-chromium
	scripts/ensure-pdf-tools --tests
	scripts/ensure-mail-servers
	DATABASE_URL= $(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not serial"
	DATABASE_URL= $(VENV)/bin/pytest -m serial

# PostgreSQL runs when DATABASE_URL points at it or under CI, where it must
# never be skipped. The browser suite already ran against SQLite, and so did
# the computations on synthetic data (marker computation), which touch no
# database.
test-postgres: $(VENV)/.dev-installed messages
	@url="$${DATABASE_URL:-}"; \
	if [[ "$$url" == postgres* || "$${CI:-}" == "true" ]]; then \
	  url="$${url:-$(TEST_POSTGRES_URL)}"; \
	  [[ "$$url" == postgres* ]] || url="$(TEST_POSTGRES_URL)"; \
	  scripts/ensure-postgres; \
	  scripts/ensure-pdf-tools --tests; \
	  scripts/ensure-mail-servers; \
	  echo "PostgreSQL suite ($${url%%@*}@…)"; \
	  DATABASE_URL="$$url" $(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not browser and not serial and not computation"; \
	  DATABASE_URL="$$url" $(VENV)/bin/pytest -m "serial and not browser and not computation"; \
	else \
	  echo "PostgreSQL suite not run: set DATABASE_URL=postgres://… or CI=true"; \
	fi

# The suite (without the browser) on SQLite again as if the machine's clock
# showed two awkward moments: the Sunday the clocks go back, and New Year's
# Eve late. Under CI always; elsewhere `make test-moved-clock`. Left out:
# the tests that start Skranke in processes of their own, which run on a
# training clock of their own (marker own_processes; tests/conftest.py), and
# the computations on synthetic data, which read no clock (marker computation).
MOVED_CLOCK_MOMENTS := 2027-10-31T10:00 2027-12-31T23:30

test-moved-clock: $(VENV)/.dev-installed messages
	@for moment in $(MOVED_CLOCK_MOMENTS); do \
	  echo "SQLite suite at $$moment (Copenhagen time)"; \
	  DATABASE_URL= $(VENV)/bin/pytest -n $(TEST_WORKERS) -m "not browser and not serial and not computation" -q -p no:cacheprovider --at=$$moment; \
	  DATABASE_URL= $(VENV)/bin/pytest -m "serial and not browser and not own_processes and not computation" -q -p no:cacheprovider --at=$$moment; \
	done

# .venv has the newest Python found; the oldest gets the suite (without the
# browser, on SQLite) in a venv of its own, from the same lock file. Under CI
# always; elsewhere `make test-oldest-python`.
$(OLDEST_VENV)/bin/python:
	$(call make-venv,$(call runs,python$(OLDEST_PYTHON)),$(OLDEST_VENV),python$(OLDEST_PYTHON))

$(OLDEST_VENV)/.dev-installed: requirements/dev.txt | $(OLDEST_VENV)/bin/python
	$(OLDEST_VENV)/bin/python -m pip install -qq -r requirements/dev.txt
	touch $@

test-oldest-python: $(OLDEST_VENV)/.dev-installed messages
	scripts/ensure-pdf-tools --tests
	scripts/ensure-mail-servers
	@echo "SQLite suite on Python $(OLDEST_PYTHON) ($(OLDEST_VENV))"
	DATABASE_URL= $(OLDEST_VENV)/bin/pytest -n $(TEST_WORKERS) -m "not browser and not serial" -q -p no:cacheprovider
	DATABASE_URL= $(OLDEST_VENV)/bin/pytest -m "serial and not browser" -q -p no:cacheprovider

# Under CI both ends of PYTHON_VERSIONS are tested: .venv must have the newest.
ci-python: $(PY)
	@version=$$($(PY) -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
	if [[ "$${CI:-}" == "true" && "$$version" != "$(NEWEST_PYTHON)" ]]; then \
	  echo "CI tests Python $(NEWEST_PYTHON) in $(VENV) and $(OLDEST_PYTHON) in $(OLDEST_VENV), but $(VENV) has $$version: make clean, with python$(NEWEST_PYTHON) on PATH" >&2; \
	  exit 1; \
	fi

test: ci-python lint typecheck test-sqlite test-postgres
	@if [[ "$${CI:-}" == "true" ]]; then \
	  $(MAKE) --no-print-directory test-moved-clock test-oldest-python; \
	else \
	  echo "Suites at other moments and on Python $(OLDEST_PYTHON) not run: make test-moved-clock test-oldest-python (CI runs them)"; \
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
	$(PY) -m bench.known_truth_erlang
	$(PY) -m bench.known_truth_forecast
	$(PY) -m bench.known_truth_minutes
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.rota
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(PY) -m bench.access_log
	$(PY) -m bench.release_morning

# One lock for every Python in PYTHON_VERSIONS (--universal, from the oldest
# up; a marker says where a pin differs). A pin stays as it is unless
# pyproject.toml asks for another (or --upgrade-package). dev.txt keeps
# base.txt's versions and bench.txt dev.txt's (-c), so production runs
# exactly what CI tested.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version $(OLDEST_PYTHON) --no-header -q

lock: $(VENV)/.dev-installed
	$(LOCK) -o requirements/base.txt
	$(LOCK) --extra dev -c requirements/base.txt -o requirements/dev.txt
	$(LOCK) --extra dev --extra bench -c requirements/dev.txt -o requirements/bench.txt

clean:
	rm -rf $(VENV) $(OLDEST_VENV) node_modules staticfiles .mypy_cache .ruff_cache .pytest_cache

# The README's screenshots, made again from the demo (docs/screenshots/).
screenshots: $(VENV)/.dev-installed node_modules/.installed messages staticfiles/.collected
	scripts/ensure-chromium
	$(PY) scripts/make-screenshots
