# The two commands of the README: `make run` and `make test`. Both are safe to run again.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: run test setup setup-tests db lint bench

# The local server behaves like production (French error pages, no debug output) but over plain HTTP.
run: setup db
	@test -s var/secret-key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret-key
	SECRET_KEY=$$(cat var/secret-key) SECURE_COOKIES=false scripts/serve.sh $(HOST)

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
	$(PY) manage.py makemigrations --check --dry-run

# Performance budgets over a synthetic national set of 100,000 structures, written to BENCHMARKS.md (see README).
# PostGIS too when BENCH_POSTGIS_URL is set; BENCH_ARGS passes options (e.g. --runs 20 --no-300k).
bench: setup-tests
	$(PY) scripts/bench.py $(BENCH_ARGS)
