# Conference Desk — set-up is part of every target: a fresh clone needs only `make run`
# or `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)

.PHONY: run test lint bench install clean catalogs dist

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Conference Desk needs Python 3.11 or newer")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --compile -e '.[test,postgres]'
	@# pip compiles the dependencies' bytecode (--compile), but an editable install leaves
	@# the app's own modules to be compiled by the first start: compile them now.
	$(PY) -m compileall -q -j 0 desktop db resources
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/conference-desk $(ARGS)

# ruff (style, imports, likely bugs) and mypy (the types of core, exports and db); both
# read their settings from pyproject.toml. A finding fails the target, and so `make test`.
lint: $(STAMP)
	$(VENV)/bin/ruff check desktop db tests
	$(VENV)/bin/mypy

test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

# Every bench, or the ones named: `make bench BENCH=tests/bench/responsive.py` (the frozen-window
# bench: the real window offscreen at 100,000 registrations).
BENCH ?= tests/bench/*.py
bench: $(STAMP)
	@for f in $(BENCH); do echo "== $$f"; QT_QPA_PLATFORM=offscreen $(PY) $$f || exit 1; done

# Extract the messages of the source, merge them into resources/translations/*/LC_MESSAGES/*.po and
# compile the .mo files (then translate what `$(PY) -m resources.translations.catalogs missing` lists).
catalogs translations: $(STAMP)
	$(PY) -m resources.translations.catalogs update

# The application folder and the tarball an organiser installs without Python (issue 14):
# dist/conference-desk-VERSION-linux-x86_64{/,.tar.gz}, built by PyInstaller from
# resources/packaging/conference-desk.spec (see resources/packaging/build.py). PyInstaller is
# the optional extra "dist", installed into $(VENV) here. tests/dist/check_bundle.py checks it.
dist: $(STAMP)
	@$(PY) -c 'import PyInstaller' 2>/dev/null || $(PY) -m pip install --quiet -e '.[dist]'
	$(PY) resources/packaging/build.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
