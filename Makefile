# The two commands of the README: `make run` and `make test`. Both are safe to run again.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# Settings refuse to start without SECRET_KEY (DEBUG off): local runs keep one in var/secret-key, made once.
SECRET_KEY ?= $(shell mkdir -p var && { test -s var/secret-key || head -c 48 /dev/urandom | base64 -w0 > var/secret-key; } && cat var/secret-key)
export SECRET_KEY

.PHONY: run dev test setup setup-tests db lint bench bench-traffic lock

# The local server behaves like production (gunicorn, 2 workers, French error pages, no debug output, static
# files by whitenoise) but over plain HTTP; the background-task worker runs beside it. Ctrl-C stops both.
run: setup db
	SECURE_COOKIES=false scripts/serve.sh $(HOST)

# Django's development server (reloads on code changes), with the task worker beside it.
dev: setup db
	SECURE_COOKIES=false scripts/serve.sh --dev $(HOST)

test: setup-tests
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup:
	@scripts/setup.sh

setup-tests:
	@scripts/setup.sh --tests

# Schema, all of France's territories and the Nouvelle-Aquitaine demo data; skipped when already loaded.
db:
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_territories
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --no-input -v0

lint: setup-tests
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

# The lock files that setup and CI install (exact versions, with hashes). Run after changing the dependencies
# of pyproject.toml: versions already pinned are kept; `make lock LOCK_ARGS=--upgrade` moves every one forward.
LOCK_ARGS ?=
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" --quiet $(LOCK_ARGS)
lock: setup-tests
	$(LOCK) -o requirements/lock.txt
	$(LOCK) --extra dev -o requirements/lock-dev.txt

# Performance budgets over a synthetic national set of 100,000 structures, written to BENCHMARKS.md (see README).
# PostGIS too when BENCH_POSTGIS_URL is set; BENCH_ARGS passes options (e.g. --runs 20 --no-300k).
bench: setup-tests
	$(PY) scripts/bench.py $(BENCH_ARGS)

# Never-repeated traffic (each request a new question) on a set `make bench` built; BENCH_DATABASE chooses it.
BENCH_DATABASE ?= spatialite:///var/bench100k.sqlite3
bench-traffic: setup-tests
	$(PY) scripts/bench_traffic.py --database $(BENCH_DATABASE) $(BENCH_ARGS)
