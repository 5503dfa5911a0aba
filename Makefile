# NRM: `make run` serves the demo, `make test` runs every check CI runs. No root, no system database.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV := DJANGO_DEBUG=1

.PHONY: install run test lint bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# `migrate` runs as the embedded database's owner and then grants the serving role (nrm_app)
# its privileges (database/); seed_demo and the server run as that role.
run: install
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py seed_demo
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	$(DEV) $(PY) manage.py check --fail-level WARNING
	@# The development database as the code expects it (and its app role granted, database app).
	$(DEV) $(PY) manage.py migrate --no-input -v0
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -q -n auto

bench: install
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) -m benchmarks

clean:
	rm -rf $(VENV) var
