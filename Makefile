# The two commands a newcomer needs: `make site` and `make test`.
# Every target creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test check bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,engines]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/kb check
	$(BIN)/kb build --strict --out site

serve: $(STAMP)
	$(BIN)/kb serve --dev-addr 127.0.0.1:8000

check: $(STAMP)
	$(BIN)/kb check --strict

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

schema: $(STAMP)
	$(BIN)/kb schema --out schema

clean:
	rm -rf site .pytest_cache .hypothesis
