# NRM: `make run` serves the demo, `make test` runs every check CI runs. No root, no system database.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV := DJANGO_DEBUG=1
# The links in notification mail point at the server `make run` starts, on its port.
NRM_SITE_URL ?= http://127.0.0.1:$(PORT)
# Synthetic cases `make run` adds to a demo database that has none yet.
DEMO_CASES ?= 300
# What `make clean` deletes (the embedded database's data directory is in it).
VAR ?= var

.PHONY: install translations messages run test lint bench audit-stats screenshots backup restore loadtest faults drills clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# The interface in French and Arabic: locale/*/LC_MESSAGES/django.po compiled to .mo files
# (translations/, with polib: no system gettext needed to set up or run).
translations: install
	$(PY) -m translations

# After changing strings in the code or the templates: the catalogues brought up to date
# (makemessages needs gettext's xgettext; the new entries then need their translations, which
# `make test` checks: tests/translations).
MAKEMESSAGES := manage.py makemessages --no-location --no-obsolete -l fr -l ar \
	--ignore='.venv/*' --ignore='tests/*' --ignore='benchmarks/*' --ignore='var/*'
messages: install
	$(DEV) $(PY) $(MAKEMESSAGES)

# `migrate` runs as the embedded database's owner and then grants the serving role (nrm_app)
# its privileges (database/); seed_demo and the server run as that role. Ctrl-C stops the
# server and, with the last process using it, the embedded PostgreSQL (config/embedded_db.py).
run: translations
	$(DEV) $(PY) manage.py migrate --no-input
	$(DEV) $(PY) manage.py seed_demo --cases $(DEMO_CASES) --if-no-cases
	@# The outbox's worker beside the server (mail queued by the app, sent with retries); it
	@# stops with the server.
	$(DEV) NRM_SITE_URL=$(NRM_SITE_URL) $(PY) manage.py procrastinate worker --queues mail & \
	worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) NRM_SITE_URL=$(NRM_SITE_URL) $(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint translations
	$(DEV) $(PY) manage.py check --fail-level WARNING
	@# The development database as the code expects it (and its app role granted, database app).
	$(DEV) $(PY) manage.py migrate --no-input -v0
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -q -n auto

# Issue 16's figures on 100,000 seeded cases, as a table and as JSON in $(VAR)/bench.json.
# The embedded PostgreSQL of $(VAR)/bench (not the demo's), seeded once and reused; with
# DATABASE_URL, that database. BENCH_ARGS passes options (e.g. --repeat 15).
BENCH_CASES ?= 100000
BENCH_ENV := $(DEV) $(if $(DATABASE_URL),,NRM_VAR_DIR=$(abspath $(VAR))/bench)
bench: translations
	$(BENCH_ENV) $(PY) manage.py migrate --no-input -v0
	$(BENCH_ENV) $(PY) manage.py seed_demo --cases $(BENCH_CASES) --if-no-cases
	$(BENCH_ENV) $(PY) -m benchmarks --json $(abspath $(VAR))/bench.json $(BENCH_ARGS)

# The disclosure audit of the statistics releases (stats/audit.py) on demo data of each size,
# each in a database of its own under var/audit-N (seeded once, with a fixed seed).
AUDIT_CASES ?= 3000 10000
audit-stats: install
	@for n in $(AUDIT_CASES); do \
	  echo "== $$n demo cases =="; \
	  export NRM_VAR_DIR=$(abspath $(VAR))/audit-$$n; \
	  $(DEV) $(PY) manage.py migrate --no-input -v0 && \
	  $(DEV) $(PY) manage.py seed_demo --cases $$n --seed 1 --if-no-cases > /dev/null && \
	  $(DEV) $(PY) manage.py audit_statistics --seed 1 || exit 1; \
	done

# Screenshots of every main page in French and Arabic, taken by the accessibility tests in
# Debian's chromium (tests/browser/test_accessibility.py) into var/screenshots/<language>/;
# the README's selection is copied to docs/screenshots/.
SHOWN := home-ngo_a case-list case inbox-incoming register-refused statistics
screenshots: translations
	rm -rf $(VAR)/screenshots
	NRM_SCREENSHOTS=$(abspath $(VAR))/screenshots $(VENV)/bin/pytest -q -n auto tests/browser/test_accessibility.py
	@for language in fr ar; do mkdir -p docs/screenshots/$$language; \
	  for page in $(SHOWN); do cp $(VAR)/screenshots/$$language/$$page.png docs/screenshots/$$language/; done; done
	@echo "var/screenshots: every page; docs/screenshots: the README's"

# Backup and restore (README "Backup and restore"): the database and the sealed documents, never
# the keys. `make restore FROM=<folder>` goes into an empty database only (e.g. a new var/:
# NRM_VAR_DIR=var-restored, with the key files copied in) and ends by decrypting everything
# and verifying the audit log.
BACKUP ?= $(VAR)/backups/$(shell date -u +%Y%m%dT%H%M%SZ)
backup: install
	$(DEV) $(PY) manage.py backup $(BACKUP)
restore: install
	@test -n "$(FROM)" || { echo "make restore FROM=<backup folder>" >&2; exit 1; }
	$(DEV) $(PY) manage.py restore $(FROM)

# The load test (README "Load, faults and drills"): gunicorn as docker-compose runs it, on a
# PostgreSQL cluster of its own in var/loadtest seeded once with 100,000 cases, driven by
# locust headless (50 users, 2 minutes); the table per endpoint, also in
# var/loadtest/results.json. Fails if any request fails. LOADTEST_ARGS: e.g. "--users 20".
LOADTEST_ARGS ?=
loadtest: translations
	$(PY) -m loadtest $(LOADTEST_ARGS)

# PostgreSQL crashed under traffic and started again (drills/faults.py), on a cluster of its own.
FAULTS_ARGS ?=
faults: translations
	$(PY) -m drills faults $(FAULTS_ARGS)

# Every drill: the database fault, the key rotation under traffic at its long scale
# (NRM_DRILL_SCALE=long), the worker killed mid-delivery and the races (make test runs the
# quick rotation and the rest as they are).
DRILL_TESTS := tests/drills/test_key_rotation.py tests/outbox/test_drills.py \
	tests/duplicates/test_concurrency.py tests/audit/test_concurrency.py \
	tests/api/test_referral_actions.py::test_twenty_concurrent_accepts_one_200_nineteen_409_one_grant
drills: faults
	NRM_DRILL_SCALE=long $(VENV)/bin/pytest -q -s -p no:cacheprovider $(DRILL_TESTS)

# Deleting the data directory under a running server would lose what it has not written yet
# and leave the server running on files that are gone.
clean:
	@pid=$$(head -n 1 $(VAR)/pgdata/postmaster.pid 2>/dev/null); \
	if [ -n "$$pid" ] && ps -p "$$pid" -o comm= 2>/dev/null | grep -q postgres; then \
		echo "make clean: the embedded PostgreSQL of $(VAR)/ is running (pid $$pid)." >&2; \
		echo "Stop what uses it first (Ctrl-C in the terminal of make run), then run make clean again." >&2; \
		exit 1; \
	fi
	rm -rf $(VENV) $(VAR)
