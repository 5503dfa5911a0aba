#!/usr/bin/env bash
# The serving role of the application: it logs in, owns nothing and holds only what
# `manage.py migrate` (grant_app_role) gives it. The owner is the image's POSTGRES_USER.
#
# The postgres image runs this once, when it creates the pgdata volume. On an existing volume
# (an upgrade, or a new POSTGRES_APP_PASSWORD) run it by hand; it is idempotent:
#   docker compose exec db bash /docker-entrypoint-initdb.d/10-app-role.sh
set -euo pipefail

: "${POSTGRES_APP_PASSWORD:?POSTGRES_APP_PASSWORD is not set (see deploy/env.example)}"
APP_ROLE="${NRM_APP_ROLE:-nrm_app}"

# The password travels as a psql variable (:'name' quotes it as a literal), never in the text.
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
    -v app_role="$APP_ROLE" -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'app_role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') \gexec
-- Whatever it was before: a plain login role, which grant_app_role checks again.
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD %L',
              :'app_role', :'app_password') \gexec
-- The database is the owner's; the serving role only connects to it.
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
SQL
