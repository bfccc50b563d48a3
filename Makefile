# Gut Planner: `make run` sets up and serves; `make test` sets up and tests (`make test-postgres` on PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What is installed, each once: the app and what it runs on (`make run`); then the test tools (`make test`).
STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
# HOST=0.0.0.0 serves the home network too; HTTPS=1 serves HTTPS with a certificate made for this machine.
HOST ?= 127.0.0.1
PORT ?= 5000
HTTPS ?=

.PHONY: run lint test test-postgres wheel-test install db bench scale-bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the package metadata changes, so a second `make run` starts at once.
$(STAMP): setup.cfg setup.py pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

# The app's instance folder (database, secret key): PLANNER_INSTANCE if set, as in the app.
INSTANCE := $(or $(PLANNER_INSTANCE),instance)

# A random key for signing sessions, made once and kept out of git (the app will not serve
# with the development default). SECRET_KEY or SECRET_KEY_FILE in the environment win.
$(INSTANCE)/secret_key:
	mkdir -p $(INSTANCE)
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $@

db: $(STAMP) $(INSTANCE)/secret_key
	$(BIN)/planner db upgrade
	$(BIN)/planner seed

# Three ways to serve. HTTPS=1: HTTPS, with a certificate made once in the instance folder (and again
# when this machine's names or addresses change). HOST other than this machine: plain HTTP, with the
# log-in cookie allowed over it and a warning. Else this machine only (browsers trust localhost).
CERT := --cert $(INSTANCE)/home-cert.pem --key $(INSTANCE)/home-key.pem
run: db
ifeq ($(HTTPS),1)
	$(BIN)/planner home-network --host $(HOST) --port $(PORT) --https --folder $(INSTANCE)
	$(BIN)/planner run --host $(HOST) --port $(PORT) $(CERT)
else ifeq ($(filter $(HOST),127.0.0.1 localhost ::1),)
	$(BIN)/planner home-network --host $(HOST) --port $(PORT)
	SESSION_COOKIE_SECURE=0 $(BIN)/planner run --host $(HOST) --port $(PORT)
else
	$(BIN)/planner run --host $(HOST) --port $(PORT)
endif

# The browser tests drive Debian's Chromium; without it `make test` fails here, loudly.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
		|| { echo "Chromium is needed for the browser tests: install Debian's chromium package" >&2; exit 1; }

# The deployment tests have Debian's nginx check the site's config, as does the scale-out bench.
NGINX := /usr/sbin/nginx
$(NGINX):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx \
		|| { echo "nginx checks the site's config: install Debian's nginx package" >&2; exit 1; }

# Quality gates over planner/, configured in pyproject.toml: ruff (pycodestyle, pyflakes, bugbear,
# pyupgrade) and mypy. `make test` runs them first; `make test LINT=` skips them.
LINT ?= lint
lint: $(TEST_STAMP)
	$(BIN)/ruff check planner
	$(BIN)/mypy

test: $(TEST_STAMP) $(CHROMIUM) $(NGINX) $(LINT)
	$(BIN)/python -m pytest

# The same suite on a throwaway PostgreSQL 15 server, stopped again however the tests end.
test-postgres: $(TEST_STAMP) $(CHROMIUM) $(NGINX)
	@set -e; server=$$(.ci/postgres start); eval "$$server"; \
	trap '.ci/postgres stop "$$PGTEST_DIR"' EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(BIN)/python -m pytest

# Build the wheel, install it outside the checkout and serve from it (.ci/wheel).
wheel-test:
	PYTHON=$(PYTHON) .ci/wheel

bench: $(STAMP)
	$(BIN)/python bench/search_bench.py
	$(BIN)/python bench/check_bench.py
	$(BIN)/python bench/check_load.py
	$(BIN)/python bench/plan_bench.py
	$(BIN)/python bench/shopping_bench.py
	$(BIN)/python bench/accounts_bench.py
	$(BIN)/python bench/load_mixed.py
	$(BIN)/python bench/fault_kill.py
	$(BIN)/python bench/fairness.py
	$(BIN)/python bench/label_accuracy.py
	$(BIN)/python bench/startup_bench.py

# Two app servers behind Debian's nginx on a throwaway PostgreSQL; one is killed mid-load.
scale-bench: $(STAMP) $(NGINX)
	$(BIN)/python bench/scale_out_bench.py

clean:
	rm -rf $(VENV) instance/planner.db* .pytest_cache

# Re-extract the marked messages into the template catalogue, then update and compile each language's.
TRANSLATIONS ?= planner/translations
.PHONY: messages
messages: $(STAMP)
	$(BIN)/pybabel --quiet extract -F babel.cfg -k _l -k lazy_gettext --project "Gut Planner" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel --quiet update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS)
	$(BIN)/pybabel --quiet compile -d $(TRANSLATIONS)
