# The two commands a newcomer needs: `make site` and `make test`.
# Every target creates .venv and installs what it needs on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site serve test check bench schema clean cms

# The browser editor (setting `cms`, README "Bewerken in de browser"): Decap CMS, pinned with its
# integrity in cms/package-lock.json; `npm ci` checks every package against it.
CMS_STAMP := cms/node_modules/.package-lock.json

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,engines]'
	touch $(STAMP)

$(CMS_STAMP): cms/package.json cms/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "The browser editor (cms = true under [tool.kb]) needs npm: install Node.js 20 and npm (e.g. apt-get install nodejs npm), or set cms = false." >&2; exit 1; }
	npm ci --prefix cms --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(CMS_STAMP)

# installs the editor only when the project switches it on
cms: $(STAMP)
	@if $(BIN)/python -c "import sys, pathlib; from generator.intake.config import load_settings; sys.exit(0 if load_settings(pathlib.Path('.'))[0].cms else 1)"; then $(MAKE) --no-print-directory $(CMS_STAMP); fi

site: $(STAMP) cms
	$(BIN)/kb check
	$(BIN)/kb build --strict --out site

serve: $(STAMP)
	$(BIN)/kb serve --dev-addr 127.0.0.1:8000

check: $(STAMP)
	$(BIN)/kb check --strict

test: $(STAMP)
	@# the editor's tests need decap-server and Decap's parser; without npm they skip (CI=true: fail)
	-@$(MAKE) --no-print-directory $(CMS_STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

schema: $(STAMP)
	$(BIN)/kb schema --out schema

clean:
	rm -rf site .pytest_cache .hypothesis cms/node_modules
