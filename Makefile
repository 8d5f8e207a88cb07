# Xietong — two commands do all set-up: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for make test (the suite is xdist-safe: per-worker databases and file roots)
TEST_WORKERS ?= 2
# `make demo` serves plain HTTP on $(HOST); production sits behind a TLS proxy (docs/operations.md).
export PIP_DISABLE_PIP_VERSION_CHECK=1

.PHONY: demo test lint bench fuzz install install-test chromium serve messages clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e ".[test,bench]"

# Debian's chromium for the browser tests, a CJK font so screenshots show Chinese text, and poppler-utils
# so the tests can read generated PDFs back (pdftotext) and render them (pdftoppm).
chromium:
	@{ command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || \
	  { echo "installing Debian's chromium, CJK fonts and poppler-utils"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk poppler-utils) >/dev/null; }

demo: install
	mkdir -p var
	$(BIN)/xietong setup --demo
	$(BIN)/xietong accounts
	XIETONG_HTTPS=$${XIETONG_HTTPS:-false} $(BIN)/xietong serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/ruff format --check src tests bench

test: install-test chromium
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/ruff format --check src tests bench
	DATABASE_URL= $(BIN)/python -m django makemigrations --check --dry-run --settings=tests.settings
	DATABASE_URL= $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS)
	@if $(BIN)/python -c "import socket,sys; s=socket.socket(); s.settimeout(2); sys.exit(s.connect_ex(('127.0.0.1',5432)))"; then \
	  echo "== again on PostgreSQL ($${DATABASE_URL:-$(PG_URL)})"; \
	  DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS); \
	else echo "== PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run"; fi

# 1,000 mutated workbooks per import endpoint plus the full-size attacks, each request held to 2 s of CPU and
# the process to 500 MB (tests/core/test_workbook_fuzz.py; `make test` runs 50 per endpoint without the budgets).
fuzz: install-test
	DATABASE_URL= XIETONG_FUZZ_EXAMPLES=$${XIETONG_FUZZ_EXAMPLES:-1000} XIETONG_FUZZ_BUDGET=1 \
	  $(BIN)/pytest -q -s -p no:cacheprovider -m "not benchmark" tests/core/test_workbook_fuzz.py

bench: install-test
	@for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

messages: install
	cd src/xietong && DEBUG=true ../../$(BIN)/django-admin compilemessages --settings=xietong.settings

clean:
	rm -rf var/*.sqlite3* .pytest_cache
