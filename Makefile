# Kuaiji: the two commands of the README, and the steps they are made of.
#   make demo   install everything and serve the demo city at http://127.0.0.1:8000
#   make test   install what the tests need and run the whole test suite

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SIZE ?= default
PYTEST_ARGS ?=

.PHONY: demo test install install-test assets browser lint types i18n check bench bench-quick \
	bench-server bench-intake bench-data-ingest bench-datastore bench-service-pages bench-cockpit clean

demo: install
	$(BIN)/kuaiji demo --port $(PORT) --size $(SIZE)

test: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed assets
install-test: $(VENV)/.installed-dev assets browser

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

assets: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Browser tests drive Debian's chromium; nothing is downloaded by Playwright itself.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(VENV)/.installed-dev
	$(BIN)/mypy kuaiji

# The zh-hans catalog must cover every string of the source and compile cleanly.
i18n: $(VENV)/.installed-dev
	$(BIN)/kuaiji manage makemessages -l zh_Hans --no-location --no-obsolete \
	  --ignore=node_modules --ignore=.venv --ignore=tests --ignore=bench --ignore=static >/dev/null
	git diff -I'^"POT-Creation-Date' --exit-code -- kuaiji/locale
	$(BIN)/kuaiji manage compilemessages --ignore=node_modules --ignore=.venv >/dev/null
	git diff --exit-code -- kuaiji/locale

check: lint types i18n
	$(BIN)/kuaiji manage makemigrations --check --dry-run

# Benchmarks (not part of `make test`): bench.run runs every benchmark in bench/ (or those in
# BENCH, e.g. BENCH='point_to_grid chains'), each in its own process, prints each figure and its
# ratio to a baseline measured in the same run, and writes bench-results.json and
# bench-results.md into BENCH_OUT (see docs/reliability.md). The PostgreSQL benchmarks each drop
# and create BENCH_DATABASE anew; the HTTP ones need gunicorn (installed here if missing).
# `make bench` takes the full sizes (slow); `make bench-quick` the tests' small sizes.
BENCH ?=
BENCH_DATABASE ?= postgresql://postgres@127.0.0.1:5432/kuaiji_bench
BENCH_OUT ?= bench/results
bench: $(VENV)/.installed-dev bench-server
	$(BIN)/python -m bench.run $(BENCH) --database-url $(BENCH_DATABASE) --out $(BENCH_OUT)

bench-quick: $(VENV)/.installed-dev bench-server
	$(BIN)/python -m bench.run --quick $(BENCH) --database-url $(BENCH_DATABASE) --out $(BENCH_OUT)

bench-server: $(VENV)/.installed-dev
	$(BIN)/python -c 'import gunicorn' 2>/dev/null || $(BIN)/pip install --quiet -c requirements.lock gunicorn

# The targets below run one benchmark alone, printing its figures (no results files).
# Grid-event intake over HTTP: gunicorn on a throw-away PostgreSQL database
# (postgres@127.0.0.1:5432 by default; see bench/grassroots_intake.py).
bench-intake: bench-server
	$(BIN)/python -m bench.grassroots_intake

# The data platform on a throw-away PostgreSQL database (DATA_BENCH_DATABASE, dropped and created
# anew): load_file of a 1,000,000-row CSV against COPY of the same file, and rows.search with one
# equality filter among 1,000,000 rows against plain SQL on an indexed table. Slow.
DATA_BENCH_DATABASE ?= postgresql://postgres@127.0.0.1:5432/kuaiji_bench_data
bench-data-ingest: $(VENV)/.installed-dev
	$(BIN)/python -m bench.data_ingest --database-url $(DATA_BENCH_DATABASE)

bench-datastore: $(VENV)/.installed-dev
	$(BIN)/python -m bench.datastore_search --database-url $(DATA_BENCH_DATABASE)

# One-stop service pages over HTTP: the item guide page and an application's status (the
# applicant's session) against a static file of the same gunicorn, on a throw-away PostgreSQL
# database (see bench/service_pages.py).
bench-service-pages: bench-server
	$(BIN)/python -m bench.service_pages

# The cockpit's indicators on a throw-away PostgreSQL database (COCKPIT_BENCH_DATABASE, dropped
# and created anew): refresh() over 30 days of 1,000,000 grid events and 100,000 applications
# against bare GROUP BY SQL of the same figures, and the cockpit data endpoints against a bare
# read of the stored values (see bench/cockpit_metrics.py). Slow.
COCKPIT_BENCH_DATABASE ?= postgresql://postgres@127.0.0.1:5432/kuaiji_bench_cockpit
bench-cockpit: $(VENV)/.installed-dev
	$(BIN)/python -m bench.cockpit_metrics --database-url $(COCKPIT_BENCH_DATABASE)

clean:
	rm -rf $(VENV) node_modules data .pytest_cache .mypy_cache .ruff_cache
