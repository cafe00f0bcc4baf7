# Two commands for a fresh machine with Python 3.11+: `make serve` and `make test`.
# Another interpreter: `PYTHON=python3.12 make test` (.venv is remade for it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTEST_WORKERS ?= 2
# Material 9.7+ prints a banner about its successor on every build; it is not a build warning.
export NO_MKDOCS_2_WARNING := 1
.DEFAULT_GOAL := install

.PHONY: install check-python serve build lint test test-fresh screenshots refresh-outputs lock bench clean distclean zensical-check matrix

# The oldest Python the project supports: pyproject.toml's requires-python, written ">=X.Y".
MIN_PYTHON = $(eval MIN_PYTHON := $(shell sed -n 's/^requires-python = ">=\([0-9.]*\)"$$/\1/p' pyproject.toml))$(MIN_PYTHON)
# "<version> <resolved path>" of $(PYTHON) (empty if it does not run), and of the interpreter
# .venv was made with, as the venv module records it in pyvenv.cfg. (Each variable is computed
# on first use, once, so that targets that need no Python run none.)
PYTHON_ID = $(eval PYTHON_ID := $(shell $(PYTHON) -c 'import os, sys; print("%d.%d.%d %s" % (sys.version_info[:3] + (os.path.realpath(sys.executable),)))' 2>/dev/null))$(PYTHON_ID)
VENV_ID = $(eval VENV_ID := $(shell sed -n 's/^version = //p; s/^executable = //p' $(VENV)/pyvenv.cfg 2>/dev/null))$(VENV_ID)
# Non-empty when the strings $(1) and $(2) are equal (and not empty).
same = $(and $(findstring $(1),$(2)),$(findstring $(2),$(1)))
# Non-empty when version $(1) is older than version $(2).
older = $(shell [ "$$(printf '%s\n' $(1) $(2) | sort -V | head -n 1)" = "$(2)" ] || echo older)

# Before anything is made: a Python that runs and is new enough, or one line that says why not.
check-python:
	$(if $(MIN_PYTHON),,$(error pyproject.toml: requires-python is not ">=X.Y"; update MIN_PYTHON in the Makefile))
	$(if $(PYTHON_ID),,$(error $(PYTHON) does not run; this project needs Python $(MIN_PYTHON) or newer: name one, e.g. PYTHON=python$(MIN_PYTHON) make $(or $(MAKECMDGOALS),install)))
	$(if $(call older,$(firstword $(PYTHON_ID)),$(MIN_PYTHON)),$(error $(PYTHON) is Python $(firstword $(PYTHON_ID)); this project needs Python $(MIN_PYTHON) or newer (requires-python in pyproject.toml): name one, e.g. PYTHON=python$(MIN_PYTHON) make $(or $(MAKECMDGOALS),install)))
	@:

# .venv is (re)made when it is missing or was made with another interpreter than $(PYTHON)
# (version or path); a failed venv is removed so that the next run starts again.
$(VENV)/pyvenv.cfg: check-python
	$(if $(and $(wildcard $(BIN)/python),$(call same,$(PYTHON_ID),$(VENV_ID))),@:,$(if $(VENV_ID),@echo "$(VENV) was made with Python $(VENV_ID); making it again with $(PYTHON_ID)" && )rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; })

# Reinstall whenever the pinned dependency tree, the project metadata or the venv changes.
$(INSTALLED): requirements.lock pyproject.toml $(VENV)/pyvenv.cfg
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

# Every Python file of the repo with the same settings (ruff.toml, whose line length is the
# width of the code box), then mypy ([tool.mypy] in pyproject.toml: the harness, the site
# build, the benchmarks). Every check runs even after one fails: one run lists every finding.
lint: install
	@status=0; for check in "ruff check ." "ruff format --check ." "mypy"; do \
	  echo "$(BIN)/$$check"; $(BIN)/$$check || status=1; \
	done; exit $$status

# Lint first, then the build: the site checks in tests/built_site read the site it writes.
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
lock: check-python
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

# Build outputs and caches. The Python environment stays: `make distclean` removes it too.
clean:
	rm -rf site screenshots .pytest_cache .cache .mypy_cache .ruff_cache build *.egg-info node_modules
	@echo "Kept $(VENV) (the Python environment): make distclean removes it too."

# Everything make made, the environments included: the next `make install` starts afresh.
distclean: clean
	rm -rf $(VENV) .lock-venv

# On demand, not part of `make test` (about an hour): every page's shown code on every torch
# release of matrix/releases.txt, each installed in its own venv under /tmp/matrix-envs (removed
# after), results written to matrix/results/. `make matrix RELEASES="2.6.0 2.7.1"` measures some
# releases, `PAGES="docs/kinks.md"` some pages (the rest of each result file is kept).
matrix: install
	$(BIN)/python -m matrix.driver $(RELEASES) $(if $(PAGES),--pages $(PAGES))

# Not in `make test`: builds the same sources with Zensical and lists the generated content its
# build lacks. Zensical is installed apart from .venv: ZENSICAL=/path/to/venv/bin/zensical, or
# ZENSICAL_LIB=<folder of `pip install --target <folder> --no-deps zensical tomli`> to run it with
# .venv's Python (the site's own Markdown extensions, so also the text they generate).
ZENSICAL ?= zensical
ZENSICAL_LIB ?=
zensical-check: install
	$(BIN)/python -m site_build.zensical_check $(if $(ZENSICAL_LIB),--lib $(ZENSICAL_LIB),--zensical $(ZENSICAL))
