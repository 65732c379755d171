# The book's two commands: `make book` and `make test` (see README.md).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHAPTERS := $(sort $(basename $(notdir $(wildcard chapters/*.ipynb))))
# Everything the executed notebooks depend on besides their own code: when it changes, the
# execution cache (keyed on notebook code only) would serve stale numbers, so the build starts clean.
SOURCE_HASH = $(shell cat $$(find scaling_utils _ext -name '*.py' | sort) requirements.lock | sha256sum | cut -c1-16)
JB_FLAGS := -W -n --keep-going

PORT ?= 8000

.PHONY: book test unit nbval clean-build claims built-checks lint bench lab lock chapter store serve clean help

help:
	@echo "make book    build the book into _build/html (creates .venv on first use)"
	@echo "make test    lint, unit tests, nbval, a clean warnings-as-errors build, the claims check, the built pages"
	@echo "make serve   preview the built book on http://127.0.0.1:$(PORT)/ (PORT=... to change)"
	@echo "make bench   the benchmark, written to _build/bench.json"
	@echo "make chapter NAME=<stem>   execute one chapter into _build/run/ and print its claims"
	@echo "make store NAME=<stem>     re-execute one chapter and store its reference outputs for nbval"
	@echo "make lab     open the chapters in JupyterLab with the book's environment"
	@echo "make lock    re-resolve requirements.in into requirements.lock and environment.yml"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

book: $(STAMP)
	@if [ "$$(cat _build/.source-hash 2>/dev/null)" != "$(SOURCE_HASH)" ]; then \
	  echo "scaling_utils or the lock changed since the last build: building from clean"; rm -rf _build; fi
	@mkdir -p _build && echo "$(SOURCE_HASH)" > _build/.source-hash
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	$(BIN)/python -m scaling_utils.book.claims check _build/claims --expect $(CHAPTERS)
	@echo "open _build/html/index.html"

test: $(STAMP) lint unit nbval clean-build claims built-checks

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/actionlint .github/workflows/*.yml

unit: $(STAMP)
	$(BIN)/python -m pytest tests scaling_utils --ignore=tests/built --doctest-modules -q

nbval: $(STAMP)
	SCALING_UTILS_CLAIMS_DIR=$(CURDIR)/_build/nbval-claims \
	  $(BIN)/python -m pytest --nbval-lax --nbval-current-env -p no:cacheprovider chapters -q

clean-build: $(STAMP)
	rm -rf _build/html _build/.doctrees _build/.jupyter_cache _build/jupyter_execute _build/claims
	@mkdir -p _build && echo "$(SOURCE_HASH)" > _build/.source-hash
	@start=$$(date +%s); $(BIN)/jupyter-book build . $(JB_FLAGS); \
	  echo "clean build: $$(( $$(date +%s) - start )) s"

claims: $(STAMP)
	$(BIN)/python -m scaling_utils.book.claims check _build/claims --expect $(CHAPTERS)

built-checks: $(STAMP)
	$(BIN)/python -m pytest tests/built -q

bench: $(STAMP)
	$(BIN)/python -m scaling_utils.book.bench --output _build/bench.json

chapter: $(STAMP)
	$(BIN)/python tools/chapters.py run $(NAME)

store: $(STAMP)
	$(BIN)/python tools/chapters.py store $(NAME)

serve:
	@test -f _build/html/index.html || { echo "no built book in _build/html: run make book first"; exit 1; }
	@echo "serving the book on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	@python3 -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.in
	$(BIN)/python tools/lock.py
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

clean:
	rm -rf _build
