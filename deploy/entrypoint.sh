#!/usr/bin/env bash
# Container entrypoint: bring the database schema up to date, then hand over to the command
# (by default gunicorn, see the Dockerfile's CMD). `exec` makes that command PID 1, so it gets
# the stop signal from Docker directly and shuts down cleanly.
set -euo pipefail

# Without DATABASE_URL the settings would start an embedded PostgreSQL inside the container,
# whose data would vanish with it. A deployment always names a real server.
if [[ -z "${DATABASE_URL:-}" ]]; then
    echo "entrypoint: DATABASE_URL is not set; it must name the PostgreSQL server." >&2
    exit 64
fi

if [[ "${1:-}" == "gunicorn" ]]; then
    if [[ -n "${DATABASE_OWNER_URL:-}${DATABASE_OWNER_URL_FILE:-}" ]]; then
        # Migrations run once, here, before any worker starts, as the owner; `migrate` then
        # grants the serving role. Several app containers started at the same moment would
        # race; start one first, or scale only after it is healthy.
        python manage.py migrate --no-input
    else
        # The serving role cannot change the schema: the owner migrates elsewhere
        # (docker-compose.yml's migrate service, or `manage.py migrate` with DATABASE_OWNER_URL).
        echo "entrypoint: no DATABASE_OWNER_URL, so no migrations here." >&2
    fi
fi

exec "$@"
