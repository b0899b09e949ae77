# Fachdialog: `make run` sets up and starts the forum with demo data on SQLite;
# `make test` sets up everything the tests need and runs them all.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := FLASK_APP=forum $(VENV)/bin/flask
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run setup test test-deps test-sqlite test-postgres test-browser lint translations bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

run: setup
	$(FLASK) db upgrade
	$(FLASK) forum seed-demo
	@# the mail worker runs beside the server; without FORUM_MAIL_SERVER it prints the mails
	$(FLASK) forum outbox run & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# System parts the tests talk to: Debian Chromium, axe-core and the Nu HTML Checker (vnu-jar,
# needs Java) from npm, a running PostgreSQL and Redis.
test-deps: setup
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null)
	@test -f node_modules/axe-core/axe.min.js -a -f node_modules/vnu-jar/build/dist/vnu.jar || npm ci --silent --no-audit --no-fund
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@# Redis for the rate-limit tests and tests/test_two_nodes.py (nothing kept on disk)
	@command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null)
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null

test-sqlite: setup
	$(PY) -m pytest -m "not browser" -q

test-postgres: test-deps
	FORUM_TEST_DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" -q

test-browser: test-deps
	$(PY) -m pytest tests/browser -q

test: test-deps lint test-sqlite test-postgres test-browser

lint: setup
	$(VENV)/bin/ruff check forum tests bench config.py
	$(VENV)/bin/mypy

# Requests per second of the main pages as a ratio to a minimal Flask page (bench/http_bench.py):
# gunicorn and wrk on 127.0.0.1, a few minutes; then once more on PostgreSQL (BENCH_PG_URL, a
# database of its own whose tables the bench drops and makes anew) when a server answers.
BENCH_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/fachdialog_bench
bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(PY) bench/http_bench.py
	@if pg_isready -q -h 127.0.0.1 -p 5432; then \
	  createdb -h 127.0.0.1 -U postgres fachdialog_bench 2>/dev/null || true; \
	  $(PY) bench/http_bench.py --database-url $(BENCH_PG_URL); \
	else echo "PostgreSQL not running: bench on SQLite only"; fi

# Extract new strings, update both catalogues and compile them (commit the result).
translations: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project Fachdialog --ignore-dirs ".* node_modules" -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(FLASK) forum fill-german-catalogue
	$(VENV)/bin/pybabel compile -d translations --statistics
