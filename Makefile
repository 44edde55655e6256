# Beleidsbank — two commands for a newcomer: `make serve` and `make test`.
# Every target depends on what it needs, so both work on a fresh clone.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
DATA   ?= data
CORPUS ?= corpus/documents
STAMP  := $(VENV)/.installed
# Test processes (pytest-xdist): CI has two cores.
WORKERS ?= 2

.PHONY: install build serve test test-fast sysdeps browser-deps bench clean help

help:
	@echo "make serve   - installeer, bouw kennisbank en index, serveer op http://$(HOST):$(PORT)"
	@echo "make test    - installeer, bouw, en draai de hele testsuite"
	@echo "make bench   - benchmarks (JSON op stdout)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(STAMP)

install: $(STAMP)

build: install
	$(BIN)/beleidsbank build --data $(DATA) --corpus $(CORPUS)

serve: build
	$(BIN)/beleidsbank serve --data $(DATA) --host $(HOST) --port $(PORT)

# Debian packages the tests need: headless Chromium and its driver (browser tests), LibreOffice
# Writer (turns generated .docx fixtures into PDF with a real layout engine).
sysdeps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi
	@if ! command -v soffice >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui; \
	fi

# axe-core for the automated accessibility check, from the npm registry (pinned in package-lock.json).
browser-deps: sysdeps
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then npm ci --silent --no-audit --no-fund; fi

test: install browser-deps build
	$(BIN)/python -m pytest -q -n $(WORKERS)

test-fast: install build
	$(BIN)/python -m pytest -q -n $(WORKERS) -m "not browser"

bench: install build
	@if ! command -v wrk >/dev/null 2>&1; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; \
	fi
	@for b in bench/bench_*.py; do echo "== $$b" >&2; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(DATA) .pytest_cache test-artifacts
