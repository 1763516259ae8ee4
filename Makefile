# riverdrill: two commands set up everything on a fresh machine.
#   make demo   create .venv, install, run the demo competition, print where the output went
#   make test   create/update .venv with dev extras, install system packages, run ruff, mypy, pytest
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DEMO_OUT ?= out/demo

.PHONY: demo test lint bench clean system-packages

$(BIN)/python:
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	  else echo "$(PYTHON) cannot create virtual environments: install python3-venv"; exit 1; fi; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "could not create $(VENV)"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,server,scale]'
	touch $(STAMP) $@

# Debian packages the tests use for real: Chromium (reports rendered and screenshotted in a real
# browser), a CJK font (Chinese glyphs in the browser and in the charts rasterised for Word) and
# LibreOffice Writer (renders the Word report's first page as Word/WPS would, for its screenshot).
# Checked on every run (cheap once installed); installed when we are root with apt-get.
system-packages:
	@need=""; \
	command -v chromium >/dev/null 2>&1 || need="$$need chromium"; \
	dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need="$$need fonts-wqy-microhei"; \
	command -v soffice >/dev/null 2>&1 || need="$$need libreoffice-writer-nogui"; \
	if [ -n "$$need" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$need"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	  else echo "note: missing$$need (needs root and apt-get); browser tests will be skipped"; fi; \
	fi

demo: $(STAMP)
	$(BIN)/riverdrill demo --out $(DEMO_OUT)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: $(DEV_STAMP) system-packages lint
	$(BIN)/pytest; status=$$?; if [ $$status -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$status

bench: $(DEV_STAMP)
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
