"""The embedded PostgreSQL used when DATABASE_URL is not set.

pgserver ships PostgreSQL 16 in a wheel and runs it on a Unix socket inside the data directory,
so development and tests need neither root nor a system database. It is started from settings
because pytest-django reads the database settings before any fixture could start it.
"""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_NAME = "nrm"


def embedded_database_url(pgdata: Path) -> str:
    """Start (or join) the embedded server for ``pgdata`` and return a URL to the NRM database.

    The server stops when the last process using it exits (pgserver's 'stop' mode), so a
    management command run beside ``make run`` shares the running server.
    """
    # pgserver keeps its lock file in the user's runtime directory; give it a private one in
    # var/ when the environment has none, rather than a shared folder in /tmp.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = pgdata.parent / "run"
        runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)

    # Imported here, not at the top: a deployment with DATABASE_URL never loads pgserver.
    import pgserver
    import psycopg

    pgdata.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(DATABASE_NAME)
