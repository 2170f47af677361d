# The two commands of the quick start are `make run` and `make test`; see README.md.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages for bench and scaleout; apt waits up to 5 minutes for another apt to finish.
APT := apt-get -o DPkg::Lock::Timeout=300

.PHONY: run test lint venv catalogues messages fuzz bench soak wrk scaleout haproxy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check '.[dev]'
	touch $@

venv: $(VENV)/.installed

# The Spanish interface: each catalogue's django.mo from its django.po (lib/catalogues.py).
catalogues: venv
	$(BIN)/python manage.py catalogues --compile

# After marking new strings in code or templates: adds them to the catalogues, to translate.
messages: venv
	$(BIN)/python manage.py catalogues

run: venv catalogues
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_seed_content
	$(BIN)/python manage.py create_demo_accounts
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PORTAL_URL=$${PORTAL_URL:-http://$(HOST):$(PORT)} RUN_ADDRESS=$(HOST):$(PORT) \
		DEBUG=$${DEBUG:-false} $(BIN)/honcho --procfile Procfile.dev start

test: venv catalogues
	$(BIN)/python -m pytest

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Schemathesis against `make run`'s server as the demo patient; see README.md, REST API.
fuzz: venv
	$(BIN)/schemathesis run http://$(HOST):$(PORT)/api/schema/ --checks all \
		--exclude-checks positive_data_acceptance --max-examples 25 \
		-H "Authorization: Token $$($(BIN)/python manage.py drf_create_token patient | awk '{print $$3}')"

# Load tests against gunicorn with production settings on PostgreSQL; see docs/performance.md.
# bench: wrk against each page, the table and its targets. soak: Locust with a database outage.
bench: venv catalogues wrk
	$(BIN)/python -m bench.run

soak: venv catalogues
	$(BIN)/python -m bench.soak

# The load generator of `make bench`, from Debian's packages.
wrk:
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package wrk)."; \
		$(APT) install -y -qq wrk >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq wrk >/dev/null; }; }

# Two app hosts in network namespaces behind HAProxy, on this machine (root); see docs/performance.md.
scaleout: venv catalogues wrk haproxy
	$(BIN)/python -m bench.scaleout

# The load balancer and the namespace tools of `make scaleout`, from Debian's packages.
haproxy:
	@command -v haproxy >/dev/null && command -v ip >/dev/null || { echo "Installing haproxy and iproute2."; \
		$(APT) install -y -qq haproxy iproute2 >/dev/null 2>&1 || { $(APT) update -qq && $(APT) install -y -qq haproxy iproute2 >/dev/null; }; }
