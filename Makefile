# riverdrill: two commands set up everything on a fresh machine.
#   make demo   create .venv, install, run the demo competition, print where the output went
#   make test   create/update .venv with dev extras, install system packages, run ruff, mypy, pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
SYS_STAMP := $(VENV)/.system-packages
DEMO_OUT ?= out/demo

.PHONY: demo test lint bench clean system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,server,scale]'
	touch $(STAMP) $@

# Debian packages the tests use for real: Chromium (report rendering) and a CJK font
# (Chinese glyphs in the browser and in rasterised charts), PostgreSQL for the live server store.
$(SYS_STAMP): | $(BIN)/python
	@if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  need=""; \
	  command -v chromium >/dev/null 2>&1 || need="$$need chromium"; \
	  dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need="$$need fonts-wqy-microhei"; \
	  if [ -n "$$need" ]; then \
	    echo "installing Debian packages:$$need"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	  fi; \
	else echo "note: not root or no apt-get; browser tests are skipped if chromium is missing"; fi
	touch $@

system-packages: $(SYS_STAMP)

demo: $(STAMP)
	$(BIN)/riverdrill demo --out $(DEMO_OUT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check scenarios sim scoring
	$(BIN)/mypy

test: $(DEV_STAMP) $(SYS_STAMP) lint
	$(BIN)/pytest; status=$$?; if [ $$status -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$status

bench: $(DEV_STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
