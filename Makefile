# Two commands for a fresh machine with Python 3.11+: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTEST_WORKERS ?= 2
# Material 9.7+ prints a banner about its successor on every build; it is not a build warning.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build lint test test-fresh screenshots refresh-outputs lock bench clean zensical-check matrix

# Reinstall whenever the pinned dependency tree or the project metadata changes.
$(INSTALLED): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# axe-core for the accessibility tests, from the npm registry (skipped, with the reason, without npm).
node_modules/.package-lock.json: package-lock.json
	npm ci --silent --no-audit --no-fund

install: $(INSTALLED) $(if $(shell command -v npm),node_modules/.package-lock.json)

serve: install
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install
	$(BIN)/mkdocs build --strict

# Shown code is linted and formatted like any code a reader would copy (settings: ruff.toml).
lint: install
	$(BIN)/ruff check snippets
	$(BIN)/ruff format --check snippets

# The build comes first: the site checks in tests/site read the site it writes.
test: lint build
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# The same from no cache at all: every cache under .cache (figures, notebooks, test
# reports) is deleted first, so the build draws every figure and executes every notebook,
# and every browser visit, reader run and whole-file run is made anew (tests/result_cache.py).
test-fresh: export TEST_REPORT_CACHE := off
test-fresh:
	rm -rf .cache
	$(MAKE) test

# Full-page screenshots of every page in both palettes into screenshots/, for people to look at.
screenshots: build
	BROWSER_SCREENSHOTS=1 $(BIN)/pytest -q -p no:randomly -n $(PYTEST_WORKERS) tests/browser -k page_loads

# After a deliberate torch upgrade: rewrite every '# >' output line, then review `git diff snippets/`.
refresh-outputs: install
	$(BIN)/python -m executable_docs.snippet_files snippets

# Re-resolve the pinned tree from pyproject.toml's direct pins (the reader's dependencies and the
# site and test extras) into requirements.lock.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	# pip and setuptools are locked too: install the locked ones first, then freeze with --all.
	grep -E '^(pip|setuptools)==' requirements.lock | xargs .lock-venv/bin/python -m pip install --quiet --disable-pip-version-check
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check ".[site,test]"
	.lock-venv/bin/python -m pip freeze --all --exclude torch-fundamentals | sed 's/+cpu$$//' > requirements.lock
	rm -rf .lock-venv

# Options of benchmarks/__main__.py, e.g. BENCH_ARGS="--runs 5 --skip-weight".
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf site screenshots .pytest_cache .cache build *.egg-info node_modules

# On demand, not part of `make test` (about an hour): every page's shown code on every torch
# release of matrix/releases.txt, each installed in its own venv under /tmp/matrix-envs (removed
# after), results written to matrix/results/. `make matrix RELEASES="2.6.0 2.7.1"` measures some.
matrix: install
	$(BIN)/python -m matrix.driver $(RELEASES)

# Not in `make test`: builds the same sources with Zensical and lists the generated content its
# build lacks. Zensical is installed apart from .venv: ZENSICAL=/path/to/venv/bin/zensical, or
# ZENSICAL_LIB=<folder of `pip install --target <folder> --no-deps zensical tomli`> to run it with
# .venv's Python (the site's own Markdown extensions, so also the text they generate).
ZENSICAL ?= zensical
ZENSICAL_LIB ?=
zensical-check: install
	$(BIN)/python -m site_build.zensical_check $(if $(ZENSICAL_LIB),--lib $(ZENSICAL_LIB),--zensical $(ZENSICAL))
